"""Instance maintenance attributes: DescribeInstanceMaintenanceAttributes and
ModifyInstanceMaintenanceAttributes.

A new instance has no maintenance window, the action AutoRecover and no notice; what
Modify sets is read back as it was given.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from .. import errors
from ..domain import maintenance as rules
from ..store.instance_attributes import existing_ids
from ..store.rows import assign
from ..store.schema import instances
from .common import PAGE_NUMBER, REGION_ID, Listing, page_size, paginate
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Instances"
MAX_IDS = 100
LISTED = Listing(instances)


def describe_instance_maintenance_attributes(ctx: CallContext, args: Args) -> dict[str, Any]:
    """The instances named (InstanceId.N), else every instance of the region."""
    ids = _ids(args)
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        if ids is not None and existing_ids(conn, ctx.account_id, args["RegionId"], ids) != set(ids):
            raise errors.INSTANCE_NOT_FOUND()
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=ids)
    return {"MaintenanceAttributes": {"MaintenanceAttribute": [_view(row) for row in rows]}, **paging}


def _view(row: Row) -> dict[str, Any]:
    windows = [] if row.maintenance_start is None else [
        {"StartTime": row.maintenance_start, "EndTime": row.maintenance_end}]
    return {
        "InstanceId": row.id,
        "MaintenanceWindows": {"MaintenanceWindow": windows},
        "ActionOnMaintenance": {"Value": row.maintenance_action, "DefaultValue": rules.DEFAULT_ACTION,
                                "SupportedValues": {"SupportedValue": list(rules.SUPPORTED_ACTIONS)}},
        "NotifyOnMaintenance": row.notify_on_maintenance,
    }


def modify_instance_maintenance_attributes(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Sets what is given on every instance named; all are checked before any changes."""
    ids = _ids(args) or []
    if not ids:
        raise errors.MISSING_PARAMETER(name="InstanceId.N")
    changes: dict[str, Any] = {}
    windows = args["MaintenanceWindow"]
    if windows is not None:
        if len(windows) != 1:  # one window per instance: N is 1
            raise errors.MAINTENANCE_INVALID_PARAMETER(name="MaintenanceWindow")
        start, end = windows[0]["StartTime"], windows[0]["EndTime"]
        if not rules.valid_window(start, end):
            raise errors.MAINTENANCE_INVALID_PARAMETER(name="MaintenanceWindow.1.StartTime")
        changes.update(maintenance_start=start, maintenance_end=end)
    if args["ActionOnMaintenance"] is not None:
        if args["ActionOnMaintenance"] not in rules.SUPPORTED_ACTIONS:
            raise errors.MAINTENANCE_INVALID_PARAMETER(name="ActionOnMaintenance")
        changes["maintenance_action"] = args["ActionOnMaintenance"]
    if args["NotifyOnMaintenance"] is not None:
        changes["notify_on_maintenance"] = args["NotifyOnMaintenance"]
    with ctx.emulator.unit_of_work() as conn:
        if existing_ids(conn, ctx.account_id, args["RegionId"], ids) != set(ids):
            raise errors.INSTANCE_NOT_FOUND()
        if changes:
            for instance_id in ids:
                assign(conn, instances, instance_id, **changes)
    return {}


def _ids(args: Args) -> list[str] | None:
    """InstanceId.N, each once; None when none is given."""
    if args["InstanceId"] is None:
        return None
    if len(args["InstanceId"]) > MAX_IDS:
        raise errors.MAINTENANCE_ID_LIMIT()
    return list(dict.fromkeys(args["InstanceId"]))


# --- declarations ------------------------------------------------------------------------------

# Counted by the handler, which answers more than 100 with its own code.
INSTANCE_IDS = Param("InstanceId", kind=Kind.LIST, description=f"Instance IDs (InstanceId.N), at most {MAX_IDS}.")

ACTIONS = (
    Action("DescribeInstanceMaintenanceAttributes", FAMILY, "Maintenance window, action and notice of "
                                                            "instances.",
           params=(REGION_ID, INSTANCE_IDS, PAGE_NUMBER, page_size(100)),
           handler=describe_instance_maintenance_attributes,
           raises=(errors.MAINTENANCE_ID_LIMIT, errors.INSTANCE_NOT_FOUND, errors.INVALID_PARAMETER)),
    Action("ModifyInstanceMaintenanceAttributes", FAMILY, "Sets the maintenance window, action and notice of "
                                                          "instances.",
           params=(REGION_ID, INSTANCE_IDS,
                   Param("MaintenanceWindow", kind=Kind.OBJECT_LIST, description="The window (N is 1).", fields=(
                       Param("StartTime", description="HH:00:00, UTC+8, with EndTime."),
                       Param("EndTime", description="HH:00:00, UTC+8, 1-23 hours after StartTime."),
                   )),
                   Param("ActionOnMaintenance", enum=rules.ACTIONS, invalid=errors.MAINTENANCE_INVALID_PARAMETER,
                         description="Stop or AutoRecover (AutoRedeploy: local-disk types only)."),
                   Param("NotifyOnMaintenance", type=Type.BOOLEAN, description="Notify before maintenance.")),
           handler=modify_instance_maintenance_attributes,
           raises=(errors.MISSING_PARAMETER, errors.MAINTENANCE_ID_LIMIT, errors.MAINTENANCE_INVALID_PARAMETER,
                   errors.INSTANCE_NOT_FOUND)),
)
