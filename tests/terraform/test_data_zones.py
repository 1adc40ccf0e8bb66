"""data ``alicloud_zones`` (terraform-calls.md §4.1), at the top of nearly every configuration:

    data "alicloud_zones" "z" { }                          # available_resource_creation unset
    data "alicloud_zones" "z" { network_type = "Vpc" }     # the changed argument
"""

from __future__ import annotations

from tests.ecsclient import REGION

from .reading import ARRAY, STRING
from .replay import Call, Resource, Set, cycle


def _open_zones(reply: dict, values: dict) -> None:
    zones = reply["AvailableZones"]["AvailableZone"]
    values["open_zones"] = {z["ZoneId"] for z in zones if z["Status"] != "SoldOut"}
    assert values["open_zones"], "every zone SoldOut: the data source fails"


def _kept_zones(reply: dict, values: dict) -> None:
    kept = sorted(z["ZoneId"] for z in reply["Zones"]["Zone"]
                  if z["ZoneId"] in values["open_zones"] and z["AvailableInstanceTypes"]["InstanceTypes"]
                  and z["AvailableDiskCategories"]["DiskCategories"])
    assert kept, "no zone kept: zones.0.id fails"


ZONES = Resource(
    "data.alicloud_zones",
    read=(
        Call("L", "DescribeAvailableResource", {"RegionId": "{region}", "DestinationResource": "Zone",
                                                "IoOptimized": "optimized", "InstanceChargeType": "PostPaid",
                                                "SpotStrategy": "NoSpot", "NetworkCategory": "{network_type}"},
             found="AvailableZones.AvailableZone",
             types={"AvailableZones.AvailableZone[].ZoneId": STRING, "AvailableZones.AvailableZone[].Status": STRING},
             check=_open_zones),
        Call("L", "DescribeZones", {"RegionId": "{region}", "InstanceChargeType": "PostPaid", "SpotStrategy": "NoSpot"},
             found="Zones.Zone", types={"Zones.Zone[].AvailableInstanceTypes.InstanceTypes": ARRAY,
                                        "Zones.Zone[].AvailableDiskCategories.DiskCategories": ARRAY},
             check=_kept_zones),
    ),
    update=(Set({"network_type": "Vpc"}),),
)


def test_read_twice_then_network_type(wire):
    cycle(wire, ZONES, {"region": REGION, "network_type": None}, update=True)
