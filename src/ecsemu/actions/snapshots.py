"""Snapshots: CreateSnapshot, DeleteSnapshot, DescribeSnapshots.

A snapshot starts ``progressing`` and becomes ``accomplished`` when its delay has passed
(a timed transition guarded by ``hold``: the control plane can keep one progressing).
``Progress`` and ``RemainTime`` are worked out when read, from ``created_at`` and
``completes_at``. What a snapshot is used by (``Usage``) is not stored either: it is the
disks made from it and the custom images whose disk mappings name it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row

from .. import errors
from ..clock import utc_iso
from ..domain import disks as disk_rules
from ..domain import instances as instance_rules
from ..domain import resource_groups
from ..domain import snapshots as rules
from ..domain.ids import new_id
from ..domain.status import SNAPSHOT
from ..store import snapshots as snapshot_store
from ..store import tags as tag_store
from ..store.disks import encrypted_among
from ..store.rows import add, find
from ..store.schema import snapshots
from ..store.snapshots import (
    count_of_disk,
    expiry,
    release,
    snapshot_in_progress,
    used_by_disk,
    used_by_image,
)
from .client_token import client_token
from .common import (
    DRY_RUN,
    NEXT_TOKEN,
    PAGE_NUMBER,
    REGION_ID,
    RESOURCE_GROUP_FILTER,
    RESOURCE_GROUP_ID,
    TAG,
    Listing,
    dry_run_check,
    max_results,
    page_size,
    paginate,
    resource_group_in,
    tags_in,
    tags_out,
    unless_every,
)
from .creation_filter import FILTER, created_since
from .creation_filter import RAISES as FILTER_RAISES
from .declaration import Action, Args, CallContext
from .disks import find_disk
from .instances import check_locks, find_instance
from .params import Kind, Param, Type

if TYPE_CHECKING:
    from ..emulator import Emulator

FAMILY = "Snapshots"


# --- CreateSnapshot ------------------------------------------------------------------------

def take_snapshot(conn: Connection, ctx: CallContext, disk: Row, now: float, *, name: str = "",
                  description: str = "", retention_days: int | None = None,
                  resource_group_id: str = resource_groups.NONE) -> str:
    """A new ``progressing`` snapshot of ``disk``, scheduled to be accomplished after the
    snapshot delay unless held. Shared with CreateImage (from an instance)."""
    return record_snapshot(conn, ctx.emulator, disk, now, now, snapshot_name=name, description=description,
                           retention_days=retention_days, expires_at=expiry(now, retention_days),
                           resource_group_id=resource_group_id)


def record_snapshot(conn: Connection, emulator: Emulator, disk: Row, taken_at: float, now: float,
                    **columns: Any) -> str:
    """A new snapshot of ``disk`` taken at ``taken_at`` (``now`` or earlier: an automatic one
    whose time point a catch-up passed), ``progressing`` until the snapshot delay after it
    unless held; ``columns``: its other columns (name, retention, type). Returns its ID."""
    snapshot_id = new_id("s", disk.region_id)
    delay = emulator.delays.snapshot
    layer_id = emulator.data.freeze(conn, disk, disk.region_id)  # the bytes, as they are now
    add(conn, snapshots, id=snapshot_id, account_id=disk.account_id, region_id=disk.region_id, created_at=taken_at,
        status="progressing", source_disk_id=disk.id, source_disk_type=disk.disk_type, source_disk_size=disk.size,
        source_disk_category=disk.category, completes_at=taken_at + delay, hold=False, layer_id=layer_id, **columns)
    emulator.scheduler.chain(conn, SNAPSHOT, snapshot_id, ("progressing", "accomplished"), after=taken_at - now,
                             guard={"hold": False})
    return snapshot_id


def check_snapshottable(conn: Connection, ctx: CallContext, disk: Row, *,
                        locked: errors.ErrorCode = errors.SNAPSHOT_INSTANCE_LOCKED_FOR_SECURITY,
                        instance_status: errors.ErrorCode = errors.SNAPSHOT_INCORRECT_INSTANCE_STATUS) -> None:
    """The disk-side preconditions of a snapshot (B19): status, ever attached, its
    instance started once and Running or Stopped, no lock, no snapshot in progress."""
    if disk.status not in disk_rules.SNAPSHOTTABLE:
        raise errors.INCORRECT_DISK_STATUS()
    if disk.instance_id is None:
        if not disk.ever_attached:
            raise errors.DISK_NEVER_ATTACHED()
    else:
        instance = find_instance(conn, ctx, disk.instance_id)
        check_locks(conn, instance, locked, financial=False)
        if instance.start_time is None:
            raise errors.DISK_NEVER_USED()
        if instance.status not in instance_rules.DISK_ATTACHABLE:
            raise instance_status()
    if snapshot_in_progress(conn, disk.id):
        raise errors.DISK_SNAPSHOT_IN_PROGRESS()


def create_snapshot(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        now = ctx.now()
        disk = find_disk(conn, ctx, args["DiskId"], lock=True, missing=errors.DISK_ID_NOT_FOUND)
        name, description = args["SnapshotName"], args["Description"]
        if name is not None and not rules.valid_snapshot_name(name):
            raise errors.INVALID_SNAPSHOT_NAME()
        if description is not None and not instance_rules.valid_description(description):
            raise errors.INVALID_SNAPSHOT_DESCRIPTION()
        tags = tags_in(args)
        resource_group = resource_group_in(args)
        check_snapshottable(conn, ctx, disk)
        if count_of_disk(conn, disk.id) >= rules.MAX_USER_SNAPSHOTS_PER_DISK:
            raise errors.SNAPSHOT_QUOTA_EXCEEDED()
        snapshot_id = take_snapshot(conn, ctx, disk, now, name=name or "", description=description or "",
                                    retention_days=args["RetentionDays"], resource_group_id=resource_group)
        tag_store.tag_new(conn, snapshot_id, tags)
    return {"SnapshotId": snapshot_id}


# --- DeleteSnapshot --------------------------------------------------------------------------

def delete_snapshot(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        snapshot = find(conn, snapshots, ctx.account_id, args["SnapshotId"], lock=True)
        if snapshot is None:
            raise errors.SNAPSHOT_NOT_FOUND_FOR_DELETE()
        if used_by_image(conn, snapshot.id):
            raise errors.SNAPSHOT_CREATED_IMAGE()
        if not args["Force"] and used_by_disk(conn, snapshot.id):
            raise errors.SNAPSHOT_CREATED_DISK()
        release(conn, snapshot, "deleted", ctx.now())
        ctx.emulator.data.release(conn, [snapshot.layer_id])
    return {}


# --- DescribeSnapshots -----------------------------------------------------------------------

LISTED = Listing(snapshots, snapshot_store.LISTED_COLUMNS)


def describe_snapshots(ctx: CallContext, args: Args) -> dict[str, Any]:
    disk_type = args["SourceDiskType"]
    if disk_type is not None:
        disk_type = disk_type.lower()
        if disk_type not in ("system", "data"):
            raise errors.SOURCE_DISK_TYPE_FILTER()
    disk_id = args["DiskId"]
    link_disk = rules.disk_of_link(args["SnapshotLinkId"]) if args["SnapshotLinkId"] is not None else None
    if args["SnapshotLinkId"] is not None and (link_disk is None or disk_id not in (None, link_disk)):
        disk_id = ""            # a chain of no disk, or of another disk than DiskId's: nothing
    elif link_disk is not None:
        disk_id = link_disk
    conditions = snapshot_store.listing_filters(
        ctx.account_id, source_disk_id=disk_id, instance_id=args["InstanceId"],
        status=unless_every(args["Status"]), source_disk_type=disk_type, snapshot_name=args["SnapshotName"],
        usage=args["Usage"], encrypted=args["Encrypted"], tags=args["Tag"], resource_group_id=args["ResourceGroupId"],
        since=created_since(args),
        snapshot_type=unless_every(args["SnapshotType"]),
        # every snapshot here is a standard one, and no disk here has a KMS key
        matches_none=(args["Category"] is not None and args["Category"].lower() != "standard")
        or bool(args["KMSKeyId"]))
    dry_run_check(args)
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        now = ctx.now()
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=args["SnapshotIds"], where=conditions,
                                token_max=100)
        tags = tag_store.tags_of(conn, [row.id for row in rows])
        encrypted_disks = encrypted_among(conn, {row.source_disk_id for row in rows})
    return {"Snapshots": {"Snapshot": [snapshot_view(row, now, tags.get(row.id, []),
                                                     row.source_disk_id in encrypted_disks)
                                       for row in rows]}, **paging}


def snapshot_view(row: Row, now: float, tags: list[tuple[str, str]], encrypted: bool) -> dict[str, Any]:
    accomplished = row.status == "accomplished"
    digest = hashlib.md5(row.id.encode()).hexdigest()
    instant = rules.instant_access(row.source_disk_category, copied=row.source_snapshot_id is not None)
    return {
        "SnapshotId": row.id,
        "SnapshotName": row.snapshot_name,
        "Description": row.description,
        "Status": row.status,
        "Progress": f"{rules.progress_percent(row.status, row.created_at, row.completes_at, now)}%",
        "RemainTime": rules.remain_time(row.status, row.completes_at, now),
        "Available": accomplished,
        "SourceDiskId": row.source_disk_id,
        "SourceDiskType": row.source_disk_type,
        "SourceDiskSize": str(row.source_disk_size),
        "SourceStorageType": "disk",
        "Category": "standard",
        "SnapshotType": row.snapshot_type,
        "Usage": rules.usage(bool(row.by_image), bool(row.by_disk)),
        "RetentionDays": row.retention_days or 0,
        "CreationTime": utc_iso(row.created_at),
        "LastModifiedTime": utc_iso(row.completes_at if accomplished else row.created_at),
        "RegionId": row.region_id,
        "SourceRegionId": row.source_region_id or "",       # of a copy (CopySnapshot)
        "SourceSnapshotId": row.source_snapshot_id or "",
        "SnapshotSN": f"{int(digest[:5], 16)}-{int(digest[5:13], 16) % 10**9}-{int(digest[13:18], 16)}",
        "SnapshotLinkId": rules.snapshot_link(row.source_disk_id),
        "ProductCode": "",
        "Encrypted": encrypted,
        "KMSKeyId": "",
        "InstantAccess": instant,
        "InstantAccessRetentionDays": rules.instant_access_days(instant, row.retention_days),
        "ResourceGroupId": row.resource_group_id,
        "Tags": tags_out(tags),
    }


ACTIONS = (
    Action("CreateSnapshot", FAMILY, "Snapshots a disk (progressing, then accomplished).",
           params=(Param("DiskId", required=True, description="The disk: In_use or Available, attached at least once."),
                   Param("SnapshotName", description="Name, 2-128 characters; not auto… nor http(s)://…."),
                   Param("Description", description="Description, 2-256 characters."),
                   Param("RetentionDays", type=Type.INTEGER, minimum=1, maximum=65536,
                         description="Days to keep it; absent: kept until deleted (recorded only)."),
                   Param("Category", enum=("Standard", "Flash"),
                         description="Deprecated, accepted and ignored as the service now does: every snapshot "
                                     "is standard."),
                   Param("InstantAccess", type=Type.BOOLEAN, default=False,
                         description="Deprecated, accepted and ignored: snapshots of ESSD-family disks have "
                                     "instant access by default, others none."),
                   Param("InstantAccessRetentionDays", type=Type.INTEGER, minimum=1, maximum=65535,
                         description="Deprecated, accepted and ignored: instant access lasts RetentionDays."),
                   RESOURCE_GROUP_ID,
                   Param("StorageLocationArn", supported=False, description="Preview: not emulated (refused)."),
                   TAG, client_token(mismatch=errors.SNAPSHOT_TOKEN_USED, processing=errors.IDEMPOTENT_PROCESSING)),
           handler=create_snapshot,
           raises=(errors.DISK_ID_NOT_FOUND, errors.INVALID_SNAPSHOT_NAME, errors.INVALID_SNAPSHOT_DESCRIPTION,
                   errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE, errors.DUPLICATE_TAG_KEY,
                   errors.INCORRECT_DISK_STATUS, errors.DISK_NEVER_ATTACHED, errors.DISK_NEVER_USED,
                   errors.SNAPSHOT_INSTANCE_LOCKED_FOR_SECURITY, errors.SNAPSHOT_INCORRECT_INSTANCE_STATUS,
                   errors.DISK_SNAPSHOT_IN_PROGRESS, errors.SNAPSHOT_QUOTA_EXCEEDED,
                   errors.INSTANCE_EXPIRED_OR_IN_ARREARS, errors.RESOURCE_GROUP_NOT_FOUND)),
    Action("DeleteSnapshot", FAMILY, "Deletes a snapshot no custom image uses (Force for one that made disks).",
           params=(Param("SnapshotId", required=True, description="The snapshot."),
                   Param("Force", type=Type.BOOLEAN, default=False,
                         description="Delete it even if disks were made from it (they can no longer be "
                                     "re-initialised).")),
           handler=delete_snapshot,
           raises=(errors.SNAPSHOT_NOT_FOUND_FOR_DELETE, errors.SNAPSHOT_CREATED_IMAGE, errors.SNAPSHOT_CREATED_DISK)),
    Action("DescribeSnapshots", FAMILY, "Lists snapshots, with filters and either paging style.",
           params=(REGION_ID,
                   Param("SnapshotIds", kind=Kind.JSON_ARRAY, max_items=100, invalid=errors.SNAPSHOT_IDS_MALFORMED,
                         description="JSON array of snapshot IDs, at most 100."),
                   Param("DiskId", description="Snapshots of this disk."),
                   Param("InstanceId", description="Snapshots of the disks attached to this instance."),
                   Param("Status", enum=(*SNAPSHOT.statuses, "all"), default="all",
                         invalid=errors.STATUS_FILTER_NOT_FOUND, description="Status or all."),
                   Param("SnapshotType", enum=("auto", "user", "all"), default="all",
                         invalid=errors.SNAPSHOT_TYPE_FILTER,
                         description="auto (an automatic snapshot policy's), user or all."),
                   Param("SourceDiskType", description="system or data (any case)."),
                   Param("SnapshotName", description="Name."),
                   Param("Usage", enum=rules.USAGES, invalid=errors.SNAPSHOT_USAGE_FILTER,
                         description="What uses it: image, disk, image_disk or none."),
                   Param("Encrypted", type=Type.BOOLEAN, description="Of an encrypted disk."),
                   Param("Category", enum=("Standard", "Flash", "archive", "standard", "flash"),
                         invalid=errors.SNAPSHOT_CATEGORY_FILTER, description="Deprecated; all are standard."),
                   RESOURCE_GROUP_FILTER,
                   Param("KMSKeyId", description="KMS key of the disk: no disk here has one."),
                   Param("SnapshotLinkId", description="The snapshot chain of one disk (sl-…)."),
                   FILTER, TAG, PAGE_NUMBER, page_size(100), NEXT_TOKEN, max_results(100), DRY_RUN),
           handler=describe_snapshots,
           raises=(errors.SOURCE_DISK_TYPE_FILTER, *FILTER_RAISES, errors.DRY_RUN_OPERATION, errors.INVALID_PARAMETER)),
)
