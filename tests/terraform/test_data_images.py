"""data ``alicloud_images`` (terraform-calls.md §4.3):

    data "alicloud_images" "all"  { }                    # Status = "Available" by default
    data "alicloud_images" "mine" { owners = "self" }    # the changed argument

DescribeImages (L) pages from ``PageNumber=1`` with ``PageSize=100``, asking for the next
page whenever one holds 50 or more; then DescribeTags (L) once per image, its errors dropped.
"""

from __future__ import annotations

import uuid

import pytest

from tests.ecsclient import REGION

from .reading import ARRAY, STRING
from .replay import Call, Each, Pages, Resource, Set, cycle

IMAGE_TYPES = {"Images.Image": ARRAY, "Images.Image[].ImageId": STRING, "Images.Image[].ImageName": STRING,
               "Images.Image[].CreationTime": STRING,
               "Images.Image[].DiskDeviceMappings.DiskDeviceMapping": ARRAY}


def _listed(images: list, values: dict) -> None:
    assert images, "no image: every configuration indexing images.0.id fails"
    ids = [image["ImageId"] for image in images]
    assert len(ids) == len(set(ids)), "an image on two pages"
    assert all(image["Status"] == "Available" for image in images)
    if values["owners"]:
        assert {image["ImageOwnerAlias"] for image in images} == {values["owners"]}
        assert values["image_id"] in ids


def images(*, tags_must_answer: bool) -> Resource:
    read = (
        Pages(Call("L", "DescribeImages", {"RegionId": "{region}", "PageSize": 100, "Status": "Available",
                                           "ImageOwnerAlias": "{owners}"}, types=IMAGE_TYPES),
              "Images.Image", more_from=50, save="images", check=_listed),
        Each("images", Call("L", "DescribeTags", {"RegionId": "{region}", "ResourceType": "image",
                                                  "ResourceId": "{item_ImageId}"},
                            ignore_errors=not tags_must_answer,
                            types={"Tags.Tag": ARRAY, "Tags.Tag[].TagKey": STRING, "Tags.Tag[].TagValue": STRING})),
    )
    return Resource("data.alicloud_images", read=read, update=(Set({"owners": "self"}),))


@pytest.fixture
def image_id(ecs, instance_id):
    image = ecs("CreateImage", RegionId=REGION, InstanceId=instance_id,
                ImageName=f"tf-data-image-{uuid.uuid4().hex[:12]}",
                **{"Tag.1.Key": "Created", "Tag.1.Value": "terraform"})["ImageId"]
    usable = lambda: ecs("DescribeImages", RegionId=REGION, ImageId=image, Status="ALL")["Images"]["Image"][0]  # noqa: E731
    ecs.wait(lambda: usable()["Usable"], True)
    return image


def test_read_twice_then_change_owners(wire, image_id):
    """The provider drops DescribeTags' errors, as here."""
    cycle(wire, images(tags_must_answer=False), {"region": REGION, "owners": "", "image_id": image_id}, update=True)


def test_tags_read_per_image(wire, image_id):
    replay = cycle(wire, images(tags_must_answer=True), {"region": REGION, "owners": "self", "image_id": image_id})
    tags = replay.call(Call("L", "DescribeTags", {"RegionId": REGION, "ResourceType": "image",
                                                  "ResourceId": image_id}))
    assert tags is not None
    assert [(tag["TagKey"], tag["TagValue"]) for tag in tags["Tags"]["Tag"]] == [("Created", "terraform")]
