"""The one row naming this database to storage that several databases share."""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, select

from .schema import storage_identity

ROW = 1


def rbd_namespace(conn: Connection) -> str:
    """This database's RBD namespace, made at the first call (two processes starting at
    once agree: the first insert wins, the other reads it)."""
    if conn.dialect.name == "postgresql":  # the dialects' own INSERT ... ON CONFLICT (see client_tokens.py)
        from sqlalchemy.dialects import postgresql as dialect
    else:
        from sqlalchemy.dialects import sqlite as dialect  # type: ignore[no-redef]
    proposed = f"ecsemu-{secrets.token_hex(6)}"
    conn.execute(dialect.insert(storage_identity).values(id=ROW, rbd_namespace=proposed).on_conflict_do_nothing())
    return conn.execute(select(storage_identity.c.rbd_namespace).where(storage_identity.c.id == ROW)).scalar_one()
