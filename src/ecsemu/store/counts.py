"""Rows of disks and instances an (account, region) holds, as the triggers of migration 0003
keep them in resource_counts (SQLite only; see store/schema.py)."""

from __future__ import annotations

from sqlalchemy import Connection, Table, bindparam, select

from .schema import disks, instances, resource_counts
from .statements import Statement

COUNTED = frozenset({disks.name, instances.name})

_COUNT = Statement(select(resource_counts.c.n).where(
    resource_counts.c.table_name == bindparam("table_name"),
    resource_counts.c.account_id == bindparam("account_id"),
    resource_counts.c.region_id == bindparam("region_id")))


def kept(conn: Connection, table: Table) -> bool:
    """Whether ``stored_count`` answers for this table on this database."""
    return table.name in COUNTED and conn.dialect.name == "sqlite"


def stored_count(conn: Connection, table: Table, account_id: str, region_id: str) -> int:
    return _COUNT.scalar(conn, table_name=table.name, account_id=account_id, region_id=region_id) or 0
