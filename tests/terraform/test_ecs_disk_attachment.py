"""``alicloud_ecs_disk_attachment`` (terraform-calls.md §2.3): every argument is ForceNew,
so there is no update; a change is a destroy and a create.

    resource "alicloud_ecs_disk_attachment" "a" {
      disk_id = alicloud_ecs_disk.d.id  instance_id = alicloud_instance.i.id
    }
"""

from __future__ import annotations

import pytest

from tests.ecsclient import REGION

from .conftest import available_disk
from .replay import Call, Resource, Wait, cycle, destroy_twice
from .services import describe_disk, describe_disk_any

ATTACH_RETRIES = ("IncorrectDiskStatus", "IncorrectInstanceStatus", "OperationConflict", "InternalError",
                  "InvalidOperation.Conflict", "IncorrectDiskStatus.Initializing")

ATTACHMENT = Resource(
    "alicloud_ecs_disk_attachment",
    create=(
        describe_disk(expect={"Disks.Disk[0].DiskId": "{disk_id}"},
                      save={"old_delete_auto_snapshot": "Disks.Disk[0].DeleteAutoSnapshot"}),
        Call("R", "AttachDisk", {"DiskId": "{disk_id}", "InstanceId": "{instance_id}", "Bootable": False,
                                 "DeleteWithInstance": False}, auto_retry=False, retry=ATTACH_RETRIES),
        Wait(describe_disk_any(), "Disks.Disk", "Status", target=("In_use",)),
        # DeleteAutoSnapshot left as it was, or the provider sends ModifyDiskAttribute to put it back.
        describe_disk(expect={"Disks.Disk[0].DeleteAutoSnapshot": "{old_delete_auto_snapshot}"}),
    ),
    # Read drops the attachment unless the disk is on this instance or In_use.
    read=(describe_disk(expect={"Disks.Disk[0].InstanceId": "{instance_id}", "Disks.Disk[0].Status": "In_use",
                                "Disks.Disk[0].Device": lambda device: device.startswith("/dev/")}),),
    delete=(
        Call("R", "DetachDisk", {"DiskId": "{disk_id}", "InstanceId": "{instance_id}", "DeleteWithInstance": False},
             auto_retry=False, retry=("DisksDetachingOnEcsExceeded", *ATTACH_RETRIES),
             ok=("InvalidDisk.AlreadyDetached", "InvalidDiskId.NotFound", "InvalidDiskId.OperationNotSupported",
                 "InvalidInstanceId.NotFound")),
        Wait(describe_disk_any(), "Disks.Disk", "Status", target=("Available",)),
    ),
    # What the next refresh sees: the disk on no instance, so the attachment is gone.
    gone=(describe_disk(expect={"Disks.Disk[0].InstanceId": "", "Disks.Disk[0].Status": "Available"}),),
)


@pytest.fixture
def values(ecs, instance_id) -> dict:
    disk_id = available_disk(ecs, Size=20, DiskCategory="cloud_efficiency")
    return {"region": REGION, "disk_id": disk_id, "instance_id": instance_id}


def test_apply_plan_destroy(wire, values):
    cycle(wire, ATTACHMENT, values)


def test_destroy_twice(wire, values):
    destroy_twice(wire, ATTACHMENT, values)
