"""Automatic snapshot policies through both official Python SDKs, on each store: what a policy
records and answers, every error the six actions declare, the disks' fields that follow, and
policies that really fire on the emulator's clock (the issue's acceptance scenario)."""

from __future__ import annotations

import json
import re
import time

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from aliyunsdkecs.request.v20140526.ApplyAutoSnapshotPolicyRequest import ApplyAutoSnapshotPolicyRequest
from aliyunsdkecs.request.v20140526.CreateAutoSnapshotPolicyRequest import CreateAutoSnapshotPolicyRequest
from aliyunsdkecs.request.v20140526.DescribeAutoSnapshotPolicyExRequest import DescribeAutoSnapshotPolicyExRequest
from Tea.exceptions import TeaException

from ecsemu.config import Config
from ecsemu.domain.auto_snapshot_policies import MAX_DISKS_PER_CALL
from ecsemu.testing import EmulatorServer
from ecsemu.timing import Delays
from tests.ecsclient import REGION, ZONE, Ecs, advance

OTHER_REGION = "cn-shanghai"
DAY = 86400
AUTO_NAME = re.compile(r"auto_(\d{8})_(\d+)")


def create(ecs: Ecs, region: str = REGION, **params) -> str:
    sent = {"regionId": region, "timePoints": ["2"], "repeatWeekdays": ["1", "2", "3", "4", "5", "6", "7"],
            "retentionDays": -1, **params}
    return ecs("CreateAutoSnapshotPolicy", **sent)["AutoSnapshotPolicyId"]


def policy(ecs: Ecs, policy_id: str, region: str = REGION) -> dict:
    found = ecs("DescribeAutoSnapshotPolicyEx", RegionId=region,
                AutoSnapshotPolicyId=policy_id)["AutoSnapshotPolicies"]["AutoSnapshotPolicy"]
    assert len(found) == 1, found
    return found[0]


def used_disk(ecs: Ecs) -> str:
    """A data disk attached once and detached (Available, may take a policy and fire)."""
    instance_id = ecs.run_instance()
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    ecs("AttachDisk", DiskId=disk_id, InstanceId=instance_id)
    return disk_id


def auto_snapshots(ecs: Ecs, disk_id: str | None = None) -> list[dict]:
    params = {"RegionId": REGION, "SnapshotType": "auto", "PageSize": 100}
    if disk_id:
        params["DiskId"] = disk_id
    return ecs("DescribeSnapshots", **params)["Snapshots"]["Snapshot"]


# --- what a policy records, through both SDKs ---------------------------------------------------

def test_created_with_the_old_sdk_and_read_back(ecs):
    request = CreateAutoSnapshotPolicyRequest()   # the typed request: lower-case names, RegionId added
    request.set_autoSnapshotPolicyName("nightly")
    request.set_timePoints('["0","1"]')
    request.set_repeatWeekdays('["1","7"]')
    request.set_retentionDays(30)
    request.set_EnableCrossRegionCopy(True)
    request.set_TargetCopyRegions('["cn-shanghai"]')
    request.set_CopiedSnapshotsRetentionDays(7)
    request.set_CopyEncryptionConfiguration({"Encrypted": True, "KMSKeyId": "key-1"})
    request.set_Tags([{"Key": "team", "Value": "storage"}])
    policy_id = ecs.send(request)["AutoSnapshotPolicyId"]
    assert policy_id.startswith("sp-bp")

    described = DescribeAutoSnapshotPolicyExRequest()
    described.set_AutoSnapshotPolicyId(policy_id)
    body = ecs.send(described)
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (1, 1, 10)
    seen = body["AutoSnapshotPolicies"]["AutoSnapshotPolicy"][0]
    # JSON-array strings, as the Terraform provider reads them; the encryption an object
    assert (seen["TimePoints"], seen["RepeatWeekdays"], seen["TargetCopyRegions"]) == \
        ('["0","1"]', '["1","7"]', '["cn-shanghai"]')
    assert seen["CopyEncryptionConfiguration"] == {"Encrypted": True, "KMSKeyId": "key-1"}
    assert (seen["AutoSnapshotPolicyId"], seen["AutoSnapshotPolicyName"], seen["RegionId"]) == \
        (policy_id, "nightly", REGION)
    assert (seen["RetentionDays"], seen["CopiedSnapshotsRetentionDays"], seen["EnableCrossRegionCopy"]) == \
        (30, 7, True)
    assert (seen["Status"], seen["Type"], seen["DiskNums"], seen["VolumeNums"]) == ("Normal", "Custom", 0, 0)
    assert seen["Tags"] == {"Tag": [{"TagKey": "team", "TagValue": "storage"}]}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", seen["CreationTime"])


def test_the_whole_life_through_the_tea_sdk(ecs):
    client = ecs.tea()
    created = client.create_auto_snapshot_policy(ecs_models.CreateAutoSnapshotPolicyRequest(
        region_id=REGION, auto_snapshot_policy_name="tea-policy", time_points='["3"]', repeat_weekdays='["2"]',
        retention_days=5))
    policy_id = created.body.auto_snapshot_policy_id
    client.modify_auto_snapshot_policy_ex(ecs_models.ModifyAutoSnapshotPolicyExRequest(
        region_id=REGION, auto_snapshot_policy_id=policy_id, auto_snapshot_policy_name="renamed",
        time_points='["4","5"]', retention_days=-1))
    seen = client.describe_auto_snapshot_policy_ex(ecs_models.DescribeAutoSnapshotPolicyExRequest(
        region_id=REGION, auto_snapshot_policy_id=policy_id)).body.auto_snapshot_policies.auto_snapshot_policy[0]
    assert (seen.auto_snapshot_policy_name, seen.time_points, seen.repeat_weekdays, seen.retention_days) == \
        ("renamed", '["4","5"]', '["2"]', -1)

    disk_id = used_disk(ecs)
    client.apply_auto_snapshot_policy(ecs_models.ApplyAutoSnapshotPolicyRequest(
        region_id=REGION, auto_snapshot_policy_id=policy_id, disk_ids=json.dumps([disk_id])))
    disk = ecs.disk(disk_id)
    assert (disk["AutoSnapshotPolicyId"], disk["EnableAutomatedSnapshotPolicy"], disk["EnableAutoSnapshot"]) == \
        (policy_id, True, True)
    assert policy(ecs, policy_id)["DiskNums"] == 1
    client.cancel_auto_snapshot_policy(ecs_models.CancelAutoSnapshotPolicyRequest(
        region_id=REGION, disk_ids=json.dumps([disk_id])))
    assert (ecs.disk(disk_id)["AutoSnapshotPolicyId"], ecs.disk(disk_id)["EnableAutomatedSnapshotPolicy"]) == \
        ("", False)
    client.delete_auto_snapshot_policy(ecs_models.DeleteAutoSnapshotPolicyRequest(
        region_id=REGION, auto_snapshot_policy_id=policy_id))
    assert ecs("DescribeAutoSnapshotPolicyEx", RegionId=REGION,
               AutoSnapshotPolicyId=policy_id)["AutoSnapshotPolicies"]["AutoSnapshotPolicy"] == []


def test_apply_replaces_a_disks_policy_and_delete_takes_it_off(ecs):
    first, second = create(ecs), create(ecs)
    disk_id = used_disk(ecs)
    request = ApplyAutoSnapshotPolicyRequest()     # the old SDK's typed request
    request.set_autoSnapshotPolicyId(first)
    request.set_diskIds(json.dumps([disk_id]))
    ecs.send(request)
    ecs("ApplyAutoSnapshotPolicy", regionId=REGION, autoSnapshotPolicyId=second, diskIds=[disk_id])
    assert ecs.disk(disk_id)["AutoSnapshotPolicyId"] == second
    assert (policy(ecs, first)["DiskNums"], policy(ecs, second)["DiskNums"]) == (0, 1)
    listed = ecs("DescribeDisks", RegionId=REGION, AutoSnapshotPolicyId=second)["Disks"]["Disk"]
    assert [d["DiskId"] for d in listed] == [disk_id]
    assert disk_id in [d["DiskId"] for d in ecs("DescribeDisks", RegionId=REGION, EnableAutomatedSnapshotPolicy=True,
                                                 PageSize=100)["Disks"]["Disk"]]
    # cancelling another policy than the disk's leaves it
    ecs("CancelAutoSnapshotPolicy", regionId=REGION, autoSnapshotPolicyId=first, diskIds=[disk_id])
    assert ecs.disk(disk_id)["AutoSnapshotPolicyId"] == second
    ecs("DeleteAutoSnapshotPolicy", regionId=REGION, autoSnapshotPolicyId=second)
    assert ecs.disk(disk_id)["AutoSnapshotPolicyId"] == ""


def test_describe_filters_and_pages(ecs):
    made = [create(ecs, OTHER_REGION, autoSnapshotPolicyName=f"page-{n}",
                   **{"Tag.1.Key": "set", "Tag.1.Value": "paged"}) for n in range(3)]
    listed = ecs("DescribeAutoSnapshotPolicyEx", RegionId=OTHER_REGION, PageSize=2, PageNumber=2,
                 **{"Tag.1.Key": "set", "Tag.1.Value": "paged"})
    assert listed["TotalCount"] == 3
    assert [p["AutoSnapshotPolicyId"] for p in listed["AutoSnapshotPolicies"]["AutoSnapshotPolicy"]] == made[2:]
    named = ecs("DescribeAutoSnapshotPolicyEx", RegionId=OTHER_REGION, AutoSnapshotPolicyName="page-1")
    assert [p["AutoSnapshotPolicyId"] for p in named["AutoSnapshotPolicies"]["AutoSnapshotPolicy"]] == [made[1]]
    assert ecs("DescribeAutoSnapshotPolicyEx", RegionId=REGION,
               AutoSnapshotPolicyId=made[0])["AutoSnapshotPolicies"]["AutoSnapshotPolicy"] == []


# --- every error the actions declare -----------------------------------------------------------

@pytest.mark.parametrize(("params", "expected"), [
    ({"autoSnapshotPolicyName": "1starts-with-a-digit"}, ("InvalidSnapshotPolicyName.Malformed", 400)),
    ({"autoSnapshotPolicyName": "http://x"}, ("InvalidSnapshotPolicyName.Malformed", 400)),
    ({"timePoints": ["24"]}, ("ParameterInvalid", 403)),
    ({"timePoints": "not json"}, ("ParameterInvalid", 403)),
    ({"timePoints": []}, ("ParameterInvalid", 403)),
    ({"repeatWeekdays": ["0"]}, ("ParameterInvalid", 403)),
    ({"repeatWeekdays": ["8"]}, ("ParameterInvalid", 403)),
    ({"retentionDays": 0}, ("ParameterInvalid", 403)),
    ({"retentionDays": 65537}, ("ParameterInvalid", 403)),
    ({"retentionDays": "a week"}, ("ParameterInvalid", 403)),
    ({"regionId": "mars-1"}, ("ParameterInvalid", 403)),
    ({"TargetCopyRegions": ["mars-1"]}, ("InvalidParameter.TargetCopyRegions", 403)),
    ({"TargetCopyRegions": ["cn-shanghai", "cn-beijing"]}, ("InvalidParameter.TargetCopyRegions", 403)),
    ({"CopiedSnapshotsRetentionDays": 0}, ("InvalidParameter.CopiedSnapshotsRetentionDays", 403)),
    ({"CopyEncryptionConfiguration.KMSKeyId": "key-1", "CopyEncryptionConfiguration.Encrypted": False},
     ("InvalidParameter.EncryptedIllegal", 400)),
    ({"Tag.1.Key": "aliyun-x", "Tag.1.Value": "v"}, ("InvalidTagKey.Malformed", 400)),
    ({"Tag.1.Key": "k", "Tag.1.Value": "http://v"}, ("InvalidTagValue.Malformed", 400)),
    ({"Tag.1.Key": "k", "Tag.2.Key": "k"}, ("Duplicate.TagKey", 400)),
    ({"ResourceGroupId": "rg-NOT_A_GROUP"}, ("InvalidResourceGroup.NotFound", 404)),
    ({"TargetTags.1.Key": "env"}, ("UnsupportedParameter", 400)),
    ({"AssociationType": "AssociatedWithInstanceTag"}, ("UnsupportedParameter", 400)),
    ({"StorageLocationArn": "arn"}, ("UnsupportedParameter", 400)),
])
def test_create_refuses_and_makes_nothing(ecs, params, expected):
    before = ecs("DescribeAutoSnapshotPolicyEx", RegionId=REGION)["TotalCount"]
    sent = {"regionId": REGION, "timePoints": ["2"], "repeatWeekdays": ["1"], "retentionDays": 7, **params}
    assert ecs.error("CreateAutoSnapshotPolicy", **sent)[:2] == expected
    assert ecs("DescribeAutoSnapshotPolicyEx", RegionId=REGION)["TotalCount"] == before


def test_the_refusals_the_message_tells_apart(ecs):
    from aliyunsdkcore.acs_exception.exceptions import ServerException

    def message(**params):
        try:
            create(ecs, **params)
        except ServerException as exc:
            return exc.get_error_msg()
        raise AssertionError("created")
    assert message(timePoints=["x"]) == "The specified TimePoints parameter is invalid."
    assert message(repeatWeekdays=["x"]) == "The specified RepeatWeekDays parameter is invalid."
    assert message(retentionDays=-2) == "The specified RetentionDays parameter is invalid."
    assert message(regionId="mars-1") == "The specified RegionId parameter is invalid."


def test_required_parameters(ecs):
    assert ecs.error("CreateAutoSnapshotPolicy", regionId=REGION, repeatWeekdays=["1"],
                     retentionDays=1) == ("MissingParameter", 400)
    with pytest.raises(TeaException) as raised:    # the tea SDK adds no RegionId of its own
        ecs.tea().create_auto_snapshot_policy(ecs_models.CreateAutoSnapshotPolicyRequest(
            time_points='["1"]', repeat_weekdays='["1"]', retention_days=1))
    assert (raised.value.code, raised.value.status_code) == ("MissingParameter", 400)
    for action in ("DeleteAutoSnapshotPolicy", "ApplyAutoSnapshotPolicy", "CancelAutoSnapshotPolicy"):
        with pytest.raises(TeaException) as raised:
            getattr(ecs.tea(), {"DeleteAutoSnapshotPolicy": "delete_auto_snapshot_policy",
                                "ApplyAutoSnapshotPolicy": "apply_auto_snapshot_policy",
                                "CancelAutoSnapshotPolicy": "cancel_auto_snapshot_policy"}[action])(
                getattr(ecs_models, f"{action}Request")(auto_snapshot_policy_id="sp-x", **(
                    {} if action == "DeleteAutoSnapshotPolicy" else {"disk_ids": '["d-x"]'})))
        assert (raised.value.code, raised.value.status_code) == ("MissingParameter", 400)
    assert ecs.error("ModifyAutoSnapshotPolicyEx", regionId=REGION) == ("MissingParameter", 400)
    assert ecs.error("ApplyAutoSnapshotPolicy", regionId=REGION, autoSnapshotPolicyId="sp-x") == \
        ("MissingParameter", 400)


def test_policy_not_found_and_in_another_region(ecs):
    policy_id = create(ecs)
    disk_id = used_disk(ecs)
    for action, extra in (("ModifyAutoSnapshotPolicyEx", {"retentionDays": 3}), ("DeleteAutoSnapshotPolicy", {}),
                          ("ApplyAutoSnapshotPolicy", {"diskIds": [disk_id]})):
        assert ecs.error(action, regionId=REGION, autoSnapshotPolicyId="sp-nothing", **extra) == \
            ("ParameterInvalid", 404)
        assert ecs.error(action, regionId=OTHER_REGION, autoSnapshotPolicyId=policy_id, **extra) == \
            ("ParameterInvalid", 404)
    assert policy(ecs, policy_id)["RetentionDays"] == -1
    assert ecs.disk(disk_id)["AutoSnapshotPolicyId"] == ""


def test_modify_refuses_bad_settings_and_keeps_the_policy(ecs):
    policy_id = create(ecs, autoSnapshotPolicyName="kept")
    for params, expected in (({"timePoints": ["-1"]}, ("ParameterInvalid", 403)),
                             ({"repeatWeekdays": ["9"]}, ("ParameterInvalid", 403)),
                             ({"retentionDays": 0}, ("ParameterInvalid", 403)),
                             ({"autoSnapshotPolicyName": "_x"}, ("InvalidSnapshotPolicyName.Malformed", 400)),
                             ({"TargetCopyRegions": ["mars-1"]}, ("InvalidParameter.TargetCopyRegions", 403)),
                             ({"CopiedSnapshotsRetentionDays": 65536},
                              ("InvalidParameter.CopiedSnapshotsRetentionDays", 403)),
                             ({"CopyEncryptionConfiguration.KMSKeyId": "k"},
                              ("InvalidParameter.EncryptedIllegal", 400))):
        assert ecs.error("ModifyAutoSnapshotPolicyEx", regionId=REGION, autoSnapshotPolicyId=policy_id,
                         **params) == expected
    seen = policy(ecs, policy_id)
    assert (seen["AutoSnapshotPolicyName"], seen["TimePoints"], seen["RetentionDays"]) == ("kept", '["2"]', -1)


def test_disk_ids_refused(ecs):
    policy_id = create(ecs)
    disk_id = used_disk(ecs)
    for action in ("ApplyAutoSnapshotPolicy", "CancelAutoSnapshotPolicy"):
        assert ecs.error(action, regionId=REGION, autoSnapshotPolicyId=policy_id, diskIds=[]) == \
            ("ParameterInvalid", 403)
        assert ecs.error(action, regionId=REGION, autoSnapshotPolicyId=policy_id, diskIds="d-1,d-2") == \
            ("ParameterInvalid", 403)
        too_many = [f"d-{n}" for n in range(MAX_DISKS_PER_CALL + 1)]
        assert ecs.error(action, regionId=REGION, autoSnapshotPolicyId=policy_id, diskIds=too_many) == \
            ("ParameterInvalid", 403)
    assert ecs.error("ApplyAutoSnapshotPolicy", regionId=REGION, autoSnapshotPolicyId=policy_id,
                     diskIds=[disk_id, "d-nothing"]) == ("InvalidDiskId.NotFound", 404)
    assert ecs.disk(disk_id)["AutoSnapshotPolicyId"] == ""      # none of them took it
    other_region_policy = create(ecs, OTHER_REGION)
    assert ecs.error("ApplyAutoSnapshotPolicy", regionId=OTHER_REGION, autoSnapshotPolicyId=other_region_policy,
                     diskIds=[disk_id]) == ("InvalidDiskId.NotFound", 404)
    assert ecs.error("CancelAutoSnapshotPolicy", regionId=REGION, diskIds=["d-nothing"]) == \
        ("InvalidDiskId.NotFound", 404)


def test_describe_refuses_a_page_too_large(ecs):
    assert ecs.error("DescribeAutoSnapshotPolicyEx", RegionId=REGION, PageSize=101) == ("InvalidParameter", 400)
    assert ecs.error("DescribeAutoSnapshotPolicyEx", RegionId="mars-1") == ("InvalidRegionId.NotFound", 404)


def test_at_most_100_policies_a_region(ecs):
    region = "cn-qingdao"
    for _ in range(100):
        create(ecs, region)
    assert ecs.error("CreateAutoSnapshotPolicy", regionId=region, timePoints=["1"], repeatWeekdays=["1"],
                     retentionDays=1) == ("AutoSnapshotPolicy.QuotaExceed", 403)
    assert ecs("DescribeAutoSnapshotPolicyEx", RegionId=region)["TotalCount"] == 100
    create(ecs, "cn-beijing")   # another region counts apart


# --- policies that fire -------------------------------------------------------------------------

def test_acceptance_two_disks_three_days_then_a_shorter_retention(manual):
    """TimePoints ["2"] on two disks; three days → six auto_yyyyMMdd_N snapshots; RetentionDays
    set to 2 and one more day → only the newest four remain; ReInitDisk of a disk made
    from a released one answers the seed's error."""
    instance_id = manual.run_instance(**{"DataDisk.1.Size": 20, "DataDisk.1.Category": "cloud_essd"})
    advance(manual, 3)
    pair = [d["DiskId"] for d in manual.disks_of(instance_id)]
    assert len(pair) == 2
    policy_id = create(manual, timePoints=["2"])
    manual("ApplyAutoSnapshotPolicy", regionId=REGION, autoSnapshotPolicyId=policy_id, diskIds=pair)

    advance(manual, 3 * DAY)
    made = auto_snapshots(manual)
    assert len(made) == 6
    for disk_id in pair:
        own = [s for s in made if s["SourceDiskId"] == disk_id]
        names = [AUTO_NAME.fullmatch(s["SnapshotName"]) for s in own]
        assert all(names) and len({m.group(1) for m in names}) == 3 and {m.group(2) for m in names} == {"1"}
        assert {(s["SnapshotType"], s["Status"], s["RetentionDays"]) for s in own} == {("auto", "accomplished", 0)}
        # each at 02:00 UTC+8, that is 18:00 UTC the day before
        assert {s["CreationTime"][11:] for s in own} == {"18:00:00Z"}
    assert manual("DescribeSnapshots", RegionId=REGION, SnapshotType="user")["Snapshots"]["Snapshot"] == []

    # a disk made from the oldest one, attached to the instance
    oldest = min(made, key=lambda s: s["CreationTime"])
    from_oldest = manual("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=oldest["SnapshotId"])["DiskId"]
    advance(manual, 1)
    manual("AttachDisk", DiskId=from_oldest, InstanceId=instance_id)
    advance(manual, 1)

    manual("ModifyAutoSnapshotPolicyEx", regionId=REGION, autoSnapshotPolicyId=policy_id, retentionDays=2)
    advance(manual, DAY)
    kept = auto_snapshots(manual)
    assert len(kept) == 4
    released = [s for s in made if s["SnapshotId"] not in {k["SnapshotId"] for k in kept}]
    assert len(released) == 4 and oldest in released           # the two oldest days, both disks
    kept_times = {s["CreationTime"] for s in kept}
    assert len(kept_times) == 2 and min(kept_times) > max(s["CreationTime"] for s in released)
    assert {s["RetentionDays"] for s in kept} == {2}

    manual("StopInstance", InstanceId=instance_id)
    advance(manual, 10)
    assert manual.error("ReInitDisk", DiskId=from_oldest) == ("OperationDenied", 403)


def test_weekdays_hours_and_the_disks_that_take_snapshots(manual):
    instance_id = manual.run_instance()
    advance(manual, 3)
    system_disk = manual.disks_of(instance_id)[0]["DiskId"]
    unused = manual("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]   # never attached
    off = manual("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    advance(manual, 1)
    manual("AttachDisk", DiskId=off, InstanceId=instance_id)
    advance(manual, 1)
    policy_id = create(manual, timePoints=["0", "12"], repeatWeekdays=["3"])   # Wednesdays, twice
    manual("ApplyAutoSnapshotPolicy", regionId=REGION, autoSnapshotPolicyId=policy_id,
           diskIds=[system_disk, unused, off])
    manual("ModifyDiskAttribute", DiskId=off, EnableAutoSnapshot=False)
    advance(manual, 7 * DAY)
    assert auto_snapshots(manual, unused) == [] and auto_snapshots(manual, off) == []
    made = auto_snapshots(manual, system_disk)
    assert len(made) == 2
    assert sorted(AUTO_NAME.fullmatch(s["SnapshotName"]).group(2) for s in made) == ["1", "2"]
    assert len({AUTO_NAME.fullmatch(s["SnapshotName"]).group(1) for s in made}) == 1
    assert sorted(s["CreationTime"][11:] for s in made) == ["04:00:00Z", "16:00:00Z"]
    # cancelled, it fires no more; its snapshots stay
    manual("CancelAutoSnapshotPolicy", regionId=REGION, diskIds=[system_disk])
    advance(manual, 7 * DAY)
    assert len(auto_snapshots(manual, system_disk)) == 2


def test_a_released_disk_takes_its_automatic_snapshots_when_it_says_so(manual):
    instance_id = manual.run_instance()
    advance(manual, 3)
    keeps, drops = (manual("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"] for _ in range(2))
    advance(manual, 1)
    for disk_id in (keeps, drops):
        manual("AttachDisk", DiskId=disk_id, InstanceId=instance_id)
    advance(manual, 1)
    manual("ModifyDiskAttribute", DiskId=drops, DeleteAutoSnapshot=True)
    by_hand = manual("CreateSnapshot", DiskId=drops)["SnapshotId"]
    policy_id = create(manual)
    manual("ApplyAutoSnapshotPolicy", regionId=REGION, autoSnapshotPolicyId=policy_id, diskIds=[keeps, drops])
    advance(manual, DAY)
    kept_auto = auto_snapshots(manual, keeps)
    assert len(kept_auto) == 1 and len(auto_snapshots(manual, drops)) == 1
    for disk_id in (keeps, drops):
        manual("DetachDisk", DiskId=disk_id, InstanceId=instance_id)
    advance(manual, 1)
    for disk_id in (keeps, drops):
        manual("DeleteDisk", DiskId=disk_id)
    left = manual("DescribeSnapshots", RegionId=REGION, PageSize=100)["Snapshots"]["Snapshot"]
    assert {s["SnapshotId"] for s in left} >= {kept_auto[0]["SnapshotId"], by_hand}
    assert [s for s in left if s["SourceDiskId"] == drops] == [
        next(s for s in left if s["SnapshotId"] == by_hand)]     # its manual snapshot stays
    assert policy(manual, policy_id)["DiskNums"] == 0


def test_tags_and_resource_group_of_a_policy(ecs):
    policy_id = create(ecs)
    ecs("TagResources", RegionId=REGION, ResourceType="snapshotpolicy",
        **{"ResourceId.1": policy_id, "Tag.1.Key": "env", "Tag.1.Value": "prod"})
    ecs("JoinResourceGroup", RegionId=REGION, ResourceType="snapshotpolicy", ResourceId=policy_id,
        ResourceGroupId="rg-acfmxazb4ph6aiy")
    seen = policy(ecs, policy_id)
    assert (seen["Tags"], seen["ResourceGroupId"]) == ({"Tag": [{"TagKey": "env", "TagValue": "prod"}]},
                                                       "rg-acfmxazb4ph6aiy")
    listed = ecs("DescribeAutoSnapshotPolicyEx", RegionId=REGION, ResourceGroupId="rg-acfmxazb4ph6aiy")
    assert [p["AutoSnapshotPolicyId"] for p in listed["AutoSnapshotPolicies"]["AutoSnapshotPolicy"]] == [policy_id]
    ecs("DeleteAutoSnapshotPolicy", regionId=REGION, autoSnapshotPolicyId=policy_id)
    assert ecs("ListTagResources", RegionId=REGION, ResourceType="snapshotpolicy",
               **{"ResourceId.1": policy_id})["TagResources"]["TagResource"] == []


def test_a_disk_keeps_at_most_1000_automatic_snapshots(manual):
    instance_id = manual.run_instance()
    advance(manual, 3)
    disk_id = manual.disks_of(instance_id)[0]["DiskId"]
    manual("CreateSnapshot", DiskId=disk_id)         # manual snapshots count apart
    advance(manual, 10)
    policy_id = create(manual, timePoints=[str(hour) for hour in range(24)])
    manual("ApplyAutoSnapshotPolicy", regionId=REGION, autoSnapshotPolicyId=policy_id, diskIds=[disk_id])
    advance(manual, 1000 * 3600)
    first = manual("DescribeSnapshots", RegionId=REGION, DiskId=disk_id, SnapshotType="auto", PageSize=1)
    assert first["TotalCount"] == 1000
    oldest = first["Snapshots"]["Snapshot"][0]
    advance(manual, 3600)
    after = manual("DescribeSnapshots", RegionId=REGION, DiskId=disk_id, SnapshotType="auto", PageSize=1)
    assert after["TotalCount"] == 1000
    assert after["Snapshots"]["Snapshot"][0]["SnapshotId"] != oldest["SnapshotId"]
    assert manual("DescribeSnapshots", RegionId=REGION, DiskId=disk_id, SnapshotType="user")["TotalCount"] == 1
    manual("CreateSnapshot", DiskId=disk_id)         # the manual quota is not the automatic one's


def test_an_instances_new_disks_take_a_policy(ecs):
    policy_id = create(ecs)
    instance_id = ecs.run_instance(**{"SystemDisk.AutoSnapshotPolicyId": policy_id, "DataDisk.1.Size": 20,
                                      "DataDisk.1.AutoSnapshotPolicyId": policy_id, "DataDisk.2.Size": 20})
    taken = {d["Type"] + str(d["Device"]): d["AutoSnapshotPolicyId"] for d in ecs.disks_of(instance_id)}
    assert sorted(taken.values()) == ["", policy_id, policy_id]
    assert policy(ecs, policy_id)["DiskNums"] == 2


def test_a_new_disks_policy_must_be_of_the_region(ecs):
    elsewhere = create(ecs, OTHER_REGION)
    before = len(ecs("DescribeDisks", RegionId=REGION, PageSize=100)["Disks"]["Disk"])
    assert ecs.error("RunInstances", RegionId=REGION, ImageId="ubuntu_22_04_x64_20G_alibase_20240926.vhd",
                     InstanceType="ecs.g7.large", SecurityGroupId=ecs.security_group(), VSwitchId=ecs.vswitch(),
                     **{"SystemDisk.AutoSnapshotPolicyId": "sp-nothing"}) == \
        ("InvalidAutoSnapshotPolicyId.NotFound", 404)
    assert ecs.error("RunInstances", RegionId=REGION, ImageId="ubuntu_22_04_x64_20G_alibase_20240926.vhd",
                     InstanceType="ecs.g7.large", SecurityGroupId=ecs.security_group(), VSwitchId=ecs.vswitch(),
                     **{"DataDisk.1.Size": 20, "DataDisk.1.AutoSnapshotPolicyId": elsewhere}) == \
        ("InvalidAutoSnapshotPolicyId.NotFound", 404)
    assert len(ecs("DescribeDisks", RegionId=REGION, PageSize=100)["Disks"]["Disk"]) == before


class _WallClockBeforeATimePoint:
    """Real time, shifted so that 02:00 UTC+8 comes ``seconds`` after the clock is made."""

    def __init__(self, seconds: float) -> None:
        now = time.time()
        two_am_utc8 = (now + 8 * 3600) // DAY * DAY + 2 * 3600 - 8 * 3600   # today's 02:00 UTC+8, as UTC
        self._offset = two_am_utc8 - seconds - now
        self.time_point = two_am_utc8

    def now(self) -> float:
        return time.time() + self._offset


def test_realistic_mode_fires_at_wall_time_between_requests(store):
    """No request after the time point: the background tick makes the snapshot, through the
    same catch-up as every request's."""
    clock = _WallClockBeforeATimePoint(8.0)   # room for the set-up on a busy machine
    config = Config(transitions="realistic", delays=Delays().zero(), **store())
    with EmulatorServer(config, clock=clock) as server:
        ecs = Ecs(server)
        instance_id = ecs.run_instance()
        disk_id = ecs.disks_of(instance_id)[0]["DiskId"]
        policy_id = create(ecs, timePoints=["2"])
        ecs("ApplyAutoSnapshotPolicy", regionId=REGION, autoSnapshotPolicyId=policy_id, diskIds=[disk_id])
        assert auto_snapshots(ecs) == [] and clock.now() < clock.time_point
        time.sleep(clock.time_point - clock.now() + 1.5)   # past 02:00 UTC+8, with no request
        from sqlalchemy import select

        from ecsemu.store.schema import snapshots
        with server.emulator.db.transaction(read_only=True) as conn:   # what is stored, no catch-up asked
            names = [row.snapshot_name for row in conn.execute(select(snapshots).where(
                snapshots.c.source_disk_id == disk_id))]
        assert len(names) == 1 and AUTO_NAME.fullmatch(names[0])
