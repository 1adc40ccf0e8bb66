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

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

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
        dialect = postgresql if db.dialect == "postgresql" else sqlite
        # Built once (every signed request runs them), executed with their parameters.
        # RETURNING says whether the row went in (rowcount is not reliable on every driver).
        self._insert = dialect.insert(table).on_conflict_do_nothing().returning(table.c.nonce)
        # Taken, unless what is recorded has expired and was not purged yet.
        self._renew = table.update().where(
            table.c.account_id == bindparam("account"), table.c.nonce == bindparam("key"),
            table.c.expires_at < bindparam("now"),
        ).values(expires_at=bindparam("renewed_until"))

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
            inserted = conn.execute(self._insert, {"account_id": account_id, "nonce": key,
                                                   "expires_at": expires_at}).first()
            if inserted is not None:
                return True
            renewed = conn.execute(self._renew, {"account": account_id, "key": key, "now": now,
                                                 "renewed_until": expires_at}).rowcount
            return bool(renewed)

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
