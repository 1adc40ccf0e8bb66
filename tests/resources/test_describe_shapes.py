"""Describe actions: DryRun wherever it is declared, and TotalCount of an unfiltered listing
(read from resource_counts on SQLite, counted on PostgreSQL) agreeing with the rows."""

import pytest

from tests.ecsclient import REGION, ZONE

DRY_RUN_OPERATION = ("DryRunOperation", 400)


@pytest.mark.parametrize("action", ["DescribeDisks", "DescribeInstances", "DescribeSecurityGroups"])
def test_dry_run_answers_dry_run_operation(ecs, action):
    assert ecs.error(action, RegionId=REGION, DryRun=True) == DRY_RUN_OPERATION
    assert "TotalCount" in ecs(action, RegionId=REGION, DryRun=False)


@pytest.mark.parametrize("action, params, expected", [
    ("DescribeDisks", {"DiskType": "floppy"}, ("InvalidDiskType.ValueNotSupported", 400)),
    ("DescribeDisks", {"RegionId": "moon-1"}, ("InvalidRegionId.NotFound", 404)),
    ("DescribeInstances", {"RegionId": "moon-1"}, ("InvalidRegionId.NotFound", 404)),
    ("DescribeSecurityGroups", {"RegionId": "moon-1"}, ("InvalidRegionId.NotFound", 404)),
])
def test_dry_run_comes_after_validation(ecs, action, params, expected):
    assert ecs.error(action, **{"RegionId": REGION, "DryRun": True, **params}) == expected


def _total(ecs, action, region=REGION, **params):
    return ecs(action, RegionId=region, PageSize=1, **params)["TotalCount"]


def test_total_count_of_an_unfiltered_listing_follows_creates_and_deletes(ecs, other):
    disks_before, instances_before = _total(ecs, "DescribeDisks"), _total(ecs, "DescribeInstances")
    other_before = _total(other, "DescribeDisks")
    elsewhere_before = _total(ecs, "DescribeDisks", region="cn-shanghai")
    created = [ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskCategory="cloud_essd")["DiskId"]
               for _ in range(3)]
    instance_id = ecs.run_instance()  # one instance, with its system disk
    assert _total(ecs, "DescribeDisks") == disks_before + 4
    assert _total(ecs, "DescribeInstances") == instances_before + 1
    assert _total(other, "DescribeDisks") == other_before
    assert _total(ecs, "DescribeDisks", region="cn-shanghai") == elsewhere_before
    ecs("DeleteDisk", DiskId=created[0])
    assert _total(ecs, "DescribeDisks") == disks_before + 3
    # The same figure as counting the rows: a filtered listing that matches them all.
    assert _total(ecs, "DescribeDisks", DiskType="all", Status="All") == disks_before + 3
    everything = ecs("DescribeDisks", RegionId=REGION, MaxResults=500)
    assert everything["TotalCount"] == len(everything["Disks"]["Disk"]) == disks_before + 3
    ecs("StopInstance", InstanceId=instance_id, ForceStop=True)
    ecs.wait(lambda: ecs.instance(instance_id)["Status"], "Stopped")
    ecs("DeleteInstance", InstanceId=instance_id)
    ecs.wait(lambda: _total(ecs, "DescribeInstances"), instances_before)
    assert _total(ecs, "DescribeDisks") == disks_before + 2


def test_token_pages_of_an_unfiltered_listing(ecs):
    for _ in range(12):
        ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskCategory="cloud_essd")
    total = _total(ecs, "DescribeDisks")
    seen, token = [], None
    while True:
        page = ecs("DescribeDisks", RegionId=REGION, MaxResults=10, NextToken=token)
        assert page["TotalCount"] == total
        seen += [d["DiskId"] for d in page["Disks"]["Disk"]]
        token = page["NextToken"]
        if not token:
            break
    assert len(seen) == len(set(seen)) == total
