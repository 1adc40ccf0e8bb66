"""Operation locks on instances (financial, security): set only through the control plane,
as the conditions behind them (arrears, a security incident) are outside the API."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, delete, exists, insert, select

from .packed import packed, unpacked
from .schema import instance_locks
from .statements import Statement

# Built once: every DescribeInstances/DescribeDisks runs it (the IDs are one expanding parameter).
_LOCKS_OF = Statement(
    select(instance_locks.c.instance_id, instance_locks.c.reason)
    .where(instance_locks.c.instance_id.in_(bindparam("ids", expanding=True)))
    .order_by(instance_locks.c.created_at))


def locks_column(instance_id_column) -> Any:
    """A listing's column ``locks``: the instance's lock reasons, packed with when each was
    set (``locks_in_row`` reads them)."""
    return packed(instance_locks.c.created_at, instance_locks.c.reason,
                  instance_locks.c.instance_id == instance_id_column, name="locks")


def locks_in_row(row) -> list[str]:
    """The lock reasons of a row listed with ``locks_column``, oldest first."""
    return [reason for _, reason in unpacked(row.locks)]


def lock_filter(instance_id_column, reason: str) -> Any:
    """A WHERE clause: the instance is locked for ``reason``."""
    return exists().where(instance_locks.c.instance_id == instance_id_column, instance_locks.c.reason == reason)


def locks_of(conn: Connection, instance_ids: Iterable[str]) -> dict[str, list[str]]:
    ids = list(instance_ids)
    found: dict[str, list[str]] = defaultdict(list)
    if ids:
        for row in _LOCKS_OF.all(conn, ids=ids):
            found[row.instance_id].append(row.reason)
    return found


def lock(conn: Connection, instance_id: str, reason: str, now: float) -> None:
    if reason not in locks_of(conn, [instance_id]).get(instance_id, []):
        conn.execute(insert(instance_locks).values(instance_id=instance_id, reason=reason, created_at=now))


def unlock(conn: Connection, instance_id: str, reason: str | None = None) -> None:
    query = delete(instance_locks).where(instance_locks.c.instance_id == instance_id)
    if reason is not None:
        query = query.where(instance_locks.c.reason == reason)
    conn.execute(query)
