"""ModifySnapshotAttribute: a snapshot's name, description and retention. DescribeSnapshots
reads each change back; a longer retention moves the snapshot's release time."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..domain import instances as naming
from ..domain import snapshots as rules
from ..store.rows import assign, find
from ..store.schema import snapshots
from ..store.snapshots import expiry
from .declaration import Action, Args, CallContext
from .params import Param, Type

FAMILY = "Snapshots"


def modify_snapshot_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if args["SnapshotName"] is not None:
        if not rules.valid_snapshot_name(args["SnapshotName"]):
            raise errors.INVALID_SNAPSHOT_NAME()
        changes["snapshot_name"] = args["SnapshotName"]
    if args["Description"] is not None:      # "" clears it
        if args["Description"] and not naming.valid_description(args["Description"]):
            raise errors.INVALID_SNAPSHOT_DESCRIPTION()
        changes["description"] = args["Description"]
    days = args["RetentionDays"]
    if not changes and days is None and args["DisableInstantAccess"] is None:
        raise errors.NO_ATTRIBUTE_TO_MODIFY()
    with ctx.emulator.unit_of_work() as conn:
        snapshot = find(conn, snapshots, ctx.account_id, args["SnapshotId"], lock=True)
        if snapshot is None:
            raise errors.SNAPSHOT_NOT_FOUND()
        if days is not None:
            if not rules.retention_allowed(snapshot.retention_days, days):
                raise errors.SNAPSHOT_RETENTION_SHORTENED()
            changes.update(retention_days=days, expires_at=expiry(snapshot.created_at, days))
        if changes:
            assign(conn, snapshots, snapshot.id, **changes)
    return {}


ACTIONS = (
    Action("ModifySnapshotAttribute", FAMILY, "Changes a snapshot's name, description or retention.",
           params=(Param("SnapshotId", required=True, description="The snapshot."),
                   Param("SnapshotName", description="Name, 2-128 characters; not auto… nor http(s)://…."),
                   Param("Description", empty_is_value=True,
                         description="Description, up to 256 characters; empty clears it."),
                   Param("RetentionDays", type=Type.INTEGER, minimum=1, maximum=65536,
                         description="Days to keep it from its creation; only ever longer."),
                   Param("DisableInstantAccess", type=Type.BOOLEAN,
                         description="Deprecated: instant access is not emulated (accepted, no effect).")),
           handler=modify_snapshot_attribute,
           raises=(errors.INVALID_SNAPSHOT_NAME, errors.INVALID_SNAPSHOT_DESCRIPTION, errors.NO_ATTRIBUTE_TO_MODIFY,
                   errors.SNAPSHOT_NOT_FOUND, errors.SNAPSHOT_RETENTION_SHORTENED)),
)
