"""``alicloud_image`` (terraform-calls.md §2.9), from a system-disk snapshot:

    resource "alicloud_image" "img" { snapshot_id = "s-…"  image_name = "tf-image-…" }
    resource "alicloud_image" "img" { instance_id = "i-…"  image_name = "tf-image-…"
                                      description = "made by terraform"  tags = { Created = "terraform" } }

DescribeImages (R) carries ``ImageId``, ``RegionId`` and the undocumented ``Status=ALL`` in
the query, not the body; DeleteImage and ModifyImageAttribute carry ``ImageId`` there too.
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from tests.ecsclient import REGION

from .reading import ARRAY, BOOL, OBJECT, STRING
from .replay import EMPTY, Call, Gone, Resource, Set, Wait, cycle, destroy_twice
from .services import group_update, tags_update

IMAGE_TYPES = {"Images.Image": ARRAY, "Images.Image[].ImageId": STRING, "Images.Image[].Usable": BOOL,
               "Images.Image[].Status": STRING, "Images.Image[].Features": OBJECT,
               "Images.Image[].DiskDeviceMappings.DiskDeviceMapping": ARRAY, "Images.Image[].Tags.Tag": ARRAY}
ALL = {"ImageId": "{image_id}", "RegionId": "{region}", "Status": "ALL"}
# describeEcsImage: InvalidImageId.NotFound is not found; EcsImageStateRefreshFunc (V2) makes that state "".
DESCRIBE = Call("R", "DescribeImages", query=ALL, types=IMAGE_TYPES, ok=("InvalidImageId.NotFound",))

IMAGE = Resource(
    "alicloud_image",
    create=(
        Call("R", "CreateImage", {"RegionId": "{region}", "ClientToken": "{token_CreateImage}",
                                  "Architecture": "x86_64", "ImageName": "{name}", "SnapshotId": "{snapshot_id}",
                                  "InstanceId": "{instance_id}", "Description": "{description_sent}",
                                  "Tag": "{tag_sent}"},
             retry=("IncorrectInstanceStatus",), save={"image_id": "ImageId"}),
        # The state is fmt.Sprint(Usable): a Status of Available is not enough.
        Wait(DESCRIBE, "Images.Image", "Usable", target=("true",), empty_state="",
             abort={"Status": ("CreateFailed",)}),
    ),
    read=(Call("R", "DescribeImages", query=ALL, found="Images.Image", types=IMAGE_TYPES,
               expect={"Images.Image[0].ImageId": "{image_id}",
                       "Images.Image[0].ImageName": "{name}",
                       "Images.Image[0].Architecture": "x86_64",  # ForceNew, default x86_64
                       "Images.Image[0].Description": "{description}",
                       "Images.Image[0].ImageFamily": EMPTY,       # Optional, not Computed
                       "Images.Image[0].ImageVersion": EMPTY,      # ForceNew, not Computed
                       "Images.Image[0].Usable": True,
                       "Images.Image[0].Status": "Available",
                       "Images.Image[0].DiskDeviceMappings.DiskDeviceMapping[0].SnapshotId": "{mapped_snapshot}",
                       "Images.Image[0].ResourceGroupId": "{resource_group_id}",
                       "Images.Image[0].Tags.Tag": "{tags}"}),),
    update=(
        Set({"description": "changed by terraform"}),
        Call("R", "ModifyImageAttribute", {"RegionId": "{region}", "Description": "{description}"},
             query={"ImageId": "{image_id}"}),
        # On every update: wait until DescribeImages shows the configured description.
        Wait(DESCRIBE, "Images.Image", "Description", target=("{description}",)),
    ),
    delete=(
        Call("L", "DescribeImages", {"RegionId": "{region}", "ImageId": "{image_id}",
                                     "Status": "Creating,Waiting,Available,UnAvailable,CreateFailed"},
             done_if_empty="Images.Image"),
        Call("R", "DeleteImage", {"RegionId": "{region}", "Force": False}, query={"ImageId": "{image_id}"}),
        Wait(DESCRIBE, "Images.Image", "ImageId", target=("",), empty_state=""),
    ),
    gone=(Gone(Call("R", "DescribeImages", query=ALL), "Images.Image"),),
)


def configured(*, snapshot_id: str | None = None, instance_id: str | None = None, description: str | None = None,
               tags: dict[str, str] | None = None) -> dict:
    return {"region": REGION, "name": f"tf-image-{uuid.uuid4().hex[:12]}", "snapshot_id": snapshot_id,
            "instance_id": instance_id, "mapped_snapshot": snapshot_id or (lambda made: made.startswith("s-")),
            "description_sent": description, "description": description or "",
            "tag_sent": [{"Key": k, "Value": v} for k, v in tags.items()] if tags else None,
            "tags": [{"TagKey": k, "TagValue": v} for k, v in (tags or {}).items()], "resource_group_id": EMPTY}


@pytest.fixture
def values(snapshot_id) -> dict:
    return configured(snapshot_id=snapshot_id)


def test_from_an_instance_with_everything_set(wire, instance_id):
    cycle(wire, IMAGE, configured(instance_id=instance_id, description="made by terraform",
                                  tags={"Created": "terraform"}))


def test_apply_plan_destroy(wire, values):
    cycle(wire, IMAGE, values)


def test_destroy_twice(wire, values):
    destroy_twice(wire, IMAGE, values)


# On every update, after the calls: wait until DescribeImages shows the configured description.
DESCRIBED = Wait(DESCRIBE, "Images.Image", "Description", target=("{description}",))


@pytest.mark.parametrize("update", [(*tags_update("image", "{image_id}"), DESCRIBED),
                                    (*group_update("image", "{image_id}", id_in_query=True), DESCRIBED)],
                         ids=["tags", "resource_group_id"])
def test_update_tags_and_group(wire, values, update):
    cycle(wire, dataclasses.replace(IMAGE, update=update), values, update=True)


def test_update_description(wire, values):
    cycle(wire, IMAGE, values, update=True)
