"""A disk's size, spec and billing: ResizeDisk (offline and online), ModifyDiskSpec
(category and ESSD performance level), ModifyDiskChargeType (data disks of a subscription
instance between pay-as-you-go and subscription)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..catalog import disk_categories as categories
from ..domain import billing
from ..domain import disk_specs as spec_rules
from ..domain import disks as rules
from ..domain import instances as instance_rules
from ..domain.status import DISK
from ..store.locks import locks_of
from ..store.rows import assign, find, move
from ..store.schema import disks
from ..store.snapshots import snapshot_in_progress
from .common import CLIENT_TOKEN, DRY_RUN, REGION_ID, dry_run_check
from .declaration import Action, Args, CallContext
from .disks import DISK_ID, find_disk
from .instances import check_locks, find_instance
from .params import Kind, Param, Type

FAMILY = "Disks"
SUBSCRIPTION, PAY_AS_YOU_GO = "PrePaid", "PostPaid"
MODIFYING = "Modifying"


# --- ResizeDisk --------------------------------------------------------------------------------

def resize_disk(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Grows the disk's bytes: what was written stays, the new end reads as zeros. Offline
    needs its instance (if any) Running or Stopped; online needs the disk In_use on a
    Running instance, and a category that grows online."""
    with ctx.emulator.unit_of_work() as conn:
        disk = find_disk(conn, ctx, args["DiskId"], lock=True)
        if disk.status not in rules.RESIZABLE:
            raise errors.INCORRECT_DISK_STATUS()
        online = args["Type"] == "online"
        if online and disk.status not in rules.RESIZABLE_ONLINE:
            raise errors.RESIZE_ONLINE_DISK_STATUS()
        if online and not rules.resizes_online(disk.category):
            raise errors.RESIZE_ONLINE_CATEGORY()
        if disk.instance_id:
            instance = find_instance(conn, ctx, disk.instance_id)
            check_locks(conn, instance, errors.INSTANCE_LOCKED_FOR_SECURITY_DISK)
            if instance.status not in instance_rules.DISK_ATTACHABLE:
                raise errors.INCORRECT_INSTANCE_STATUS()
            if online and instance.status not in instance_rules.ONLINE_RESIZABLE:
                raise errors.RESIZE_ONLINE_NEEDS_RUNNING()
        if snapshot_in_progress(conn, disk.id):
            raise errors.DISK_CREATING_SNAPSHOT()
        new_size = args["NewSize"]
        if new_size <= disk.size:
            raise errors.NEW_SIZE_NOT_LARGER()
        limits = (rules.system_size_range if disk.disk_type == "system" else rules.data_size_range)(
            disk.category, disk.performance_level)
        if new_size > limits.maximum:
            raise errors.NEW_SIZE_TOO_LARGE()
        assign(conn, disks, disk.id, size=new_size)
        ctx.emulator.data.resize(disk, new_size)
    return {}


# --- ModifyDiskSpec ----------------------------------------------------------------------------

def modify_disk_spec(ctx: CallContext, args: Args) -> dict[str, Any]:
    """The disk is Modifying while its data moves, still showing its old spec, then back in
    its status (In_use or Available) with the new one (docs/decisions.md)."""
    with ctx.emulator.unit_of_work() as conn:
        disk = find_disk(conn, ctx, args["DiskId"], lock=True)
        if disk.status not in rules.SPEC_CHANGEABLE:
            raise errors.INCORRECT_DISK_STATUS()
        if disk.instance_id:
            instance = find_instance(conn, ctx, disk.instance_id)
            if _in_arrears(conn, instance):
                raise errors.INSTANCE_EXPIRED_OR_IN_ARREARS()
            if instance.status not in instance_rules.DISK_SPEC_CHANGEABLE:
                raise errors.INCORRECT_INSTANCE_STATUS()
        if snapshot_in_progress(conn, disk.id):
            raise errors.DISK_CREATING_SNAPSHOT()
        current = spec_rules.Spec(disk.category, disk.performance_level)
        wanted = spec_rules.target(current, args["DiskCategory"], args["PerformanceLevel"])
        spec_rules.check(spec_rules.DiskFacts(current, disk.size, system=disk.disk_type == "system",
                                              subscription=disk.charge_type == SUBSCRIPTION), wanted)
        dry_run_check(args)
        if not move(conn, disks, DISK, disk.id, disk.status, MODIFYING):
            raise errors.INCORRECT_DISK_STATUS()
        changed = {"category": wanted.category, "performance_level": wanted.level,
                   "bursting_enabled": disk.bursting_enabled and rules.has_bursting(wanted.category)}
        ctx.emulator.scheduler.chain(conn, DISK, disk.id, (MODIFYING, disk.status), assign={disk.status: changed})
    return {"OrderId": billing.new_order_id() if disk.charge_type == SUBSCRIPTION else "", "TaskId": ""}


def _in_arrears(conn: Connection, instance: Row) -> bool:
    """Under a financial lock (expired, or in arrears); a security lock does not stop these."""
    return "financial" in locks_of(conn, [instance.id]).get(instance.id, [])


# --- ModifyDiskChargeType ----------------------------------------------------------------------

def modify_disk_charge_type(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Data disks of a subscription instance become subscription disks (not portable: they
    go with the instance) or pay-as-you-go ones (portable), all or none; a disk changed in
    the last five minutes refuses the call. AutoPay=false leaves the order unpaid: nothing
    changes."""
    target = args["DiskChargeType"]
    with ctx.emulator.unit_of_work() as conn:
        instance = find_instance(conn, ctx, args["InstanceId"], lock=True)
        if instance.charge_type != SUBSCRIPTION:
            raise errors.DISK_BILLING_POSTPAID_INSTANCE()
        if _in_arrears(conn, instance):
            raise errors.DISK_BILLING_INSTANCE_STATUS()
        chosen = [_data_disk_of(conn, ctx, instance, disk_id) for disk_id in dict.fromkeys(args["DiskIds"])]
        if not chosen:
            raise errors.DISK_BILLING_DISKS_NOT_FOUND()
        now = ctx.now()
        if not all(billing.disk_charge_type_changeable(disk.charge_type_changed_at, now) for disk in chosen):
            raise errors.DISK_BILLING_TOO_SOON()
        if args["AutoPay"]:
            for disk in chosen:
                if disk.charge_type != target:   # one already so billed is left as it is
                    assign(conn, disks, disk.id, charge_type=target, portable=target == PAY_AS_YOU_GO,
                           charge_type_changed_at=now)
    return {"OrderId": billing.new_order_id()}


def _data_disk_of(conn: Connection, ctx: CallContext, instance: Row, disk_id: str) -> Row:
    disk = find(conn, disks, ctx.account_id, disk_id, lock=True)
    if disk is None or disk.instance_id != instance.id or disk.disk_type != "data":
        raise errors.DISK_BILLING_DISKS_NOT_FOUND()
    return disk


# --- declarations ------------------------------------------------------------------------------

ACTIONS = (
    Action("ResizeDisk", FAMILY, "Grows a disk, its data kept: offline (default) or online (In_use on a "
                                 "Running instance).",
           params=(DISK_ID,
                   Param("NewSize", type=Type.INTEGER, required=True, description="GiB, above the current size."),
                   Param("Type", enum=("offline", "online"), default="offline",
                         invalid=errors.INVALID_RESIZE_TYPE,
                         description="offline (default) or online."),
                   CLIENT_TOKEN),
           handler=resize_disk,
           raises=(errors.DISK_NOT_FOUND, errors.INCORRECT_DISK_STATUS, errors.INCORRECT_INSTANCE_STATUS,
                   errors.INSTANCE_LOCKED_FOR_SECURITY_DISK, errors.DISK_CREATING_SNAPSHOT, errors.NEW_SIZE_NOT_LARGER,
                   errors.NEW_SIZE_TOO_LARGE, errors.RESIZE_ONLINE_NEEDS_RUNNING, errors.RESIZE_ONLINE_DISK_STATUS,
                   errors.RESIZE_ONLINE_CATEGORY, errors.INSTANCE_EXPIRED_OR_IN_ARREARS)),
    Action("ModifyDiskSpec", FAMILY, "Changes a disk's category or an ESSD's performance level (Modifying, "
                                     "then back in its status with the new spec).",
           params=(DISK_ID,
                   Param("DiskCategory", enum=categories.SPEC_CATEGORIES, invalid=errors.INVALID_DISK_CATEGORY,
                         description="The new category; absent: the disk keeps its own."),
                   Param("PerformanceLevel", enum=rules.PERFORMANCE_LEVELS, invalid=errors.INVALID_PERFORMANCE_LEVEL,
                         description="The new ESSD level; absent: the disk's own (PL1 for a disk becoming an ESSD)."),
                   Param("ProvisionedIops", type=Type.LONG, supported=False,
                         description="ESSD AutoPL provisioned IOPS: not emulated (refused)."),
                   Param("DestinationZoneId", supported=False, description="In preview: not emulated (refused)."),
                   Param("PerformanceControlOptions", kind=Kind.OBJECT, supported=False,
                         description="Performance control: not emulated (refused).",
                         fields=(Param("IOPS", type=Type.INTEGER, description="IOPS."),
                                 Param("Throughput", type=Type.INTEGER, description="MB/s."),
                                 Param("Recover", description="All: back to the defaults."))),
                   DRY_RUN),
           handler=modify_disk_spec,
           raises=(errors.DISK_NOT_FOUND, errors.INCORRECT_DISK_STATUS, errors.INSTANCE_EXPIRED_OR_IN_ARREARS,
                   errors.INCORRECT_INSTANCE_STATUS,
                   errors.DISK_CREATING_SNAPSHOT, errors.SPEC_OPERATION_DENIED, errors.SPEC_CATEGORY_NOT_SUPPORTED,
                   errors.SPEC_UNCHANGED, errors.SPEC_LEVEL_SIZE_MISMATCH, errors.INVALID_DISK_SIZE,
                   errors.DRY_RUN_OPERATION)),
    Action("ModifyDiskChargeType", FAMILY, "Moves data disks of a subscription instance between pay-as-you-go "
                                           "and subscription, all or none.",
           params=(REGION_ID,
                   Param("InstanceId", required=True, description="The subscription instance the disks are on."),
                   Param("DiskIds", kind=Kind.JSON_ARRAY, required=True, max_items=16,
                         description="JSON array of its data disks' IDs, 1 to 16."),
                   Param("DiskChargeType", enum=(SUBSCRIPTION, PAY_AS_YOU_GO), default=SUBSCRIPTION,
                         invalid=errors.DISK_CHARGE_TYPE_FILTER, description="PrePaid (default) or PostPaid."),
                   Param("AutoPay", type=Type.BOOLEAN, default=True,
                         description="Pay at once; false: the order waits, nothing changes."),
                   CLIENT_TOKEN),
           handler=modify_disk_charge_type,
           raises=(errors.INSTANCE_NOT_FOUND, errors.DISK_BILLING_POSTPAID_INSTANCE,
                   errors.DISK_BILLING_INSTANCE_STATUS, errors.DISK_BILLING_DISKS_NOT_FOUND,
                   errors.DISK_BILLING_TOO_SOON)),
)
