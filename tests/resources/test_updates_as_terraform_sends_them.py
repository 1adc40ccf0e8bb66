"""The Terraform provider's updates, replayed call by call as its tea-rpc transport sends them
(terraform-calls.md 1.2, 2.2, 2.8, 2.9): common parameters in the query, business parameters
form-encoded in a POST body, empty strings sent, no RegionId where the provider leaves it out;
then its read, checking the fields and JSON types it reads (a Go type assertion on a wrong
type panics the provider)."""

from __future__ import annotations

from tests import rawhttp
from tests.ecsclient import REGION, ZONE

COMMON = {"Action", "Version", "Format", "Timestamp", "SignatureNonce", "SignatureMethod", "SignatureVersion",
          "AccessKeyId", "Signature"}


def rpc_post(ecs, action: str, body: dict, query: dict | None = None) -> dict:
    """One R call: signed over query and body together, as tea-rpc signs."""
    business = {**(query or {}), **{k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in body.items()}}
    params = rawhttp.v1_params(action, method="POST", fmt="json", **business)
    in_query = {k: v for k, v in params.items() if k in COMMON or k in (query or {})}
    in_body = {k: v for k, v in params.items() if k not in in_query}
    reply = rawhttp.send(ecs.server.port, "POST", "/?" + rawhttp.encode(in_query),
                         {"Content-Type": "application/x-www-form-urlencoded"},
                         rawhttp.encode(in_body).encode())
    assert reply.status == 200, reply.body
    return reply.json()


def test_alicloud_ecs_disk_update_then_read(ecs):
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskCategory="cloud_essd")["DiskId"]
    rpc_post(ecs, "ModifyDiskAttribute", {"DiskId": disk_id, "RegionId": REGION, "DeleteAutoSnapshot": False,
                                          "DeleteWithInstance": False, "Description": "tf description",
                                          "DiskName": "tf-disk", "EnableAutoSnapshot": False})
    disk = rpc_post(ecs, "DescribeDisks", {"DiskIds": f'["{disk_id}"]', "RegionId": REGION})["Disks"]["Disk"][0]
    assert (disk["DiskName"], disk["Description"]) == ("tf-disk", "tf description")
    for field, expected in (("DeleteAutoSnapshot", False), ("DeleteWithInstance", False),
                            ("EnableAutoSnapshot", False), ("BurstingEnabled", False), ("Encrypted", False)):
        assert disk[field] is expected, field
    assert isinstance(disk["Size"], int) and isinstance(disk["OperationLocks"], dict)
    assert disk["MultiAttach"] == "Disabled" and disk["DiskChargeType"] == "PostPaid"


def test_alicloud_instance_system_disk_name_without_region(ecs):
    """system_disk_name|description change: DiskId, DiskName and Description always sent,
    possibly empty, and no RegionId."""
    instance_id = ecs.run_instance()
    disk_id = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")
    rpc_post(ecs, "ModifyDiskAttribute", {"DiskId": disk_id, "DiskName": "tf-system", "Description": ""})
    disk = rpc_post(ecs, "DescribeDisks", {"RegionId": REGION, "InstanceId": instance_id, "DiskType": "system"})
    assert [(d["DiskId"], d["DiskName"]) for d in disk["Disks"]["Disk"]] == [(disk_id, "tf-system")]


def test_alicloud_ecs_snapshot_update_then_read(ecs):
    disk_id = next(d["DiskId"] for d in ecs.disks_of(ecs.run_instance()))
    snapshot_id = ecs("CreateSnapshot", DiskId=disk_id, SnapshotName="tf-snap")["SnapshotId"]
    rpc_post(ecs, "ModifySnapshotAttribute", {"SnapshotId": snapshot_id, "Description": "tf",
                                              "SnapshotName": "tf-snap-2", "RetentionDays": 7})
    found = rpc_post(ecs, "DescribeSnapshots", {"SnapshotIds": f'["{snapshot_id}"]', "RegionId": REGION})
    snapshot = found["Snapshots"]["Snapshot"][0]
    assert (snapshot["SnapshotName"], snapshot["Description"], snapshot["RetentionDays"], snapshot["Status"]) == \
        ("tf-snap-2", "tf", 7, "accomplished")
    assert snapshot["SourceDiskId"] == disk_id and snapshot["ResourceGroupId"] == ""


def test_alicloud_image_update_then_wait_for_the_description(ecs):
    disk_id = next(d["DiskId"] for d in ecs.disks_of(ecs.run_instance()))
    snapshot_id = ecs("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    image_id = ecs("CreateImage", RegionId=REGION, SnapshotId=snapshot_id, ImageName="tf-image")["ImageId"]
    # ImageId in the query, the rest in the body, unset attributes as empty strings
    rpc_post(ecs, "ModifyImageAttribute", {"RegionId": REGION, "Description": "tf image", "ImageName": "tf-image-2",
                                           "ImageFamily": "", "BootMode": "", "LicenseType": "",
                                           "Features.NvmeSupport": "supported"},
             query={"ImageId": image_id})
    found = rpc_post(ecs, "DescribeImages", {}, query={"ImageId": image_id, "RegionId": REGION, "Status": "ALL"})
    image = found["Images"]["Image"][0]
    assert (image["Description"], image["ImageName"], image["ImageFamily"], image["ImageVersion"]) == \
        ("tf image", "tf-image-2", "", "")
    assert image["Usable"] is True and isinstance(image["Features"], dict)
    assert image["Features"]["NvmeSupport"] == "supported" and image["BootMode"] == "BIOS"
