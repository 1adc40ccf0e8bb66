"""``alicloud_ecs_auto_snapshot_policy`` (terraform-calls.md §2.10):

    resource "alicloud_ecs_auto_snapshot_policy" "p" {
      name = "tf-asp"  time_points = ["0", "1"]  repeat_weekdays = ["1", "7"]  retention_days = 7
    }
    ... and the same with   enable_cross_region_copy = true  target_copy_regions = ["cn-shanghai"]
                            copied_snapshots_retention_days = 3  tags = { Created = "terraform" }

The updates: the name and the retention (ModifyAutoSnapshotPolicyEx, lower-case names), the
tags (TagResources) and the resource group (JoinResourceGroup), ``ResourceType=snapshotpolicy``.
The provider reads TimePoints, RepeatWeekdays and TargetCopyRegions as JSON-array strings,
and CopyEncryptionConfiguration as an object.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.ecsclient import REGION

from .reading import ARRAY, BOOL, NUMBER, OBJECT, STRING
from .replay import EMPTY, Call, Gone, Resource, Set, cycle, destroy_twice
from .services import group_update, tags_update

POLICIES = "AutoSnapshotPolicies.AutoSnapshotPolicy"
TYPES = {POLICIES: ARRAY, f"{POLICIES}[].AutoSnapshotPolicyId": STRING, f"{POLICIES}[].Status": STRING,
         f"{POLICIES}[].TimePoints": STRING, f"{POLICIES}[].RepeatWeekdays": STRING,
         f"{POLICIES}[].TargetCopyRegions": STRING, f"{POLICIES}[].RetentionDays": NUMBER,
         f"{POLICIES}[].CopiedSnapshotsRetentionDays": NUMBER, f"{POLICIES}[].EnableCrossRegionCopy": BOOL,
         f"{POLICIES}[].CopyEncryptionConfiguration": OBJECT, f"{POLICIES}[].Tags.Tag": ARRAY}
DESCRIBE = Call("R", "DescribeAutoSnapshotPolicyEx", {"AutoSnapshotPolicyId": "{policy_id}", "RegionId": "{region}"},
                types=TYPES)

POLICY = Resource(
    "alicloud_ecs_auto_snapshot_policy",
    create=(Call("R", "CreateAutoSnapshotPolicy", {
        "regionId": "{region}", "autoSnapshotPolicyName": "{name}", "retentionDays": "{retention_days}",
        "timePoints": '["0","1"]', "repeatWeekdays": '["1","7"]', "EnableCrossRegionCopy": "{cross_region}",
        "CopiedSnapshotsRetentionDays": "{copied_days_sent}", "TargetCopyRegions": "{copy_regions_sent}",
        "Tag": "{tag_sent}"}, save={"policy_id": "AutoSnapshotPolicyId"}),),
    read=(Call("R", "DescribeAutoSnapshotPolicyEx", {"AutoSnapshotPolicyId": "{policy_id}", "RegionId": "{region}"},
               found=POLICIES, types=TYPES,
               expect={f"{POLICIES}[0].AutoSnapshotPolicyName": "{name}",
                       f"{POLICIES}[0].RetentionDays": "{retention_days}",
                       f"{POLICIES}[0].TimePoints": '["0","1"]',
                       f"{POLICIES}[0].RepeatWeekdays": '["1","7"]',
                       f"{POLICIES}[0].EnableCrossRegionCopy": "{cross_region}",
                       f"{POLICIES}[0].TargetCopyRegions": "{copy_regions}",
                       f"{POLICIES}[0].CopiedSnapshotsRetentionDays": "{copied_days}",
                       f"{POLICIES}[0].CopyEncryptionConfiguration.Encrypted": False,
                       f"{POLICIES}[0].CopyEncryptionConfiguration.KMSKeyId": "",
                       f"{POLICIES}[0].RegionId": REGION,
                       f"{POLICIES}[0].Status": "Normal",
                       f"{POLICIES}[0].ResourceGroupId": "{resource_group_id}",
                       f"{POLICIES}[0].Tags.Tag": "{tags}"}),),
    update=(
        Set({"name": "tf-asp-renamed", "retention_days": 30}),
        Call("R", "ModifyAutoSnapshotPolicyEx", {"autoSnapshotPolicyId": "{policy_id}", "regionId": "{region}",
                                                 "autoSnapshotPolicyName": "{name}",
                                                 "retentionDays": "{retention_days}"}),
    ),
    delete=(Call("R", "DeleteAutoSnapshotPolicy", {"autoSnapshotPolicyId": "{policy_id}", "regionId": "{region}"},
                 ok_not_found=True),),
    gone=(Gone(DESCRIBE, POLICIES),),
)


def configured(*, cross_region: bool = False, tags: dict[str, str] | None = None) -> dict:
    return {"region": REGION, "name": "tf-asp", "retention_days": 7, "cross_region": cross_region,
            "copied_days_sent": 3 if cross_region else None, "copied_days": 3 if cross_region else -1,
            "copy_regions_sent": '["cn-shanghai"]' if cross_region else None,
            "copy_regions": '["cn-shanghai"]' if cross_region else "[]",
            "tag_sent": [{"Key": k, "Value": v} for k, v in tags.items()] if tags else None,
            "tags": [{"TagKey": k, "TagValue": v} for k, v in (tags or {}).items()], "resource_group_id": EMPTY}


def test_apply_plan_destroy(wire):
    cycle(wire, POLICY, configured())


def test_cross_region_settings_and_tags_read_back(wire):
    cycle(wire, POLICY, configured(cross_region=True, tags={"Created": "terraform"}))


def test_update_name_and_retention(wire):
    cycle(wire, POLICY, configured(), update=True)


def test_destroy_twice(wire):
    destroy_twice(wire, POLICY, configured())


@pytest.mark.parametrize("update", [tags_update("snapshotpolicy", "{policy_id}"),
                                    group_update("snapshotpolicy", "{policy_id}")], ids=["tags", "resource_group_id"])
def test_update_tags_and_group(wire, update):
    cycle(wire, dataclasses.replace(POLICY, update=update), configured(), update=True)
