"""Durable timed transitions: Stopping -> Stopped, ReIniting -> In_use, snapshot progress.

A transition is a row with a due time. Due rows are applied at the start of every unit of
work, inside its transaction, so a request never sees a resource whose change is overdue
(and ``instant`` mode, with zero delays, is complete before the next request). A restart
loses nothing: the rows are in the database. Several processes sharing PostgreSQL each
apply what they find due, skipping rows another holds (FOR UPDATE SKIP LOCKED); the move
itself is a compare-and-swap on the resource's status, so no move happens twice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update

from .clock import Clock
from .domain.status import MACHINES
from .store.schema import RESOURCE_TABLES, transitions

AT_DUE = "@due"  # an ``assign`` value meaning "the time the move happens"
BATCH = 200


class Scheduler:
    def __init__(self, clock: Clock, *, locks_rows: bool) -> None:
        self._clock = clock
        self._locks_rows = locks_rows

    def schedule(self, conn: Connection, resource: str, resource_id: str, expect: str, target: str,
                 *, after: float, guard: dict[str, Any] | None = None,
                 assign: dict[str, Any] | None = None) -> float:
        """Moves ``resource_id`` from ``expect`` to ``target`` ``after`` seconds from now;
        returns the due time. A chain (Pending, Starting, Running) is several calls with
        growing ``after``."""
        MACHINES[resource].check(expect, target)
        due = self._clock.now() + after
        conn.execute(insert(transitions).values(
            resource=resource, resource_id=resource_id, expect=expect, target=target,
            guard=guard or {}, assign=assign or {}, due_at=due))
        return due

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
                query = query.with_for_update(skip_locked=True)
            rows = conn.execute(query).all()
            for row in rows:
                moved += self._apply(conn, row)
            if len(rows) < BATCH:
                return moved

    def _apply(self, conn: Connection, row) -> int:
        table = RESOURCE_TABLES[row.resource]
        values = {"status": row.target}
        values.update({k: (row.due_at if v == AT_DUE else v) for k, v in row.assign.items()})
        conditions = [table.c.id == row.resource_id, table.c.status == row.expect]
        conditions += [table.c[k] == v for k, v in row.guard.items()]
        changed = conn.execute(update(table).where(and_(*conditions)).values(values)).rowcount
        if changed or not self._blocked(conn, table, row):
            conn.execute(delete(transitions).where(transitions.c.id == row.id))
        return changed

    @staticmethod
    def _blocked(conn: Connection, table, row) -> bool:
        """Still in the expected status but held back by the guard: keep the row for later.
        Otherwise something else moved the resource (or it is gone): drop the row."""
        status = conn.execute(select(table.c.status).where(table.c.id == row.resource_id)).scalar()
        return status == row.expect
