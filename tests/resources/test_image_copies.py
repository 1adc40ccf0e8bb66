"""CopyImage and CancelCopyImage: a new image ID in the destination region, Creating with a
rising Progress until its copied snapshots are accomplished, then usable there; a copy under
way can be cancelled, a finished one cannot."""

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import ClientException

from tests.conftest import OTHER_KEY
from tests.ecsclient import REGION, Ecs, advance, flat

DESTINATION = "cn-shanghai"


def custom_image(ecs, name, **params):
    instance_id = ecs.run_instance(**params)
    ecs("StopInstance", InstanceId=instance_id)
    return ecs("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName=name)["ImageId"]


def image_in(ecs, region, image_id):
    found = ecs("DescribeImages", RegionId=region, ImageId=image_id, Status="ALL")["Images"]["Image"]
    return found[0] if found else None


def test_a_copy_is_a_new_image_in_the_destination_region(ecs):
    source = custom_image(ecs, "to-copy", **flat("DataDisk", [{"Size": 20}]))
    body = ecs.tea().copy_image(ecs_models.CopyImageRequest(
        region_id=REGION, image_id=source, destination_region_id=DESTINATION, destination_image_name="the-copy",
        destination_description="copied here")).body
    copy_id = body.image_id
    assert copy_id != source and copy_id.startswith("m-uf")   # an ID of the destination region
    copy = image_in(ecs, DESTINATION, copy_id)
    original = image_in(ecs, REGION, source)
    assert (copy["ImageName"], copy["Description"], copy["Status"], copy["IsCopied"]) == \
        ("the-copy", "copied here", "Available", True)
    assert original["IsCopied"] is False and image_in(ecs, REGION, copy_id) is None
    for field in ("OSType", "Platform", "OSName", "Architecture", "Size"):
        assert copy[field] == original[field], field
    # Its snapshots are copies in the destination region, used by the copy.
    copied = [m["SnapshotId"] for m in copy["DiskDeviceMappings"]["DiskDeviceMapping"]]
    sources = [m["SnapshotId"] for m in original["DiskDeviceMappings"]["DiskDeviceMapping"]]
    assert len(copied) == 2 and not set(copied) & set(sources)
    snapshots = ecs("DescribeSnapshots", RegionId=DESTINATION, SnapshotIds=copied)["Snapshots"]["Snapshot"]
    assert sorted(s["SnapshotId"] for s in snapshots) == sorted(copied)
    assert all(s["Status"] == "accomplished" and s["Usage"] == "image" for s in snapshots)
    instance_id = Ecs(ecs.server, region=DESTINATION).run_instance(ImageId=copy_id)
    assert ecs("DescribeInstances", RegionId=DESTINATION, InstanceIds=[instance_id])["Instances"]["Instance"][0][
        "ImageId"] == copy_id


def test_a_copy_is_creating_with_progress_then_available(manual):
    instance_id = manual.run_instance()
    advance(manual, 60)
    manual("StopInstance", InstanceId=instance_id)
    advance(manual, 60)
    source = manual("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName="slow")["ImageId"]
    assert manual.error("CopyImage", RegionId=REGION, ImageId=source, DestinationRegionId=DESTINATION) == \
        ("IncorrectImageStatus", 400)   # the source is still Creating
    advance(manual, 60)
    copy_id = manual("CopyImage", RegionId=REGION, ImageId=source, DestinationRegionId=DESTINATION)["ImageId"]
    copy = image_in(manual, DESTINATION, copy_id)
    assert copy["Status"] == "Creating" and copy["Progress"] == "0%"
    advance(manual, 4)
    progress = image_in(manual, DESTINATION, copy_id)["Progress"]
    assert progress not in ("0%", "100%")
    snapshot_id = copy["DiskDeviceMappings"]["DiskDeviceMapping"][0]["SnapshotId"]
    assert manual("DescribeSnapshots", RegionId=DESTINATION, SnapshotIds=[snapshot_id])["Snapshots"]["Snapshot"][0][
        "Status"] == "accomplished"
    assert manual.error("DeleteImage", RegionId=DESTINATION, ImageId=copy_id) == ("ImageIsCreating", 403)
    advance(manual, 60)
    copy = image_in(manual, DESTINATION, copy_id)
    assert (copy["Status"], copy["Progress"]) == ("Available", "100%")


def test_cancel_removes_a_copy_under_way(manual):
    instance_id = manual.run_instance()
    advance(manual, 60)
    source = manual("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName="to-cancel")["ImageId"]
    advance(manual, 60)
    copy_id = manual("CopyImage", RegionId=REGION, ImageId=source, DestinationRegionId=DESTINATION)["ImageId"]
    snapshot_id = image_in(manual, DESTINATION, copy_id)["DiskDeviceMappings"]["DiskDeviceMapping"][0]["SnapshotId"]
    manual.tea().cancel_copy_image(ecs_models.CancelCopyImageRequest(region_id=DESTINATION, image_id=copy_id))
    assert image_in(manual, DESTINATION, copy_id) is None
    assert manual("DescribeSnapshots", RegionId=DESTINATION, SnapshotIds=[snapshot_id])["TotalCount"] == 0
    assert image_in(manual, REGION, source)["Status"] == "Available"   # the source stays
    advance(manual, 60)
    assert image_in(manual, DESTINATION, copy_id) is None   # nothing scheduled brings it back
    assert manual.error("CancelCopyImage", RegionId=DESTINATION, ImageId=copy_id) == ("InvalidImageId.NotFound", 404)


def test_cancel_refusals(ecs):
    source = custom_image(ecs, "cancel-refusals")
    copy_id = ecs("CopyImage", RegionId=REGION, ImageId=source, DestinationRegionId=DESTINATION)["ImageId"]
    assert ecs.error("CancelCopyImage", RegionId=DESTINATION, ImageId=copy_id) == ("IncorrectImageStatus", 400)
    assert ecs.error("CancelCopyImage", RegionId=REGION, ImageId=source) == ("ImageCreatedNotFromCopy", 400)
    assert ecs.error("CancelCopyImage", RegionId=REGION, ImageId=copy_id) == ("InvalidImageId.NotFound", 404)


def test_copy_refusals(ecs):
    source = custom_image(ecs, "copy-refusals")
    copy = dict(RegionId=REGION, ImageId=source, DestinationRegionId=DESTINATION)
    assert ecs.error("CopyImage", **{**copy, "DestinationRegionId": "xx-nowhere"}) == \
        ("DestinationRegion.NotFound", 400)
    assert ecs.error("CopyImage", **copy, DestinationImageName="1bad") == ("InvalidImageName.Malformed", 400)
    assert ecs.error("CopyImage", **copy, DestinationDescription="http://x") == ("InvalidDescription.Malformed", 400)
    assert ecs.error("CopyImage", **copy, **{"Tag.1.Key": "acs:reserved"}) == ("InvalidTagKey.Malformed", 400)
    assert ecs.error("CopyImage", **copy, **{"Tag.1.Key": "k", "Tag.1.Value": "http://v"})[0] == \
        "InvalidTagValue.Malformed"
    assert ecs.error("CopyImage", **copy, **{"Tag.1.Key": "k", "Tag.2.Key": "k"})[0] == "Duplicate.TagKey"
    assert ecs.error("CopyImage", **copy, ResourceGroupId="rg-NO") == ("InvalidResourceGroup.NotFound", 404)
    assert ecs.error("CopyImage", **{**copy, "ImageId": "m-none"}) == ("InvalidImageId.NotFound", 404)
    assert ecs.error("CopyImage", **{**copy, "ImageId": "ubuntu_22_04_x64_20G_alibase_20240926.vhd"}) == \
        ("InvalidImageId.NotFound", 404)
    assert ecs.error("CopyImage", **copy, Encrypted="true") == ("UnsupportedParameter", 400)
    assert ecs.error("CopyImage", **copy, DryRun="true") == ("DryRunOperation", 400)
    assert ecs("DescribeImages", RegionId=DESTINATION, ImageOwnerAlias="self", Status="ALL")["TotalCount"] == \
        _copies_so_far(ecs)
    ecs("CopyImage", **copy, DestinationImageName="taken-there")
    assert ecs.error("CopyImage", **copy, DestinationImageName="taken-there") == \
        ("InvalidImageName.Duplicated", 400)
    with pytest.raises(ClientException) as raised:
        ecs.tea().copy_image(ecs_models.CopyImageRequest(region_id=REGION, destination_region_id=DESTINATION))
    assert raised.value.code == "MissingParameter" and raised.value.status_code == 400


def _copies_so_far(ecs):
    return len([i for i in ecs("DescribeImages", RegionId=DESTINATION, ImageOwnerAlias="self", Status="ALL",
                               PageSize=100)["Images"]["Image"]])


def test_a_shared_image_can_be_copied_by_the_account_it_is_shared_with(ecs):
    other = Ecs(ecs.server, key=OTHER_KEY)
    source = custom_image(ecs, "shared-then-copied")
    assert other.error("CopyImage", RegionId=REGION, ImageId=source) == ("InvalidImageId.NotFound", 404)
    ecs("ModifyImageSharePermission", RegionId=REGION, ImageId=source, **{"AddAccount.1": OTHER_KEY.account_id})
    copy_id = other("CopyImage", RegionId=REGION, ImageId=source, DestinationImageName="mine-now")["ImageId"]
    mine = other("DescribeImages", RegionId=REGION, ImageId=copy_id, ImageOwnerAlias="self")["Images"]["Image"]
    assert [(i["ImageOwnerId"], i["ImageName"]) for i in mine] == [(int(OTHER_KEY.account_id), "mine-now")]
    ecs("ModifyImageSharePermission", RegionId=REGION, ImageId=source, **{"RemoveAccount.1": OTHER_KEY.account_id})
    other("StopInstance", InstanceId=(instance_id := other.run_instance(ImageId=copy_id)))
    disk_id = next(d["DiskId"] for d in other.disks_of(instance_id) if d["Type"] == "system")
    other("ReInitDisk", DiskId=disk_id)   # the copy is its own: unsharing the source changes nothing
