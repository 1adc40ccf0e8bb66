"""Signature nonces, stored: a nonce is good once per account while its request's timestamp
could still be accepted, across restarts and across every process sharing the store (the
primary key settles races: one insert wins).

Where they are stored:
- with a SQLite state file, in a SQLite file of their own beside it (``nonces.db``), so
  that a read's nonce never queues for the state file's write lock behind a slow change
  (a snapshot's copy, a reset); every process of the data dir shares it;
- with PostgreSQL, in its ``signature_nonces`` table, shared by every process using it;
- in memory (``--in-memory``), in the in-memory database.

Expired nonces are purged every ``PURGE_EVERY`` seconds; should more than ``capacity``
remain unexpired (a sustained flood), the ones that expire first go, so the table stays
bounded.

When the disk is full no nonce can be written, yet reads must go on (a wait loop polling
DescribeDisks): the nonce is then kept in this process's memory, checked on every claim,
until it expires. A replay is still refused by this process; after a restart, or by
another process, only what reached the disk is.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.schema import CreateIndex, CreateTable

from ..clock import Clock
from ..storage.base import out_of_space
from .database import Database, write_ahead_log
from .per_thread import PerThread
from .schema import signature_nonces as table

PURGE_EVERY = 60.0            # seconds between purges of expired nonces
CAPACITY = 2_000_000          # unexpired nonces kept at most
_STORED_LENGTH = 100          # longer nonces are kept as their hash (the column is fixed-width)
MEMORY_CAPACITY = 100_000     # nonces kept in memory while the disk is full

log = logging.getLogger("ecsemu.auth")


class _Place(Protocol):
    mark: str  # the driver's parameter marker

    def transaction(self) -> AbstractContextManager[Any]:
        """A transaction, as a driver cursor."""

    def statements(self) -> AbstractContextManager[Any]:
        """A driver cursor whose statements are each atomic (in a transaction of its own, or
        in one around them all)."""


class _SharedDatabase:
    """Nonces in the state's own database (PostgreSQL, or SQLite in memory)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.mark = "?" if db.dialect == "sqlite" else "%s"

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with self._db.transaction() as conn:
            dbapi = conn.connection.dbapi_connection
            assert dbapi is not None  # a connection checked out for this transaction
            cursor = dbapi.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    statements = transaction


class _OwnFile:
    """Nonces in a SQLite file of their own: each thread keeps a connection; writers of this
    process queue on a lock (as store/database.py's do), other processes on SQLite's."""

    mark = "?"

    def __init__(self, path: Path) -> None:
        self._path = path
        self._connections: PerThread[sqlite3.Connection] = PerThread(self._open, sqlite3.Connection.close)
        self._writer = threading.Lock()
        from sqlalchemy.dialects import sqlite  # only here: a PostgreSQL store never needs it

        dialect = sqlite.dialect()
        with self.transaction() as cursor:  # the table of store/schema.py, the one definition
            cursor.execute(str(CreateTable(table, if_not_exists=True).compile(dialect=dialect)))
            for index in table.indexes:
                cursor.execute(str(CreateIndex(index, if_not_exists=True).compile(dialect=dialect)))

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with self.statements() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    @contextmanager
    def statements(self) -> Iterator[Any]:
        """Statements each committed as it runs (a claim is one INSERT: BEGIN and COMMIT
        around it would cost two more calls to SQLite)."""
        with self._writer, self._connections.use() as conn:
            cursor = conn.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False, timeout=30)
        write_ahead_log(conn)
        # No fsync, not even at checkpoints: a nonce survives the process being killed
        # (it is in the OS's cache), not the machine losing power, which only reopens a
        # replay window of minutes; syncing cost more than the rest of a request.
        conn.execute("PRAGMA synchronous=OFF")
        return conn

    def close(self) -> None:
        self._connections.close()


class NonceStore:
    """``path``: the SQLite file of their own; without it, ``db`` holds them."""

    def __init__(self, db: Database, clock: Clock, *, path: Path | None = None,
                 capacity: int = CAPACITY) -> None:
        self._place: _Place = _OwnFile(path) if path is not None else _SharedDatabase(db)
        self._clock = clock
        self._capacity = capacity
        self._next_purge = 0.0
        self._purge_lock = threading.Lock()
        self._in_memory: OrderedDict[tuple[str, str], float] = OrderedDict()  # while the disk is full
        self._memory_lock = threading.Lock()
        # Every signed request runs the claim: straight to the driver, with SQL written
        # once (sqlite3 keeps it prepared in its statement cache; psycopg prepares a
        # statement after a few runs), no SQLAlchemy statement machinery at all.
        # RETURNING says whether the row went in (rowcount is not reliable on every driver).
        # The renewal: taken, unless what is recorded has expired and was not purged yet.
        mark = self._place.mark
        self._insert_sql = (f"INSERT INTO {table.name} (account_id, nonce, expires_at) "
                            f"VALUES ({mark}, {mark}, {mark}) ON CONFLICT DO NOTHING RETURNING nonce")
        self._renew_sql = (f"UPDATE {table.name} SET expires_at = {mark} "
                           f"WHERE account_id = {mark} AND nonce = {mark} AND expires_at < {mark}")

    def claim(self, account_id: str, nonce: str, expires_at: float) -> bool:
        """True when the nonce is fresh for this account (and is now taken until
        ``expires_at``), False when it was used already."""
        now = self._clock.now()
        self._purge_if_due(now)
        key = _stored(nonce)
        if self._in_memory and self._held_in_memory(account_id, key, now):
            return False
        try:
            return self._claim_in_database(account_id, key, expires_at, now)
        except Exception as exc:
            if not out_of_space(exc):
                raise
            log.warning("disk full: nonce kept in memory only until it expires")
            return self._claim_in_memory(account_id, key, expires_at, now)

    def _claim_in_database(self, account_id: str, key: str, expires_at: float, now: float) -> bool:
        with self._place.statements() as cursor:
            cursor.execute(self._insert_sql, (account_id, key, expires_at))
            if cursor.fetchone() is not None:
                return True
            cursor.execute(self._renew_sql, (expires_at, account_id, key, now))
            if cursor.rowcount == 1:
                return True
            # Held, or purged since the insert was refused (each statement is atomic, not
            # the two together): one more insert tells which.
            cursor.execute(self._insert_sql, (account_id, key, expires_at))
            return cursor.fetchone() is not None

    def _held_in_memory(self, account_id: str, key: str, now: float) -> bool:
        with self._memory_lock:
            expiry = self._in_memory.get((account_id, key))
            return expiry is not None and expiry >= now

    def _claim_in_memory(self, account_id: str, key: str, expires_at: float, now: float) -> bool:
        with self._memory_lock:
            memory = self._in_memory
            while memory:  # oldest first: drop the expired, and keep it bounded
                held, expiry = next(iter(memory.items()))
                if expiry >= now and len(memory) < MEMORY_CAPACITY:
                    break
                del memory[held]
            if (account_id, key) in memory:
                return False
            memory[(account_id, key)] = expires_at
            return True

    def _purge_if_due(self, now: float) -> None:
        if now < self._next_purge or not self._purge_lock.acquire(blocking=False):
            return
        try:
            self._next_purge = now + PURGE_EVERY
            self.purge(now)
        except Exception as exc:
            if not out_of_space(exc):  # a full disk: the next purge, in a minute, tries again
                raise
        finally:
            self._purge_lock.release()

    def purge(self, now: float) -> None:
        """Drops expired nonces, then the soonest-expiring ones beyond the capacity."""
        mark = self._place.mark
        with self._place.transaction() as cursor:
            cursor.execute(f"DELETE FROM {table.name} WHERE expires_at < {mark}", (now,))
            cursor.execute(f"SELECT count(*) FROM {table.name}")
            excess = cursor.fetchone()[0] - self._capacity
            if excess > 0:
                cursor.execute(f"SELECT expires_at FROM {table.name} ORDER BY expires_at "
                               f"LIMIT 1 OFFSET {mark}", (excess - 1,))
                cutoff = cursor.fetchone()[0]
                cursor.execute(f"DELETE FROM {table.name} WHERE expires_at <= {mark}", (cutoff,))

    def expiry(self, account_id: str, nonce: str) -> float | None:
        """Until when the nonce is held for the account (None: it is not)."""
        key = _stored(nonce)
        mark = self._place.mark
        with self._place.transaction() as cursor:
            cursor.execute(f"SELECT expires_at FROM {table.name} WHERE account_id = {mark} AND nonce = {mark}",
                           (account_id, key))
            found = cursor.fetchone()
        return None if found is None else found[0]

    def count(self) -> int:
        """Nonces stored, expired ones not yet purged included (the metrics' gauge)."""
        with self._place.transaction() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table.name}")
            return cursor.fetchone()[0]

    def close(self) -> None:
        if isinstance(self._place, _OwnFile):
            self._place.close()


def _stored(nonce: str) -> str:
    """How a nonce is kept: itself, or its hash when longer than the column."""
    return nonce if len(nonce) <= _STORED_LENGTH else "#" + hashlib.sha256(nonce.encode()).hexdigest()
