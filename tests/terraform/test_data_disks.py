"""data ``alicloud_disks`` / ``alicloud_ecs_disks`` (terraform-calls.md §4.5):

    data "alicloud_ecs_disks" "d" { ids = ["d-…"] }                                # ids: client-side
    data "alicloud_ecs_disks" "d" { ids = ["d-…"]  category = "cloud_efficiency" }  # the changed argument

DescribeDisks (R) pages with ``PageSize=100`` until a page is shorter; ``ids`` and
``name_regex`` are applied by the provider, so every disk of the region is read and typed.
"""

from __future__ import annotations

from tests.ecsclient import REGION, ZONE

from .conftest import available_disk
from .replay import Call, Pages, Resource, Set, cycle
from .services import DISK_TYPES


def _listed(disks: list, values: dict) -> None:
    mine = [disk for disk in disks if disk["DiskId"] == values["disk_id"]]
    assert len(mine) == 1, f"{values['disk_id']} listed {len(mine)} times"
    assert mine[0]["Category"] == "cloud_efficiency" and mine[0]["Size"] == 30 and mine[0]["ZoneId"] == ZONE
    if values["category"]:
        assert {disk["Category"] for disk in disks} == {values["category"]}


DISKS = Resource(
    "data.alicloud_ecs_disks",
    # An unset argument is nil in the provider's request map and is not sent.
    read=(Pages(Call("R", "DescribeDisks", {"RegionId": "{region}", "PageSize": 100, "Category": "{category}"},
                     types=DISK_TYPES), "Disks.Disk", more_from=100, save="disks", check=_listed),),
    update=(Set({"category": "cloud_efficiency"}),),
)


def test_read_twice_then_filter_category(wire, ecs):
    disk_id = available_disk(ecs, Size=30, DiskCategory="cloud_efficiency")
    available_disk(ecs, Size=30, DiskCategory="cloud_essd")
    cycle(wire, DISKS, {"region": REGION, "disk_id": disk_id, "category": None}, update=True)


def test_more_than_a_page(wire, ecs):
    """101 disks and more: the loop asks for page 2 (PageNumber honoured, no disk twice)."""
    made = {available_disk(ecs, Size=30, DiskCategory="cloud_efficiency")}
    made |= {ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=30, DiskCategory="cloud_efficiency")["DiskId"]
             for _ in range(100)}
    ecs.wait(lambda: ecs("DescribeDisks", RegionId=REGION, Status="Creating")["TotalCount"], 0)
    replay = cycle(wire, DISKS, {"region": REGION, "disk_id": min(made), "category": None})
    pages = [sent.params["PageNumber"] for sent in wire.sent if sent.action == "DescribeDisks"]
    assert "2" in pages
    assert made <= {disk["DiskId"] for disk in replay.values["disks"]}
