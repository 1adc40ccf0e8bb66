"""Durable timed transitions: Stopping -> Stopped, ReIniting -> In_use, snapshot progress.

A transition is a row with a due time. Due rows are applied before every unit of work, in
a transaction of their own, so a request never sees a resource whose change is overdue
(and ``instant`` mode, with zero delays, is complete before the next request). A restart
loses nothing: the rows are in the database. Several processes sharing PostgreSQL each
apply what they find due, waiting for rows another is applying (FOR UPDATE, in due order,
so catch-ups never lock in opposite orders: a skipped row would be read unapplied); the move
itself is a compare-and-swap on the resource's status, so no move happens twice. An action
asks for a whole chain at once (``chain``); each move waits the delay its status machine
declares (domain/status.py).

Asking the database "is anything due?" on every request would cost more than most requests
do: ``DueWatch`` keeps, in memory, the earliest time something may be due, and says when
the database must be asked again (see its docstring).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from itertools import pairwise
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, Connection, and_, bindparam, delete, exists, func, insert, or_, select, update

from .clock import Clock
from .domain.status import StatusMachine
from .store.schema import RESOURCE_TABLES, auto_snapshot_policies, snapshots, transitions
from .store.snapshots import image_uses
from .store.statements import Statement
from .timing import Delays

AT_DUE = "@due"  # an ``assign`` value meaning "the time the move happens"
BATCH = 200
RECHECK_SECONDS = 0.5  # how stale the earliest due time may get (other processes' schedules)

_NOW: BindParameter[float] = bindparam("now")
# Is anything due now, and when is the next thing due after now? Built once; every part is
# an index search (transitions.due_at, snapshots.expires_at, auto_snapshot_policies.
# next_fire_at). A snapshot past its retention that a custom image still uses is kept, so it
# does not count as due.
DUE_NOW_AND_NEXT = Statement(select(
    or_(exists().where(transitions.c.due_at <= _NOW),
        exists().where(snapshots.c.expires_at <= _NOW, ~image_uses(snapshots.c.id)),
        exists().where(auto_snapshot_policies.c.next_fire_at <= _NOW)),
    select(func.min(transitions.c.due_at)).where(transitions.c.due_at > _NOW).scalar_subquery(),
    select(func.min(snapshots.c.expires_at)).where(snapshots.c.expires_at > _NOW).scalar_subquery(),
    select(func.min(auto_snapshot_policies.c.next_fire_at))
    .where(auto_snapshot_policies.c.next_fire_at > _NOW).scalar_subquery(),
))


def due_now_and_next(conn: Connection, now: float) -> tuple[bool, float | None]:
    """Whether something is due by ``now``, and the earliest due time after ``now`` (None:
    nothing scheduled)."""
    due, *after = DUE_NOW_AND_NEXT.first(conn, now=now)  # one row, always
    later = [t for t in after if t is not None]
    return bool(due), min(later) if later else None


class DueWatch:
    """The earliest time something may be due, kept in memory so that most requests need
    not ask the database. Thread-safe.

    The database must be asked (``must_ask``) when nothing is known (at start, and after
    every unit of work that may have written: it may have scheduled something, or changed
    a retention), when that time has come, or when the last answer is older than
    ``recheck`` seconds of real time: other processes sharing the database schedule things
    this one does not see.

    An answer obtained while a write was going on may miss that write: ``version`` taken
    before asking and given back with the answer lets ``learned`` drop such an answer."""

    def __init__(self, recheck: float = RECHECK_SECONDS) -> None:
        self._lock = threading.Lock()
        self._recheck = recheck
        self._version = 0
        self._known = False
        self._next: float | None = None   # the earliest due time after the last answer
        self._asked_at = 0.0              # time.monotonic() when asked

    def must_ask(self, now: float) -> bool:
        with self._lock:
            return (not self._known or (self._next is not None and self._next <= now)
                    or time.monotonic() - self._asked_at > self._recheck)

    def version(self) -> int:
        with self._lock:
            return self._version

    def learned(self, version: int, next_due: float | None, asked_at: float) -> None:
        """What the database answered (``asked_at``: time.monotonic() before asking)."""
        with self._lock:
            if version == self._version:
                self._known, self._next, self._asked_at = True, next_due, asked_at

    def forget(self) -> None:
        """Something may have been scheduled: the next request asks the database."""
        with self._lock:
            self._version += 1
            self._known = False


class Scheduler:
    def __init__(self, clock: Clock, delays: Delays, *, locks_rows: bool,
                 applied: Callable[[str, str], None] = lambda resource, target: None,
                 held: Callable[[], float] = lambda: 0.0) -> None:
        self._clock = clock
        self._applied = applied  # told of every move made (the metrics' count)
        self._delays = delays
        self._locks_rows = locks_rows
        self._held = held  # seconds a fault rule holds the current call's moves (faults.py)

    def chain(self, conn: Connection, machine: StatusMachine, resource_id: str, path: Sequence[str], *,
              after: float = 0.0, guard: dict[str, Any] | None = None,
              assign: Mapping[str, dict[str, Any]] | None = None) -> float:
        """Schedules the moves along ``path`` (``("Pending", "Starting", "Running")``), each
        its declared delay after the one before, the first ``after`` seconds from now;
        returns when the last is due. ``assign``: per status of the path, the columns set
        when it is reached; ``guard``: columns every move waits for. A move the machine does
        not declare is refused (ValueError) before anything is scheduled. A fault rule's hold
        on the call adds its seconds to ``after``: the first move stays in its status longer."""
        moves = [machine.check(source, target) for source, target in pairwise(path)]
        assign = assign or {}
        if not moves or set(assign) - set(path[1:]) or any("status" in columns for columns in assign.values()):
            raise ValueError(f"{machine.resource}: {path} is no chain, or {assign} assigns beyond it or a status")
        now = self._clock.now()
        due = now + after + self._held()
        scheduled = False
        for move in moves:
            due += move.seconds(self._delays)
            step = _Step(machine.resource, resource_id, move.source, move.target, guard or {},
                         assign.get(move.target, {}), due)
            # Due already (instant mode): made now, in this transaction, as the catch-up before
            # the next request would make it; what cannot be made now waits for it, with the rest.
            if not scheduled and due <= now and _apply(conn, step):
                self._applied(step.resource, step.target)
                continue
            scheduled = True
            _INSERT.rowcount(conn, resource=step.resource, resource_id=resource_id, expect=step.expect,
                             target=step.target, guard=step.guard, assign=step.assign, due_at=due)
        return due

    def hasten(self, conn: Connection, resource_id: str, targets: Sequence[str]) -> None:
        """The resource's scheduled moves to ``targets`` become due now (an instance
        driver saw its VM come up or go: the timed move was only the ceiling)."""
        conn.execute(update(transitions).where(transitions.c.resource_id == resource_id,
                                               transitions.c.target.in_(targets),
                                               transitions.c.due_at > self._clock.now())
                     .values(due_at=self._clock.now()))

    def cancel(self, conn: Connection, resource_id: str) -> None:
        """Forgets every pending move of a resource (it was deleted)."""
        conn.execute(delete(transitions).where(transitions.c.resource_id == resource_id))

    def apply_due(self, conn: Connection) -> int:
        """Applies every transition due by now, oldest first; returns how many moved."""
        now = self._clock.now()
        moved = 0
        while True:
            query = (select(transitions).where(transitions.c.due_at <= now)
                     .order_by(transitions.c.due_at, transitions.c.id).limit(BATCH))
            if self._locks_rows:
                query = query.with_for_update()
            rows = conn.execute(query).all()
            for row in rows:
                moved += self._apply(conn, row)
            if len(rows) < BATCH:
                return moved

    def _apply(self, conn: Connection, row) -> int:
        changed = _apply(conn, _Step(row.resource, row.resource_id, row.expect, row.target, row.guard,
                                     row.assign, row.due_at))
        if changed:
            self._applied(row.resource, row.target)
        if changed or not _blocked(conn, row):
            _DELETE.rowcount(conn, id=row.id)
        return changed


class _Step(NamedTuple):
    """One move to make: a transition row's fields."""
    resource: str
    resource_id: str
    expect: str
    target: str
    guard: dict[str, Any]
    assign: dict[str, Any]
    due_at: float


_INSERT = Statement(insert(transitions).values({
    name: bindparam(name, type_=transitions.c[name].type)
    for name in ("resource", "resource_id", "expect", "target", "guard", "assign", "due_at")}))
_DELETE = Statement(delete(transitions).where(transitions.c.id == bindparam("id")))


def _apply(conn: Connection, step: _Step) -> bool:
    """The move, by compare-and-swap: made only while the resource is in ``expect`` and
    matches ``guard``; True when made."""
    values: dict[str, Any] = {"v_status": step.target}
    values.update({f"v_{k}": (step.due_at if v == AT_DUE else v) for k, v in step.assign.items()})
    values.update({f"g_{k}": v for k, v in step.guard.items()})
    update_ = _update(step.resource, frozenset(step.assign), frozenset(step.guard))
    return update_.rowcount(conn, id=step.resource_id, expect=step.expect, **values) == 1


@cache
def _update(resource: str, assigned: frozenset[str], guarded: frozenset[str]) -> Statement:
    table = RESOURCE_TABLES[resource]
    conditions = [table.c.id == bindparam("id"), table.c.status == bindparam("expect"),
                  *(table.c[k] == bindparam(f"g_{k}") for k in sorted(guarded))]
    return Statement(update(table).where(and_(*conditions)).values(
        {k: bindparam(f"v_{k}", type_=table.c[k].type) for k in ("status", *sorted(assigned))}))


def _blocked(conn: Connection, row) -> bool:
    """Still in the expected status but held back by the guard: keep the row for later.
    Otherwise something else moved the resource (or it is gone): drop the row."""
    return _status(row.resource).scalar(conn, id=row.resource_id) == row.expect


@cache
def _status(resource: str) -> Statement:
    table = RESOURCE_TABLES[resource]
    return Statement(select(table.c.status).where(table.c.id == bindparam("id")))
