"""CopySnapshot, DescribeSnapshotsUsage and DescribeSnapshotPackage through the official SDKs,
on each store: a copy's progress and fields, the rules and every code CopySnapshot declares,
copies in ReInitDisk's and ResetDisk's rules, instant access, usage from the real state."""

import json
import urllib.request

import pytest
from aliyunsdkecs.request.v20140526.CopySnapshotRequest import CopySnapshotRequest
from aliyunsdkecs.request.v20140526.DescribeSnapshotPackageRequest import DescribeSnapshotPackageRequest
from aliyunsdkecs.request.v20140526.DescribeSnapshotsUsageRequest import DescribeSnapshotsUsageRequest

from ecsemu.domain.snapshots import MAX_USER_SNAPSHOTS_PER_DISK
from tests.ecsclient import REGION, Ecs, advance, control, flat

DESTINATION = "cn-shanghai"
DESTINATION_ZONE = "cn-shanghai-b"
MIB = 1024**2


def there(ecs: Ecs) -> Ecs:
    """The same account's client for the destination region."""
    return Ecs(ecs.server, key=ecs.key, region=DESTINATION)


def data_disk_snapshot(ecs, **instance_params) -> tuple[str, str, str]:
    """(instance, data disk, an accomplished snapshot of it) in the source region (instant mode)."""
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 20}]), **instance_params)
    disk_id = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "data")
    return instance_id, disk_id, ecs("CreateSnapshot", DiskId=disk_id)["SnapshotId"]


def copy(ecs, snapshot_id, **params) -> str:
    return ecs("CopySnapshot", RegionId=REGION, SnapshotId=snapshot_id, DestinationRegionId=DESTINATION,
               **params)["SnapshotId"]


def listed(ecs, region, *snapshot_ids) -> list[dict]:
    return ecs("DescribeSnapshots", RegionId=region, SnapshotIds=list(snapshot_ids))["Snapshots"]["Snapshot"]


def one(ecs, region, snapshot_id) -> dict:
    found = listed(ecs, region, snapshot_id)
    assert len(found) == 1, found
    return found[0]


def usage(ecs, region=REGION) -> tuple[int, int]:
    body = ecs("DescribeSnapshotsUsage", RegionId=region)
    return body["SnapshotCount"], body["SnapshotSize"]


# --- a copy's life -----------------------------------------------------------------------------

def test_a_copy_is_progressing_then_accomplished_in_the_destination(manual):
    instance_id = manual.run_instance(**flat("DataDisk", [{"Size": 30}]))
    advance(manual, 3)
    disk_id = next(d["DiskId"] for d in manual.disks_of(instance_id) if d["Type"] == "data")
    source_id = manual("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    assert manual.error("CopySnapshot", RegionId=REGION, SnapshotId=source_id, DestinationRegionId=DESTINATION) \
        == ("InvalidSnapshotId.NotReady", 403)
    advance(manual, 4)

    request = CopySnapshotRequest()   # the typed request of aliyun-python-sdk-ecs
    request.set_endpoint(manual.server.endpoint)
    request.set_SnapshotId(source_id)
    request.set_DestinationRegionId(DESTINATION)
    request.set_DestinationSnapshotName("copy-for-dr")
    request.set_DestinationSnapshotDescription("kept in Shanghai")
    request.set_RetentionDays(30)
    request.set_Tags([{"Key": "team", "Value": "storage"}])
    copy_id = json.loads(manual.client.do_action_with_exception(request))["SnapshotId"]
    assert copy_id.startswith("s-uf") and copy_id != source_id   # an ID of the destination region

    seen = one(manual, DESTINATION, copy_id)
    assert (seen["Status"], seen["Progress"], seen["RemainTime"], seen["Available"]) == ("progressing", "0%", 4, False)
    assert (seen["RegionId"], seen["SourceRegionId"], seen["SourceSnapshotId"]) == (DESTINATION, REGION, source_id)
    assert (seen["SourceDiskId"], seen["SourceDiskType"], seen["SourceDiskSize"]) == (disk_id, "data", "30")
    assert (seen["SnapshotName"], seen["Description"], seen["RetentionDays"]) == \
        ("copy-for-dr", "kept in Shanghai", 30)
    assert seen["Tags"]["Tag"] == [{"TagKey": "team", "TagValue": "storage"}]
    assert listed(manual, REGION, copy_id) == []                 # not in the source region
    assert one(manual, REGION, source_id)["SourceSnapshotId"] == ""   # the source is no copy

    # A copy in progress is no snapshot being taken of the disk; another copy of the disk's
    # snapshots to the same region waits for it, to another region it does not.
    second = manual("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    advance(manual, 2)
    assert one(manual, DESTINATION, copy_id)["Progress"] == "50%"
    assert manual.error("CopySnapshot", RegionId=REGION, SnapshotId=source_id, DestinationRegionId=DESTINATION) \
        == ("InvalidOperation.UnfinishedCrossRegionCopy", 403)
    manual("CopySnapshot", RegionId=REGION, SnapshotId=source_id, DestinationRegionId="cn-beijing")
    advance(manual, 2)
    seen = one(manual, DESTINATION, copy_id)
    assert (seen["Status"], seen["Progress"], seen["RemainTime"], seen["Available"]) == \
        ("accomplished", "100%", 0, True)
    copy(manual, second)   # the disk's copy to Shanghai is done: the next one may go


def test_the_tea_sdk(ecs):
    from alibabacloud_ecs20140526 import models

    _, _, source_id = data_disk_snapshot(ecs)
    client = ecs.tea()
    made = client.copy_snapshot(models.CopySnapshotRequest(
        region_id=REGION, snapshot_id=source_id, destination_region_id=DESTINATION,
        destination_snapshot_name="tea-copy", destination_snapshot_description="made by the tea SDK",
        tag=[models.CopySnapshotRequestTag(key="k", value="v")])).body
    seen = client.describe_snapshots(models.DescribeSnapshotsRequest(
        region_id=DESTINATION, snapshot_ids=json.dumps([made.snapshot_id]))).body.snapshots.snapshot
    assert [(s.snapshot_id, s.source_snapshot_id, s.source_region_id, s.snapshot_name, s.status) for s in seen] == \
        [(made.snapshot_id, source_id, REGION, "tea-copy", "accomplished")]
    counted = client.describe_snapshots_usage(models.DescribeSnapshotsUsageRequest(region_id=DESTINATION)).body
    assert counted.snapshot_count == usage(ecs, DESTINATION)[0] >= 1
    packages = client.describe_snapshot_package(models.DescribeSnapshotPackageRequest(region_id=REGION)).body
    assert (packages.total_count, packages.page_number, packages.page_size) == (0, 1, 10)
    assert packages.snapshot_packages.snapshot_package == []


# --- what CopySnapshot refuses ------------------------------------------------------------------

REFUSED = [
    # (parameters over a valid request, code, HTTP status)
    ({"DestinationRegionId": REGION}, "InvalidOperation.NotSupportCopyInSameRegion", 403),
    ({"DestinationRegionId": "mars-north-1"}, "InvalidRegionId.MalFormed", 400),
    ({"DestinationRegionId": None}, "MissingParameter", 400),
    ({"RegionId": "mars-north-1"}, "InvalidRegionId.NotFound", 404),
    ({"SnapshotId": "s-nothing"}, "InvalidSnapshotId.NotFound", 403),
    ({"DestinationSnapshotName": "1-starts-with-a-digit"}, "InvalidSnapshotName.Malformed", 403),
    ({"DestinationSnapshotName": "https://name"}, "InvalidSnapshotName.Malformed", 403),
    ({"DestinationSnapshotDescription": "x"}, "InvalidDescription.Malformed", 403),
    ({"RetentionDays": 0}, "InvalidRetentionDays.Malformed", 403),
    ({"RetentionDays": 65537}, "InvalidRetentionDays.Malformed", 403),
    ({"Encrypted": "true"}, "UnsupportedParameter", 400),
    ({"Encrypted": "maybe"}, "InvalidParameter", 400),
    ({"KMSKeyId": "0e478b7a-4262-4802-b8cb-00d3fb40"}, "UnsupportedParameter", 400),
    ({"Arn.1.RoleType": "test", "Arn.1.Rolearn": "acs:ram::1:role/x"}, "UnsupportedParameter", 400),
    ({"DestinationStorageLocationArn": "acs:ebs:cn-shanghai:1:location/x"}, "UnsupportedParameter", 400),
    ({"Tag.1.Key": "acs:reserved", "Tag.1.Value": "v"}, "InvalidTagKey.Malformed", 400),
    ({"Tag.1.Key": "k", "Tag.1.Value": "see https://example.com"}, "InvalidTagValue.Malformed", 400),
    ({"Tag.1.Key": "k", "Tag.1.Value": "a", "Tag.2.Key": "k", "Tag.2.Value": "b"}, "Duplicate.TagKey", 400),
    ({"ResourceGroupId": "rg-UPPER"}, "InvalidResourceGroup.NotFound", 404),
]


@pytest.mark.parametrize("params, code, status", REFUSED, ids=[code for _, code, _ in REFUSED])
def test_refusals_answer_the_real_code_and_change_nothing(ecs, params, code, status):
    _, _, source_id = data_disk_snapshot(ecs)
    before = usage(ecs, DESTINATION)[0]
    request = {"RegionId": REGION, "SnapshotId": source_id, "DestinationRegionId": DESTINATION, **params}
    assert ecs.error("CopySnapshot", **request) == (code, status)
    assert usage(ecs, DESTINATION)[0] == before


def test_a_snapshot_of_another_region_or_account_is_not_found(ecs, other):
    _, _, source_id = data_disk_snapshot(ecs)
    copied = copy(ecs, source_id)
    # asked of the region it is not in: the copy, back to where its source is
    assert ecs.error("CopySnapshot", RegionId=REGION, SnapshotId=copied, DestinationRegionId="cn-beijing") == \
        ("InvalidSnapshotId.NotFound", 403)
    assert other.error("CopySnapshot", RegionId=REGION, SnapshotId=source_id, DestinationRegionId=DESTINATION) == \
        ("InvalidSnapshotId.NotFound", 403)
    # a copy may be copied on from its own region, and back
    again = ecs("CopySnapshot", RegionId=DESTINATION, SnapshotId=copied, DestinationRegionId=REGION)["SnapshotId"]
    assert one(ecs, REGION, again)["SourceSnapshotId"] == copied
    assert ecs("CopySnapshot", RegionId=REGION, SnapshotId=source_id, DestinationRegionId=DESTINATION,
               Encrypted="false")["SnapshotId"]   # Encrypted=false asks for nothing not emulated


def test_a_deleted_or_released_source_is_not_found(ecs):
    _, _, deleted = data_disk_snapshot(ecs)
    ecs("DeleteSnapshot", SnapshotId=deleted)
    assert ecs.error("CopySnapshot", RegionId=REGION, SnapshotId=deleted, DestinationRegionId=DESTINATION) == \
        ("InvalidSnapshotId.NotFound", 403)
    _, _, expired = data_disk_snapshot(ecs)
    ecs("ModifySnapshotAttribute", SnapshotId=expired, RetentionDays=1)
    control(ecs.server, "PATCH", f"/snapshots/{expired}", {"CreationTime": "2020-01-01T00:00:00Z"})
    assert ecs.error("CopySnapshot", RegionId=REGION, SnapshotId=expired, DestinationRegionId=DESTINATION) == \
        ("InvalidSnapshotId.NotFound", 403)


def test_a_disk_has_at_most_256_snapshots_in_the_destination(ecs):
    _, disk_id, source_id = data_disk_snapshot(ecs)
    for _ in range(MAX_USER_SNAPSHOTS_PER_DISK):
        copy(ecs, source_id)
    assert ecs.error("CopySnapshot", RegionId=REGION, SnapshotId=source_id, DestinationRegionId=DESTINATION) == \
        ("QuotaExceed.SnapshotQuota", 403)
    ecs("CopySnapshot", RegionId=REGION, SnapshotId=source_id, DestinationRegionId="cn-beijing")  # another region
    copies = ecs("DescribeSnapshots", RegionId=DESTINATION, DiskId=disk_id, PageSize=1)
    assert copies["TotalCount"] == MAX_USER_SNAPSHOTS_PER_DISK
    ecs("DeleteSnapshot", SnapshotId=copies["Snapshots"]["Snapshot"][0]["SnapshotId"])
    copy(ecs, source_id)   # room again


# --- copies in the disk rules --------------------------------------------------------------------

def stopped_there(ecs) -> tuple[Ecs, str]:
    """A client of the destination region, and a Stopped instance there."""
    shanghai = there(ecs)
    instance_id = shanghai.run_instance(ZoneId=DESTINATION_ZONE)
    shanghai("StopInstance", InstanceId=instance_id)
    return shanghai, instance_id


def test_a_disk_made_from_a_copy_reinitialises_to_it_until_the_copy_goes(ecs):
    _, _, source_id = data_disk_snapshot(ecs)
    copy_id = copy(ecs, source_id)
    shanghai, instance_id = stopped_there(ecs)
    disk_id = shanghai("CreateDisk", RegionId=DESTINATION, ZoneId=DESTINATION_ZONE, SnapshotId=copy_id)["DiskId"]
    shanghai("AttachDisk", DiskId=disk_id, InstanceId=instance_id)
    assert shanghai.disk(disk_id)["SourceSnapshotId"] == copy_id
    assert one(ecs, DESTINATION, copy_id)["Usage"] == "disk"
    shanghai("ReInitDisk", DiskId=disk_id)
    ecs("DeleteSnapshot", SnapshotId=source_id, Force=True)   # the source going leaves the copy
    shanghai("ReInitDisk", DiskId=disk_id)
    assert shanghai.error("DeleteSnapshot", SnapshotId=copy_id) == ("SnapshotCreatedDisk", 403)
    shanghai("DeleteSnapshot", SnapshotId=copy_id, Force=True)
    assert shanghai.error("ReInitDisk", DiskId=disk_id) == ("InvalidSourceSnapshot", 403)


def test_a_copy_released_by_its_retention_answers_reinitdisk_as_any(ecs):
    _, _, source_id = data_disk_snapshot(ecs)
    copy_id = copy(ecs, source_id, RetentionDays=1)
    shanghai, instance_id = stopped_there(ecs)
    disk_id = shanghai("CreateDisk", RegionId=DESTINATION, ZoneId=DESTINATION_ZONE, SnapshotId=copy_id)["DiskId"]
    shanghai("AttachDisk", DiskId=disk_id, InstanceId=instance_id)
    control(ecs.server, "PATCH", f"/snapshots/{copy_id}", {"CreationTime": "2020-01-01T00:00:00Z"})
    assert listed(ecs, DESTINATION, copy_id) == []
    assert shanghai.error("ReInitDisk", DiskId=disk_id) == ("OperationDenied", 403)


def test_a_copy_never_rolls_back_the_source_disk(ecs):
    instance_id, disk_id, source_id = data_disk_snapshot(ecs)
    copy_id = copy(ecs, source_id)
    ecs("StopInstance", InstanceId=instance_id)
    assert ecs.error("ResetDisk", DiskId=disk_id, SnapshotId=copy_id) == ("InvalidParameter.Mismatch", 403)
    ecs("ResetDisk", DiskId=disk_id, SnapshotId=source_id)


# --- instant access, category ------------------------------------------------------------------

def test_instant_access_is_the_essd_familys_and_the_deprecated_parameters_are_ignored(ecs):
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 20, "Category": "cloud_essd"}]))
    disks = {d["Type"]: d["DiskId"] for d in ecs.disks_of(instance_id)}
    essd = ecs("CreateSnapshot", DiskId=disks["data"], RetentionDays=5, Category="Flash", InstantAccess=True,
               InstantAccessRetentionDays=2)["SnapshotId"]
    kept = ecs("CreateSnapshot", DiskId=disks["data"])["SnapshotId"]
    efficiency = ecs("CreateSnapshot", DiskId=disks["system"], InstantAccess=True)["SnapshotId"]
    shown = {s["SnapshotId"]: (s["Category"], s["InstantAccess"], s["InstantAccessRetentionDays"])
             for s in listed(ecs, REGION, essd, kept, efficiency)}
    assert shown == {essd: ("standard", True, 5), kept: ("standard", True, 0), efficiency: ("standard", False, 0)}
    copied = one(ecs, DESTINATION, copy(ecs, essd))
    assert (copied["Category"], copied["InstantAccess"], copied["InstantAccessRetentionDays"]) == \
        ("standard", False, 0)
    assert ecs.error("CreateSnapshot", DiskId=disks["data"], Category="Archive") == ("InvalidParameter", 400)
    assert ecs.error("CreateSnapshot", DiskId=disks["data"], InstantAccessRetentionDays=0) == \
        ("InvalidParameter", 400)


# --- usage and packages --------------------------------------------------------------------------

def write(ecs, disk_id, offset, data) -> None:
    """Bytes into a disk through the control plane."""
    request = urllib.request.Request(f"{ecs.server.url}/_ecsemu/disks/{disk_id}/data?offset={offset}", data=data,
                                     method="PUT", headers={"Content-Type": "application/octet-stream"})
    with urllib.request.urlopen(request) as response:
        response.read()


def test_usage_counts_the_regions_snapshots_and_what_they_hold(ecs, other):
    region, copies_region = "cn-qingdao", "cn-zhangjiakou"   # regions of this test's own
    qingdao = Ecs(ecs.server, key=ecs.key, region=region)
    assert usage(ecs, region) == (0, 0)
    instance_id = qingdao.run_instance(**flat("DataDisk", [{"Size": 20}]))
    disk_id = next(d["DiskId"] for d in qingdao.disks_of(instance_id) if d["Type"] == "data")
    blank = qingdao("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    typed = qingdao.send(DescribeSnapshotsUsageRequest())    # the typed request of aliyun-python-sdk-ecs
    assert (typed["SnapshotCount"], typed["SnapshotSize"]) == (1, 0)   # nothing written: nothing held
    write(ecs, disk_id, 0, b"U" * MIB)
    full = qingdao("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    count, size = usage(ecs, region)
    assert count == 2 and size >= MIB
    qingdao("CopySnapshot", RegionId=region, SnapshotId=full, DestinationRegionId=copies_region)
    copied_count, copied_size = usage(ecs, copies_region)
    assert copied_count == 1 and copied_size >= MIB      # a copy holds bytes of its own
    assert usage(other, region) == (0, 0)                 # another account's region is its own
    qingdao("DeleteSnapshot", SnapshotId=blank)
    qingdao("DeleteSnapshot", SnapshotId=full)
    assert usage(ecs, region) == (0, 0)
    assert usage(ecs, copies_region) == (copied_count, copied_size)   # the copy stays
    assert ecs.error("DescribeSnapshotsUsage", RegionId="mars-north-1") == ("InvalidParam.RegionId", 403)


def test_no_snapshot_package_is_ever_bought(ecs):
    typed = ecs.send(DescribeSnapshotPackageRequest())
    assert typed["SnapshotPackages"] == {"SnapshotPackage": []} and typed["TotalCount"] == 0
    page = ecs("DescribeSnapshotPackage", RegionId=REGION, PageNumber=3, PageSize=50)
    assert (page["PageNumber"], page["PageSize"], page["TotalCount"]) == (3, 50, 0)
    assert ecs.error("DescribeSnapshotPackage", RegionId=REGION, PageSize=101) == ("InvalidParameter", 400)
    assert ecs.error("DescribeSnapshotPackage", RegionId="mars-north-1") == ("InvalidRegionId.NotFound", 404)



def test_a_missing_region_is_missing_parameter(ecs):
    from alibabacloud_ecs20140526 import models
    from Tea.exceptions import TeaException

    client = ecs.tea()
    for call, request in ((client.describe_snapshots_usage, models.DescribeSnapshotsUsageRequest()),
                          (client.describe_snapshot_package, models.DescribeSnapshotPackageRequest()),
                          (client.copy_snapshot, models.CopySnapshotRequest(snapshot_id="s-1",
                                                                            destination_region_id=DESTINATION))):
        with pytest.raises(TeaException) as raised:
            call(request)
        assert (raised.value.code, raised.value.statusCode) == ("MissingParameter", 400)
