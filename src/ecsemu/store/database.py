"""The database an emulator keeps its state in, and transactions on it.

- SQLite file (the default): WAL journal. A transaction that may write starts with
  ``BEGIN IMMEDIATE``, so that concurrent writers queue instead of failing on a lock
  upgrade; a read-only one (``transaction(read_only=True)``, the Describe actions) with a
  deferred ``BEGIN`` under ``PRAGMA query_only``: it never takes the write lock, and a
  write in it fails at once instead of going unnoticed.
- SQLite in memory (``--in-memory``): one shared connection, guarded by a lock (read-only
  transactions there are ``query_only`` too).
- PostgreSQL (``--database-url postgresql://…``): READ COMMITTED; status changes are
  compare-and-swap updates, multi-row rules lock the rows they read (``FOR UPDATE``).
  ``read_only`` changes nothing there: readers take no locks.

The schema is brought to the newest migration when a Database is opened.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import orjson
from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool, StaticPool

from .migrate import upgrade
from .per_thread import CLOSE_WAIT, PerThread

_READ_ONLY = "ecsemu.read_only"      # Connection.info: what the next BEGIN is for
_QUERY_ONLY = "ecsemu.query_only"    # Connection.info: the SQLite connection's query_only now


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        # An in-memory SQLite database is one connection; threads take turns on it.
        self._lock = threading.RLock() if isinstance(engine.pool, StaticPool) else None
        # A SQLite file has one writer at a time. Writers of this process queue here, waking
        # the moment the lock is free, rather than in SQLite's busy handler, which polls with
        # sleeps of up to 100 ms and lets a short write (a read's nonce) lose to long ones.
        self._writer = (threading.Lock() if self.dialect == "sqlite" and self._lock is None
                        else None)
        # A SQLite file: each thread keeps its connection between transactions, as checking
        # one out of the pool and wrapping it costs several times a lookup by ID.
        self._kept: PerThread[Connection] | None = (
            PerThread(engine.connect, Connection.close, lambda conn: not (conn.closed or conn.invalidated))
            if self._writer is not None else None)
        upgrade(engine)

    @classmethod
    def open(cls, url: str | None = None, *, path: Path | None = None) -> Database:
        """``url`` for PostgreSQL (``postgresql://…``), else a SQLite file at ``path``,
        else SQLite in memory."""
        if url:
            return cls(_postgresql_engine(url))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            return cls(_sqlite_engine(f"sqlite:///{path}", in_memory=False))
        return cls(_sqlite_engine("sqlite://", in_memory=True))

    @contextmanager
    def transaction(self, *, read_only: bool = False) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises.
        ``read_only``: it only reads (on SQLite it then takes no write lock, and refuses
        writes)."""
        if self._kept is not None:  # a SQLite file: this thread's connection, unless nested
            with self._kept.use() as kept:
                if not kept.in_transaction():
                    if read_only:
                        yield from self._read(kept)
                    else:
                        with self._writer or nullcontext():
                            yield from self._begun(kept, read_only=False)
                    return
        writer = None if read_only else self._writer
        with self._lock or writer or nullcontext(), self.engine.connect() as conn:
            yield from self._begun(conn, read_only)

    @staticmethod
    def _begun(conn: Connection, read_only: bool) -> Iterator[Connection]:
        conn.info[_READ_ONLY] = read_only  # for the "begin" event below (the info stays with
        try:                               # the connection)
            with conn.begin():
                yield conn
        finally:
            conn.info[_READ_ONLY] = False

    @staticmethod
    def _read(conn: Connection) -> Iterator[Connection]:
        """A read on a SQLite file, straight to the driver: BEGIN and an end on the kept
        connection, under ``query_only``, without SQLAlchemy's transaction machinery (which
        cost more than the reads of a Describe). A statement run through SQLAlchemy in it
        (a one-off query) joins the transaction (see ``on_begin``)."""
        raw = conn.connection.dbapi_connection
        assert raw is not None
        if not conn.info.get(_QUERY_ONLY, False):
            raw.execute("PRAGMA query_only = ON")
            conn.info[_QUERY_ONLY] = True
        conn.info[_READ_ONLY] = True  # should SQLAlchemy join, its "begin" keeps query_only
        raw.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.info[_READ_ONLY] = False
            if conn.in_transaction():  # SQLAlchemy joined: it ends the transaction
                conn.rollback()
            if raw.in_transaction:
                raw.execute("ROLLBACK")  # a read: nothing to keep, and the cheapest end

    def data_version(self) -> int | None:
        """A SQLite file: this thread's connection's ``PRAGMA data_version``, which changes
        when another connection (another thread's, another process's) has committed since
        it was last read; None elsewhere. A few µs: cheaper than any query."""
        if self._kept is None:
            return None
        with self._kept.use() as kept:
            raw = kept.connection.dbapi_connection
            assert raw is not None
            return raw.execute("PRAGMA data_version").fetchone()[0]

    @property
    def locks_rows(self) -> bool:
        """Whether SELECT … FOR UPDATE means anything here (SQLite locks the whole file)."""
        return self.dialect == "postgresql"

    def dispose(self) -> None:
        """Closes the connections, each once no thread is in it any more (closing a SQLite
        connection under a thread crashes the process)."""
        if self._kept is not None:
            self._kept.close()
        if self._lock is None:
            self.engine.dispose()
        elif self._lock.acquire(timeout=CLOSE_WAIT):  # in memory: the one connection is free
            try:
                self.engine.dispose()
            finally:
                self._lock.release()


WAL_WAIT = 30.0  # seconds, as long as a statement waits for a lock (the connections' timeout)


def write_ahead_log(conn: sqlite3.Connection) -> None:
    """Puts the SQLite file in WAL mode. Processes opening one new file at once (serve
    --workers, replicas started together) can find it locked while another makes it a WAL
    file, and SQLite then answers "database is locked" at once, without its busy wait:
    tried again until the lock is free."""
    deadline = time.monotonic() + WAL_WAIT
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _sqlite_engine(url: str, *, in_memory: bool) -> Engine:
    if in_memory:
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False},
                               json_deserializer=orjson.loads)
    else:  # each thread keeps a connection (store/per_thread.py): no pool limit to wait on
        engine = create_engine(url, poolclass=NullPool, connect_args={"check_same_thread": False, "timeout": 30},
                               json_deserializer=orjson.loads)

    # pysqlite's own transaction handling would defer BEGIN; take control of it.
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            write_ahead_log(dbapi_connection)
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        # Straight to the driver: these run on every request, SQLAlchemy's statement
        # machinery would cost more than SQLite does.
        raw = conn.connection.dbapi_connection
        read_only = conn.info.get(_READ_ONLY, False)
        if conn.info.get(_QUERY_ONLY, False) != read_only:
            raw.execute("PRAGMA query_only = ON" if read_only else "PRAGMA query_only = OFF")
            conn.info[_QUERY_ONLY] = read_only
        if not raw.in_transaction:  # else a read begun on the driver (Database._read) goes on
            raw.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _postgresql_engine(url: str) -> Engine:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return create_engine(url, pool_size=5, max_overflow=5, pool_pre_ping=True, json_deserializer=orjson.loads)
