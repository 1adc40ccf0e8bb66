"""Control endpoints over the emulator's state: health, reset, the manual clock, instance
locks, and snapshots held in progress or dated. Their database work runs in a worker
thread, as the RPC calls' does: on the event loop it would wait for the database's writer
behind any slow call, and every request with it."""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from ..clock import EARLIEST, LATEST, ManualClock, utc_iso
from ..domain.instances import LOCK_REASONS
from ..emulator import Emulator
from ..store import locks as lock_store
from ..store.schema import instances, metadata, snapshots
from ..store.snapshots import expiry
from .guard import ControlError, endpoint, json_body

MAX_ADVANCE = 100 * 365 * 24 * 3600  # seconds one advance may move the manual clock
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?([Zz]|[+-][0-9]{2}:[0-9]{2})",
                   re.ASCII)


def state_routes(emulator: Emulator) -> list[Route]:
    async def health(request: Request) -> dict:
        return {"Status": "ok", "Actions": sum(len(product.actions) for product in emulator.products),
                "Products": {product.code: product.version for product in emulator.products},
                "Transitions": emulator.config.transitions,
                "Now": utc_iso(emulator.clock.now()), "FilesDir": str(emulator.files_dir)}

    async def reset(request: Request) -> dict:
        await json_body(request)  # empty or {}: read, so that its limits hold here too

        def work() -> None:
            with emulator.db.transaction() as conn:
                for table in reversed(metadata.sorted_tables):
                    conn.execute(delete(table))
            emulator.data.reconcile()  # every disk and layer file is now unowned
            emulator.faults.forget()  # the fault rules went with the rest
        await run_in_threadpool(work)
        return {"Reset": True}

    async def advance(request: Request) -> dict:
        body = await json_body(request)
        seconds = body.get("seconds")
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) \
                or not 0 <= seconds <= MAX_ADVANCE or not math.isfinite(seconds):
            raise ControlError(400, "InvalidSeconds", '"seconds" must be a number of seconds, 0 or more and at '
                                                      f"most {MAX_ADVANCE} (100 years).")
        if not isinstance(emulator.clock, ManualClock):
            raise ControlError(409, "NotManual", "The clock advances by itself unless the server runs with "
                                                 "--transitions manual.")
        try:
            emulator.clock.advance(seconds)
        except ValueError as exc:  # past the last time the emulator keeps
            raise ControlError(400, "InvalidSeconds", f"The clock cannot move that far: {exc}.") from None
        await run_in_threadpool(emulator.apply_due)
        return {"Now": utc_iso(emulator.clock.now()), "FilesDir": str(emulator.files_dir)}

    async def add_lock(request: Request) -> dict:
        body = await json_body(request)
        reason = body.get("LockReason")
        if reason not in LOCK_REASONS:
            raise ControlError(400, "InvalidLockReason", f"LockReason must be one of {', '.join(LOCK_REASONS)}.")
        instance_id = request.path_params["instance_id"]

        def work() -> list[str]:
            with emulator.unit_of_work() as conn:
                _exists(conn, instances, instance_id, "InvalidInstanceId.NotFound")
                lock_store.lock(conn, instance_id, reason, emulator.clock.now())
                return lock_store.locks_of(conn, [instance_id])[instance_id]
        return {"InstanceId": instance_id, "OperationLocks": await run_in_threadpool(work)}

    async def remove_lock(request: Request) -> dict:
        instance_id, reason = request.path_params["instance_id"], request.path_params["reason"]

        def work() -> list[str]:
            with emulator.unit_of_work() as conn:
                _exists(conn, instances, instance_id, "InvalidInstanceId.NotFound")
                lock_store.unlock(conn, instance_id, reason)
                return lock_store.locks_of(conn, [instance_id]).get(instance_id, [])
        return {"InstanceId": instance_id, "OperationLocks": await run_in_threadpool(work)}

    async def patch_snapshot(request: Request) -> dict:
        body = await json_body(request)
        snapshot_id = request.path_params["snapshot_id"]
        changes: dict[str, Any] = {}
        if "CreationTime" in body:
            changes["created_at"] = _parse_time(body["CreationTime"])
        if "Hold" in body:
            if not isinstance(body["Hold"], bool):
                raise ControlError(400, "InvalidHold", '"Hold" must be true or false.')
            changes["hold"] = body["Hold"]
        if not changes:
            raise ControlError(400, "NothingToChange", 'Give "CreationTime" and/or "Hold".')
        def work():
            with emulator.unit_of_work() as conn:
                _exists(conn, snapshots, snapshot_id, "InvalidSnapshotId.NotFound")
                row = conn.execute(select(snapshots).where(snapshots.c.id == snapshot_id)).one()
                if "created_at" in changes:  # its retention counts from its creation
                    changes["expires_at"] = expiry(changes["created_at"], row.retention_days)
                conn.execute(update(snapshots).where(snapshots.c.id == snapshot_id).values(**changes))
                return conn.execute(select(snapshots).where(snapshots.c.id == snapshot_id)).one()
        row = await run_in_threadpool(work)
        return {"SnapshotId": snapshot_id, "CreationTime": utc_iso(row.created_at), "Hold": row.hold,
                "Status": row.status}

    return [
        Route("/_ecsemu/health", endpoint(health), methods=["GET"]),
        Route("/_ecsemu/reset", endpoint(reset), methods=["POST"]),
        Route("/_ecsemu/clock/advance", endpoint(advance), methods=["POST"]),
        Route("/_ecsemu/instances/{instance_id}/locks", endpoint(add_lock), methods=["POST"]),
        Route("/_ecsemu/instances/{instance_id}/locks/{reason}", endpoint(remove_lock), methods=["DELETE"]),
        Route("/_ecsemu/snapshots/{snapshot_id}", endpoint(patch_snapshot), methods=["PATCH"]),
    ]


def _exists(conn, table, resource_id: str, code: str) -> None:
    if conn.execute(select(table.c.id).where(table.c.id == resource_id)).first() is None:
        raise ControlError(404, code, f"{resource_id} does not exist.")


def _parse_time(value: Any) -> float:
    """``YYYY-MM-DDThh:mm:ss`` with an optional fraction, then ``Z`` or ``±hh:mm``; the
    moment must lie between EARLIEST and LATEST (1970-01-01T00:00:00Z and
    9000-01-01T00:00:00Z), so that every later rendering of it and of what is added to it
    (RetentionDays, transition delays) stays within what utc_iso can write."""
    shape = 'CreationTime must look like "2013-07-01T00:00:00Z"'
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ControlError(400, "InvalidCreationTime", shape + ".")
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
        seconds = moment.timestamp()
    except (ValueError, OverflowError):  # 2013-02-30; year 1 at +14:00
        raise ControlError(400, "InvalidCreationTime", shape + ", a real date.") from None
    if not EARLIEST <= seconds <= LATEST:
        raise ControlError(400, "InvalidCreationTime", f"CreationTime must be from {utc_iso(EARLIEST)} to "
                                                       f"{utc_iso(LATEST)}.")
    return seconds
