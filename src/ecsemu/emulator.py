"""The emulator: one object holding everything a running ECS needs, built from a Config.

No module-level state: a test can build several emulators in one process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from .accounts import KeyRing
from .actions import all_actions
from .clock import Clock, ManualClock, SystemClock
from .config import Config
from .scheduler import Scheduler
from .store import Database
from .store.snapshots import release_expired
from .wire.auth import Authenticator
from .wire.nonces import NonceCache


class Emulator:
    """``clock`` is the resources' clock (creation times, transitions); signatures are
    always checked against the real time, since clients sign with it."""

    def __init__(self, config: Config, clock: Clock | None = None) -> None:
        self.config = config
        wall_clock = SystemClock()
        self.clock = clock or (ManualClock() if config.transitions == "manual" else wall_clock)
        self.delays = config.delays.zero() if config.transitions == "instant" else config.delays
        self.actions = all_actions()
        self.keys = KeyRing(list(config.access_keys))
        self.authenticator = Authenticator(
            self.keys, NonceCache(wall_clock, window=config.max_clock_skew), wall_clock,
            strict=config.strict_auth, max_skew=config.max_clock_skew)
        self.db = Database.open(config.database_url, path=config.database_path)
        self.scheduler = Scheduler(self.clock, locks_rows=self.db.locks_rows)

    @contextmanager
    def unit_of_work(self) -> Iterator[Connection]:
        """One transaction for one request: what is due happens first, then the request's
        own changes; all of it commits together or not at all."""
        with self.db.transaction() as conn:
            self._catch_up(conn)
            yield conn

    def apply_due(self) -> int:
        """Applies the transitions that are due, in a transaction of their own."""
        with self.db.transaction() as conn:
            return self._catch_up(conn)

    def _catch_up(self, conn: Connection) -> int:
        """Everything time has made happen: due transitions, snapshots past retention."""
        return self.scheduler.apply_due(conn) + release_expired(conn, self.clock.now())

    def close(self) -> None:
        self.db.dispose()
