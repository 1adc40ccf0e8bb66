"""Automatic snapshots: what an automatic snapshot policy makes when one of its time points
passes. A policy's next time point is a due time like a transition's (``next_fire_at``,
asked by the same "anything due?" query, scheduler.py), so the catch-up before a request
(emulator.py) fires it: at wall time in realistic mode, and in manual mode when the clock
is advanced across it. A catch-up that passes several time points makes the snapshots of
each, each dated at its own time point, and RetentionDays then releases those past it
(the snapshots' own ``expires_at``, store/snapshots.py ``release_expired``). A disk keeps at
most 1,000 automatic snapshots: the next releases its oldest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection

from .actions.snapshots import record_snapshot
from .catalog import disk_categories
from .domain import auto_snapshot_policies as rules
from .store import auto_snapshot_policies as policy_store
from .store.snapshots import count_of_disk, snapshot_in_progress

if TYPE_CHECKING:
    from .emulator import Emulator


def fire_due(emulator: Emulator, conn: Connection, now: float) -> int:
    """Makes the snapshots of every time point passed by ``now``; returns how many."""
    made = 0
    for policy in policy_store.due(conn, now):
        hours, weekdays = tuple(policy.time_points), tuple(policy.repeat_weekdays)
        at = policy.next_fire_at
        while at <= now:
            made += _fire(emulator, conn, policy, at, now)
            at = rules.next_fire(at, hours, weekdays)
        policy_store.set_next_fire(conn, policy.id, at)
    return made


def _fire(emulator: Emulator, conn: Connection, policy, at: float, now: float) -> int:
    """One time point of one policy: a snapshot of each of its disks that can take one. A
    disk whose previous snapshot is still progressing skips it, as the real service does."""
    made = 0
    for disk in policy_store.disks_of(conn, policy.id):
        if disk.created_at > at or disk_categories.BY_NAME[disk.category].local:
            continue
        if not rules.fires_on(disk.status, disk.ever_attached, disk.instance_status, disk.enable_auto_snapshot):
            continue
        if snapshot_in_progress(conn, disk.id):
            continue
        if count_of_disk(conn, disk.id, "auto") >= rules.MAX_SNAPSHOTS_PER_DISK:
            oldest = policy_store.release_oldest_automatic(conn, disk.id, now)
            if oldest is not None:
                emulator.data.release(conn, [oldest.layer_id])
        prefix = f"auto_{rules.name_date(at)}_"
        name = rules.snapshot_name(at, policy_store.taken_on_day(conn, disk.id, prefix))
        days = policy.retention_days
        record_snapshot(conn, emulator, disk, at, now, snapshot_name=name, snapshot_type="auto",
                        auto_snapshot_policy_id=policy.id, resource_group_id=disk.resource_group_id,
                        retention_days=None if days == rules.FOREVER else days,
                        expires_at=rules.expiry(at, days))
        made += 1
    return made
