"""Copies of snapshots in other regions: CopySnapshot.

A copy is a snapshot of the destination region with an ID of its own, its own copy of the
source's bytes (a layer that stands alone: the destination holds none of the source's
chain), the source's disk facts (SourceDiskId, type, size, category) and where it came
from (SourceSnapshotId, SourceRegionId). It is ``progressing`` for the snapshot delay, then
``accomplished``, by the snapshot machine's own move. Disks made from it re-initialise to
it, its RetentionDays release it; it never rolls back the source's disk (ResetDisk: another
region's snapshot is not that disk's).
"""

from __future__ import annotations

from typing import Any

from .. import errors
from ..catalog.regions import REGION_IDS
from ..domain import instances as naming
from ..domain import snapshots as rules
from ..domain.ids import new_id
from ..domain.snapshots import Purpose, usable_row
from ..domain.status import SNAPSHOT
from ..store import tags as tag_store
from ..store.rows import add, find
from ..store.schema import snapshots
from ..store.snapshots import copy_in_progress, count_of_disk_in, expiry
from .common import CLIENT_TOKEN, REGION_ID, RESOURCE_GROUP_ID, TAG, resource_group_in, tags_in
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Snapshots"


def copy_snapshot(ctx: CallContext, args: Args) -> dict[str, Any]:
    source_region, destination = args["RegionId"], args["DestinationRegionId"]
    if destination == source_region:
        raise errors.COPY_SAME_REGION()
    name, description = args["DestinationSnapshotName"], args["DestinationSnapshotDescription"]
    if name is not None and not naming.valid_name(name):
        raise errors.COPY_INVALID_NAME()
    if description is not None and not naming.valid_description(description):
        raise errors.COPY_INVALID_DESCRIPTION()
    tags, resource_group = tags_in(args), resource_group_in(args)
    with ctx.emulator.unit_of_work() as conn:
        now = ctx.now()
        row = find(conn, snapshots, ctx.account_id, args["SnapshotId"], lock=True)
        if row is not None and row.region_id != source_region:
            row = None  # another region's is not this region's
        source = usable_row(Purpose.COPY_SNAPSHOT, row)
        refusal = rules.copy_refused(copy_in_progress(conn, source.source_disk_id, destination),
                                     count_of_disk_in(conn, source.source_disk_id, destination))
        if refusal is not None:
            raise refusal()
        snapshot_id = new_id("s", destination)
        layer_id = ctx.emulator.data.copy(conn, source.layer_id, destination)  # the bytes, before the record
        retention_days = args["RetentionDays"]
        add(conn, snapshots, id=snapshot_id, account_id=ctx.account_id, region_id=destination, created_at=now,
            status="progressing", snapshot_name=name or "", description=description or "",
            source_disk_id=source.source_disk_id, source_disk_type=source.source_disk_type,
            source_disk_size=source.source_disk_size, source_disk_category=source.source_disk_category,
            completes_at=now + ctx.emulator.delays.snapshot, hold=False, retention_days=retention_days,
            expires_at=expiry(now, retention_days), layer_id=layer_id, resource_group_id=resource_group,
            source_snapshot_id=source.id, source_region_id=source_region)
        # held by the control plane as any snapshot can be (guard), else accomplished after the delay
        ctx.emulator.scheduler.chain(conn, SNAPSHOT, snapshot_id, ("progressing", "accomplished"),
                                     guard={"hold": False})
        tag_store.tag_new(conn, snapshot_id, tags)
    return {"SnapshotId": snapshot_id}


ACTIONS = (
    Action("CopySnapshot", FAMILY, "Copies an accomplished snapshot to another region: a new snapshot there with "
                                   "the same bytes (progressing, then accomplished).",
           params=(REGION_ID,
                   Param("SnapshotId", required=True, description="The source snapshot, in RegionId, accomplished."),
                   Param("DestinationRegionId", required=True, enum=REGION_IDS,
                         invalid=errors.COPY_DESTINATION_REGION_INVALID,
                         description="The region of the copy; not RegionId."),
                   Param("DestinationSnapshotName",
                         description="Name of the copy, 2-128 characters starting with a letter; default empty."),
                   Param("DestinationSnapshotDescription",
                         description="Description of the copy, 2-256 characters; default empty."),
                   Param("RetentionDays", type=Type.INTEGER, minimum=1, maximum=65536,
                         invalid=errors.COPY_INVALID_RETENTION_DAYS,
                         description="Days to keep the copy; absent: kept until deleted."),
                   Param("Encrypted", type=Type.BOOLEAN, default=False, supported=False,
                         description="true (encrypt the copy with KMS) is not emulated (refused); a copy of an "
                                     "encrypted disk's snapshot is encrypted as its source is."),
                   Param("KMSKeyId", supported=False, description="KMS key of the copy: not emulated (refused)."),
                   Param("Arn", kind=Kind.OBJECT_LIST, supported=False,
                         description="Preview: not emulated (refused).", fields=(
                             Param("RoleType", description="Role type."),
                             Param("Rolearn", description="Role ARN."),
                             Param("AssumeRoleFor", type=Type.LONG, description="Account the role is assumed for."))),
                   Param("DestinationStorageLocationArn", supported=False,
                         description="Preview: not emulated (refused)."),
                   RESOURCE_GROUP_ID, TAG, CLIENT_TOKEN),
           handler=copy_snapshot,
           raises=(errors.COPY_SAME_REGION, errors.COPY_INVALID_NAME, errors.COPY_INVALID_DESCRIPTION,
                   errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE, errors.DUPLICATE_TAG_KEY,
                   errors.RESOURCE_GROUP_NOT_FOUND, errors.COPY_SOURCE_NOT_FOUND, errors.SNAPSHOT_ID_NOT_READY,
                   errors.COPY_UNFINISHED, errors.COPY_QUOTA_EXCEEDED)),
)
