"""``alicloud_vswitch`` (terraform-calls.md §3.2), every call R to the ``vpc`` endpoint:

    resource "alicloud_vswitch" "s" {
      vpc_id = alicloud_vpc.v.id  cidr_block = "172.16.1.0/24"  zone_id = "cn-hangzhou-b"
      vswitch_name = "tf-vsw-…"
    }

updated by a new ``description`` (ModifyVSwitchAttribute without autoRetry, then the wait
for Available). Destroy ends on the typed-nil quirk: not found is state "".
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from tests.ecsclient import REGION, ZONE, Ecs
from tests.vpcclient import Vpc

from .reading import ARRAY, BOOL, NUMBER, STRING
from .replay import Call, Gone, Resource, Set, Wait, cycle, destroy_twice
from .services import TAG

# VSwitchId rides in the query, RegionId in the body.
ATTRIBUTES = Call("R", "DescribeVSwitchAttributes", {"RegionId": "{region}"}, query={"VSwitchId": "{vswitch_id}"})
AVAILABLE = Wait(ATTRIBUTES, items="", state="Status", target=("Available",))
CREATE_RETRIES = ("TaskConflict", "IncorrectStatus.cbnStatus", "InvalidStatus.RouteEntry",
                  "OperationFailed.IdempotentTokenProcessing", "IncorrectStatus",
                  "CreateVSwitch.IncorrectStatus.cbnStatus", "IncorrectVSwitchStatus", "OperationConflict",
                  "OperationFailed.DistibuteLock", "OperationFailed.NotifyCenCreate")
DELETE_RETRIES = ("DependencyViolation", "OperationConflict", "IncorrectRouteEntryStatus", "InternalError",
                  "TaskConflict", "DeleteVSwitch.IncorrectStatus.cbnStatus", "SystemBusy", "IncorrectVSwitchStatus",
                  "LastTokenProcessing", "OperationDenied.OtherSubnetProcessing")

VSWITCH = Resource(
    "alicloud_vswitch",
    create=(
        Call("R", "CreateVSwitch", {"RegionId": "{region}", "ClientToken": "{token_CreateVSwitch}",
                                    "CidrBlock": "{cidr}", "VpcId": "{vpc_id}", "VSwitchName": "{name}",
                                    "ZoneId": "{zone}"},
             retry=CREATE_RETRIES, save={"vswitch_id": "VSwitchId"}),
        AVAILABLE,      # delay 0: the first refresh may see Pending
    ),
    read=(
        dataclasses.replace(
            ATTRIBUTES,
            types={"VSwitchId": STRING, "IsDefault": BOOL, "AvailableIpAddressCount": NUMBER, "Tags.Tag": ARRAY,
                   "Ipv6CidrBlock": STRING},
            expect={"VSwitchId": "{vswitch_id}", "CidrBlock": "{cidr}", "VpcId": "{vpc_id}", "ZoneId": "{zone}",
                    "VSwitchName": "{name}", "Description": "{description}", "Status": "Available",
                    "IsDefault": False, "Ipv6CidrBlock": "", "Tags.Tag": "{tags}"}),
    ),
    update=(
        Set({"description": "changed by terraform"}),
        Call("R", "ModifyVSwitchAttribute", {"VSwitchId": "{vswitch_id}", "RegionId": "{region}",
                                             "Description": "{description}"},
             auto_retry=False, retry=("OperationConflict", "OperationFailed.LastTokenProcessing",
                                      "IncorrectStatus.VSwitch", "IncorrectStatus.VpcRouteEntry")),
        AVAILABLE,
    ),
    delete=(
        Call("R", "DeleteVSwitch", {"VSwitchId": "{vswitch_id}", "RegionId": "{region}"}, auto_retry=False,
             retry=DELETE_RETRIES, ok=("InvalidVswitchID.NotFound", "InvalidVSwitchId.NotFound")),
        Wait(dataclasses.replace(ATTRIBUTES, ok_not_found=True), items="", state="Status", target=("",),
             empty_state=""),
    ),
    gone=(Gone(ATTRIBUTES, ""),),
)

# ``tags`` (create's Update(new) and update alike): TagResources ResourceType=VSWITCH.
TAGS_UPDATE = (
    Set({"tags": [{"Key": k, "Value": v} for k, v in TAG.items()]}),
    Call("R", "TagResources", {"ResourceType": "VSWITCH", "ResourceId": ["{vswitch_id}"], "RegionId": "{region}",
                               "Tag": [{"Key": k, "Value": v} for k, v in TAG.items()]}),
)


@pytest.fixture
def vpc_id(emulator) -> str:
    """An Available VPC, as ``alicloud_vpc`` leaves it."""
    vpc = Vpc(Ecs(emulator))
    made = vpc.create(CidrBlock="172.16.0.0/12")
    vpc.ecs.wait(lambda: vpc.attribute(made)["Status"], "Available")
    return made


def values(vpc_id: str) -> dict:
    return {"region": REGION, "zone": ZONE, "vpc_id": vpc_id, "cidr": "172.16.1.0/24",
            "name": f"tf-vsw-{uuid.uuid4().hex[:12]}", "description": "", "tags": []}


def test_apply_plan_destroy(vpc_wire, vpc_id):
    cycle(vpc_wire, VSWITCH, values(vpc_id))


def test_destroy_twice(vpc_wire, vpc_id):
    destroy_twice(vpc_wire, VSWITCH, values(vpc_id))


def test_update_description(vpc_wire, vpc_id):
    cycle(vpc_wire, VSWITCH, values(vpc_id), update=True)


def test_smallest_block_in_another_zone(vpc_wire, vpc_id):
    cycle(vpc_wire, VSWITCH, {**values(vpc_id), "cidr": "172.31.255.248/29", "zone": "cn-hangzhou-h"})


def test_update_tags(vpc_wire, vpc_id):
    cycle(vpc_wire, dataclasses.replace(VSWITCH, update=TAGS_UPDATE), values(vpc_id), update=True)
