"""``alicloud_ecs_snapshot`` (terraform-calls.md §2.8), of an instance's system disk:

    resource "alicloud_ecs_snapshot" "s" { disk_id = "d-…"  snapshot_name = "tf-snapshot" }
"""

from __future__ import annotations

import pytest

from tests.ecsclient import REGION

from .reading import ARRAY, NUMBER, STRING
from .replay import EMPTY, Call, Gone, Resource, Set, Wait, cycle, destroy_twice

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
                                     "SnapshotName": "tf-snapshot"}, save={"snapshot_id": "SnapshotId"}),
        ACCOMPLISHED,
    ),
    read=(Call("R", "DescribeSnapshots", {"SnapshotIds": '["{snapshot_id}"]', "RegionId": "{region}"},
               found="Snapshots.Snapshot", types=SNAPSHOT_TYPES,
               expect={"Snapshots.Snapshot[0].SnapshotId": "{snapshot_id}",
                       "Snapshots.Snapshot[0].SourceDiskId": "{disk_id}",  # Required + ForceNew
                       "Snapshots.Snapshot[0].SnapshotName": "tf-snapshot",
                       "Snapshots.Snapshot[0].Description": "{description}",
                       "Snapshots.Snapshot[0].ResourceGroupId": EMPTY,  # Optional, not Computed
                       "Snapshots.Snapshot[0].RetentionDays": EMPTY,
                       "Snapshots.Snapshot[0].Status": "accomplished",
                       "Snapshots.Snapshot[0].RegionId": REGION,
                       "Snapshots.Snapshot[0].Tags.Tag": []}),),
    update=(
        Set({"description": "changed by terraform"}),
        Call("R", "ModifySnapshotAttribute", {"SnapshotId": "{snapshot_id}", "Description": "{description}"}),
        ACCOMPLISHED,
    ),
    delete=(Call("R", "DeleteSnapshot", {"SnapshotId": "{snapshot_id}"},
                 ok=("InvalidResource.NotFound", "InvalidParameter"), ok_not_found=True),),
    gone=(Gone(DESCRIBE, "Snapshots.Snapshot"),),
)


@pytest.fixture
def values(system_disk_id) -> dict:
    return {"region": REGION, "disk_id": system_disk_id, "description": ""}


def test_apply_plan_destroy(wire, values):
    cycle(wire, SNAPSHOT, values)


def test_destroy_twice(wire, values):
    destroy_twice(wire, SNAPSHOT, values)


@pytest.mark.needs_merge("ModifySnapshotAttribute")
def test_update_description(wire, values):
    cycle(wire, SNAPSHOT, values, update=True)
