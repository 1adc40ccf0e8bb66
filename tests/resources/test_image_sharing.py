"""Sharing a custom image with a second account: it sees the image (ImageOwnerAlias=others),
runs an instance from it and re-initialises that instance's system disk; unshared, the
image is gone for it again and ReInitDisk answers as for a deleted image. And
DescribeImageFromFamily over the catalogue's and custom images."""

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import ClientException
from aliyunsdkecs.request.v20140526.DescribeImageSharePermissionRequest import DescribeImageSharePermissionRequest

from ecsemu.accounts import DEVELOPMENT_ACCOUNT_ID
from ecsemu.domain.image_sharing import MAX_SHARED_ACCOUNTS
from tests.conftest import OTHER_KEY
from tests.ecsclient import REGION, advance

OTHER = OTHER_KEY.account_id


def custom_image(ecs, name, **params):
    instance_id = ecs.run_instance()
    ecs("StopInstance", InstanceId=instance_id)
    return ecs("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName=name, **params)["ImageId"]


def seen(ecs, **params):
    return {image["ImageId"]: image for image in ecs("DescribeImages", RegionId=REGION, PageSize=100,
                                                     **params)["Images"]["Image"]}


def system_disk(ecs, instance_id):
    return next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")


def test_a_shared_image_is_seen_used_and_lost_again(ecs, other):
    image_id = custom_image(ecs, "shared-one")
    assert image_id not in seen(other)
    assert other.error("RunInstances", RegionId=REGION, ImageId=image_id, InstanceType="ecs.g7.large",
                       SecurityGroupId=other.security_group(),
                       VSwitchId=other.vswitch()) == ("InvalidImageId.NotFound", 404)

    ecs("ModifyImageSharePermission", RegionId=REGION, ImageId=image_id, **{"AddAccount.1": OTHER})
    view = seen(other, ImageOwnerAlias="others")[image_id]
    assert (view["ImageOwnerAlias"], view["ImageOwnerId"], view["IsPublic"]) == ("others", int(DEVELOPMENT_ACCOUNT_ID),
                                                                                False)
    assert view["IsSupportIoOptimized"] is True and image_id in seen(other)  # the default lists others too
    assert image_id not in seen(other, ImageOwnerAlias="self")
    assert seen(ecs, ImageOwnerAlias="self")[image_id]["ImageOwnerAlias"] == "self"

    instance_id = other.run_instance(ImageId=image_id)
    other("StopInstance", InstanceId=instance_id)
    disk_id = system_disk(other, instance_id)
    other("ReInitDisk", DiskId=disk_id)
    assert other.disk(disk_id)["Status"] == "In_use"

    ecs("ModifyImageSharePermission", RegionId=REGION, ImageId=image_id, **{"RemoveAccount.1": OTHER})
    assert image_id not in seen(other)
    assert other.error("ReInitDisk", DiskId=disk_id) == ("InvalidDiskId.OperationNotSupported", 404)
    assert other.error("ReplaceSystemDisk", InstanceId=instance_id, ImageId=image_id) == \
        ("InvalidImageId.NotFound", 404)


def test_share_permission_is_listed_through_both_sdks(ecs):
    image_id = custom_image(ecs, "listed-shares")
    client = ecs.tea()
    client.modify_image_share_permission(ecs_models.ModifyImageSharePermissionRequest(
        region_id=REGION, image_id=image_id, add_account=[OTHER, "3333444455556666"]))
    request = DescribeImageSharePermissionRequest()
    request.set_ImageId(image_id)
    body = ecs.send(request)
    assert sorted(a["AliyunId"] for a in body["Accounts"]["Account"]) == [OTHER, "3333444455556666"]
    assert body["TotalCount"] == 2 and body["ImageId"] == image_id and body["ShareGroups"]["ShareGroup"] == []
    assert all(a["SharedTime"].endswith("Z") for a in body["Accounts"]["Account"])
    page = client.describe_image_share_permission(ecs_models.DescribeImageSharePermissionRequest(
        region_id=REGION, image_id=image_id, page_size=1, page_number=2)).body
    assert page.total_count == 2 and len(page.accounts.account) == 1
    ecs("ModifyImageSharePermission", RegionId=REGION, ImageId=image_id, **{"RemoveAccount.1": "3333444455556666"})
    assert [a["AliyunId"] for a in ecs("DescribeImageSharePermission", RegionId=REGION, ImageId=image_id)
            ["Accounts"]["Account"]] == [OTHER]


def test_share_refusals(ecs, other):
    image_id = custom_image(ecs, "refusals")
    share = dict(RegionId=REGION, ImageId=image_id)
    assert ecs.error("ModifyImageSharePermission", **share, **{"AddAccount.1": "someone"}) == \
        ("InvalidAccount.NotFound", 404)
    assert ecs.error("ModifyImageSharePermission", **share, **{"AddAccount.1": DEVELOPMENT_ACCOUNT_ID}) == \
        ("InvalidAccount.Forbbiden", 404)
    assert ecs.error("ModifyImageSharePermission", RegionId=REGION, ImageId="m-none",
                     **{"AddAccount.1": OTHER}) == ("InvalidImageId.NotFound", 404)
    # Another account's image (even shared with it) and a public image are not its to share.
    assert other.error("ModifyImageSharePermission", **share, **{"AddAccount.1": "4444"}) == \
        ("InvalidImageId.NotFound", 404)
    assert ecs.error("ModifyImageSharePermission", RegionId=REGION,
                     ImageId="ubuntu_22_04_x64_20G_alibase_20240926.vhd",
                     **{"AddAccount.1": OTHER}) == ("InvalidImageId.NotFound", 404)
    assert ecs.error("ModifyImageSharePermission", **share, IsPublic="true") == ("UnsupportedParameter", 400)
    assert ecs.error("ModifyImageSharePermission", **share, **{"AddAccount.1": OTHER}, DryRun="true") == \
        ("DryRunOperation", 400)
    assert ecs("DescribeImageSharePermission", **share)["TotalCount"] == 0   # the dry run shared nothing
    assert ecs.error("ModifyImageSharePermission", RegionId=REGION) == ("MissingParameter", 400)
    assert ecs.error("DescribeImageSharePermission", RegionId=REGION, ImageId="m-none") == \
        ("InvalidImageId.NotFound", 404)

    for batch in range(MAX_SHARED_ACCOUNTS // 10):  # ten a call, as the real service takes them
        ecs("ModifyImageSharePermission", **share,
            **{f"AddAccount.{n}": str(9000000000000000 + batch * 10 + n) for n in range(1, 11)})
    assert ecs("DescribeImageSharePermission", **share)["TotalCount"] == MAX_SHARED_ACCOUNTS
    assert ecs.error("ModifyImageSharePermission", **share, **{"AddAccount.1": OTHER}) == \
        ("QuotaExceed.ShareImageUser", 403)
    assert ecs("DescribeImageSharePermission", **share)["TotalCount"] == MAX_SHARED_ACCOUNTS


def test_an_image_not_yet_available_is_not_shared(manual):
    instance_id = manual.run_instance()
    advance(manual, 60)
    image_id = manual("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName="creating")["ImageId"]
    assert manual.error("ModifyImageSharePermission", RegionId=REGION, ImageId=image_id,
                        **{"AddAccount.1": OTHER}) == ("IncorrectImageStatus", 400)


def test_deleting_a_shared_image_takes_it_from_the_other_account(ecs, other):
    image_id = custom_image(ecs, "deleted-shared")
    ecs("ModifyImageSharePermission", RegionId=REGION, ImageId=image_id, **{"AddAccount.1": OTHER})
    assert image_id in seen(other)
    ecs("DeleteImage", RegionId=REGION, ImageId=image_id)
    assert image_id not in seen(other)


# --- DescribeImageFromFamily -------------------------------------------------------------------

def test_a_public_family_gives_its_catalogue_image(ecs):
    image = ecs.tea().describe_image_from_family(ecs_models.DescribeImageFromFamilyRequest(
        region_id=REGION, image_family="acs:ubuntu_22_04_x64")).body.image
    assert (image.image_id, image.image_owner_alias, image.status) == \
        ("ubuntu_22_04_x64_20G_alibase_20240926.vhd", "system", "Available")


def test_a_custom_family_gives_its_newest_available_image(ecs, other, manual):
    older = custom_image(ecs, "fam-old", ImageFamily="my-family")
    newer = custom_image(ecs, "fam-new", ImageFamily="my-family")
    assert ecs("DescribeImageFromFamily", RegionId=REGION, ImageFamily="my-family")["Image"]["ImageId"] == newer
    ecs("ModifyImageAttribute", RegionId=REGION, ImageId=newer, Status="Deprecated")
    assert ecs("DescribeImageFromFamily", RegionId=REGION, ImageFamily="my-family")["Image"]["ImageId"] == older
    assert other("DescribeImageFromFamily", RegionId=REGION, ImageFamily="my-family")["Image"] == {}
    ecs("ModifyImageSharePermission", RegionId=REGION, ImageId=older, **{"AddAccount.1": OTHER})
    shared = other("DescribeImageFromFamily", RegionId=REGION, ImageFamily="my-family")["Image"]
    assert (shared["ImageId"], shared["ImageOwnerAlias"]) == (older, "others")
    # A family image still Creating is not the family's yet.
    instance_id = manual.run_instance()
    advance(manual, 60)
    manual("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName="fam-creating", ImageFamily="later")
    assert manual("DescribeImageFromFamily", RegionId=REGION, ImageFamily="later")["Image"] == {}
    advance(manual, 60)
    assert manual("DescribeImageFromFamily", RegionId=REGION, ImageFamily="later")["Image"]["Status"] == "Available"


def test_image_from_family_needs_a_family(ecs):
    with pytest.raises(ClientException) as raised:
        ecs.tea().describe_image_from_family(ecs_models.DescribeImageFromFamilyRequest(region_id=REGION))
    assert raised.value.code == "MissingParameter" and raised.value.status_code == 400
    assert ecs.error("DescribeImageFromFamily", RegionId="xx-none", ImageFamily="f") == \
        ("InvalidRegionId.NotFound", 404)


