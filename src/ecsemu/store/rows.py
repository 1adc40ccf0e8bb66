"""The few ways the actions touch resource rows: find by ID within an account, insert,
change status by compare-and-swap, and delete.

The lookups and the insert run on most requests: their statements are built once per
table; the lookup runs straight on the driver (store/statements.py), its row a named tuple."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, Row, Table, and_, bindparam, delete, func, insert, select, update

from ..domain.status import StatusMachine
from .statements import Statement


def find(conn: Connection, table: Table, account_id: str, resource_id: str | None, *,
         lock: bool = False) -> Any | None:
    """The account's resource with that ID, in any region (IDs are unique across regions).
    ``lock``: hold the row until the transaction ends (PostgreSQL; SQLite locks anyway)."""
    if not resource_id:
        return None
    query = _find(table, lock and conn.dialect.name == "postgresql")
    return query.first(conn, id=resource_id, account_id=account_id)


@cache
def _find(table: Table, for_update: bool) -> Statement:
    query = select(table).where(table.c.id == bindparam("id"), table.c.account_id == bindparam("account_id"))
    return Statement(query.with_for_update() if for_update else query)


def add(conn: Connection, table: Table, **values) -> None:
    """Inserts a row: the columns given, and the others' defaults."""
    statement, defaults = _insert(table, frozenset(values))
    row = {f"v_{name}": value for name, value in values.items()}
    for name, make in defaults:
        row[f"v_{name}"] = make()
    statement.rowcount(conn, **row)


@cache
def _insert(table: Table, given: frozenset[str]) -> tuple[Statement, tuple[tuple[str, Callable[[], Any]], ...]]:
    """The insert of the columns given and of those with a default (run on the driver, which
    knows nothing of SQLAlchemy's defaults: they are made here, as execute would)."""
    defaults = tuple((column.key, _maker(column.default)) for column in table.columns
                     if column.key not in given and column.default is not None)
    names = [*sorted(given), *(name for name, _ in defaults)]
    return Statement(insert(table).values({name: bindparam(f"v_{name}", type_=table.c[name].type)
                                           for name in names})), defaults


def _maker(default: Any) -> Callable[[], Any]:
    if default.is_scalar:
        return lambda: default.arg
    if default.is_callable:  # SQLAlchemy wraps it to take an execution context; none is used
        return lambda: default.arg(None)
    raise TypeError(f"a column default this insert cannot make: {default!r}")


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


def remove(conn: Connection, table: Table, resource_id: str) -> None:
    """Deletes the row with that ID (what else goes with it is the caller's to remove)."""
    _remove(table).rowcount(conn, id=resource_id)


@cache
def _remove(table: Table) -> Statement:
    return Statement(delete(table).where(table.c.id == bindparam("id")))


def page(conn: Connection, table: Table, conditions: Sequence[Any], *, order_by: Sequence[Any], number: int,
         size: int) -> tuple[list[Row], int]:
    """Page ``number`` (of ``size`` rows, in ``order_by`` order) of ``table``'s rows meeting
    ``conditions``, and how many meet them: PageNumber/PageSize listings of one table."""
    where = and_(*conditions)
    total = conn.execute(select(func.count()).select_from(table).where(where)).scalar_one()
    rows = conn.execute(select(table).where(where).order_by(*order_by).limit(size).offset((number - 1) * size)).all()
    return list(rows), total
