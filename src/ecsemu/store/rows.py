"""The few ways the actions touch resource rows: find by ID within an account, insert,
and change status by compare-and-swap.

The lookups and the insert run on most requests: their statements are built once per
table (executed with parameters, so SQLAlchemy's compiled cache answers at once) rather
than on every call."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import Connection, Insert, Row, Select, Table, bindparam, insert, select, update

from ..domain.status import StatusMachine


def find(conn: Connection, table: Table, account_id: str, resource_id: str | None, *,
         lock: bool = False) -> Row | None:
    """The account's resource with that ID, in any region (IDs are unique across regions).
    ``lock``: hold the row until the transaction ends (PostgreSQL; SQLite locks anyway)."""
    if not resource_id:
        return None
    query = _find(table, lock and conn.dialect.name == "postgresql")
    return conn.execute(query, {"id": resource_id, "account_id": account_id}).first()


@cache
def _find(table: Table, for_update: bool) -> Select:
    query = select(table).where(table.c.id == bindparam("id"), table.c.account_id == bindparam("account_id"))
    return query.with_for_update() if for_update else query


def add(conn: Connection, table: Table, **values) -> None:
    conn.execute(_insert(table), values)


@cache
def _insert(table: Table) -> Insert:
    return insert(table)


def move(conn: Connection, table: Table, machine: StatusMachine, resource_id: str,
         expect: str | Sequence[str], target: str, **assign) -> bool:
    """Compare-and-swap: ``resource_id`` goes to ``target`` only if it is still in
    ``expect`` (one status or several); True when this call made the move."""
    expected = (expect,) if isinstance(expect, str) else tuple(expect)
    for status in expected:
        machine.check(status, target)
    result = conn.execute(update(table)
                          .where(table.c.id == resource_id, table.c.status.in_(expected))
                          .values(status=target, **assign))
    return result.rowcount == 1


def assign(conn: Connection, table: Table, resource_id: str, **values) -> None:
    """Changes columns other than the status: that changes only by ``move`` (its machine's
    moves, compare-and-swap), so asking this one to is a bug."""
    if "status" in values:
        raise TypeError("assign() does not change a status: move() does")
    conn.execute(update(table).where(table.c.id == resource_id).values(**values))
