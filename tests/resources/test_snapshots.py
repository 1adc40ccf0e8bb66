"""Snapshots through the official SDKs: progress, preconditions, deletion rules, describe, on
each store."""

import json

import pytest
from aliyunsdkecs.request.v20140526.CreateSnapshotRequest import CreateSnapshotRequest
from aliyunsdkecs.request.v20140526.DeleteSnapshotRequest import DeleteSnapshotRequest

from tests.ecsclient import REGION, ZONE, Ecs, advance, control


def running(manual, **params) -> str:
    """A Running instance on the manual clock (Pending 1 s, Starting 2 s)."""
    instance_id = manual.run_instance(**params)
    advance(manual, 3)
    return instance_id


def system_disk(ecs, instance_id) -> str:
    return next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")


def data_disk(ecs, instance_id) -> str:
    return next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "data")


def snap(ecs, disk_id, **params) -> str:
    return ecs("CreateSnapshot", DiskId=disk_id, **params)["SnapshotId"]


def snapshot(ecs, snapshot_id) -> dict:
    found = ecs("DescribeSnapshots", RegionId=ecs.region, SnapshotIds=[snapshot_id])["Snapshots"]["Snapshot"]
    assert len(found) == 1, found
    return found[0]


def new_disk(ecs, **params) -> str:
    return ecs("CreateDisk", **{"RegionId": REGION, "ZoneId": ZONE, "Size": 20, **params})["DiskId"]


def message(ecs, action, **params) -> str:
    from aliyunsdkcore.acs_exception.exceptions import ServerException
    try:
        ecs(action, **params)
    except ServerException as exc:
        return exc.get_error_msg()
    raise AssertionError(f"{action} succeeded")


# --- lifecycle -------------------------------------------------------------------------------

def test_progressing_then_accomplished_with_progress(manual):
    instance_id = running(manual)
    disk_id = system_disk(manual, instance_id)
    request = CreateSnapshotRequest()     # the typed request of aliyun-python-sdk-ecs
    request.set_endpoint(manual.server.endpoint)
    request.set_DiskId(disk_id)
    request.set_SnapshotName("before-upgrade")
    request.set_Description("kept for a week")
    request.set_RetentionDays(7)
    snapshot_id = json.loads(manual.client.do_action_with_exception(request))["SnapshotId"]
    assert snapshot_id.startswith("s-bp")

    seen = snapshot(manual, snapshot_id)
    assert (seen["Status"], seen["Progress"], seen["RemainTime"], seen["Available"]) == ("progressing", "0%", 4, False)
    assert (seen["SourceDiskId"], seen["SourceDiskType"], seen["SourceDiskSize"]) == (disk_id, "system", "40")
    assert (seen["SnapshotName"], seen["Description"], seen["RetentionDays"]) == \
        ("before-upgrade", "kept for a week", 7)
    assert (seen["Usage"], seen["SnapshotType"], seen["SourceStorageType"]) == ("none", "user", "disk")
    advance(manual, 1)
    assert (snapshot(manual, snapshot_id)["Progress"], snapshot(manual, snapshot_id)["RemainTime"]) == ("25%", 3)
    advance(manual, 2)
    assert snapshot(manual, snapshot_id)["Progress"] == "75%"
    advance(manual, 1)
    seen = snapshot(manual, snapshot_id)
    assert (seen["Status"], seen["Progress"], seen["RemainTime"], seen["Available"]) == \
        ("accomplished", "100%", 0, True)


def test_a_held_snapshot_stays_progressing(manual):
    disk_id = system_disk(manual, running(manual))
    snapshot_id = snap(manual, disk_id)
    control(manual.server, "PATCH", f"/snapshots/{snapshot_id}", {"Hold": True})
    advance(manual, 60)
    seen = snapshot(manual, snapshot_id)
    assert (seen["Status"], seen["Progress"], seen["RemainTime"]) == ("progressing", "99%", 0)
    assert manual.error("CreateSnapshot", DiskId=disk_id) == ("IncorrectDiskStatus.CreatingSnapshot", 403)
    control(manual.server, "PATCH", f"/snapshots/{snapshot_id}", {"Hold": False})
    assert snapshot(manual, snapshot_id)["Status"] == "accomplished"
    snap(manual, disk_id)     # the disk takes a new one now


# --- preconditions ---------------------------------------------------------------------------

def test_one_snapshot_in_progress_per_disk(manual):
    disk_id = system_disk(manual, running(manual))
    snap(manual, disk_id)
    assert manual.error("CreateSnapshot", DiskId=disk_id) == ("IncorrectDiskStatus.CreatingSnapshot", 403)
    assert message(manual, "CreateSnapshot", DiskId=disk_id) == "A previous snapshot creation is in process."
    advance(manual, 4)
    snap(manual, disk_id)


def test_disk_and_instance_in_transition_are_refused(manual):
    creating = new_disk(manual)
    assert manual.disk(creating)["Status"] == "Creating"
    assert manual.error("CreateSnapshot", DiskId=creating) == ("IncorrectDiskStatus", 403)

    instance_id = running(manual)
    manual("StopInstance", InstanceId=instance_id)
    assert manual.instance(instance_id)["Status"] == "Stopping"
    assert manual.error("CreateSnapshot", DiskId=system_disk(manual, instance_id)) == ("IncorrectInstanceStatus", 400)
    advance(manual, 2)
    snap(manual, system_disk(manual, instance_id))    # Stopped will do


def test_never_attached_and_never_started_disks_are_refused(ecs):
    loose = new_disk(ecs)
    assert ecs.error("CreateSnapshot", DiskId=loose) == ("IncorrectDiskStatus.NeverAttached", 403)
    assert message(ecs, "CreateSnapshot", DiskId=loose) == "The specified disk has never been attached to any instance."

    group = ecs.security_group()
    never_started = ecs("CreateInstance", RegionId=REGION, ImageId="ubuntu_22_04_x64_20G_alibase_20240926.vhd",
                        InstanceType="ecs.g7.large", SecurityGroupId=group,
                        VSwitchId=ecs.vswitch())["InstanceId"]
    assert ecs.instance(never_started)["Status"] == "Stopped"
    assert ecs.error("CreateSnapshot", DiskId=system_disk(ecs, never_started)) == \
        ("IncorrectDiskStatus.NeverUsed", 403)
    assert message(ecs, "CreateSnapshot", DiskId=system_disk(ecs, never_started)) == \
        "The specified disk has never been used after creating."
    ecs("StartInstance", InstanceId=never_started)
    snap(ecs, system_disk(ecs, never_started))


def test_a_detached_disk_keeps_its_history(ecs):
    instance_id = ecs.run_instance()
    disk_id = new_disk(ecs)
    ecs("AttachDisk", DiskId=disk_id, InstanceId=instance_id)
    ecs("DetachDisk", DiskId=disk_id, InstanceId=instance_id)
    assert ecs.disk(disk_id)["Status"] == "Available"
    snapshot_id = snap(ecs, disk_id)
    assert snapshot(ecs, snapshot_id)["SourceDiskType"] == "data"


def test_security_lock_refuses_in_use_disks(ecs):
    instance_id = ecs.run_instance()
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "security"})
    disk_id = system_disk(ecs, instance_id)
    assert ecs.error("CreateSnapshot", DiskId=disk_id) == ("InstanceLockedForSecurity", 403)
    assert message(ecs, "CreateSnapshot", DiskId=disk_id) == "The disk attached instance is locked due to security."
    control(ecs.server, "DELETE", f"/instances/{instance_id}/locks/security")
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "financial"})
    snap(ecs, disk_id)   # arrears do not stop a snapshot


@pytest.mark.parametrize("params, expected", [
    ({"SnapshotName": "a"}, ("InvalidSnapshotName.Malformed", 400)),
    ({"SnapshotName": "auto-nightly"}, ("InvalidSnapshotName.Malformed", 400)),
    ({"SnapshotName": "http://x.example"}, ("InvalidSnapshotName.Malformed", 400)),
    ({"SnapshotName": "1st"}, ("InvalidSnapshotName.Malformed", 400)),
    ({"Description": "x"}, ("InvalidDescription.Malformed", 404)),
    ({"RetentionDays": 0}, ("InvalidParameter", 400)),
    ({"Tag.1.Key": "aliyun-x", "Tag.1.Value": "v"}, ("InvalidTagKey.Malformed", 400)),
])
def test_create_parameter_errors(ecs, params, expected):
    disk_id = system_disk(ecs, ecs.run_instance())
    assert ecs.error("CreateSnapshot", DiskId=disk_id, **params) == expected


def test_unknown_disk(ecs):
    assert ecs.error("CreateSnapshot", DiskId="d-bpnothing0000000000") == ("InvalidDiskId.NotFound", 404)
    assert ecs.error("CreateSnapshot") == ("MissingParameter", 400)


# --- using a snapshot, deleting it -----------------------------------------------------------

def test_disk_from_snapshot_once_accomplished(manual):
    instance_id = running(manual, **{"DataDisk.1.Size": 30, "DataDisk.1.Category": "cloud_essd"})
    snapshot_id = snap(manual, data_disk(manual, instance_id))
    assert manual.error("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=snapshot_id) == \
        ("InvalidSnapshot.NotReady", 403)
    advance(manual, 4)
    disk_id = manual("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=snapshot_id)["DiskId"]
    made = manual.disk(disk_id)
    assert (made["Size"], made["SourceSnapshotId"]) == (30, snapshot_id)
    assert snapshot(manual, snapshot_id)["Usage"] == "disk"


def test_delete_rules(ecs):
    instance_id = ecs.run_instance()
    disk_id = system_disk(ecs, instance_id)
    seeded = snap(ecs, disk_id)
    ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=seeded)
    assert ecs.error("DeleteSnapshot", SnapshotId=seeded) == ("SnapshotCreatedDisk", 403)
    assert message(ecs, "DeleteSnapshot", SnapshotId=seeded) == "The snapshot has been used to create disk(s)."
    request = DeleteSnapshotRequest()
    request.set_endpoint(ecs.server.endpoint)
    request.set_SnapshotId(seeded)
    request.set_Force(True)
    ecs.client.do_action_with_exception(request)
    assert ecs("DescribeSnapshots", RegionId=REGION, SnapshotIds=[seeded])["Snapshots"]["Snapshot"] == []

    imaged = snap(ecs, disk_id)
    image_id = ecs("CreateImage", RegionId=REGION, SnapshotId=imaged, ImageName="from-snapshot")["ImageId"]
    assert snapshot(ecs, imaged)["Usage"] == "image"
    assert ecs.error("DeleteSnapshot", SnapshotId=imaged, Force=True) == ("SnapshotCreatedImage", 403)
    assert message(ecs, "DeleteSnapshot", SnapshotId=imaged) == \
        "The snapshot has been used to create user defined image(s)."
    ecs("DeleteImage", RegionId=REGION, ImageId=image_id)
    assert snapshot(ecs, imaged)["Usage"] == "none"
    ecs("DeleteSnapshot", SnapshotId=imaged)

    assert ecs.error("DeleteSnapshot", SnapshotId=imaged) == ("InvalidSnapshotId.NotFound", 404)
    assert message(ecs, "DeleteSnapshot", SnapshotId=imaged) == "The specified snapshot is not found"
    assert ecs.error("DeleteSnapshot") == ("MissingParameter", 400)


def test_delete_a_progressing_snapshot(manual):
    disk_id = system_disk(manual, running(manual))
    snapshot_id = snap(manual, disk_id)
    manual("DeleteSnapshot", SnapshotId=snapshot_id)
    advance(manual, 10)
    assert manual("DescribeSnapshots", RegionId=REGION, DiskId=disk_id)["Snapshots"]["Snapshot"] == []
    snap(manual, disk_id)   # nothing in progress on the disk any more


def test_retention_days_release_unused_snapshots(manual):
    disk_id = system_disk(manual, running(manual))
    kept_a_day = snap(manual, disk_id, RetentionDays=1)
    advance(manual, 4)
    imaged = snap(manual, disk_id, RetentionDays=1)
    advance(manual, 4)
    manual("CreateImage", RegionId=REGION, SnapshotId=imaged)
    forever = snap(manual, disk_id)
    advance(manual, 86400 - 9)                 # a second before the first one's day is up
    assert {s["SnapshotId"] for s in manual("DescribeSnapshots", RegionId=REGION, DiskId=disk_id)["Snapshots"][
        "Snapshot"]} == {kept_a_day, imaged, forever}
    advance(manual, 9)
    remaining = manual("DescribeSnapshots", RegionId=REGION, DiskId=disk_id)["Snapshots"]["Snapshot"]
    assert {s["SnapshotId"] for s in remaining} == {imaged, forever}      # an image's snapshot stays
    assert manual.error("DeleteSnapshot", SnapshotId=kept_a_day) == ("InvalidSnapshotId.NotFound", 404)


def test_retention_counts_from_the_creation_time(ecs):
    disk_id = system_disk(ecs, ecs.run_instance())
    snapshot_id = snap(ecs, disk_id, RetentionDays=3)
    assert snapshot(ecs, snapshot_id)["RetentionDays"] == 3
    control(ecs.server, "PATCH", f"/snapshots/{snapshot_id}", {"CreationTime": "2020-01-01T00:00:00Z"})
    assert ecs("DescribeSnapshots", RegionId=REGION, SnapshotIds=[snapshot_id])["Snapshots"]["Snapshot"] == []


# --- describing ------------------------------------------------------------------------------

def test_describe_filters(ecs):
    instance_id = ecs.run_instance(**{"DataDisk.1.Size": 20})
    system, data = system_disk(ecs, instance_id), data_disk(ecs, instance_id)
    first = snap(ecs, system, SnapshotName="nightly", **{"Tag.1.Key": "team", "Tag.1.Value": "db"})
    second = snap(ecs, data)
    ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=second)

    def ids(**params):
        found = ecs("DescribeSnapshots", RegionId=REGION, PageSize=100, **params)["Snapshots"]["Snapshot"]
        return {s["SnapshotId"] for s in found}

    assert ids(InstanceId=instance_id) == {first, second}
    assert ids(DiskId=data) == {second}
    assert ids(SnapshotIds=[first, "s-bpnothing0000000000"]) == {first}
    assert ids(SnapshotIds=[]) == set()
    assert ids(InstanceId=instance_id, SourceDiskType="SYSTEM") == {first}
    assert ids(InstanceId=instance_id, SnapshotName="nightly") == {first}
    assert ids(InstanceId=instance_id, Usage="disk") == {second}
    assert ids(InstanceId=instance_id, Usage="none") == {first}
    assert ids(InstanceId=instance_id, Status="accomplished") == {first, second}
    assert ids(InstanceId=instance_id, Status="progressing") == set()
    assert ids(InstanceId=instance_id, SnapshotType="auto") == set()
    assert ids(InstanceId=instance_id, SnapshotType="user") == {first, second}
    assert ids(**{"Tag.1.Key": "team", "Tag.1.Value": "db"}) == {first}
    assert snapshot(ecs, first)["Tags"]["Tag"] == [{"TagKey": "team", "TagValue": "db"}]


@pytest.mark.parametrize("params, expected", [
    ({"Status": "done"}, ("InvalidStatus.NotFound", 404)),
    ({"SnapshotType": "manual"}, ("InvalidSnapshotType.NotFound", 404)),
    ({"SourceDiskType": "root"}, ("InvalidSourceDiskType", 404)),
    ({"Usage": "instance"}, ("InvalidUsage", 404)),
    ({"SnapshotIds": [f"s-{n}" for n in range(101)]}, ("InvalidSnapshotIds.Malformed", 403)),
    ({"PageSize": 101}, ("InvalidParameter", 400)),
    ({"RegionId": "mars-1"}, ("InvalidRegionId.NotFound", 404)),
    ({"DryRun": True}, ("DryRunOperation", 400)),
])
def test_describe_errors(ecs, params, expected):
    assert ecs.error("DescribeSnapshots", **{"RegionId": REGION, **params}) == expected


def test_paging_both_ways(ecs):
    shanghai = Ecs(ecs.server, region="cn-shanghai")
    disk_id = system_disk(shanghai, shanghai.run_instance())
    made = [snap(shanghai, disk_id) for _ in range(12)]
    pages = [shanghai("DescribeSnapshots", RegionId="cn-shanghai", PageSize=5, PageNumber=n) for n in (1, 2, 3)]
    assert [p["TotalCount"] for p in pages] == [12, 12, 12]
    assert [s["SnapshotId"] for p in pages for s in p["Snapshots"]["Snapshot"]] == made

    seen, token = [], None
    while True:
        page = shanghai("DescribeSnapshots", RegionId="cn-shanghai", MaxResults=10, NextToken=token)
        seen += [s["SnapshotId"] for s in page["Snapshots"]["Snapshot"]]
        token = page["NextToken"]
        if not token:
            break
    assert seen == made


def test_accounts_are_isolated(ecs, other):
    disk_id = system_disk(ecs, ecs.run_instance())
    snapshot_id = snap(ecs, disk_id)
    assert other("DescribeSnapshots", RegionId=REGION, SnapshotIds=[snapshot_id])["Snapshots"]["Snapshot"] == []
    assert other.error("DeleteSnapshot", SnapshotId=snapshot_id) == ("InvalidSnapshotId.NotFound", 404)
    assert other.error("CreateSnapshot", DiskId=disk_id) == ("InvalidDiskId.NotFound", 404)
    assert other.error("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=snapshot_id) == \
        ("InvalidSnapshotId.NotFound", 404)
    assert snapshot(ecs, snapshot_id)["Status"] == "accomplished"


def test_the_new_sdk_reads_and_writes_snapshots(ecs):
    from alibabacloud_ecs20140526 import models
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi.models import Config as TeaConfig

    client = Client(TeaConfig(access_key_id="testid", access_key_secret="testsecret", region_id=REGION,
                              endpoint=ecs.server.endpoint, protocol="http"))
    disk_id = system_disk(ecs, ecs.run_instance())
    snapshot_id = client.create_snapshot(models.CreateSnapshotRequest(
        disk_id=disk_id, snapshot_name="v3-made",
        tag=[models.CreateSnapshotRequestTag(key="env", value="test")])).body.snapshot_id
    found = client.describe_snapshots(models.DescribeSnapshotsRequest(
        region_id=REGION, snapshot_ids=json.dumps([snapshot_id]))).body
    assert found.total_count == 1
    seen = found.snapshots.snapshot[0]
    assert (seen.snapshot_name, seen.status, seen.progress, seen.source_disk_size) == \
        ("v3-made", "accomplished", "100%", "40")
    assert [(t.tag_key, t.tag_value) for t in seen.tags.tag] == [("env", "test")]
    client.delete_snapshot(models.DeleteSnapshotRequest(snapshot_id=snapshot_id))
    assert client.describe_snapshots(models.DescribeSnapshotsRequest(
        region_id=REGION, snapshot_ids=json.dumps([snapshot_id]))).body.total_count == 0
