"""The emulator: one object holding everything a running ECS needs, built from a Config.

No module-level state: a test can build several emulators in one process.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, bindparam, exists, or_, select

from .accounts import KeyRing
from .actions import all_actions
from .clock import Clock, ManualClock, SystemClock
from .config import Config
from .data_plane import DataPlane
from .scheduler import Scheduler
from .store import Database
from .storage import open_storage
from .store.schema import snapshots, transitions
from .store.snapshots import release_expired

# Is any transition due, or any snapshot past its retention? (Both columns are indexed.)
ANYTHING_DUE = select(or_(exists().where(transitions.c.due_at <= bindparam("now")),
                          exists().where(snapshots.c.expires_at <= bindparam("now"))))
from .store.nonces import NonceStore
from .wire.auth import Authenticator


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
        self.db = Database.open(config.database_url, path=config.database_path)
        self.authenticator = Authenticator(
            self.keys, NonceStore(self.db, wall_clock), wall_clock,
            strict=config.strict_auth, max_skew=config.max_clock_skew)
        self.scheduler = Scheduler(self.clock, locks_rows=self.db.locks_rows)
        self._scratch = None if config.storage_path else tempfile.TemporaryDirectory(prefix="ecsemu-storage-")
        self.storage = open_storage(config.storage_path or Path(self._scratch.name), config.storage,
                                    crash_at=config.crash_at)
        self.data = DataPlane(self)
        self.data.reconcile()
        # The one directory the control plane's image import reads and disk export writes.
        self._files_scratch = (None if config.default_files_path
                               else tempfile.TemporaryDirectory(prefix="ecsemu-files-"))
        self.files_dir = (config.default_files_path or Path(self._files_scratch.name)).resolve()
        self.files_dir.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def unit_of_work(self) -> Iterator[Connection]:
        """One transaction for one request: what is due happens first, then the request's
        own changes; all of it commits together or not at all. File removals registered
        with ``after_commit`` run once it has committed."""
        pending: list[Callable[[], None]] = []
        with self.db.transaction() as conn:
            conn.info["after_commit"] = pending
            try:
                self._catch_up(conn)
                yield conn
            finally:
                del conn.info["after_commit"]
        for action in pending:
            action()

    def after_commit(self, conn: Connection, action: Callable[[], None]) -> None:
        conn.info["after_commit"].append(action)

    def apply_due(self) -> None:
        """Applies what time made due, in a unit of work of its own."""
        with self.unit_of_work():
            pass

    def _catch_up(self, conn: Connection) -> None:
        """Everything time has made happen: due transitions, snapshots past retention.
        One indexed query when nothing is due, which is most of the time."""
        now = self.clock.now()
        if not conn.execute(ANYTHING_DUE, {"now": now}).scalar():
            return
        self.scheduler.apply_due(conn)
        released = release_expired(conn, now)
        self.data.release(conn, [snapshot.layer_id for snapshot in released])

    def close(self) -> None:
        self.db.dispose()
        for scratch in (self._scratch, self._files_scratch):
            if scratch is not None:
                scratch.cleanup()
