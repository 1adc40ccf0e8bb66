"""Images: CreateImage, DeleteImage, DescribeImages.

Public images (``ImageOwnerAlias=system``) are the catalogue's and exist in every region;
custom images (``m-…``) are the account's, in one region. A custom image is made from a
system disk snapshot (``SnapshotId``), from disk mappings (``DiskDeviceMapping.N``) or from
an instance (``InstanceId``: a snapshot of each of its disks is taken for it, as the real
service does, and shows in DescribeSnapshots with ``Usage=image``). It is ``Creating``,
then ``Available`` after the image delay (plus the snapshot delay when the snapshots are
taken for it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..catalog.images import PUBLIC_IMAGES, PublicImage
from ..catalog.instance_types import INSTANCE_TYPES_BY_ID
from ..clock import utc_iso
from ..domain import images as rules
from ..domain import instances as instance_rules
from ..domain.disks import SYSTEM_DEVICE
from ..domain.ids import new_id
from ..domain.instance_types import supports_image
from ..domain.snapshots import Purpose, progress_percent, remain_time, usable_row
from ..domain.status import IMAGE
from ..store import image_shares
from ..store import tags as tag_store
from ..store.disks import disks_of_instance, source_image_of
from ..store.images import (
    ImageInfo,
    custom_images,
    find_image,
    instances_using,
    name_taken,
    os_name_en,
    used_image_ids,
)
from ..store.rows import add, find, remove
from ..store.schema import images, snapshots
from ..store.snapshots import layer_of, snapshot_in_progress
from .client_token import client_token
from .common import (
    DRY_RUN,
    PAGE_NUMBER,
    REGION_ID,
    RESOURCE_GROUP_FILTER,
    RESOURCE_GROUP_ID,
    TAG,
    dry_run_check,
    page_size,
    resource_group_in,
    tags_in,
    tags_out,
)
from .creation_filter import IMAGE_FILTER, IMAGE_RAISES, ImageFilters, image_filters
from .declaration import Action, Args, CallContext
from .instances import check_locks, find_instance
from .params import Kind, Param, Type
from .snapshots import take_snapshot

FAMILY = "Images"
MAX_IMAGE_IDS = 100


# --- CreateImage -----------------------------------------------------------------------------

def create_image(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id = args["RegionId"]
    with ctx.emulator.unit_of_work() as conn:
        now = ctx.now()
        name, description = args["ImageName"], args["Description"]
        if name is not None:
            if not rules.valid_image_name(name):
                raise errors.INVALID_IMAGE_NAME()
            if name_taken(conn, ctx.account_id, region_id, name):
                raise errors.DUPLICATE_IMAGE_NAME()
        if description is not None and not instance_rules.valid_description(description):
            raise errors.INVALID_IMAGE_DESCRIPTION()
        if args["ImageFamily"] is not None and not rules.valid_image_name(args["ImageFamily"]):
            raise errors.INVALID_IMAGE_FAMILY()
        platform = None
        if args["Platform"] is not None:
            platform = rules.canonical_platform(args["Platform"])
            if platform is None:
                raise errors.INVALID_PLATFORM()
        tags = tags_in(args)
        resource_group = resource_group_in(args)

        instance: Row | None = None
        instance_disks: list[Row] = []
        if args["InstanceId"]:
            instance, instance_disks = _instance_source(conn, ctx, region_id, args["InstanceId"])
            source = find_image(conn, ctx.account_id, region_id, instance.image_id)
            os_type = instance.os_type
        else:
            if args["DiskDeviceMapping"]:
                specs = args["DiskDeviceMapping"]
            elif args["SnapshotId"]:
                specs = [{"SnapshotId": args["SnapshotId"], "DiskType": None, "Size": None, "Device": None}]
            else:
                raise errors.IMAGE_SOURCE_MISSING()
            mappings, system_snapshot = _snapshot_source(conn, ctx, region_id, specs)
            source = _image_of_snapshot(conn, ctx.account_id, region_id, system_snapshot)
            os_type = source.os_type if source else None
        dry_run_check(args)

        image_id = new_id("m", region_id)
        delays = ctx.emulator.delays
        snapshots_first = 0.0  # an image of an instance waits for the snapshots taken for it
        if instance is not None:
            mappings = []
            for n, disk in enumerate(instance_disks):
                snapshot_id = take_snapshot(conn, ctx, disk, now + n * 1e-6,
                                            description=f"Created for image {image_id} from {instance.id}")
                mappings.append(_mapping(disk.device, disk.disk_type, disk.size, snapshot_id))
            snapshots_first = delays.snapshot
        architecture = args["Architecture"] or (source.architecture if source else "x86_64")
        if platform is None:
            platform = source.platform if source else rules.default_platform(os_type)
        if os_type is None:
            os_type = rules.os_type_of_platform(platform)
        os_name = source.os_name if source and source.platform == platform else \
            rules.os_names(platform, architecture)[0]
        system = next(m for m in mappings if m["Type"] == "system")
        layer_id = layer_of(conn, system["SnapshotId"])
        add(conn, images, id=image_id, account_id=ctx.account_id, region_id=region_id, created_at=now,
            status="Creating", image_name=name or image_id, description=description or "", os_type=os_type,
            platform=platform, os_name=os_name, architecture=architecture, size=system["Size"],
            source_snapshot_id=system["SnapshotId"], source_instance_id=instance.id if instance else None,
            disk_device_mappings=mappings, completes_at=now + (delays.image + snapshots_first), layer_id=layer_id,
            resource_group_id=resource_group,
            image_family=args["ImageFamily"] or "", image_version=args["ImageVersion"] or "",
            boot_mode=args["BootMode"] or "BIOS", imds_support=(args["Features"] or {}).get("ImdsSupport") or "v2")
        tag_store.tag_new(conn, image_id, tags)
        ctx.emulator.scheduler.chain(conn, IMAGE, image_id, ("Creating", "Available"), after=snapshots_first)
    return {"ImageId": image_id}


def _mapping(device: str, disk_type: str, size: int, snapshot_id: str | None) -> dict[str, Any]:
    return {"Device": device, "Type": disk_type, "Size": size, "SnapshotId": snapshot_id or ""}


def _instance_source(conn: Connection, ctx: CallContext, region_id: str, instance_id: str) -> tuple[Row, list[Row]]:
    """The instance and its disks (system first), checked: Running or Stopped, not
    security-locked, every disk In_use with no snapshot in progress."""
    instance = find_instance(conn, ctx, instance_id, lock=True)
    if instance.region_id != region_id:
        raise errors.INSTANCE_NOT_FOUND()
    check_locks(conn, instance, errors.IMAGE_INSTANCE_LOCKED_FOR_SECURITY, financial=False)
    if instance.status not in instance_rules.DISK_ATTACHABLE:
        raise errors.IMAGE_INCORRECT_INSTANCE_STATUS()
    found = disks_of_instance(conn, instance.id)
    if not any(disk.disk_type == "system" for disk in found):
        raise errors.IMAGE_INCORRECT_INSTANCE_STATUS()
    for disk in found:
        if disk.status != "In_use":
            raise errors.INCORRECT_DISK_STATUS()
        if snapshot_in_progress(conn, disk.id):
            raise errors.DISK_SNAPSHOT_IN_PROGRESS()
    return instance, sorted(found, key=lambda disk: (disk.disk_type != "system", disk.device))


def _snapshot_source(conn: Connection, ctx: CallContext, region_id: str,
                     specs: list[dict]) -> tuple[list[dict[str, Any]], Row]:
    """Disk mappings from ``DiskDeviceMapping.N`` (or the lone ``SnapshotId``), checked;
    returns them (system first) and the system disk's snapshot."""
    resolved = []
    for spec in specs:
        snapshot = None
        if spec["SnapshotId"]:
            snapshot = find(conn, snapshots, ctx.account_id, spec["SnapshotId"])
            if snapshot is not None and snapshot.region_id != region_id:
                snapshot = None
            snapshot = usable_row(Purpose.CREATE_IMAGE, snapshot)
        disk_type = spec["DiskType"] or (snapshot.source_disk_type if snapshot else "data")
        size = spec["Size"]
        if snapshot is not None:
            if size is not None and size < snapshot.source_disk_size:
                raise errors.IMAGE_MAPPING_SIZE()
            size = size or snapshot.source_disk_size
        else:
            minimum, maximum = rules.blank_mapping_size_range()
            size = minimum if size is None else size
            if not minimum <= size <= maximum:
                raise errors.IMAGE_MAPPING_SIZE()
        resolved.append((spec["Device"], disk_type, size, snapshot))
    systems = [item for item in resolved if item[1] == "system"]
    system_snapshots = [snapshot for *_rest, snapshot in systems if snapshot is not None]
    if not systems or len(system_snapshots) < len(systems):
        raise errors.IMAGE_NO_SYSTEM_SNAPSHOT()
    if len(systems) > 1:
        raise errors.IMAGE_TWO_SYSTEM_SNAPSHOTS()
    used: set[str] = set()
    for device, disk_type, _size, _snapshot in resolved:
        if device is None:
            continue
        if not rules.valid_device(device, system=disk_type == "system"):
            raise errors.IMAGE_DEVICE_MALFORMED()
        if device in used:
            raise errors.IMAGE_DEVICE_IN_USE()
        used.add(device)
    mappings = []
    for device, disk_type, size, snapshot in sorted(resolved, key=lambda item: item[1] != "system"):
        if device is None:
            device = SYSTEM_DEVICE if disk_type == "system" else rules.next_data_device(used)
            if device is None:  # every device taken: more mappings than max_items lets through
                raise errors.IMAGE_DEVICE_IN_USE()
            used.add(device)
        mappings.append(_mapping(device, disk_type, size, snapshot.id if snapshot else None))
    return mappings, system_snapshots[0]


def _image_of_snapshot(conn: Connection, account_id: str, region_id: str, snapshot: Row) -> ImageInfo | None:
    """The image the snapshot's disk was made from, while the disk and image still exist."""
    return find_image(conn, account_id, region_id, source_image_of(conn, snapshot.source_disk_id))


# --- DeleteImage -----------------------------------------------------------------------------

def delete_image(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        image = find(conn, images, ctx.account_id, args["ImageId"], lock=True)
        if image is None or image.region_id != args["RegionId"]:
            raise errors.IMAGE_NOT_FOUND()      # public images among them: only custom ones can go
        if image.status == "Creating":
            raise errors.IMAGE_IS_CREATING()
        if not args["Force"] and instances_using(conn, image.id):
            raise errors.IMAGE_USED_BY_INSTANCE()
        dry_run_check(args)
        remove(conn, images, image.id)
        ctx.emulator.scheduler.cancel(conn, image.id)
        tag_store.forget(conn, image.id)
        image_shares.forget(conn, image.id)
        ctx.emulator.data.release(conn, [image.layer_id])
    return {}


# --- DescribeImages --------------------------------------------------------------------------

def describe_images(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id = args["RegionId"]
    statuses = _statuses(args["Status"])
    image_ids = _image_ids(args["ImageId"])
    if args["InstanceType"] is not None and args["InstanceType"] not in INSTANCE_TYPES_BY_ID:
        raise errors.IMAGE_INSTANCE_TYPE_FILTER()
    filters = image_filters(args)
    dry_run_check(args)
    alias, is_public = args["ImageOwnerAlias"], args["IsPublic"]
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        now = ctx.now()
        used = used_image_ids(conn, ctx.account_id, region_id)
        views = []
        if alias in (None, "system") and is_public is not False:
            views += [public_view(image, image.image_id in used) for image in PUBLIC_IMAGES]
        if alias in (None, "self") and is_public is not True:
            rows = custom_images(conn, ctx.account_id, region_id, image_ids)
            tags = tag_store.tags_of(conn, [row.id for row in rows])
            views += [custom_view(row, now, row.id in used, tags.get(row.id, [])) for row in rows]
        if alias in (None, "others") and is_public is not True:  # other accounts' images shared with it
            rows = image_shares.shared_images(conn, ctx.account_id, region_id, image_ids)
            views += [custom_view(row, now, row.id in used, [], alias="others") for row in rows]
    found = [view for view in views if _matches(view, args, statuses, image_ids) and _in(view, filters)]
    found.sort(key=lambda view: (view["_created_at"], view["ImageId"]))
    number, size = args["PageNumber"], args["PageSize"]
    page = found[(number - 1) * size:number * size]
    for view in page:
        del view["_created_at"]
    return {"RegionId": region_id, "Images": {"Image": page}, "TotalCount": len(found), "PageNumber": number,
            "PageSize": size}


def _statuses(text: str | None) -> set[str] | None:
    """``Status``: a comma list of statuses (default Available), or ALL on its own (None)."""
    parts = [part.strip() for part in (text or "Available").split(",") if part.strip()]
    if any(part.upper() == "ALL" for part in parts):
        if len(parts) > 1:
            raise errors.INVALID_PARAMETER(name="Status")
        return None
    canonical = {status.lower(): status for status in IMAGE.statuses}
    if not parts or any(part.lower() not in canonical for part in parts):
        raise errors.INVALID_PARAMETER(name="Status")
    return {canonical[part.lower()] for part in parts}


def _image_ids(text: str | None) -> list[str] | None:
    if text is None:
        return None
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if len(ids) > MAX_IMAGE_IDS:
        raise errors.INVALID_PARAMETER(name="ImageId")
    return ids


def _matches(view: dict[str, Any], args: Args, statuses: set[str] | None, image_ids: list[str] | None) -> bool:
    if statuses is not None and view["Status"] not in statuses:
        return False
    if image_ids is not None and view["ImageId"] not in image_ids:
        return False
    if args["ImageName"] and args["ImageName"].lower() not in view["ImageName"].lower():
        return False
    for name, field in (("OSType", "OSType"), ("Architecture", "Architecture"), ("Usage", "Usage"),
                        ("ImageFamily", "ImageFamily"), ("Usable", "Usable"), ("ImageOwnerId", "ImageOwnerId"),
                        ("IsSupportIoOptimized", "IsSupportIoOptimized"),
                        ("IsSupportCloudinit", "IsSupportCloudinit"), ("ResourceGroupId", "ResourceGroupId")):
        if args[name] is not None and view[field] != args[name]:
            return False
    if args["InstanceType"] is not None and not supports_image(INSTANCE_TYPES_BY_ID[args["InstanceType"]],
                                                              view["Architecture"]):
        return False
    if args["SnapshotId"] is not None and all(
            m["SnapshotId"] != args["SnapshotId"] for m in view["DiskDeviceMappings"]["DiskDeviceMapping"]):
        return False
    for tag in args["Tag"] or ():
        present = {t["TagKey"]: t["TagValue"] for t in view["Tags"]["Tag"]}
        if tag["Key"] not in present or (tag["Value"] is not None and present[tag["Key"]] != tag["Value"]):
            return False
    return True


def _in(view: dict[str, Any], filters: ImageFilters) -> bool:
    """Filter.N: made within the window; every image here is for VPC instances."""
    created = view["_created_at"]
    return (filters.since is None or created >= filters.since) and (filters.until is None or created <= filters.until) \
        and filters.network_type in (None, "vpc")


def _common_view() -> dict[str, Any]:
    return {
        "IsSupportCloudinit": True,
        "IsSupportIoOptimized": True,
        "IsCopied": False,
        "IsSubscribed": False,
        "IsSelfShared": "",
        "ProductCode": "",
        "SupplierName": "",
        "LoginAsNonRootSupported": False,
        "ResourceGroupId": "",
        "DetectionOptions": {"Status": "", "Items": {"Item": []}},
    }


def _mapping_view(mapping: dict[str, Any], progress: str, remaining: int) -> dict[str, Any]:
    return {"Device": mapping["Device"], "Type": mapping["Type"], "Size": str(mapping["Size"]),
            "SnapshotId": mapping["SnapshotId"], "Format": mapping.get("Format", ""),
            "ImportOSSBucket": mapping.get("ImportOSSBucket", ""),   # ImportImage's file
            "ImportOSSObject": mapping.get("ImportOSSObject", ""),
            "Progress": progress, "RemainTime": remaining, "Encrypted": False}


def public_view(image: PublicImage, in_use: bool) -> dict[str, Any]:
    system = {"Device": SYSTEM_DEVICE, "Type": "system", "Size": image.size, "SnapshotId": ""}
    return {
        "ImageId": image.image_id,
        "ImageName": image.image_name,
        "ImageFamily": image.image_family,
        "Description": "",
        "OSType": image.os_type,
        "OSName": image.os_name,
        "OSNameEn": image.os_name_en,
        "Platform": image.platform,
        "Architecture": image.architecture,
        "Size": image.size,
        "Status": "Available",
        "Progress": "100%",
        "Usage": "instance" if in_use else "none",
        "Usable": True,
        "IsPublic": True,
        "ImageOwnerAlias": "system",
        "ImageOwnerId": 0,
        "CreationTime": utc_iso(image.created_at),
        **_common_view(),
        "ImageVersion": "",
        "BootMode": "BIOS",
        "LicenseType": "Auto",
        "Features": {"NvmeSupport": "supported", "ImdsSupport": "v2"},
        "DiskDeviceMappings": {"DiskDeviceMapping": [_mapping_view(system, "100%", 0)]},
        "Tags": tags_out([]),
        "_created_at": image.created_at,
    }


def custom_view(row: Row, now: float, in_use: bool, tags: list[tuple[str, str]], *,
                 alias: str = "self") -> dict[str, Any]:
    progress = f"{progress_percent(row.status, row.created_at, row.completes_at, now)}%"
    remaining = remain_time(row.status, row.completes_at, now)
    return {
        "ImageId": row.id,
        "ImageName": row.image_name,
        "ImageFamily": row.image_family,
        "Description": row.description,
        "OSType": row.os_type,
        "OSName": row.os_name,
        "OSNameEn": os_name_en(row.os_name),
        "Platform": row.platform,
        "Architecture": row.architecture,
        "Size": row.size,
        "Status": row.status,
        "Progress": progress,
        "Usage": "instance" if in_use else "none",
        "Usable": row.status in rules.LAUNCHABLE,
        "IsPublic": False,
        "ImageOwnerAlias": alias,
        "ImageOwnerId": int(row.account_id),
        "CreationTime": utc_iso(row.created_at),
        **_common_view(),
        "IsCopied": row.copied_from is not None,
        "ResourceGroupId": row.resource_group_id,
        "ImageVersion": row.image_version,
        "BootMode": row.boot_mode,
        "LicenseType": row.license_type,
        "Features": {"NvmeSupport": row.nvme_support, "ImdsSupport": row.imds_support},
        "DiskDeviceMappings": {"DiskDeviceMapping": [_mapping_view(m, progress, remaining)
                                                     for m in row.disk_device_mappings]},
        "Tags": tags_out(tags),
        "_created_at": row.created_at,
    }


ACTIONS = (
    Action("CreateImage", FAMILY, "Creates a custom image from an instance, a system disk snapshot or disk "
                                  "mappings (Creating, then Available).",
           params=(REGION_ID,
                   Param("InstanceId", description="Make it from this instance (Running or Stopped): a snapshot "
                                                   "of each disk is taken for it."),
                   Param("SnapshotId", description="Make it from this system disk snapshot (accomplished)."),
                   Param("DiskDeviceMapping", kind=Kind.OBJECT_LIST, max_items=1 + rules.MAX_DATA_MAPPINGS,
                         description="Disks of the image: one system disk snapshot, up to 16 data disks.",
                         fields=(
                             Param("SnapshotId", description="Snapshot; empty for a blank data disk."),
                             Param("DiskType", enum=("system", "data"), invalid=errors.DISK_TYPE_FILTER,
                                   description="system or data; default the snapshot's disk type."),
                             Param("Size", type=Type.INTEGER,
                                   description="GiB; at least the snapshot's size (default); blank: 20-32768."),
                             Param("Device", description="/dev/xvda for the system disk, /dev/xvdb-z for data; "
                                                         "default the next free one."),
                         )),
                   Param("ImageName", description="Name, 2-128 characters, unique in the region; default the ID."),
                   Param("Description", description="Description, 2-256 characters."),
                   Param("Platform", description="OS distribution; default the source's, else Others Linux."),
                   Param("Architecture", enum=rules.ARCHITECTURES, invalid=errors.INVALID_ARCHITECTURE,
                         description="x86_64 (default), arm64 or i386."),
                   Param("ImageFamily", description="Image family, named as an image is."),
                   Param("ImageVersion", max_length=40, description="Version."),
                   Param("BootMode", enum=rules.BOOT_MODES, description="Boot mode; default BIOS."),
                   Param("DetectionStrategy", supported=False, description="Image check: not emulated (refused)."),
                   Param("Features", kind=Kind.OBJECT, description="Image features.",
                         fields=(Param("ImdsSupport", enum=rules.IMDS_SUPPORT,
                                       description="Metadata access mode; default v2."),)),
                   Param("SecureBootOptions", kind=Kind.OBJECT, supported=False,
                         description="Secure boot: not emulated (refused).",
                         fields=(Param("SecureBootSupport", enum=("supported", "unsupported"),
                                       description="Whether the image supports secure boot."),)),
                   RESOURCE_GROUP_ID, TAG, client_token(mismatch=errors.IMAGE_TOKEN_MISMATCH), DRY_RUN),
           handler=create_image,
           raises=(errors.IMAGE_SOURCE_MISSING, errors.INVALID_IMAGE_NAME, errors.DUPLICATE_IMAGE_NAME,
                   errors.INVALID_IMAGE_DESCRIPTION, errors.INVALID_IMAGE_FAMILY, errors.INVALID_PLATFORM,
                   errors.INVALID_TAG_KEY,
                   errors.INVALID_TAG_VALUE, errors.DUPLICATE_TAG_KEY, errors.INSTANCE_NOT_FOUND,
                   errors.IMAGE_INSTANCE_LOCKED_FOR_SECURITY, errors.IMAGE_INCORRECT_INSTANCE_STATUS,
                   errors.INCORRECT_DISK_STATUS, errors.DISK_SNAPSHOT_IN_PROGRESS, errors.SNAPSHOT_NOT_FOUND,
                   errors.IMAGE_SNAPSHOT_NOT_READY, errors.IMAGE_SNAPSHOT_TOO_OLD, errors.IMAGE_MAPPING_SIZE,
                   errors.IMAGE_NO_SYSTEM_SNAPSHOT, errors.IMAGE_TWO_SYSTEM_SNAPSHOTS, errors.IMAGE_DEVICE_MALFORMED,
                   errors.IMAGE_DEVICE_IN_USE, errors.DRY_RUN_OPERATION, errors.INSTANCE_EXPIRED_OR_IN_ARREARS,
                   errors.RESOURCE_GROUP_NOT_FOUND)),
    Action("DeleteImage", FAMILY, "Deletes a custom image (Force: even if instances were made from it).",
           params=(REGION_ID, Param("ImageId", required=True, description="The custom image."),
                   Param("Force", type=Type.BOOLEAN, default=False,
                         description="Delete it even if instances use it."),
                   DRY_RUN),
           handler=delete_image,
           raises=(errors.IMAGE_NOT_FOUND, errors.IMAGE_IS_CREATING, errors.IMAGE_USED_BY_INSTANCE,
                   errors.DRY_RUN_OPERATION)),
    Action("DescribeImages", FAMILY, "Lists the public images and the account's custom images of a region.",
           params=(REGION_ID,
                   Param("ImageId", description="Image IDs, comma-separated, at most 100."),
                   Param("ImageName", description="Part of the name (any case)."),
                   Param("ImageOwnerAlias", enum=rules.OWNER_ALIASES, invalid=errors.IMAGE_OWNER_ALIAS_FILTER,
                         description="system (public), self (custom), others (shared with the account), "
                                     "marketplace (none here); default all."),
                   Param("ImageOwnerId", type=Type.LONG, description="Owner account (0 for public images)."),
                   Param("Status", description=f"Statuses, comma-separated ({', '.join(IMAGE.statuses)}), or ALL; "
                                               "default Available."),
                   Param("OSType", enum=rules.OS_TYPES, invalid=errors.IMAGE_OS_TYPE_FILTER,
                         description="windows or linux."),
                   Param("Architecture", enum=rules.ARCHITECTURES, invalid=errors.IMAGE_ARCHITECTURE_FILTER,
                         description="i386, x86_64 or arm64."),
                   Param("Usage", enum=rules.IMAGE_USAGES, invalid=errors.IMAGE_USAGE_FILTER,
                         description="instance (an instance of the account runs it) or none."),
                   Param("IsPublic", type=Type.BOOLEAN, description="Public images only (true) or none (false)."),
                   Param("InstanceType", description="Images that can run on this instance type."),
                   Param("SnapshotId", description="Images with this snapshot in their disk mappings."),
                   Param("ImageFamily", description="Image family."),
                   Param("Usable", type=Type.BOOLEAN, description="Ready for use (Available)."),
                   Param("IsSupportIoOptimized", type=Type.BOOLEAN, description="I/O optimized (all are)."),
                   Param("IsSupportCloudinit", type=Type.BOOLEAN, description="cloud-init (all have it)."),
                   Param("ActionType", enum=("CreateEcs", "ChangeOS"), description="What the image is for "
                                                                                   "(accepted)."),
                   Param("ShowExpired", type=Type.BOOLEAN, description="Expired marketplace images (accepted)."),
                   RESOURCE_GROUP_FILTER, IMAGE_FILTER, TAG, PAGE_NUMBER, page_size(100), DRY_RUN),
           handler=describe_images,
           raises=(errors.IMAGE_INSTANCE_TYPE_FILTER, *IMAGE_RAISES, errors.DRY_RUN_OPERATION,
                   errors.INVALID_PARAMETER)),
)
