"""``alicloud_ecs_key_pair_attachment`` (terraform-calls.md §2.7): everything ForceNew, no
update; the ID is ``<name>:<InstanceIds JSON>``.

    resource "alicloud_ecs_key_pair_attachment" "a" { key_pair_name = "tf-kp-…"  instance_ids = [i1, i2] }
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from tests.ecsclient import REGION

from .conftest import running
from .reading import Pace
from .replay import Call, Each, Gone, Pages, Resource, Wait, cycle, destroy_twice
from .services import INSTANCE_R_TYPES
from .transports import json_list


def _same_instances(instances: list, values: dict) -> None:
    """Not found unless the instances holding the key are exactly the ID's list (any order)."""
    holding = {i["InstanceId"] for i in instances if i["KeyPairName"] == values["name"]}
    assert holding == set(values["instances"]), f"the key pair is on {holding}, the ID says {values['instances']}"


BY_KEY = {"RegionId": "{region}", "KeyPairName": "{name}", "InstanceIds": "{instance_ids}", "MaxResults": 50}

ATTACHMENT = Resource(
    "alicloud_ecs_key_pair_attachment",
    create=(Call("R", "AttachKeyPair", {"RegionId": "{region}", "InstanceIds": "{instance_ids}",
                                        "KeyPairName": "{name}"}),),
    read=(Pages(Call("R", "DescribeInstances", BY_KEY, types=INSTANCE_R_TYPES), "Instances.Instance",
                by_token=True, check=_same_instances),),
    delete=(Call("R", "DetachKeyPair", {"RegionId": "{region}", "KeyPairName": "{name}",
                                        "InstanceIds": "{instance_ids}"}, ok_not_found=True),),
    gone=(Gone(Call("R", "DescribeInstances", BY_KEY), "Instances.Instance"),),
)

# force = true: each instance rebooted (R, no RegionId), then waited for until Running (delay 5 s).
FORCED = dataclasses.replace(ATTACHMENT, name="alicloud_ecs_key_pair_attachment (force = true)", create=(
    *ATTACHMENT.create,
    Each("instances", (
        Call("R", "RebootInstance", {"InstanceId": "{item}", "ForceStop": True}),
        Wait(Call("L", "DescribeInstances", {"RegionId": "{region}", "InstanceIds": '["{item}"]'}),
             "Instances.Instance", "Status", target=("Running",), pace=Pace(delay=0.2)),
    )),
))


@pytest.fixture
def values(ecs) -> dict:
    instances = [running(ecs) for _ in range(2)]
    name = f"tf-kp-{uuid.uuid4().hex[:12]}"
    ecs("CreateKeyPair", RegionId=REGION, KeyPairName=name)
    return {"region": REGION, "name": name, "instances": instances, "instance_ids": json_list(*instances)}


def test_apply_plan_destroy(wire, ecs, values):
    cycle(wire, ATTACHMENT, values)
    for instance_id in values["instances"]:
        assert ecs.instance(instance_id)["KeyPairName"] == ""


def test_destroy_twice(wire, values):
    destroy_twice(wire, ATTACHMENT, values)


def test_force_reboots_each_instance(wire, ecs, values):
    cycle(wire, FORCED, values)
    assert [sent.params["InstanceId"] for sent in wire.sent if sent.action == "RebootInstance"] == values["instances"]
