"""Images through the official SDKs: the public catalogue, custom images from snapshots,
mappings and instances, running instances from them, deleting them, on each store."""

import json

import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkecs.request.v20140526.CreateImageRequest import CreateImageRequest
from aliyunsdkecs.request.v20140526.DescribeImagesRequest import DescribeImagesRequest

from ecsemu.catalog.images import PUBLIC_IMAGES
from tests.ecsclient import LINUX_IMAGE, REGION, WINDOWS_IMAGE, Ecs, advance, control

UBUNTU_24 = "ubuntu_24_04_x64_20G_alibase_20240923.vhd"
WINDOWS_IDS = {image.image_id for image in PUBLIC_IMAGES if image.os_type == "windows"}


def disk_of(ecs, instance_id, kind="system") -> str:
    return next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == kind)


def images(ecs, **params) -> list[dict]:
    return ecs("DescribeImages", **{"RegionId": ecs.region, "PageSize": 100, **params})["Images"]["Image"]


def image(ecs, image_id, status="ALL") -> dict:
    found = images(ecs, ImageId=image_id, Status=status)
    assert len(found) == 1, found
    return found[0]


def message(ecs, action, **params) -> str:
    try:
        ecs(action, **params)
    except ServerException as exc:
        return exc.get_error_msg()
    raise AssertionError(f"{action} succeeded")


def mappings(view) -> list[tuple]:
    return [(m["Device"], m["Type"], m["Size"], m["SnapshotId"])
            for m in view["DiskDeviceMappings"]["DiskDeviceMapping"]]


_names = iter(range(10**6))


def name() -> str:
    return f"image-{next(_names)}"


@pytest.fixture(scope="module")
def made(ecs):
    """A running instance with a 30 GiB data disk, and an accomplished snapshot of each disk."""
    instance_id = ecs.run_instance(**{"DataDisk.1.Size": 30})
    system = ecs("CreateSnapshot", DiskId=disk_of(ecs, instance_id))["SnapshotId"]
    data = ecs("CreateSnapshot", DiskId=disk_of(ecs, instance_id, "data"))["SnapshotId"]
    return {"instance": instance_id, "system": system, "data": data}


# --- the public catalogue --------------------------------------------------------------------

def test_public_catalogue(ecs):
    request = DescribeImagesRequest()     # the typed request of aliyun-python-sdk-ecs
    request.set_endpoint(ecs.server.endpoint)
    request.set_ImageOwnerAlias("system")
    request.set_PageSize(100)
    body = json.loads(ecs.client.do_action_with_exception(request))
    assert body["TotalCount"] == len(PUBLIC_IMAGES) and body["RegionId"] == REGION
    seen = {view["ImageId"]: view for view in body["Images"]["Image"]}
    assert set(seen) == {image.image_id for image in PUBLIC_IMAGES}
    ubuntu = seen[LINUX_IMAGE]
    assert (ubuntu["OSType"], ubuntu["Platform"], ubuntu["Architecture"], ubuntu["Size"]) == \
        ("linux", "Ubuntu", "x86_64", 20)
    assert (ubuntu["Status"], ubuntu["Progress"], ubuntu["Usable"], ubuntu["IsPublic"], ubuntu["ImageOwnerAlias"]) == \
        ("Available", "100%", True, True, "system")
    assert (ubuntu["OSNameEn"], ubuntu["ImageFamily"], ubuntu["CreationTime"]) == \
        ("Ubuntu  22.04 64 bit", "acs:ubuntu_22_04_x64", "2024-09-26T00:00:00Z")
    assert mappings(ubuntu) == [("/dev/xvda", "system", "20", "")]
    assert seen[WINDOWS_IMAGE]["OSType"] == "windows"
    # every region has them
    assert len(images(Ecs(ecs.server, region="eu-central-1"), ImageOwnerAlias="system")) == len(PUBLIC_IMAGES)


@pytest.mark.parametrize("params, expected", [
    ({"OSType": "windows"}, WINDOWS_IDS),
    ({"ImageName": "UBUNTU"}, {LINUX_IMAGE, UBUNTU_24}),
    ({"ImageId": f"{LINUX_IMAGE}, {UBUNTU_24}"}, {LINUX_IMAGE, UBUNTU_24}),
    ({"ImageFamily": "acs:ubuntu_24_04_x64"}, {UBUNTU_24}),
    ({"Architecture": "arm64"}, set()),
    ({"IsPublic": True}, {image.image_id for image in PUBLIC_IMAGES}),
    ({"InstanceType": "ecs.g7.large"}, {image.image_id for image in PUBLIC_IMAGES}),
    ({"Status": "Creating"}, set()),
    ({"Tag.1.Key": "team"}, set()),
])
def test_public_filters(ecs, params, expected):
    assert {view["ImageId"] for view in images(ecs, ImageOwnerAlias="system", **params)} == expected


@pytest.mark.parametrize("params, expected", [
    ({"ImageOwnerAlias": "friends"}, ("InvalidImageOwnerAlias.ValueNotSupported", 400)),
    ({"OSType": "macos"}, ("InvalidOSType", 404)),
    ({"Architecture": "sparc"}, ("InvalidArchitecture", 404)),
    ({"Usage": "busy"}, ("InvalidUsage", 404)),
    ({"InstanceType": "ecs.nothing"}, ("InvalidInstanceType.ValueNotSupported", 400)),
    ({"Status": "Ready"}, ("InvalidParameter", 400)),
    ({"Status": "ALL,Available"}, ("InvalidParameter", 400)),
    ({"PageSize": 101}, ("InvalidParameter", 400)),
    ({"DryRun": True}, ("DryRunOperation", 400)),
])
def test_describe_errors(ecs, params, expected):
    assert ecs.error("DescribeImages", **{"RegionId": REGION, **params}) == expected


# --- CreateImage from a snapshot -------------------------------------------------------------

def test_image_from_a_snapshot_creating_then_available(manual):
    instance_id = manual.run_instance()
    advance(manual, 3)
    snapshot_id = manual("CreateSnapshot", DiskId=disk_of(manual, instance_id))["SnapshotId"]
    assert manual.error("CreateImage", RegionId=REGION, SnapshotId=snapshot_id) == ("InvalidSnapshotId.NotReady", 403)
    advance(manual, 4)
    image_id = manual("CreateImage", RegionId=REGION, SnapshotId=snapshot_id, ImageName="web-base",
                      Description="the web tier", **{"Tag.1.Key": "tier", "Tag.1.Value": "web"})["ImageId"]
    assert image_id.startswith("m-bp")

    assert images(manual, ImageId=image_id) == []      # Status defaults to Available
    creating = image(manual, image_id, status="Creating")
    assert (creating["Status"], creating["Progress"], creating["Usable"]) == ("Creating", "0%", False)
    assert creating["DiskDeviceMappings"]["DiskDeviceMapping"][0]["RemainTime"] == 4
    assert manual.error("RunInstances", RegionId=REGION, ImageId=image_id, InstanceType="ecs.g7.large",
                        SecurityGroupId=manual.security_group(),
                        VSwitchId=manual.vswitch()) == ("InvalidImageId.NotFound", 404)
    assert manual.error("DeleteImage", RegionId=REGION, ImageId=image_id) == ("ImageIsCreating", 403)
    advance(manual, 2)
    assert image(manual, image_id, status="creating,Available")["Progress"] == "50%"
    advance(manual, 2)

    done = image(manual, image_id, status="Available")
    assert (done["Status"], done["Progress"], done["Usable"], done["ImageName"], done["Description"]) == \
        ("Available", "100%", True, "web-base", "the web tier")
    assert (done["OSType"], done["Platform"], done["OSName"], done["OSNameEn"], done["Architecture"]) == \
        ("linux", "Ubuntu", "Ubuntu  22.04 64位", "Ubuntu  22.04 64 bit", "x86_64")
    assert (done["Size"], done["IsPublic"], done["ImageOwnerAlias"], done["Usage"]) == (40, False, "self", "none")
    assert mappings(done) == [("/dev/xvda", "system", "40", snapshot_id)]
    assert done["Tags"]["Tag"] == [{"TagKey": "tier", "TagValue": "web"}]
    assert manual("DescribeSnapshots", RegionId=REGION, SnapshotIds=[snapshot_id])["Snapshots"]["Snapshot"][0][
        "Usage"] == "image"


def test_image_from_a_snapshot_refusals(ecs, made):
    assert ecs.error("CreateImage", RegionId=REGION, SnapshotId=made["data"]) == ("OperationDenied", 403)
    assert message(ecs, "CreateImage", RegionId=REGION, SnapshotId=made["data"]) == \
        "The specified parameter DiskDeviceMapping.n.SnapshotId does not contain system disk snapshot."
    assert ecs.error("CreateImage", RegionId=REGION, SnapshotId="s-bpnothing0000000000") == \
        ("InvalidSnapshotId.NotFound", 404)
    assert ecs.error("CreateImage", RegionId="cn-shanghai", SnapshotId=made["system"]) == \
        ("InvalidSnapshotId.NotFound", 404)
    old = ecs("CreateSnapshot", DiskId=disk_of(ecs, ecs.run_instance()))["SnapshotId"]
    control(ecs.server, "PATCH", f"/snapshots/{old}", {"CreationTime": "2013-07-01T00:00:00Z"})
    assert ecs.error("CreateImage", RegionId=REGION, SnapshotId=old) == ("InvalidSnapshot.TooOld", 403)


@pytest.mark.parametrize("params, expected", [
    ({}, ("MissingParameter", 400)),
    ({"SnapshotId": "s", "ImageName": "x"}, ("InvalidImageName.Malformed", 400)),
    ({"SnapshotId": "s", "ImageName": "https://images.example"}, ("InvalidImageName.Malformed", 400)),
    ({"SnapshotId": "s", "Description": "x"}, ("InvalidDescription.Malformed", 400)),
    ({"SnapshotId": "s", "Platform": "Plan 9"}, ("InvalidPlatform.Malformed", 400)),
    ({"SnapshotId": "s", "Architecture": "sparc"}, ("InvalidArchitecture.Malformed", 400)),
    ({"SnapshotId": "s", "Tag.1.Key": "acs:x"}, ("InvalidTagKey.Malformed", 400)),
    ({"SnapshotId": "s", "DryRun": True}, ("DryRunOperation", 400)),
    ({"InstanceId": "i-bpnothing0000000000"}, ("InvalidInstanceId.NotFound", 404)),
    ({"SnapshotId": "s", "RegionId": "mars-1"}, ("InvalidRegionId.NotFound", 404)),
])
def test_create_parameter_errors(ecs, made, params, expected):
    if params.get("SnapshotId") == "s":
        params = {**params, "SnapshotId": made["system"]}
    assert ecs.error("CreateImage", **{"RegionId": REGION, **params}) == expected


def test_names_are_unique_in_a_region(ecs, made):
    ecs("CreateImage", RegionId=REGION, SnapshotId=made["system"], ImageName="golden")
    assert ecs.error("CreateImage", RegionId=REGION, SnapshotId=made["system"], ImageName="golden") == \
        ("InvalidImageName.Duplicated", 400)


def test_explicit_platform_and_architecture(ecs, made):
    image_id = ecs("CreateImage", RegionId=REGION, SnapshotId=made["system"], ImageName=name(),
                   Platform="centos", Architecture="arm64")["ImageId"]
    view = image(ecs, image_id)
    assert (view["Platform"], view["OSType"], view["Architecture"], view["OSName"]) == \
        ("CentOS", "linux", "arm64", "CentOS 64位")
    assert image_id in {v["ImageId"] for v in images(ecs, Architecture="arm64")}


# --- CreateImage from disk mappings ----------------------------------------------------------

def test_disk_device_mappings(ecs, made):
    image_id = ecs("CreateImage", RegionId=REGION, ImageName=name(), **{
        "DiskDeviceMapping.1.SnapshotId": made["data"],
        "DiskDeviceMapping.2.SnapshotId": made["system"],
        "DiskDeviceMapping.3.Size": 50, "DiskDeviceMapping.3.Device": "/dev/xvdd",
        "DiskDeviceMapping.4.SnapshotId": made["data"], "DiskDeviceMapping.4.Size": 64,
    })["ImageId"]
    assert mappings(image(ecs, image_id)) == [
        ("/dev/xvda", "system", "40", made["system"]), ("/dev/xvdb", "data", "30", made["data"]),
        ("/dev/xvdd", "data", "50", ""), ("/dev/xvdc", "data", "64", made["data"])]
    assert image(ecs, image_id)["Size"] == 40
    assert {v["ImageId"] for v in images(ecs, SnapshotId=made["data"])} >= {image_id}


@pytest.mark.parametrize("mapping, expected", [
    ({"1.SnapshotId": "data"}, ("OperationDenied", 403)),
    ({"1.SnapshotId": "system", "2.SnapshotId": "system"}, ("OperationDenied", 403)),
    ({"1.SnapshotId": "system", "2.Size": 20, "2.DiskType": "system"}, ("OperationDenied", 403)),
    ({"1.SnapshotId": "system", "1.Device": "/dev/sda"}, ("InvalidDevice.Malformed", 400)),
    ({"1.SnapshotId": "system", "1.Device": "/dev/xvdb"}, ("InvalidDevice.Malformed", 400)),
    ({"1.SnapshotId": "system", "2.SnapshotId": "data", "2.Device": "/dev/xvda"}, ("InvalidDevice.Malformed", 400)),
    ({"1.SnapshotId": "system", "2.Size": 20, "2.Device": "/dev/xvdc", "3.Size": 20, "3.Device": "/dev/xvdc"},
     ("InvalidDevice.InUse", 400)),
    ({"1.SnapshotId": "system", "1.Size": 30}, ("InvalidSize.ValueNotSupported", 400)),
    ({"1.SnapshotId": "system", "2.Size": 1}, ("InvalidSize.ValueNotSupported", 400)),
    ({"1.SnapshotId": "system", "2.DiskType": "boot"}, ("InvalidDiskType.ValueNotSupported", 400)),
    ({"1.SnapshotId": "s-bpnothing0000000000"}, ("InvalidSnapshotId.NotFound", 404)),
    ({f"{n}.Size": 20 for n in range(1, 19)}, ("InvalidParameter", 400)),
])
def test_disk_device_mapping_refusals(ecs, made, mapping, expected):
    params = {f"DiskDeviceMapping.{key}": made.get(value, value) if key.endswith("SnapshotId") else value
              for key, value in mapping.items()}
    assert ecs.error("CreateImage", RegionId=REGION, **params) == expected


# --- CreateImage from an instance ------------------------------------------------------------

def test_image_from_an_instance(ecs):
    instance_id = ecs.run_instance(**{"DataDisk.1.Size": 30})
    ecs("StopInstance", InstanceId=instance_id)            # Stopped will do as well as Running
    image_id = ecs("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName=name())["ImageId"]
    taken = ecs("DescribeSnapshots", RegionId=REGION, InstanceId=instance_id)["Snapshots"]["Snapshot"]
    by_disk = {s["SourceDiskId"]: s for s in taken}
    assert set(by_disk) == {disk_of(ecs, instance_id), disk_of(ecs, instance_id, "data")}
    assert {(s["Usage"], s["Status"]) for s in taken} == {("image", "accomplished")}
    view = image(ecs, image_id, status="Available")
    assert mappings(view) == [
        ("/dev/xvda", "system", "40", by_disk[disk_of(ecs, instance_id)]["SnapshotId"]),
        ("/dev/xvdb", "data", "30", by_disk[disk_of(ecs, instance_id, "data")]["SnapshotId"])]
    assert (view["Platform"], view["OSType"], view["Size"]) == ("Ubuntu", "linux", 40)

    windows = ecs.run_instance(ImageId=WINDOWS_IMAGE)
    view = image(ecs, ecs("CreateImage", RegionId=REGION, InstanceId=windows)["ImageId"])
    assert (view["OSType"], view["Platform"], view["ImageName"]) == ("windows", "Windows Server 2022", view["ImageId"])
    assert view["OSNameEn"] == "Windows Server  2022 Data Center Edition 64bit English Edition"


def test_image_from_an_instance_preconditions(manual):
    instance_id = manual.run_instance()
    assert manual.error("CreateImage", RegionId=REGION, InstanceId=instance_id) == ("IncorrectInstanceStatus", 400)
    assert message(manual, "CreateImage", RegionId=REGION, InstanceId=instance_id) == \
        "The current status of the instance does not support this operation."
    advance(manual, 3)
    control(manual.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "security"})
    assert manual.error("CreateImage", RegionId=REGION, InstanceId=instance_id) == ("InstanceLockedForSecurity", 400)
    control(manual.server, "DELETE", f"/instances/{instance_id}/locks/security")
    manual("CreateSnapshot", DiskId=disk_of(manual, instance_id))
    assert manual.error("CreateImage", RegionId=REGION, InstanceId=instance_id) == \
        ("IncorrectDiskStatus.CreatingSnapshot", 403)
    advance(manual, 4)

    image_id = manual("CreateImage", RegionId=REGION, InstanceId=instance_id)["ImageId"]
    taken = manual("DescribeSnapshots", RegionId=REGION, InstanceId=instance_id, Usage="image")["Snapshots"]["Snapshot"]
    assert [s["Status"] for s in taken] == ["progressing"]
    advance(manual, 4)          # the snapshot is done; the image takes its own time after it
    assert image(manual, image_id)["Status"] == "Creating"
    advance(manual, 4)
    assert image(manual, image_id)["Status"] == "Available"


# --- using and deleting custom images ------------------------------------------------------------

def test_run_instances_from_a_custom_image(ecs):
    source = ecs.run_instance()
    image_id = ecs("CreateImage", RegionId=REGION, InstanceId=source, ImageName=name())["ImageId"]
    instance_id = ecs.run_instance(ImageId=image_id)
    instance = ecs.instance(instance_id)
    assert (instance["Status"], instance["ImageId"], instance["OSType"]) == ("Running", image_id, "linux")
    system = next(d for d in ecs.disks_of(instance_id) if d["Type"] == "system")
    assert (system["ImageId"], system["Size"]) == (image_id, 40)
    assert image(ecs, image_id)["Usage"] == "instance"
    assert image_id in {v["ImageId"] for v in images(ecs, Usage="instance")}
    assert image_id not in {v["ImageId"] for v in images(ecs, Usage="none")}
    assert ecs.error("RunInstances", RegionId=REGION, ImageId=image_id, InstanceType="ecs.g7.large",
                     SecurityGroupId=ecs.security_group(), VSwitchId=ecs.vswitch(), **{"SystemDisk.Size": 30}) == \
        ("InvalidSystemDiskSize.LessThanImageSize", 404)
    shanghai = Ecs(ecs.server, region="cn-shanghai")
    assert shanghai.error("RunInstances", RegionId="cn-shanghai", ImageId=image_id, InstanceType="ecs.g7.large",
                          SecurityGroupId=shanghai.security_group(), VSwitchId=shanghai.vswitch()) == \
        ("InvalidImageId.NotFound", 404)


def test_delete_rules(ecs):
    source = ecs.run_instance()
    image_id = ecs("CreateImage", RegionId=REGION, InstanceId=source, ImageName=name())["ImageId"]
    user = ecs.run_instance(ImageId=image_id)
    assert ecs.error("DeleteImage", RegionId=REGION, ImageId=image_id) == ("ImageUsingByInstance", 403)
    assert message(ecs, "DeleteImage", RegionId=REGION, ImageId=image_id) == \
        "The specified image has been used to create instances."
    assert ecs.error("DeleteImage", RegionId="cn-shanghai", ImageId=image_id, Force=True) == \
        ("InvalidImageId.NotFound", 404)
    assert ecs.error("DeleteImage", RegionId=REGION, ImageId=image_id, Force=True, DryRun=True) == \
        ("DryRunOperation", 400)
    ecs("DeleteImage", RegionId=REGION, ImageId=image_id, Force=True)
    assert images(ecs, ImageId=image_id, Status="ALL") == []
    assert ecs.instance(user)["ImageId"] == image_id          # the instance keeps running from it
    snapshot_id = ecs("DescribeSnapshots", RegionId=REGION, InstanceId=source)["Snapshots"]["Snapshot"][0]
    assert snapshot_id["Usage"] == "none"                      # the image's snapshot stays, now unused
    ecs("DeleteSnapshot", SnapshotId=snapshot_id["SnapshotId"])

    assert ecs.error("DeleteImage", RegionId=REGION, ImageId=image_id) == ("InvalidImageId.NotFound", 404)
    assert ecs.error("DeleteImage", RegionId=REGION, ImageId=LINUX_IMAGE, Force=True) == \
        ("InvalidImageId.NotFound", 404)
    assert ecs.error("DeleteImage", RegionId=REGION) == ("MissingParameter", 400)


# --- describing ------------------------------------------------------------------------------

def test_paging_and_owner_filters(ecs):
    beijing = Ecs(ecs.server, region="cn-beijing")
    instance_id = beijing.run_instance()
    snapshot_id = beijing("CreateSnapshot", DiskId=disk_of(beijing, instance_id))["SnapshotId"]
    made = [beijing("CreateImage", RegionId="cn-beijing", SnapshotId=snapshot_id, ImageName=f"build-{n}",
                    **({"Tag.1.Key": "pick", "Tag.1.Value": "me"} if n == 3 else {}))["ImageId"]
            for n in range(12)]
    pages = [beijing("DescribeImages", RegionId="cn-beijing", ImageOwnerAlias="self", PageSize=5, PageNumber=n)
             for n in (1, 2, 3)]
    assert [(p["TotalCount"], p["PageNumber"], p["PageSize"]) for p in pages] == [(12, 1, 5), (12, 2, 5), (12, 3, 5)]
    assert [v["ImageId"] for p in pages for v in p["Images"]["Image"]] == made
    everything = beijing("DescribeImages", RegionId="cn-beijing")
    assert (everything["TotalCount"], len(everything["Images"]["Image"])) == (12 + len(PUBLIC_IMAGES), 10)
    assert {v["ImageId"] for v in images(beijing, IsPublic=False)} == set(made)
    assert {v["ImageId"] for v in images(beijing, ImageOwnerAlias="others")} == set()
    assert {v["ImageId"] for v in images(beijing, **{"Tag.1.Key": "pick", "Tag.1.Value": "me"})} == {made[3]}
    assert {v["ImageId"] for v in images(beijing, ImageName="build-1")} == {made[1], made[10], made[11]}
    assert {v["ImageId"] for v in images(beijing, ImageOwnerId=1234567890123456)} == set(made)
    assert images(ecs, ImageId=made[0], Status="ALL") == []      # another region


def test_accounts_are_isolated(ecs, other, made):
    image_id = ecs("CreateImage", RegionId=REGION, SnapshotId=made["system"], ImageName=name())["ImageId"]
    assert images(other, ImageId=image_id, Status="ALL") == []
    assert {v["ImageId"] for v in images(other, ImageOwnerAlias="self")} == set()
    assert len(images(other, ImageOwnerAlias="system")) == len(PUBLIC_IMAGES)
    assert other.error("DeleteImage", RegionId=REGION, ImageId=image_id) == ("InvalidImageId.NotFound", 404)
    assert other.error("CreateImage", RegionId=REGION, SnapshotId=made["system"]) == \
        ("InvalidSnapshotId.NotFound", 404)
    assert other.error("CreateImage", RegionId=REGION, InstanceId=made["instance"]) == \
        ("InvalidInstanceId.NotFound", 404)
    assert other.error("RunInstances", RegionId=REGION, ImageId=image_id, InstanceType="ecs.g7.large",
                       SecurityGroupId=other.security_group(),
                       VSwitchId=other.vswitch()) == ("InvalidImageId.NotFound", 404)
    assert image(ecs, image_id)["Status"] == "Available"


def test_the_new_sdk_creates_describes_and_deletes(ecs, made):
    from alibabacloud_ecs20140526 import models
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi.models import Config as TeaConfig

    client = Client(TeaConfig(access_key_id="testid", access_key_secret="testsecret", region_id=REGION,
                              endpoint=ecs.server.endpoint, protocol="http"))
    image_id = client.create_image(models.CreateImageRequest(
        region_id=REGION, image_name="v3-image", platform="Ubuntu",
        disk_device_mapping=[models.CreateImageRequestDiskDeviceMapping(snapshot_id=made["system"]),
                             models.CreateImageRequestDiskDeviceMapping(snapshot_id=made["data"], size=40)],
        tag=[models.CreateImageRequestTag(key="env", value="test")])).body.image_id
    body = client.describe_images(models.DescribeImagesRequest(region_id=REGION, image_id=image_id)).body
    assert body.total_count == 1
    seen = body.images.image[0]
    assert (seen.image_name, seen.status, seen.usable, seen.size, seen.image_owner_alias) == \
        ("v3-image", "Available", True, 40, "self")
    assert [(m.device, m.size, m.snapshot_id) for m in seen.disk_device_mappings.disk_device_mapping] == \
        [("/dev/xvda", "40", made["system"]), ("/dev/xvdb", "40", made["data"])]
    assert [(t.tag_key, t.tag_value) for t in seen.tags.tag] == [("env", "test")]
    client.delete_image(models.DeleteImageRequest(region_id=REGION, image_id=image_id))
    assert client.describe_images(models.DescribeImagesRequest(
        region_id=REGION, image_id=image_id, status="ALL")).body.total_count == 0

    request = CreateImageRequest()    # and the typed request of the old SDK
    request.set_endpoint(ecs.server.endpoint)
    request.set_SnapshotId(made["system"])
    request.set_ImageName(name())
    image_id = json.loads(ecs.client.do_action_with_exception(request))["ImageId"]
    assert image(ecs, image_id)["Status"] == "Available"
