"""How an emulator is set up: everything ``ecsemu serve`` and the test fixtures can choose."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .accounts import AccessKey

ACCESS_KEYS_ENV = "ECSEMU_ACCESS_KEYS"


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = Path(".ecsemu")
    in_memory: bool = False
    tls_cert: Path | None = None
    tls_key: Path | None = None
    tls_self_signed: bool = False
    access_keys: tuple[AccessKey, ...] = ()
    strict_auth: bool = False          # unknown AccessKeyId → InvalidAccessKeyId.NotFound
    max_clock_skew: float = 15 * 60    # seconds between a request's timestamp and ours
    log_level: str = "info"

    @property
    def tls(self) -> bool:
        return self.tls_self_signed or self.tls_cert is not None


def access_keys_from_env(environ: dict[str, str] | None = None) -> list[AccessKey]:
    """``ECSEMU_ACCESS_KEYS="ID:SECRET:ACCOUNT,ID2:SECRET2:ACCOUNT2"`` (commas or spaces)."""
    raw = (os.environ if environ is None else environ).get(ACCESS_KEYS_ENV, "")
    return [AccessKey.parse(spec) for spec in raw.replace(",", " ").split()]
