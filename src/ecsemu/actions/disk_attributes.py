"""ModifyDiskAttribute: a disk's name, description and flags, one disk (``DiskId``) or up to
100 at once (``DiskIds.N``), all or none. DescribeDisks reads each change back."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..catalog.regions import REGION_IDS
from ..domain import disks as rules
from ..domain import instances as naming
from ..store.rows import assign
from ..store.schema import disks
from .declaration import Action, Args, CallContext
from .disks import find_disk
from .params import Kind, Param, Type

FAMILY = "Disks"

# Parameter -> column, for the attributes a request may change.
_FLAGS = {"DeleteWithInstance": "delete_with_instance", "DeleteAutoSnapshot": "delete_auto_snapshot",
          "EnableAutoSnapshot": "enable_auto_snapshot", "BurstingEnabled": "bursting_enabled"}


def _requested(args: Args) -> dict[str, Any]:
    """The columns the request sets. An empty DiskName or Description is no change (the
    Terraform provider sends both, empty, with any system-disk change)."""
    changes: dict[str, Any] = {}
    if args["DiskName"]:
        if not naming.valid_name(args["DiskName"]):
            raise errors.INVALID_DISK_NAME()
        changes["disk_name"] = args["DiskName"]
    if args["Description"]:
        if not naming.valid_description(args["Description"]):
            raise errors.INVALID_SNAPSHOT_DESCRIPTION()   # worded (and 404) as ModifySnapshotAttribute's
        changes["description"] = args["Description"]
    changes.update({column: args[name] for name, column in _FLAGS.items() if args[name] is not None})
    return changes


def _check(disk: Any, changes: dict[str, Any]) -> None:
    """Whether ``disk`` can take ``changes``; raises the real refusal."""
    if disk.status not in rules.MODIFIABLE:
        raise errors.INCORRECT_DISK_STATUS()
    if changes.get("delete_with_instance") is False and not rules.can_outlive_instance(disk.category, disk.portable):
        raise errors.DISK_NOT_PORTABLE()
    if "bursting_enabled" in changes and not rules.has_bursting(disk.category):
        raise errors.BURSTING_NOT_SUPPORTED()


def modify_disk_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    if args["DiskId"] and args["DiskIds"]:
        raise errors.DISK_ID_CONFLICT()
    disk_ids = [args["DiskId"]] if args["DiskId"] else list(dict.fromkeys(args["DiskIds"] or ()))
    if not disk_ids:
        raise errors.DISK_ID_MISSING()
    changes = _requested(args)
    if not changes:
        raise errors.NO_ATTRIBUTE_TO_MODIFY()
    with ctx.emulator.unit_of_work() as conn:
        found = [find_disk(conn, ctx, disk_id, lock=True) for disk_id in disk_ids]
        if args["RegionId"] is not None and any(disk.region_id != args["RegionId"] for disk in found):
            raise errors.DISK_NOT_FOUND()     # another region's disk is not this region's
        for disk in found:           # every disk checked before any changes: all or none
            _check(disk, changes)
        for disk in found:
            assign(conn, disks, disk.id, **changes)
    return {}


ACTIONS = (
    Action("ModifyDiskAttribute", FAMILY, "Changes the name, description and release and snapshot flags of one "
                                          "disk or of up to 100 (all or none).",
           params=(Param("RegionId", enum=REGION_IDS, invalid=errors.REGION_NOT_FOUND,
                         description="The region (optional: the endpoint's)."),
                   Param("DiskId", description="The disk (or DiskIds.N)."),
                   Param("DiskIds", kind=Kind.LIST, max_items=100, description="Up to 100 disks (or DiskId)."),
                   Param("DiskName", description="Name, 2-128 characters; empty: unchanged."),
                   Param("Description", description="Description, 2-256 characters; empty: unchanged."),
                   Param("DeleteWithInstance", type=Type.BOOLEAN,
                         description="Released with its instance; false is refused for a local disk and for a "
                                     "basic disk that cannot be detached."),
                   Param("DeleteAutoSnapshot", type=Type.BOOLEAN,
                         description="Its automatic snapshots go with it."),
                   Param("EnableAutoSnapshot", type=Type.BOOLEAN,
                         description="Automatic snapshot policy applies (recorded)."),
                   Param("BurstingEnabled", type=Type.BOOLEAN,
                         description="Performance burst, ESSD AutoPL disks only (recorded).")),
           handler=modify_disk_attribute,
           raises=(errors.DISK_ID_CONFLICT, errors.DISK_ID_MISSING, errors.INVALID_DISK_NAME,
                   errors.INVALID_SNAPSHOT_DESCRIPTION, errors.NO_ATTRIBUTE_TO_MODIFY, errors.DISK_NOT_FOUND,
                   errors.INCORRECT_DISK_STATUS, errors.DISK_NOT_PORTABLE, errors.BURSTING_NOT_SUPPORTED)),
)
