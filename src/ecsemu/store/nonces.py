"""Signature nonces, in the database: a nonce is good once per account while its request's
timestamp could still be accepted, across restarts and across every process sharing the
database (the primary key settles races: one insert wins).

Expired nonces are purged every ``PURGE_EVERY`` seconds; should more than ``capacity``
remain unexpired (a sustained flood), the ones that expire first go, so the table stays
bounded.

When the disk is full no nonce can be written, yet reads must go on (a wait loop polling
DescribeDisks): the nonce is then kept in this process's memory, checked on every claim,
until it expires. A replay is still refused by this process; after a restart, or by
another process, only what reached the database is.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict

from sqlalchemy import delete, func, select

from ..clock import Clock
from ..storage.base import out_of_space
from .database import Database
from .schema import signature_nonces as table

PURGE_EVERY = 60.0            # seconds between purges of expired nonces
CAPACITY = 2_000_000          # unexpired nonces kept at most
_STORED_LENGTH = 100          # longer nonces are kept as their hash (the column is fixed-width)
MEMORY_CAPACITY = 100_000     # nonces kept in memory while the disk is full

log = logging.getLogger("ecsemu.auth")


class NonceStore:
    def __init__(self, db: Database, clock: Clock, *, capacity: int = CAPACITY) -> None:
        self._db = db
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
        mark = "?" if db.dialect == "sqlite" else "%s"
        self._insert_sql = (f"INSERT INTO {table.name} (account_id, nonce, expires_at) "
                            f"VALUES ({mark}, {mark}, {mark}) ON CONFLICT DO NOTHING RETURNING nonce")
        self._renew_sql = (f"UPDATE {table.name} SET expires_at = {mark} "
                           f"WHERE account_id = {mark} AND nonce = {mark} AND expires_at < {mark}")

    def claim(self, account_id: str, nonce: str, expires_at: float) -> bool:
        """True when the nonce is fresh for this account (and is now taken until
        ``expires_at``), False when it was used already."""
        now = self._clock.now()
        self._purge_if_due(now)
        key = nonce if len(nonce) <= _STORED_LENGTH else "#" + hashlib.sha256(nonce.encode()).hexdigest()
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
        with self._db.transaction() as conn:
            dbapi = conn.connection.dbapi_connection
            assert dbapi is not None  # a connection checked out for this transaction
            cursor = dbapi.cursor()
            try:
                cursor.execute(self._insert_sql, (account_id, key, expires_at))
                if cursor.fetchone() is not None:
                    return True
                cursor.execute(self._renew_sql, (expires_at, account_id, key, now))
                return cursor.rowcount == 1
            finally:
                cursor.close()

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
        with self._db.transaction() as conn:
            conn.execute(delete(table).where(table.c.expires_at < now))
            excess = conn.execute(select(func.count()).select_from(table)).scalar_one() - self._capacity
            if excess > 0:
                cutoff = conn.execute(select(table.c.expires_at).order_by(table.c.expires_at)
                                      .offset(excess - 1).limit(1)).scalar_one()
                conn.execute(delete(table).where(table.c.expires_at <= cutoff))
