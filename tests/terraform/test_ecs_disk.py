"""``alicloud_ecs_disk`` (terraform-calls.md §2.2):

    resource "alicloud_ecs_disk" "d" { zone_id = "cn-hangzhou-b"  size = 20  disk_name = "tf-disk" }
    ... and the same with   description = "made by terraform"  tags = { Created = "terraform" }

updated by a new ``description`` (ModifyDiskAttribute), a new ``size`` (ResizeDisk) or a new
``category`` (ModifyDiskSpec).
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.ecsclient import REGION, ZONE

from .replay import EMPTY, Call, Gone, Resource, Set, Wait, cycle, destroy_twice
from .services import describe_disk, describe_disk_any, group_update, tags_update

# What Read copies into state, against what the configuration says (no diff, §2.2).
READ_BACK = {
    "Disks.Disk[0].DiskId": "{disk_id}",
    "Disks.Disk[0].Category": "{category}",         # cloud_efficiency: the schema default, always sent
    "Disks.Disk[0].Size": "{size}",
    "Disks.Disk[0].ZoneId": ZONE,
    "Disks.Disk[0].DiskName": "tf-disk",
    "Disks.Disk[0].Description": "{description}",
    "Disks.Disk[0].DeleteAutoSnapshot": False,      # schema default false
    "Disks.Disk[0].DeleteWithInstance": False,      # else Update(new) sends ModifyDiskAttribute
    "Disks.Disk[0].Encrypted": False,
    "Disks.Disk[0].KMSKeyId": EMPTY,
    "Disks.Disk[0].SourceSnapshotId": EMPTY,
    "Disks.Disk[0].StorageSetId": EMPTY,
    "Disks.Disk[0].StorageSetPartitionNumber": EMPTY,
    "Disks.Disk[0].ProvisionedIops": EMPTY,
    "Disks.Disk[0].BurstingEnabled": EMPTY,
    "Disks.Disk[0].DiskChargeType": "PostPaid",     # payment_type PayAsYouGo
    "Disks.Disk[0].Tags.Tag": "{tags}",
    "Disks.Disk[0].ResourceGroupId": "{resource_group_id}",
    "Disks.Disk[0].Status": "Available",
    "Disks.Disk[0].RegionId": REGION,
}

DISK = Resource(
    "alicloud_ecs_disk",
    create=(
        Call("R", "CreateDisk", {"RegionId": "{region}", "ClientToken": "{token_CreateDisk}",
                                 "DiskCategory": "cloud_efficiency", "ZoneId": "{zone}", "Size": "{size}",
                                 "DiskName": "tf-disk", "Description": "{description_sent}", "Tag": "{tag_sent}"},
             retry=("ServiceUnavailable", "UnknownError", "LastTokenProcessing"), save={"disk_id": "DiskId"}),
        # The guard meant for instance_id is always true: the wait always runs (§2.2).
        Wait(describe_disk_any(), "Disks.Disk", "Status", target=("Available", "In_use"), empty_state=""),
        # Update(new): DescribeDisks; DeleteWithInstance false as in state, so no ModifyDiskAttribute.
        describe_disk(expect={"Disks.Disk[0].DeleteWithInstance": False}),
    ),
    read=(describe_disk(expect=READ_BACK),),
    update=(
        Set({"description": "changed by terraform"}),
        describe_disk(),
        Call("R", "ModifyDiskAttribute", {"DiskId": "{disk_id}", "RegionId": "{region}",
                                          "Description": "{description}"}),
    ),
    delete=(
        describe_disk_any(done_if_empty="Disks.Disk"),
        Call("R", "DeleteDisk", {"DiskId": "{disk_id}"}, retry=("IncorrectDiskStatus.Initializing",),
             ok=("InvalidDiskId.NotFound",), ok_not_found=True),
    ),
    gone=(Gone(describe_disk_any(), "Disks.Disk"),),
)

# size -> ResizeDisk (R, no RegionId); nothing ModifyDiskAttribute sends has changed, so it is not sent.
RESIZED = dataclasses.replace(DISK, update=(
    Set({"size": 40}),
    describe_disk(),
    Call("R", "ResizeDisk", {"DiskId": "{disk_id}", "ClientToken": "{token_ResizeDisk}", "NewSize": "{size}"},
         retry=("LastTokenProcessing", "InternalError")),
))

# category -> ModifyDiskSpec (R, no RegionId; performance_level is not sent, unchanged), then a
# wait until the disk is Available or In_use again (§2.2).
RESPECCED = dataclasses.replace(DISK, update=(
    Set({"category": "cloud_essd"}),
    describe_disk(),
    Call("R", "ModifyDiskSpec", {"DiskId": "{disk_id}", "DiskCategory": "{category}"},
         retry=("ServiceUnavailable", "Throttling.ConcurrentLimitExceeded", "DiskInCoolingPeriod")),
    Wait(describe_disk_any(), "Disks.Disk", "Status", target=("Available", "In_use"), empty_state=""),
))


def values(*, description: str | None = None, tags: dict[str, str] | None = None) -> dict:
    """The configuration: unset arguments are nil in the provider's request, and not sent."""
    return {"region": REGION, "zone": ZONE, "size": 20, "category": "cloud_efficiency",
            "description_sent": description,
            "description": description or "",
            "tag_sent": [{"Key": k, "Value": v} for k, v in tags.items()] if tags else None,
            "tags": [{"TagKey": k, "TagValue": v} for k, v in (tags or {}).items()], "resource_group_id": EMPTY}


def test_apply_plan_destroy(wire):
    cycle(wire, DISK, values())


def test_description_and_tags_read_back(wire):
    cycle(wire, DISK, values(description="made by terraform", tags={"Created": "terraform"}))


def test_update_size(wire):
    cycle(wire, RESIZED, values(), update=True)


def test_update_category(wire):
    cycle(wire, RESPECCED, values(), update=True)


def test_update_description(wire):
    cycle(wire, DISK, values(), update=True)


@pytest.mark.parametrize("update", [
    # Update runs DescribeDisks first whatever changed; nothing ModifyDiskAttribute sends has.
    tags_update("disk", "{disk_id}", before=(describe_disk(),)),
    group_update("disk", "{disk_id}", before=(describe_disk(),)),
], ids=["tags", "resource_group_id"])
def test_update_tags_and_group(wire, update):
    cycle(wire, dataclasses.replace(DISK, update=update), values(), update=True)


def test_destroy_twice(wire):
    destroy_twice(wire, DISK, values())
