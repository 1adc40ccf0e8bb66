"""Instances in batches: StartInstances, StopInstances, RebootInstances, DeleteInstances.

Each applies, instance by instance, the rules of its single-instance action (instances.py).
``BatchOptimization=AllTogether`` (the default) is all or nothing: the first instance that
fails answers the call's error and no instance changes. ``SuccessFirst`` changes every
instance it can and answers each one's outcome in ``InstanceResponses``. DeleteInstances
has no such choice: it is all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..errors import EcsError
from ..store.rows import find
from ..store.schema import instances
from .common import CLIENT_TOKEN, DRY_RUN, REGION_ID, dry_run_check
from .declaration import Action, Args, CallContext
from .instances import (
    FAMILY,
    check_deletable,
    check_rebootable,
    check_startable,
    check_stoppable,
    release,
    start,
    stop,
)
from .params import Kind, Param, Type

INSTANCE_IDS = Param("InstanceId", kind=Kind.LIST, required=True, max_items=100,
                     description="Instances, InstanceId.1 to InstanceId.100.")
BATCH_OPTIMIZATION = Param("BatchOptimization", enum=("AllTogether", "SuccessFirst"), default="AllTogether",
                           description="AllTogether: all or none; SuccessFirst: each on its own, each answered.")
# What SuccessFirst answers for each instance of a dry run, whatever its checks would say.
DRY_RUN_SUCCESS = "DRYRUN.SUCCESS"

Check = Callable[[Connection, Row], None]
Change = Callable[[Connection, CallContext, Row], str]   # makes the change; the status it entered


def _load(conn: Connection, ctx: CallContext, args: Args) -> dict[str, Row | None]:
    """The instances asked for, once each, in the order asked; None: not in the account and
    region. Rows are locked in ID order, so that two batches cannot deadlock (PostgreSQL)."""
    wanted = list(dict.fromkeys(args["InstanceId"]))
    found: dict[str, Row | None] = {}
    for instance_id in sorted(wanted):
        instance = find(conn, instances, ctx.account_id, instance_id, lock=True)
        found[instance_id] = instance if instance is not None and instance.region_id == args["RegionId"] else None
    return {instance_id: found[instance_id] for instance_id in wanted}


def _run(ctx: CallContext, args: Args, check: Check, change: Change) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        loaded = _load(conn, ctx, args)
        if args["BatchOptimization"] == "SuccessFirst":
            answers = [_each(conn, ctx, args, instance_id, instance, check, change)
                       for instance_id, instance in loaded.items()]
        else:
            found = _every(loaded)
            for instance in found:
                check(conn, instance)
            dry_run_check(args)
            answers = [_answer(instance.id, instance.status, change(conn, ctx, instance)) for instance in found]
    return {"InstanceResponses": {"InstanceResponse": answers}}


def _every(loaded: dict[str, Row | None]) -> list[Row]:
    """All or nothing: every instance asked for exists, or the call is refused for that
    before any instance's own rules are looked at."""
    if any(instance is None for instance in loaded.values()):
        raise errors.INSTANCE_NOT_FOUND()
    return [instance for instance in loaded.values() if instance is not None]


def _each(conn: Connection, ctx: CallContext, args: Args, instance_id: str, instance: Row | None,
          check: Check, change: Change) -> dict[str, str]:
    """SuccessFirst: one instance's outcome, its error included."""
    status = instance.status if instance is not None else ""
    if args["DryRun"]:
        return _answer(instance_id, status, status, DRY_RUN_SUCCESS, errors.DRY_RUN_OPERATION.message)
    try:
        if instance is None:
            raise errors.INSTANCE_NOT_FOUND()
        check(conn, instance)
        return _answer(instance_id, status, change(conn, ctx, instance))
    except EcsError as error:
        return _answer(instance_id, status, status, error.code, error.message)


def _answer(instance_id: str, previous: str, current: str, code: str = "200",
            message: str = "success") -> dict[str, str]:
    return {"InstanceId": instance_id, "Code": code, "Message": message,
            "PreviousStatus": previous, "CurrentStatus": current}


# --- the three batches and DeleteInstances ---------------------------------------------------

# (The checks are called from functions of each handler's own, not handed over as they are:
# tests/unit/test_declared_errors.py follows calls to find what an action raises.)

def start_instances(ctx: CallContext, args: Args) -> dict[str, Any]:
    def check(conn: Connection, instance: Row) -> None:
        check_startable(conn, instance)

    def change(conn: Connection, ctx: CallContext, instance: Row) -> str:
        start(conn, ctx, instance.id, "Stopped")
        return "Starting"
    return _run(ctx, args, check, change)


def stop_instances(ctx: CallContext, args: Args) -> dict[str, Any]:
    def check(conn: Connection, instance: Row) -> None:
        check_stoppable(conn, instance)

    def change(conn: Connection, ctx: CallContext, instance: Row) -> str:
        stop(conn, ctx, instance.id, args["StoppedMode"], force=args["ForceStop"])
        return "Stopping"
    return _run(ctx, args, check, change)


def reboot_instances(ctx: CallContext, args: Args) -> dict[str, Any]:
    def check(conn: Connection, instance: Row) -> None:
        check_rebootable(conn, instance)

    def change(conn: Connection, ctx: CallContext, instance: Row) -> str:
        start(conn, ctx, instance.id, "Running", force=args["ForceReboot"])
        return "Starting"
    return _run(ctx, args, check, change)


def delete_instances(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        found = _every(_load(conn, ctx, args))
        for instance in found:
            check_deletable(instance, force=args["Force"], terminate_subscription=args["TerminateSubscription"])
        dry_run_check(args)
        for instance in found:
            release(conn, ctx, instance)
    return {}


# --- declarations --------------------------------------------------------------------------

_BATCH = (REGION_ID, INSTANCE_IDS, BATCH_OPTIMIZATION, DRY_RUN)
_INSTANCE_ERRORS = (errors.INSTANCE_NOT_FOUND, errors.INCORRECT_INSTANCE_STATUS, errors.INSTANCE_LOCKED_FOR_SECURITY,
                    errors.INSTANCE_EXPIRED_OR_IN_ARREARS, errors.DRY_RUN_OPERATION)

ACTIONS = (
    Action("StartInstances", FAMILY, "Starts Stopped instances, all together or each on its own.",
           params=_BATCH, handler=start_instances,
           raises=(*_INSTANCE_ERRORS, errors.DISK_ERROR)),
    Action("StopInstances", FAMILY, "Stops Running instances, all together or each on its own.",
           params=(*_BATCH,
                   Param("ForceStop", type=Type.BOOLEAN, default=False, description="Power off."),
                   Param("StoppedMode", enum=("StopCharging", "KeepCharging"), description="Economical mode.")),
           handler=stop_instances, raises=_INSTANCE_ERRORS),
    Action("RebootInstances", FAMILY, "Restarts Running instances, all together or each on its own.",
           params=(*_BATCH, Param("ForceReboot", type=Type.BOOLEAN, default=False, description="Power off first.")),
           handler=reboot_instances, raises=_INSTANCE_ERRORS),
    Action("DeleteInstances", FAMILY, "Releases instances, all or none; their disks go or stay per "
                                      "DeleteWithInstance.",
           params=(REGION_ID, INSTANCE_IDS,
                   Param("Force", type=Type.BOOLEAN, default=False, description="Release running instances too."),
                   Param("ForceStop", type=Type.BOOLEAN, default=True, description="With Force: power off."),
                   Param("TerminateSubscription", type=Type.BOOLEAN, default=False,
                         description="Release subscription instances."),
                   CLIENT_TOKEN, DRY_RUN),
           handler=delete_instances,
           raises=(errors.INSTANCE_NOT_FOUND, errors.INCORRECT_INSTANCE_STATUS, errors.INSTANCE_INITIALIZING,
                   errors.DELETION_PROTECTION, errors.CHARGE_TYPE_VIOLATION, errors.DRY_RUN_OPERATION)),
)
