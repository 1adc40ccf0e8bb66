"""Where the emulator's time comes from: one injectable clock per emulator."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""


class SystemClock:
    def now(self) -> float:
        return time.time()


class ManualClock:
    """A clock that moves only when told to: for tests and the ``manual`` transition mode."""

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds


def utc_iso(seconds: float | None, *, minutes: bool = False) -> str:
    """ECS's time formats: ``2024-01-01T00:00:00Z``; instances use ``2024-01-01T00:00Z``.
    No time is an empty string, as the API shows it."""
    if seconds is None:
        return ""
    pattern = "%Y-%m-%dT%H:%MZ" if minutes else "%Y-%m-%dT%H:%M:%SZ"
    return datetime.fromtimestamp(seconds, timezone.utc).strftime(pattern)
