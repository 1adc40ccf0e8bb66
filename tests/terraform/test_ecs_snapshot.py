"""``alicloud_ecs_snapshot`` (terraform-calls.md §2.8), of an instance's system disk:

    resource "alicloud_ecs_snapshot" "s" { disk_id = "d-…"  snapshot_name = "tf-snapshot" }
    ... and the same with   description = "made by terraform"  retention_days = 7  tags = { Created = "terraform" }
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.ecsclient import REGION

from .reading import ARRAY, NUMBER, STRING
from .replay import EMPTY, Call, Gone, Resource, Set, Wait, cycle, destroy_twice
from .services import group_update, tags_update

SNAPSHOT_TYPES = {"Snapshots.Snapshot": ARRAY, "Snapshots.Snapshot[].SnapshotId": STRING,
                  "Snapshots.Snapshot[].Status": STRING, "Snapshots.Snapshot[].SourceDiskId": STRING,
                  "Snapshots.Snapshot[].RetentionDays?": NUMBER, "Snapshots.Snapshot[].Tags.Tag": ARRAY}
DESCRIBE = Call("R", "DescribeSnapshots", {"SnapshotIds": '["{snapshot_id}"]', "RegionId": "{region}"},
                types=SNAPSHOT_TYPES, ok=("InvalidResource.NotFound",))
# EcsSnapshotStateRefreshFunc (V2): not found is state "".
ACCOMPLISHED = Wait(DESCRIBE, "Snapshots.Snapshot", "Status", target=("accomplished",), empty_state="")

SNAPSHOT = Resource(
    "alicloud_ecs_snapshot",
    create=(
        Call("R", "CreateSnapshot", {"ClientToken": "{token_CreateSnapshot}", "DiskId": "{disk_id}",
                                     "SnapshotName": "tf-snapshot", "Description": "{description_sent}",
                                     "RetentionDays": "{retention_days_sent}", "Tag": "{tag_sent}"},
             save={"snapshot_id": "SnapshotId"}),
        ACCOMPLISHED,
    ),
    read=(Call("R", "DescribeSnapshots", {"SnapshotIds": '["{snapshot_id}"]', "RegionId": "{region}"},
               found="Snapshots.Snapshot", types=SNAPSHOT_TYPES,
               expect={"Snapshots.Snapshot[0].SnapshotId": "{snapshot_id}",
                       "Snapshots.Snapshot[0].SourceDiskId": "{disk_id}",  # Required + ForceNew
                       "Snapshots.Snapshot[0].SnapshotName": "tf-snapshot",
                       "Snapshots.Snapshot[0].Description": "{description}",
                       "Snapshots.Snapshot[0].ResourceGroupId": "{resource_group_id}",  # Optional, not Computed
                       "Snapshots.Snapshot[0].RetentionDays": "{retention_days}",
                       "Snapshots.Snapshot[0].Status": "accomplished",
                       "Snapshots.Snapshot[0].RegionId": REGION,
                       "Snapshots.Snapshot[0].Tags.Tag": "{tags}"}),),
    update=(
        Set({"description": "changed by terraform"}),
        Call("R", "ModifySnapshotAttribute", {"SnapshotId": "{snapshot_id}", "Description": "{description}"}),
        ACCOMPLISHED,
    ),
    delete=(Call("R", "DeleteSnapshot", {"SnapshotId": "{snapshot_id}"},
                 ok=("InvalidResource.NotFound", "InvalidParameter"), ok_not_found=True),),
    gone=(Gone(DESCRIBE, "Snapshots.Snapshot"),),
)


def configured(disk_id: str, *, description: str | None = None, retention_days: int | None = None,
               tags: dict[str, str] | None = None) -> dict:
    return {"region": REGION, "disk_id": disk_id, "description_sent": description, "description": description or "",
            "retention_days_sent": retention_days, "retention_days": retention_days or EMPTY,
            "tag_sent": [{"Key": k, "Value": v} for k, v in tags.items()] if tags else None,
            "tags": [{"TagKey": k, "TagValue": v} for k, v in (tags or {}).items()], "resource_group_id": EMPTY}


@pytest.fixture
def values(system_disk_id) -> dict:
    return configured(system_disk_id)


def test_description_retention_and_tags_read_back(wire, system_disk_id):
    cycle(wire, SNAPSHOT, configured(system_disk_id, description="made by terraform", retention_days=7,
                                     tags={"Created": "terraform"}))


def test_apply_plan_destroy(wire, values):
    cycle(wire, SNAPSHOT, values)


def test_destroy_twice(wire, values):
    destroy_twice(wire, SNAPSHOT, values)


@pytest.mark.parametrize("update", [tags_update("snapshot", "{snapshot_id}"),
                                    group_update("snapshot", "{snapshot_id}")], ids=["tags", "resource_group_id"])
def test_update_tags_and_group(wire, values, update):
    cycle(wire, dataclasses.replace(SNAPSHOT, update=update), values, update=True)


def test_update_description(wire, values):
    cycle(wire, SNAPSHOT, values, update=True)
