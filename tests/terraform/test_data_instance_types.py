"""data ``alicloud_instance_types`` (terraform-calls.md §4.2):

    data "alicloud_instance_types" "t" { }
    data "alicloud_instance_types" "t" { instance_type_family = "ecs.g7" }   # the changed argument

DescribeAvailableResource (L, never a ZoneId) gives the types on sale; DescribeInstanceTypes
(R, no RegionId, no MaxResults) follows ``NextToken``; the output is their intersection, in
DescribeInstanceTypes' order.
"""

from __future__ import annotations

from tests.ecsclient import REGION

from .reading import NUMBER, STRING
from .replay import Call, Pages, Resource, Set, cycle


def _on_sale(reply: dict, values: dict) -> None:
    values["on_sale"] = {supported["Value"]
                         for zone in reply["AvailableZones"]["AvailableZone"]
                         for resource in zone["AvailableResources"]["AvailableResource"]
                         for supported in resource["SupportedResources"]["SupportedResource"]
                         if supported["Status"] != "SoldOut"}
    assert values["on_sale"]


def _listed(types: list, values: dict) -> None:
    ids = [t["InstanceTypeId"] for t in types]
    assert len(ids) == len(set(ids)), "a type on two pages"
    assert set(ids) & values["on_sale"], "no type both listed and on sale: instance_types.0.id fails"
    if values["family"]:
        assert {t["InstanceTypeFamily"] for t in types} == {values["family"]}


TYPES = Resource(
    "data.alicloud_instance_types",
    read=(
        Call("L", "DescribeAvailableResource", {"RegionId": "{region}", "DestinationResource": "InstanceType",
                                                "IoOptimized": "optimized", "InstanceChargeType": "PostPaid",
                                                "SpotStrategy": "NoSpot"},
             found="AvailableZones.AvailableZone", check=_on_sale),
        Pages(Call("R", "DescribeInstanceTypes", {"InstanceTypeFamily": "{family}"},
                   types={"InstanceTypes.InstanceType[].InstanceTypeId": STRING,
                          "InstanceTypes.InstanceType[].CpuCoreCount": NUMBER,
                          "InstanceTypes.InstanceType[].MemorySize": NUMBER,
                          "InstanceTypes.InstanceType[].LocalStorageCapacity?": NUMBER}),
              "InstanceTypes.InstanceType", by_token=True, check=_listed),
    ),
    update=(Set({"family": "ecs.g7"}),),
)


def test_read_twice_then_family(wire):
    cycle(wire, TYPES, {"region": REGION, "family": None}, update=True)
