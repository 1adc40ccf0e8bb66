"""The emulator: one object holding everything a running ECS needs, built from a Config.

No module-level state: a test can build several emulators in one process.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import Connection

from .accounts import KeyRing
from .actions import all_products
from .auto_snapshots import fire_due
from .clock import Clock, ManualClock, SystemClock
from .cloud_assistant import CloudAssistant
from .config import Config
from .data_plane import DataPlane
from .faults import FaultBook
from .guest.driver import open_driver
from .idempotency import ClientTokens
from .metrics import Metrics
from .priority import HeavyWork
from .scheduler import RECHECK_SECONDS, DueWatch, Scheduler, due_now_and_next
from .storage import open_storage
from .store import Database
from .store.nonces import NonceStore
from .store.snapshots import release_expired
from .store.storage_identity import rbd_namespace
from .throttle import Throttle
from .wire.auth import Authenticator


class Emulator:
    """``clock`` is the resources' clock (creation times, transitions); signatures are
    always checked against the real time, since clients sign with it."""

    def __init__(self, config: Config, clock: Clock | None = None, *, reconcile: bool = True) -> None:
        self.config = config
        wall_clock = SystemClock()
        self.clock = clock or (ManualClock() if config.transitions == "manual" else wall_clock)
        self.delays = config.delays.zero() if config.transitions == "instant" else config.delays
        self.products = all_products()
        self.actions = self.products[0].actions   # ECS's: what the explorer and state count
        self.keys = KeyRing(list(config.access_keys))
        self.metrics = Metrics()
        self.db = Database.open(config.database_url, path=config.database_path)
        self.nonces = NonceStore(self.db, wall_clock, path=config.nonces_path)
        # Gauges of what the store holds, counted when /_ecsemu/metrics is scraped.
        self.metrics.count_stored("ecsemu_signature_nonces", "Signature nonces stored (each held until its "
                                  "request's timestamp leaves the window).", self.nonces.count)
        self.authenticator = Authenticator(
            self.keys, self.nonces, wall_clock,
            strict=config.strict_auth, max_skew=config.max_clock_skew)
        self.throttle = Throttle.for_server(config, start_up=reconcile)  # rate limits (--throttle)
        self.client_tokens = ClientTokens(self.db, wall_clock)
        self.metrics.count_stored("ecsemu_client_tokens", "ClientTokens stored (each kept for the window a "
                                  "retry may come in).", self.client_tokens.count)
        # Other processes sharing the database (PostgreSQL, --workers) schedule moves this one
        # does not see: then every read asks the database (one indexed query), so that no
        # request, whichever process answers it, sees a state whose change is overdue.
        shared = config.database_url is not None or config.workers > 1
        self.faults = FaultBook(self.db, shared=shared, struck=self.metrics.fault_injected)
        self._due = DueWatch(recheck=0.0 if shared else RECHECK_SECONDS)
        storage_root, self._scratch = _or_scratch(config.storage_path, "ecsemu-storage-")
        # Asked here, not on first use: a request's transaction must not wait for another.
        namespace = self._storage_namespace() if config.storage == "rbd" else None
        self.storage = open_storage(storage_root, config.storage, crash_at=config.crash_at, ceph=config.ceph,
                                    namespace=namespace)
        self.data = DataPlane(self)
        # What runs behind an instance (--instances): nothing, or a VM whose boot and stop
        # time the instance's moves (the scheduler's delays become their ceiling).
        self.instances = open_driver(self)
        self.delays = self.instances.delays(self.delays)
        self.scheduler = Scheduler(self.clock, self.delays, locks_rows=self.db.locks_rows,
                                   applied=self.metrics.transitions_applied, held=self.faults.held)
        self.heavy = HeavyWork(max(2, os.cpu_count() or 1))  # scrypt, RSA: at low priority
        if reconcile:  # False: another process of the same data dir did it (serve --workers)
            self.data.reconcile()
            self.instances.reconcile()
        # The one directory the control plane's image import reads and disk export writes.
        files_dir, self._files_scratch = _or_scratch(config.default_files_path, "ecsemu-files-")
        self.files_dir = files_dir.resolve()
        self.files_dir.mkdir(parents=True, exist_ok=True)
        # Cloud Assistant: the guests' agents (the instance driver says where each one's port
        # is) and the invocations this process runs through them.
        self.assistant = CloudAssistant(self)
        if reconcile:
            self.assistant.reconcile()

    def _storage_namespace(self) -> str:
        """This database's RBD namespace (--storage rbd)."""
        with self.db.transaction() as conn:
            return rbd_namespace(conn)

    @contextmanager
    def unit_of_work(self, *, read_only: bool = False) -> Iterator[Connection]:
        """One transaction for one request, all of whose changes commit together or not at
        all; what time made due is applied first, in a transaction of its own. File removals
        registered with ``after_commit`` run once it has committed.

        ``read_only`` (the Describe actions): the request only reads, in a transaction
        that takes no write lock; what is due is then applied first, in a transaction of
        its own. Whether anything is due is then known in memory (DueWatch) from this
        process's own changes; a database other processes share is asked every time."""
        if read_only:  # nothing to run after it: a read removes no files
            if self._due.must_ask(self.clock.now()):
                self.apply_due()
            with self.db.transaction(read_only=True) as conn:
                yield conn
            return
        try:
            with ExitStack() as transaction:
                conn = self._change_with_nothing_due(transaction)
                applied = self.client_tokens.applying(conn)  # the call's ClientToken, if it sent one
                if applied is not None:
                    self.after_commit(conn, applied)
                yield conn
        finally:  # it may have scheduled something: the next request asks the database
            self._due.forget()

    def _change_with_nothing_due(self, transaction: ExitStack) -> Connection:
        """A write transaction, entered on ``transaction``, in which nothing is due.

        A change always asks the database: another process, or another thread, may have
        scheduled what is due now. It asks in its own transaction, which holds the write
        lock (so nothing can be scheduled in between): nearly always nothing is due, and a
        separate read first cost four more statements a change. When something is due, the
        transaction ends unwritten and what is due is applied and committed first, so that
        the change reads it whatever else is running: a catch-up inside this transaction
        would hold its rows until the change commits, and a concurrent change would wait
        behind it or lock in the other order. One catch-up at most: what it leaves due
        (a move a fault rule holds) must not stop the change."""
        conn = transaction.enter_context(self._transaction(read_only=False))
        due, _ = due_now_and_next(conn, self.clock.now())
        if not due:
            return conn
        transaction.close()  # nothing written: it ends as it began
        self.apply_due()
        return transaction.enter_context(self._transaction(read_only=False))

    @contextmanager
    def _transaction(self, *, read_only: bool) -> Iterator[Connection]:
        pending: list[Callable[[], None]] = []
        with self.db.transaction(read_only=read_only) as conn:
            conn.info["after_commit"] = pending
            try:
                yield conn
            finally:
                del conn.info["after_commit"]
        for action in pending:
            action()

    def after_commit(self, conn: Connection, action: Callable[[], None]) -> None:
        conn.info["after_commit"].append(action)

    def apply_due(self) -> None:
        """Applies what time made due, in a transaction of its own (taken only when
        something is due), and notes when something is next due."""
        version, asked_at, now = self._due.version(), time.monotonic(), self.clock.now()
        with self.db.transaction(read_only=True) as conn:
            due, next_due = due_now_and_next(conn, now)
        if due:
            with self._transaction(read_only=False) as conn:
                next_due = self._catch_up(conn)
        self._due.learned(version, next_due, asked_at)

    def _catch_up(self, conn: Connection) -> float | None:
        """Everything time has made happen: due transitions, automatic snapshot policies'
        time points, snapshots past retention. Returns when something is next due (None:
        nothing scheduled). One indexed query when nothing is due."""
        now = self.clock.now()
        due, next_due = due_now_and_next(conn, now)
        if due:
            self.scheduler.apply_due(conn)
            with self.faults.holding(0.0):  # what time made due is no held call's own
                fire_due(self, conn, now)
            released = release_expired(conn, now)
            self.data.release(conn, [snapshot.layer_id for snapshot in released])
            _, next_due = due_now_and_next(conn, now)
        return next_due

    def close(self) -> None:
        self.assistant.close()
        self.instances.close()
        self.metrics.close()
        self.nonces.close()
        self.heavy.close()
        self.db.dispose()
        for scratch in (self._scratch, self._files_scratch):
            if scratch is not None:
                scratch.cleanup()


def _or_scratch(path: Path | None, prefix: str) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    """``path``, else a temporary directory (``--in-memory``) and the handle that removes it."""
    if path is not None:
        return path, None
    scratch = tempfile.TemporaryDirectory(prefix=prefix)
    return Path(scratch.name), scratch
