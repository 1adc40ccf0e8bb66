"""How an emulator is set up: everything ``ecsemu serve`` and the test fixtures can choose."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .accounts import AccessKey
from .domain.throttling import Limit
from .storage.ceph import CephSettings
from .timing import Delays
from .wire.limits import HEAD_SECONDS

ACCESS_KEYS_ENV = "ECSEMU_ACCESS_KEYS"
DATABASE_URL_ENV = "ECSEMU_DATABASE_URL"
CONTROL_TOKEN_ENV = "ECSEMU_CONTROL_TOKEN"


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = Path(".ecsemu")
    in_memory: bool = False
    tls_cert: Path | None = None       # HTTPS with this certificate instead of one the local CA signs
    tls_key: Path | None = None
    ca_dir: Path | None = None         # where the local CA lives; None: see ``authority_dir``
    access_keys: tuple[AccessKey, ...] = ()
    strict_auth: bool = False          # unknown AccessKeyId → InvalidAccessKeyId.NotFound
    max_clock_skew: float = 15 * 60    # seconds between a request's timestamp and ours
    log_level: str = "info"
    log_format: str = "json"           # the access line: json | text (access_line.py)
    database_url: str | None = None    # postgresql://… to share state between processes
    transitions: str = "realistic"     # realistic | instant | manual (see timing.py)
    delays: Delays = Delays()
    storage: str = "auto"              # auto | qcow2 | raw | rbd (see storage/)
    ceph: CephSettings = CephSettings()  # --storage rbd: pool, ceph.conf, client name
    crash_at: str | None = None        # tests of crash safety: die at this storage step
    files_dir: Path | None = None      # the only place import reads and export writes; None: default
    control_token: str | None = None   # when set, the control plane also asks for this bearer token
    head_timeout: float = HEAD_SECONDS  # seconds a request's head may take to arrive (slow clients)
    worker_threads: int = 8            # RPC calls run off the event loop: reads in so many threads, changes too
    workers: int = 1                   # server processes on the one port (ecsemu serve --workers)
    throttle: tuple[Limit, ...] = ()   # rate limits (--throttle, --throttle-config; throttle.py)
    instances: str = "none"            # none | qemu: what runs behind an instance (guest/driver.py)

    @property
    def database_path(self) -> Path | None:
        """The SQLite file, unless the state is in memory or in PostgreSQL."""
        return None if self.in_memory or self.database_url else self.data_dir / "ecsemu.db"

    @property
    def nonces_path(self) -> Path | None:
        """The signature nonces' SQLite file, beside the state's (store/nonces.py)."""
        return None if self.database_path is None else self.data_dir / "nonces.db"

    @property
    def storage_path(self) -> Path | None:
        """Where disk bytes live; None: a temporary directory (``--in-memory``)."""
        return None if self.in_memory else self.data_dir / "storage"

    @property
    def default_files_path(self) -> Path | None:
        """Where image import reads and disk export writes: ``--files-dir``, else
        ``<data-dir>/files``; None: a temporary directory (``--in-memory``)."""
        if self.files_dir is not None:
            return self.files_dir
        return None if self.in_memory else self.data_dir / "files"

    @property
    def authority_dir(self) -> Path:
        """Where the local CA is kept (tls.py): ``--ca-dir``, else ``<data-dir>/tls``; with
        ``--in-memory``, the user's cache (``$XDG_CACHE_HOME/ecsemu/tls``), so that clients
        trust every in-memory run once."""
        if self.ca_dir is not None:
            return self.ca_dir
        if not self.in_memory:
            return self.data_dir / "tls"
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(cache) / "ecsemu" / "tls"


def access_keys_from_env(environ: dict[str, str] | None = None) -> list[AccessKey]:
    """``ECSEMU_ACCESS_KEYS="ID:SECRET:ACCOUNT,ID2:SECRET2:ACCOUNT2"`` (commas or spaces)."""
    raw = (os.environ if environ is None else environ).get(ACCESS_KEYS_ENV, "")
    return [AccessKey.parse(spec) for spec in raw.replace(",", " ").split()]
