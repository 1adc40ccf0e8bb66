"""How many resources of each kind are in each status, over every account and region: the
metrics endpoint's gauge, counted when it is scraped (one grouped query per kind)."""

from __future__ import annotations

from sqlalchemy import Connection, func, literal, select, union_all

from .schema import RESOURCE_TABLES

_BY_STATUS = union_all(*(
    select(literal(kind, table.c.status.type).label("kind"), table.c.status, func.count().label("n"))
    .group_by(table.c.status)
    for kind, table in RESOURCE_TABLES.items()))


def by_kind_and_status(conn: Connection) -> list[tuple[str, str, int]]:
    """(kind, status, count) of every status some resource is in; kinds are the status
    machines' names (instance, disk, snapshot, …)."""
    return [(row.kind, row.status, row.n) for row in conn.execute(_BY_STATUS)]
