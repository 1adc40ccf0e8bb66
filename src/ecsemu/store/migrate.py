"""Bringing a database to the newest schema with the Alembic migrations in ./migrations.

Opening a database that is already at the newest revision (every start but the first) must
cost one query and no Alembic: ``upgrade`` reads ``alembic_version`` and compares it with
``head_revision()``, which reads the revision IDs from the migration files themselves (a
unit test checks it against Alembic's own answer). Only a database that is behind takes
the migration lock, looks again (another process may have just upgraded it), and runs
Alembic, imported only then.

The lock lets several processes start together on one empty database (issue 10): without
it, each ran the migrations at once and all but one died on a duplicate table or version
row. PostgreSQL: ``pg_advisory_xact_lock`` on a fixed key, held by the migration's own
transaction until it commits (DDL is transactional there, so the others then see the whole
new schema). SQLite: the database's write lock, taken when the migration's transaction
begins (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig
    from sqlalchemy import Connection
    from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"
VERSIONS = MIGRATIONS / "versions"
# pg_advisory_xact_lock's key for "migrating ecsemu's schema": "ecsemu" in ASCII, then 1.
MIGRATION_LOCK_KEY = 0x6563_7365_6D75_0001

# How a revision file names itself and its parent (Alembic's generated header, as in 0001).
_REVISION = re.compile(r"""^revision\s*(?::[^=]*)?=\s*['"]([^'"]+)['"]""", re.MULTILINE)
_DOWN_REVISION = re.compile(r"""^down_revision\s*(?::[^=]*)?=\s*(None|['"]([^'"]*)['"])""", re.MULTILINE)


@functools.cache
def head_revision() -> str:
    """The newest revision the package knows: the one no other revision names as its
    parent. Read from the files under migrations/versions, without importing Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted(VERSIONS.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        revision, parent = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or parent is None:
            raise RuntimeError(f"{path.name}: no revision/down_revision line")
        revisions.add(revision.group(1))
        if parent.group(2):
            parents.add(parent.group(2))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


def alembic_config() -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Brings the database to ``revision`` (default: the newest). At the newest already:
    one query, nothing else."""
    if revision == "head" and stored_revisions(engine) == {head_revision()}:
        return
    with engine.begin() as conn:
        _take_migration_lock(conn)
        # Another process may have upgraded it while this one waited for the lock.
        if revision == "head" and _revisions_in(conn) == {head_revision()}:
            return
        from alembic import command  # only when there is something to do: it costs ~0.1 s

        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def stored_revisions(engine: Engine) -> set[str] | None:
    """The revisions ``alembic_version`` holds; None if it cannot be read (no such table
    yet). One query on a plain DB-API connection: no SQLAlchemy transaction, so SQLite takes
    no write lock for it."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute("SELECT version_num FROM alembic_version")
            return {row[0] for row in cursor.fetchall()}
        except engine.dialect.loaded_dbapi.Error:
            return None
        finally:
            cursor.close()
    finally:
        raw.close()  # back to the pool, which rolls back whatever the query began


def _revisions_in(conn: Connection) -> set[str]:
    if not conn.dialect.has_table(conn, "alembic_version"):
        return set()
    return {row[0] for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version")}


def _take_migration_lock(conn: Connection) -> None:
    """Held until ``conn``'s transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
    elif conn.dialect.name == "sqlite":
        # The store begins every SQLite transaction with BEGIN IMMEDIATE, which is the write
        # lock; should a transaction have been left to pysqlite (which begins lazily), begin
        # it here, the same way.
        dbapi = conn.connection.dbapi_connection
        if dbapi is not None and not dbapi.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
