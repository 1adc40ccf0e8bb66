"""Key pairs by name, per account and region."""

from __future__ import annotations

from sqlalchemy import Connection, Row, select

from .schema import key_pairs


def find_key_pair(conn: Connection, account_id: str, region_id: str, name: str) -> Row | None:
    t = key_pairs.c
    return conn.execute(select(key_pairs).where(t.account_id == account_id, t.region_id == region_id,
                                                t.name == name)).first()
