"""data ``alicloud_key_pairs`` / ``alicloud_ecs_key_pairs`` (terraform-calls.md §4.7):

    data "alicloud_ecs_key_pairs" "k" { ids = ["tf-kp-…"] }                  # ids: client-side
    data "alicloud_ecs_key_pairs" "k" { ids = ["tf-kp-…"]  finger_print = "…" }  # the changed argument

DescribeKeyPairs (R) pages by 50; then, for each key pair, DescribeInstances (R)
``KeyPairName`` + ``MaxResults=50`` following ``NextToken``.
"""

from __future__ import annotations

import uuid

from tests.ecsclient import REGION

from .conftest import running
from .reading import ARRAY, OBJECT, STRING
from .replay import Call, Each, Pages, Resource, Set, cycle
from .services import INSTANCE_R_TYPES

KEY_PAIR_TYPES = {"KeyPairs.KeyPair": ARRAY, "KeyPairs.KeyPair[].KeyPairName": STRING,
                  "KeyPairs.KeyPair[].KeyPairFingerPrint": STRING, "KeyPairs.KeyPair[].Tags": OBJECT,
                  "KeyPairs.KeyPair[].Tags.Tag": ARRAY}


def _key_pairs(key_pairs: list, values: dict) -> None:
    assert values["name"] in [kp["KeyPairName"] for kp in key_pairs]
    if values["finger_print"]:
        assert {kp["KeyPairFingerPrint"] for kp in key_pairs} == {values["finger_print"]}


def _instances_of(instances: list, values: dict) -> None:
    assert all(instance["KeyPairName"] == values["item_KeyPairName"] for instance in instances)
    if values["item_KeyPairName"] == values["name"]:
        assert [instance["InstanceId"] for instance in instances] == [values["instance_id"]]


KEY_PAIRS = Resource(
    "data.alicloud_ecs_key_pairs",
    read=(
        Pages(Call("R", "DescribeKeyPairs", {"RegionId": "{region}", "PageSize": 50,
                                             "KeyPairFingerPrint": "{finger_print}"}, types=KEY_PAIR_TYPES),
              "KeyPairs.KeyPair", more_from=50, save="key_pairs", check=_key_pairs),
        Each("key_pairs", Pages(Call("R", "DescribeInstances", {"RegionId": "{region}",
                                                                "KeyPairName": "{item_KeyPairName}",
                                                                "MaxResults": 50}, types=INSTANCE_R_TYPES),
                                "Instances.Instance", by_token=True, check=_instances_of)),
    ),
    update=(Set({"finger_print": lambda values: values["fingerprint"]}),),
)


def test_read_twice_then_filter_fingerprint(wire, ecs):
    name = f"tf-kp-{uuid.uuid4().hex[:12]}"
    fingerprint = ecs("CreateKeyPair", RegionId=REGION, KeyPairName=name)["KeyPairFingerPrint"]
    instance_id = running(ecs, KeyPairName=name)
    cycle(wire, KEY_PAIRS, {"region": REGION, "name": name, "fingerprint": fingerprint, "finger_print": None,
                            "instance_id": instance_id}, update=True)
