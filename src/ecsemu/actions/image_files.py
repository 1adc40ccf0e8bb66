"""Images to and from files: ExportImage, ImportImage.

The real service reads and writes OSS; the emulator reads and writes its files dir
(``--files-dir``), the one directory the control plane's image import and disk export use,
through the same code (data_plane.py): an ``OSSBucket`` is a directory of the files dir, an
``OSSObject`` a file in it (docs/decisions.md). Each call does its work before it answers
and returns a task (actions/tasks.py) that is ``Processing`` for the image delay, then
``Finished``.
"""

from __future__ import annotations

import math
from typing import Any

from .. import errors
from ..domain import images as image_rules
from ..domain import instances as instance_rules
from ..domain.disks import SYSTEM_DEVICE
from ..domain.ids import new_id
from ..domain.status import IMAGE
from ..storage.base import ImageRefused
from ..storage.files import PathRefused
from ..store import tags as tag_store
from ..store.images import name_taken
from ..store.rows import add, find
from ..store.schema import images
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
from .params import Kind, Param, Type
from .tasks import new_task_id, start_task

GIB = 1024**3
EXPORT_FORMATS = ("raw", "qcow2")


# --- ExportImage -----------------------------------------------------------------------------

def export_image(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id, bucket, fmt = args["RegionId"], args["OSSBucket"], args["ImageFormat"]
    with ctx.emulator.unit_of_work() as conn:
        image = find(conn, images, ctx.account_id, args["ImageId"])
        if image is None or image.region_id != region_id:
            raise errors.IMAGE_NOT_FOUND()
        if image.status != "Available":
            raise errors.EXPORT_IMAGE_STATUS()
        if any(m["Type"] == "data" and m["SnapshotId"] for m in image.disk_device_mappings):
            raise errors.EXPORT_DATA_DISKS()
        if not ctx.emulator.data.has_directory(bucket):
            raise errors.OSS_BUCKET_NOT_FOUND()
        dry_run_check(args)
        task_id = new_task_id(region_id)
        prefix = args["OSSPrefix"]
        name = f"{prefix + '_' if prefix else ''}{image.id}_{task_id}.{fmt}"  # as the real service names it
        try:
            ctx.emulator.data.export_file(image.id, image.layer_id, image.size, f"{bucket}/{name}", fmt,
                                          overwrite=False)
        except PathRefused:  # the prefix names a place the bucket does not have
            raise errors.OSS_BUCKET_NOT_FOUND() from None
        start_task(conn, ctx, task_id, "ExportImage", region_id, image.id,
                   {"OSSBucket": bucket, "OSSObject": name, "ImageFormat": fmt})
    return {"TaskId": task_id, "RegionId": region_id}


# --- ImportImage -----------------------------------------------------------------------------

def import_image(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id = args["RegionId"]
    name, description = args["ImageName"], args["Description"]
    if name is not None and not image_rules.valid_image_name(name):
        raise errors.INVALID_IMAGE_NAME()
    if description is not None and not instance_rules.valid_description(description):
        raise errors.INVALID_IMAGE_DESCRIPTION()
    platform = image_rules.default_platform(args["OSType"])
    if args["Platform"] is not None:
        canonical = image_rules.canonical_platform(args["Platform"])
        if canonical is None:
            raise errors.INVALID_PLATFORM()
        platform = canonical
    mapping = (args["DiskDeviceMapping"] or [None])[0]
    if mapping is None or not mapping["OSSBucket"] or not mapping["OSSObject"]:
        raise errors.IMPORT_MAPPING_MISSING()
    tags = tags_in(args)
    resource_group = resource_group_in(args)
    data = ctx.emulator.data
    if not data.has_directory(mapping["OSSBucket"]):
        raise errors.OSS_BUCKET_NOT_FOUND()
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        if name is not None and name_taken(conn, ctx.account_id, region_id, name):
            raise errors.DESTINATION_NAME_TAKEN()
    dry_run_check(args)

    image_id, layer_id, task_id = new_id("m", region_id), new_id("layer", region_id), new_task_id(region_id)
    path = f"{mapping['OSSBucket']}/{mapping['OSSObject']}"
    try:  # the bytes first, outside the transaction, as the control plane's import does
        virtual, _file_name = data.import_file(path, layer_id)
    except PathRefused:
        raise errors.OSS_OBJECT_NOT_FOUND() from None
    except ImageRefused:
        raise errors.IMPORT_FAILED() from None
    size = max(math.ceil(virtual / GIB), mapping["DiskImageSize"] or mapping["DiskImSize"] or 0, 1)
    try:
        with ctx.emulator.unit_of_work() as conn:
            if name is not None and name_taken(conn, ctx.account_id, region_id, name):  # taken meanwhile
                raise errors.DESTINATION_NAME_TAKEN()
            now = ctx.now()
            data.record_import(conn, layer_id)
            architecture = args["Architecture"]
            add(conn, images, id=image_id, account_id=ctx.account_id, region_id=region_id, created_at=now,
                status="Creating", image_name=name or image_id, description=description or "",
                os_type=args["OSType"], platform=platform, os_name=image_rules.os_names(platform, architecture)[0],
                architecture=architecture, size=size, source_snapshot_id=None, source_instance_id=None,
                disk_device_mappings=[{"Device": mapping["Device"] or SYSTEM_DEVICE, "Type": "system",
                                       "Size": size, "SnapshotId": "", "Format": mapping["Format"] or "",
                                       "ImportOSSBucket": mapping["OSSBucket"],
                                       "ImportOSSObject": mapping["OSSObject"]}],
                completes_at=now + ctx.emulator.delays.image, layer_id=layer_id, resource_group_id=resource_group,
                boot_mode=args["BootMode"] or "BIOS", license_type=args["LicenseType"])
            tag_store.tag_new(conn, image_id, tags)
            ctx.emulator.scheduler.chain(conn, IMAGE, image_id, ("Creating", "Available"))
            start_task(conn, ctx, task_id, "ImportImage", region_id, image_id,
                       {"OSSBucket": mapping["OSSBucket"], "OSSObject": mapping["OSSObject"]})
    except BaseException:
        data.drop_import(layer_id)
        raise
    return {"ImageId": image_id, "RegionId": region_id, "TaskId": task_id}


ACTIONS = (
    Action("ExportImage", FAMILY, "Writes a custom image's system disk to a file of the files dir (the emulator's "
                                  "OSS): <OSSBucket>/<OSSPrefix>_<ImageId>_<TaskId>.<ImageFormat>.",
           params=(REGION_ID, Param("ImageId", required=True, description="The custom image (the account's own)."),
                   Param("OSSBucket", required=True, description="A directory of the files dir."),
                   Param("OSSPrefix", description="Prefix of the file's name."),
                   Param("ImageFormat", enum=EXPORT_FORMATS, default="raw", invalid=errors.IMAGE_FORMAT_MALFORMED,
                         description="raw (default) or qcow2."),
                   Param("RoleName", description="The OSS access role (accepted: the files dir needs none)."),
                   DRY_RUN),
           handler=export_image,
           raises=(errors.IMAGE_NOT_FOUND, errors.EXPORT_IMAGE_STATUS, errors.EXPORT_DATA_DISKS,
                   errors.OSS_BUCKET_NOT_FOUND, errors.DRY_RUN_OPERATION)),
    Action("ImportImage", FAMILY, "Makes a custom image of a raw or qcow2 file in the files dir (the emulator's "
                                  "OSS): Creating, then Available.",
           params=(REGION_ID,
                   Param("DiskDeviceMapping", kind=Kind.OBJECT_LIST, max_items=1,
                         description="The system disk's file (data disk files: not emulated).", fields=(
                             Param("OSSBucket", description="A directory of the files dir."),
                             Param("OSSObject", description="The file in it (raw or qcow2, detected)."),
                             Param("Format", description="The file's format, as shown by DescribeImages (the import "
                                                         "detects raw or qcow2 itself)."),
                             Param("DiskImageSize", type=Type.INTEGER,
                                   description="GiB of the system disk; default the file's size."),
                             Param("DiskImSize", type=Type.INTEGER, description="Legacy name of DiskImageSize."),
                             Param("Device", description="Device; default /dev/xvda."),
                         )),
                   Param("ImageName", description="Name, 2-128 characters, unique in the region; default the ID."),
                   Param("Description", description="Description, 2-256 characters."),
                   Param("OSType", enum=image_rules.OS_TYPES, default="linux", invalid=errors.IMAGE_OS_TYPE_MALFORMED,
                         description="linux (default) or windows."),
                   Param("Platform", description="OS distribution; default Others Linux (Windows Server 2022 for "
                                                 "windows)."),
                   Param("Architecture", enum=image_rules.ARCHITECTURES, default="x86_64",
                         invalid=errors.INVALID_ARCHITECTURE, description="x86_64 (default), arm64 or i386."),
                   Param("BootMode", enum=image_rules.BOOT_MODES, description="Boot mode; default BIOS."),
                   Param("LicenseType", enum=image_rules.LICENSE_TYPES, default="Auto", description="Licence type."),
                   Param("RoleName", description="The OSS access role (accepted: the files dir needs none)."),
                   Param("DetectionStrategy", supported=False, description="Image check: not emulated (refused)."),
                   Param("StorageLocationArn", supported=False, description="Not emulated (refused)."),
                   RESOURCE_GROUP_ID, TAG, CLIENT_TOKEN, DRY_RUN),
           handler=import_image,
           raises=(errors.INVALID_IMAGE_NAME, errors.INVALID_IMAGE_DESCRIPTION, errors.INVALID_PLATFORM,
                   errors.IMPORT_MAPPING_MISSING, errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE,
                   errors.DUPLICATE_TAG_KEY, errors.RESOURCE_GROUP_NOT_FOUND, errors.OSS_BUCKET_NOT_FOUND,
                   errors.DESTINATION_NAME_TAKEN, errors.DRY_RUN_OPERATION, errors.OSS_OBJECT_NOT_FOUND,
                   errors.IMPORT_FAILED)),
)
