"""data ``alicloud_instances`` (terraform-calls.md §4.4):

    data "alicloud_instances" "i" { ids = ["i-…"]  enable_details = false }
    data "alicloud_instances" "i" { ids = ["i-…"] }                       # enable_details defaults to true
    ... and then status = "Running" added (the changed argument)

DescribeInstances (L) pages by 100; with details, DescribeInstanceRamRole (L) for the
listed instances (an instance missing from its answer is dropped from the output), then
every disk of the region through DescribeDisks (L), paged by 100.
"""

from __future__ import annotations

import pytest

from tests.ecsclient import REGION, ZONE

from .reading import ARRAY, STRING
from .replay import Call, Pages, Resource, Set, cycle
from .transports import json_list

INSTANCE_TYPES = {"Instances.Instance": ARRAY, "Instances.Instance[].InstanceId": STRING,
                  "Instances.Instance[].SecurityGroupIds.SecurityGroupId": ARRAY,
                  "Instances.Instance[].PublicIpAddress.IpAddress": ARRAY,
                  "Instances.Instance[].InnerIpAddress.IpAddress": ARRAY,
                  "Instances.Instance[].VpcAttributes.PrivateIpAddress.IpAddress": ARRAY,
                  "Instances.Instance[].EipAddress.IpAddress": STRING,
                  "Instances.Instance[].Tags.Tag": ARRAY}


def _instances(instances: list, values: dict) -> None:
    assert [i["InstanceId"] for i in instances] == [values["instance_id"]]
    for instance in instances:
        # private_ip: InnerIpAddress[0], else VpcAttributes.PrivateIpAddress[0]: a panic when both are empty.
        assert instance["InnerIpAddress"]["IpAddress"] or instance["VpcAttributes"]["PrivateIpAddress"]["IpAddress"]
        assert instance["InstanceNetworkType"] == "vpc"  # classic ones are dropped from the details
        assert instance["ZoneId"] == ZONE and instance["Status"] == "Running"


def _roles(roles: list, values: dict) -> None:
    assert {role["InstanceId"]: role["RamRoleName"] for role in roles} == {values["instance_id"]: ""}


def _disks(disks: list, values: dict) -> None:
    system = [d for d in disks if d["InstanceId"] == values["instance_id"] and d["Type"] == "system"]
    assert len(system) == 1 and system[0]["Device"] and system[0]["Size"] > 0


LIST = Pages(Call("L", "DescribeInstances", {"RegionId": "{region}", "PageSize": 100, "InstanceIds": "{ids}",
                                             "Status": "{status}"}, types=INSTANCE_TYPES),
             "Instances.Instance", more_from=100, save="instances", check=_instances)
DETAILS = (
    Set({"listed": lambda values: json_list(*[i["InstanceId"] for i in values["instances"]])}),
    Pages(Call("L", "DescribeInstanceRamRole", {"RegionId": "{region}", "InstanceIds": "{listed}", "PageSize": 50},
               types={"InstanceRamRoleSets.InstanceRamRoleSet": ARRAY}),
          "InstanceRamRoleSets.InstanceRamRoleSet", more_from=50, check=_roles),
    Pages(Call("L", "DescribeDisks", {"RegionId": "{region}", "PageSize": 100}), "Disks.Disk", more_from=100,
          check=_disks),
)
CHANGE = (Set({"status": "Running"}),)

WITHOUT_DETAILS = Resource("data.alicloud_instances (enable_details = false)", read=(LIST,), update=CHANGE)
WITH_DETAILS = Resource("data.alicloud_instances", read=(LIST, *DETAILS), update=CHANGE)


@pytest.fixture
def values(instance_id) -> dict:
    return {"region": REGION, "instance_id": instance_id, "ids": json_list(instance_id), "status": None}


def test_without_details(wire, values):
    cycle(wire, WITHOUT_DETAILS, values, update=True)


def test_with_details(wire, values):
    cycle(wire, WITH_DETAILS, values, update=True)
