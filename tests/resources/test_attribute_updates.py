"""The updates the tools send: ModifyDiskAttribute, ModifySnapshotAttribute and
ModifyImageAttribute, each read back by the next Describe, each refusal changing nothing."""

from __future__ import annotations

import itertools

import pytest

from tests.ecsclient import REGION, ZONE, advance

_names = itertools.count()


def new_disk(ecs, **params) -> str:
    params = {"RegionId": REGION, "ZoneId": ZONE, "Size": 20, "DiskCategory": "cloud_essd", **params}
    return ecs("CreateDisk", **params)["DiskId"]


def system_disk(ecs, instance_id: str) -> dict:
    return next(d for d in ecs.disks_of(instance_id) if d["Type"] == "system")


def snapshot(ecs, **params) -> str:
    """A snapshot of a started instance's system disk."""
    disk_id = system_disk(ecs, ecs.run_instance())["DiskId"]
    return ecs("CreateSnapshot", DiskId=disk_id, **params)["SnapshotId"]


def snapshot_view(ecs, snapshot_id: str) -> dict:
    found = ecs("DescribeSnapshots", RegionId=REGION, SnapshotIds=[snapshot_id])["Snapshots"]["Snapshot"]
    assert len(found) == 1
    return found[0]


def custom_image(ecs, **params) -> str:
    return ecs("CreateImage", RegionId=REGION, SnapshotId=snapshot(ecs), ImageName=f"img-{next(_names)}",
               **params)["ImageId"]


def image_view(ecs, image_id: str) -> dict:
    found = ecs("DescribeImages", RegionId=REGION, ImageId=image_id, Status="ALL")["Images"]["Image"]
    assert len(found) == 1
    return found[0]


# --- ModifyDiskAttribute ---------------------------------------------------------------------

def test_a_disk_change_is_read_back(ecs):
    disk_id = new_disk(ecs, DiskName="before")
    disk = ecs.disk(disk_id)
    # DeleteAutoSnapshot false on a new disk: the Terraform provider's default (docs/decisions.md)
    assert (disk["EnableAutoSnapshot"], disk["BurstingEnabled"], disk["DeleteAutoSnapshot"]) == (True, False, False)
    ecs("ModifyDiskAttribute", DiskId=disk_id, DiskName="after", Description="kept logs",
        DeleteAutoSnapshot=True, EnableAutoSnapshot=False, DeleteWithInstance=True)
    disk = ecs.disk(disk_id)
    assert (disk["DiskName"], disk["Description"], disk["DeleteAutoSnapshot"], disk["EnableAutoSnapshot"],
            disk["DeleteWithInstance"]) == ("after", "kept logs", True, False, True)
    # the filters read the same columns
    assert ecs("DescribeDisks", RegionId=REGION, DiskIds=[disk_id], EnableAutoSnapshot=True)["Disks"]["Disk"] == []
    assert len(ecs("DescribeDisks", RegionId=REGION, DiskIds=[disk_id], EnableAutoSnapshot=False,
                   DeleteAutoSnapshot=True)["Disks"]["Disk"]) == 1


def test_without_region_and_with_empty_name_as_the_provider_sends(ecs):
    """Terraform sends DiskName and Description always, empty when unset, and no RegionId."""
    disk_id = new_disk(ecs, DiskName="named", Description="described")
    ecs("ModifyDiskAttribute", DiskId=disk_id, DiskName="", Description="", DeleteWithInstance=False)
    disk = ecs.disk(disk_id)
    assert (disk["DiskName"], disk["Description"], disk["DeleteWithInstance"]) == ("named", "described", False)


def test_several_disks_at_once_all_or_none(ecs):
    first, second = new_disk(ecs), new_disk(ecs)
    ecs("ModifyDiskAttribute", RegionId=REGION, **{"DiskIds.1": first, "DiskIds.2": second}, DiskName="pair")
    assert [ecs.disk(d)["DiskName"] for d in (first, second)] == ["pair", "pair"]
    assert ecs.error("ModifyDiskAttribute", **{"DiskIds.1": first, "DiskIds.2": "d-bpnothing0000000000"},
                     DiskName="half") == ("InvalidDiskId.NotFound", 404)
    assert [ecs.disk(d)["DiskName"] for d in (first, second)] == ["pair", "pair"]


def test_bursting_only_where_the_category_has_it(ecs):
    auto = new_disk(ecs, DiskCategory="cloud_auto")
    ecs("ModifyDiskAttribute", DiskId=auto, BurstingEnabled=True)
    assert ecs.disk(auto)["BurstingEnabled"] is True
    essd = new_disk(ecs)
    assert ecs.error("ModifyDiskAttribute", DiskId=essd, BurstingEnabled=True) == \
        ("InvalidParameter.BurstingEnabled", 400)
    assert ecs.disk(essd)["BurstingEnabled"] is False


def test_a_basic_disk_that_cannot_detach_goes_with_its_instance(ecs):
    """A basic (cloud) disk made on a subscription instance cannot be detached, so it cannot
    outlive the instance either; a portable one can."""
    instance_id = ecs.run_instance(InstanceChargeType="PrePaid")
    fixed = ecs("CreateDisk", RegionId=REGION, InstanceId=instance_id, Size=20, DiskCategory="cloud")["DiskId"]
    assert (ecs.disk(fixed)["Portable"], ecs.disk(fixed)["DeleteWithInstance"]) == (False, True)
    assert ecs.error("ModifyDiskAttribute", DiskId=fixed, DeleteWithInstance=False) == ("DiskNotPortable", 403)
    assert ecs.disk(fixed)["DeleteWithInstance"] is True
    ecs("ModifyDiskAttribute", DiskId=fixed, DeleteWithInstance=True, DiskName="fixed")   # true is always fine
    portable = new_disk(ecs, DiskCategory="cloud")
    ecs("ModifyDiskAttribute", DiskId=portable, DeleteWithInstance=False)
    assert ecs.disk(portable)["DeleteWithInstance"] is False


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ("IncompleteParamter", 400)),
    ({"DiskId": "d-x", "DiskIds.1": "d-y", "DiskName": "both"}, ("InvalidParameter", 400)),
    ({"DiskId": "d-bpnothing0000000000", "DiskName": "ghost"}, ("InvalidDiskId.NotFound", 404)),
    ({"DiskName": "1starts-with-a-digit"}, ("InvalidDiskName.Malformed", 400)),
    ({"Description": "http://no"}, ("InvalidDescription.Malformed", 404)),
    ({"DeleteWithInstance": "maybe"}, ("InvalidParameter", 400)),
    ({"RegionId": "cn-nowhere", "DiskName": "x1"}, ("InvalidRegionId.NotFound", 404)),
    ({"RegionId": "cn-shanghai", "DiskName": "elsewhere"}, ("InvalidDiskId.NotFound", 404)),
])
def test_disk_refusals(ecs, params, expected):
    if "DiskIds.1" not in params and "DiskId" not in params and params:
        params = {"DiskId": new_disk(ecs, DiskName="unchanged"), **params}
    assert ecs.error("ModifyDiskAttribute", **params) == expected


def test_nothing_to_modify(ecs):
    disk_id = new_disk(ecs, DiskName="same")
    assert ecs.error("ModifyDiskAttribute", DiskId=disk_id) == ("NoAttributeToModify", 400)
    assert ecs.disk(disk_id)["DiskName"] == "same"


def test_not_while_creating(manual):
    disk_id = new_disk(manual)
    assert manual.disk(disk_id)["Status"] == "Creating"
    assert manual.error("ModifyDiskAttribute", DiskId=disk_id, DiskName="early") == ("IncorrectDiskStatus", 403)


# --- ModifySnapshotAttribute -----------------------------------------------------------------

def test_a_snapshot_change_is_read_back(ecs):
    snapshot_id = snapshot(ecs, SnapshotName="nightly", Description="first")
    ecs("ModifySnapshotAttribute", SnapshotId=snapshot_id, SnapshotName="weekly", Description="second",
        RetentionDays=30)
    view = snapshot_view(ecs, snapshot_id)
    assert (view["SnapshotName"], view["Description"], view["RetentionDays"]) == ("weekly", "second", 30)
    ecs("ModifySnapshotAttribute", SnapshotId=snapshot_id, Description="")   # empty: cleared
    assert snapshot_view(ecs, snapshot_id)["Description"] == ""
    assert ecs("DescribeSnapshots", RegionId=REGION, SnapshotName="weekly")["Snapshots"]["Snapshot"][0][
        "SnapshotId"] == snapshot_id


def test_retention_only_grows(ecs):
    snapshot_id = snapshot(ecs, RetentionDays=10)
    assert ecs.error("ModifySnapshotAttribute", SnapshotId=snapshot_id, RetentionDays=5) == \
        ("InvalidRetentionDays", 400)
    ecs("ModifySnapshotAttribute", SnapshotId=snapshot_id, RetentionDays=20)
    assert snapshot_view(ecs, snapshot_id)["RetentionDays"] == 20


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ("NoAttributeToModify", 400)),
    ({"SnapshotName": "auto-named"}, ("InvalidSnapshotName.Malformed", 400)),
    ({"Description": "https://no"}, ("InvalidDescription.Malformed", 404)),
    ({"RetentionDays": 0}, ("InvalidParameter", 400)),
])
def test_snapshot_refusals(ecs, params, expected):
    snapshot_id = snapshot(ecs, SnapshotName="unchanged")
    assert ecs.error("ModifySnapshotAttribute", SnapshotId=snapshot_id, **params) == expected
    assert snapshot_view(ecs, snapshot_id)["SnapshotName"] == "unchanged"
    assert ecs.error("ModifySnapshotAttribute", SnapshotId="s-bpnothing0000000000", SnapshotName="x1") == \
        ("InvalidSnapshotId.NotFound", 404)


# --- ModifyImageAttribute --------------------------------------------------------------------

def test_an_image_change_is_read_back(ecs):
    image_id = custom_image(ecs, ImageFamily="web", ImageVersion="1.0", BootMode="UEFI")
    view = image_view(ecs, image_id)
    assert (view["ImageFamily"], view["ImageVersion"], view["BootMode"]) == ("web", "1.0", "UEFI")
    ecs("ModifyImageAttribute", RegionId=REGION, ImageId=image_id, ImageName="renamed", Description="golden",
        ImageFamily="web-next", BootMode="BIOS", LicenseType="BYOL", **{"Features.NvmeSupport": "unsupported"})
    view = image_view(ecs, image_id)
    assert (view["ImageName"], view["Description"], view["ImageFamily"], view["BootMode"], view["LicenseType"],
            view["Features"]["NvmeSupport"]) == ("renamed", "golden", "web-next", "BIOS", "BYOL", "unsupported")
    assert [i["ImageId"] for i in ecs("DescribeImages", RegionId=REGION, ImageFamily="web-next")["Images"][
        "Image"]] == [image_id]


def test_deprecated_then_restored_and_still_launches(ecs):
    image_id = custom_image(ecs)
    ecs("ModifyImageAttribute", RegionId=REGION, ImageId=image_id, Status="Deprecated")
    view = image_view(ecs, image_id)
    assert (view["Status"], view["Usable"]) == ("Deprecated", True)
    assert ecs("DescribeImages", RegionId=REGION, ImageId=image_id)["Images"]["Image"] == []  # default: Available
    instance_id = ecs.run_instance(ImageId=image_id)
    assert ecs.instance(instance_id)["ImageId"] == image_id
    ecs("ModifyImageAttribute", RegionId=REGION, ImageId=image_id, Status="Available")
    assert image_view(ecs, image_id)["Status"] == "Available"


def test_status_not_while_creating(manual):
    instance_id = manual.run_instance()
    advance(manual, 3600)
    image_id = manual("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName="in-the-making")["ImageId"]
    assert manual.error("ModifyImageAttribute", RegionId=REGION, ImageId=image_id, Status="Deprecated") == \
        ("IncorrectImageStatus", 403)
    manual("ModifyImageAttribute", RegionId=REGION, ImageId=image_id, Description="named meanwhile")
    assert image_view(manual, image_id)["Status"] == "Creating"


def test_image_refusals_change_nothing(ecs):
    image_id = custom_image(ecs, Description="original")
    taken = image_view(ecs, custom_image(ecs))["ImageName"]
    for params, expected in (
            ({"ImageName": taken}, ("InvalidImageName.Duplicated", 400)),
            ({"ImageName": "aliyun-mine"}, ("InvalidImageName.Malformed", 400)),
            ({"ImageFamily": "acs:family"}, ("InvalidImageFamily.Malformed", 400)),
            ({"Description": "http://x"}, ("InvalidDescription.Malformed", 400)),
            ({"Status": "Creating"}, ("InvalidParameter", 400)),
            ({"Features.ImdsSupport": "v1"}, ("InvalidParameter.ImdsSupport", 400)),
            ({"Description": "dry", "DryRun": True}, ("DryRunOperation", 400))):
        assert ecs.error("ModifyImageAttribute", RegionId=REGION, ImageId=image_id, **params) == expected
    assert image_view(ecs, image_id)["Description"] == "original"
    public = ecs("DescribeImages", RegionId=REGION, PageSize=1)["Images"]["Image"][0]["ImageId"]
    assert ecs.error("ModifyImageAttribute", RegionId=REGION, ImageId=public, Description="mine") == \
        ("InvalidImageId.NotFound", 404)
    assert ecs.error("ModifyImageAttribute", RegionId="cn-shanghai", ImageId=image_id, Description="there") == \
        ("InvalidImageId.NotFound", 404)
