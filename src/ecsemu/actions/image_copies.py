"""Copies of custom images: CopyImage, CancelCopyImage.

A copy is a new image (a new ID of the destination region) with the same bytes: its layers
are the source's (layers never change, so sharing them is a copy that costs nothing), and
each snapshot of the source's disk mappings gets a copy of its own in the destination
region (``progressing``, then ``accomplished`` after the snapshot delay). The copy is
``Creating`` until its snapshots are done and the image delay has passed, its ``Progress``
rising meanwhile; CancelCopyImage removes a copy that is still ``Creating``, and its
snapshots with it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..catalog.regions import REGION_IDS
from ..domain import images as image_rules
from ..domain import instances as instance_rules
from ..domain.ids import new_id
from ..domain.status import IMAGE, SNAPSHOT
from ..store import image_shares
from ..store import tags as tag_store
from ..store.images import name_taken, usable_custom_image
from ..store.rows import add, find, remove
from ..store.schema import images, snapshots
from .common import (
    CLIENT_TOKEN,
    DRY_RUN,
    REGION_ID,
    RESOURCE_GROUP_ID,
    TAG,
    dry_run_check,
    resource_group_in,
    tags_in,
)
from .declaration import Action, Args, CallContext
from .images import FAMILY
from .params import Param, Type

# The image columns a copy takes from its source as they are.
_KEPT = ("os_type", "platform", "os_name", "architecture", "size", "image_family", "image_version", "boot_mode",
         "license_type", "nvme_support", "imds_support", "layer_id", "source_instance_id")


# --- CopyImage -------------------------------------------------------------------------------

def copy_image(ctx: CallContext, args: Args) -> dict[str, Any]:
    destination = args["DestinationRegionId"] or args["RegionId"]
    name, description = args["DestinationImageName"], args["DestinationDescription"]
    if name is not None and not image_rules.valid_image_name(name):
        raise errors.COPY_IMAGE_NAME()
    if description is not None and not instance_rules.valid_description(description):
        raise errors.COPY_DESCRIPTION()
    tags = tags_in(args)
    resource_group = resource_group_in(args)
    with ctx.emulator.unit_of_work() as conn:
        source = usable_custom_image(conn, ctx.account_id, args["RegionId"], args["ImageId"])
        if source is None:  # public images among them: only custom images are copied
            raise errors.IMAGE_NOT_FOUND()
        if source.status != "Available":
            raise errors.COPY_IMAGE_STATUS()
        if name is not None and name_taken(conn, ctx.account_id, destination, name):
            raise errors.DESTINATION_NAME_TAKEN()
        dry_run_check(args)

        now = ctx.now()
        delays = ctx.emulator.delays
        image_id = new_id("m", destination)
        mappings = [{**mapping, "SnapshotId": _copy_snapshot(conn, ctx, source, mapping["SnapshotId"], image_id,
                                                             destination, now)}
                    for mapping in source.disk_device_mappings]
        system = next((m["SnapshotId"] for m in mappings if m["Type"] == "system"), None)
        add(conn, images, id=image_id, account_id=ctx.account_id, region_id=destination, created_at=now,
            status="Creating", image_name=name or image_id,
            description=description if description is not None else source.description,
            source_snapshot_id=system or None, disk_device_mappings=mappings,
            completes_at=now + delays.snapshot + delays.image, resource_group_id=resource_group,
            copied_from=source.id, **{column: getattr(source, column) for column in _KEPT})
        tag_store.tag_new(conn, image_id, tags)
        ctx.emulator.scheduler.chain(conn, IMAGE, image_id, ("Creating", "Available"), after=delays.snapshot)
    return {"ImageId": image_id}


def _copy_snapshot(conn: Connection, ctx: CallContext, source: Row, snapshot_id: str, image_id: str,
                   region_id: str, now: float) -> str:
    """A copy, in the destination region, of one snapshot of the source image's mappings
    (on the same layer); "" for a mapping without one."""
    snapshot = find(conn, snapshots, source.account_id, snapshot_id) if snapshot_id else None
    if snapshot is None:
        return ""
    copy_id = new_id("s", region_id)
    add(conn, snapshots, id=copy_id, account_id=ctx.account_id, region_id=region_id, created_at=now,
        status="progressing", snapshot_name="", description=f"Copied for image {image_id} from {snapshot.id}",
        source_disk_id=snapshot.source_disk_id, source_disk_type=snapshot.source_disk_type,
        source_disk_size=snapshot.source_disk_size, source_disk_category=snapshot.source_disk_category,
        completes_at=now + ctx.emulator.delays.snapshot, hold=False, retention_days=None, expires_at=None,
        layer_id=snapshot.layer_id)
    ctx.emulator.scheduler.chain(conn, SNAPSHOT, copy_id, ("progressing", "accomplished"))
    return copy_id


# --- CancelCopyImage -------------------------------------------------------------------------

def cancel_copy_image(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        image = find(conn, images, ctx.account_id, args["ImageId"], lock=True)
        if image is None or image.region_id != args["RegionId"]:
            raise errors.IMAGE_NOT_FOUND()
        if image.copied_from is None:
            raise errors.CANCEL_NOT_A_COPY()
        if image.status != "Creating":
            raise errors.CANCEL_COPY_DONE()
        layers = [image.layer_id]
        for mapping in image.disk_device_mappings:
            snapshot = find(conn, snapshots, ctx.account_id, mapping["SnapshotId"])
            if snapshot is not None:
                remove(conn, snapshots, snapshot.id)
                ctx.emulator.scheduler.cancel(conn, snapshot.id)
                tag_store.forget(conn, snapshot.id)
                layers.append(snapshot.layer_id)
        remove(conn, images, image.id)
        ctx.emulator.scheduler.cancel(conn, image.id)
        tag_store.forget(conn, image.id)
        image_shares.forget(conn, image.id)
        ctx.emulator.data.release(conn, layers)
    return {}


ACTIONS = (
    Action("CopyImage", FAMILY, "Copies a custom image (own or shared) to another region: a new image ID there, the "
                                "same bytes, Creating until its snapshots are copied.",
           params=(REGION_ID, Param("ImageId", required=True, description="The source custom image."),
                   Param("DestinationRegionId", enum=REGION_IDS, invalid=errors.COPY_DESTINATION_NOT_FOUND,
                         description="The region to copy it to; default the source's."),
                   Param("DestinationImageName", description="Name of the copy, 2-128 characters; default its ID."),
                   Param("DestinationDescription", description="Description of the copy, 2-256 characters; "
                                                               "default the source's."),
                   Param("Encrypted", type=Type.BOOLEAN, default=False, supported=False,
                         description="Encrypt the copy: not emulated (refused)."),
                   Param("KMSKeyId", supported=False, description="KMS key: not emulated (refused)."),
                   Param("EncryptAlgorithm", supported=False, description="Encryption algorithm: not emulated "
                                                                          "(refused)."),
                   RESOURCE_GROUP_ID, TAG, CLIENT_TOKEN, DRY_RUN),
           handler=copy_image,
           raises=(errors.COPY_IMAGE_NAME, errors.COPY_DESCRIPTION, errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE,
                   errors.DUPLICATE_TAG_KEY, errors.RESOURCE_GROUP_NOT_FOUND, errors.IMAGE_NOT_FOUND,
                   errors.COPY_IMAGE_STATUS, errors.DESTINATION_NAME_TAKEN, errors.DRY_RUN_OPERATION)),
    Action("CancelCopyImage", FAMILY, "Cancels a copy still under way: the copy and its snapshots are removed.",
           params=(REGION_ID, Param("ImageId", required=True, description="The copy (the image CopyImage returned).")),
           handler=cancel_copy_image,
           raises=(errors.IMAGE_NOT_FOUND, errors.CANCEL_NOT_A_COPY, errors.CANCEL_COPY_DONE)),
)
