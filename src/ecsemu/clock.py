"""Where the emulator's time comes from: one injectable clock per emulator."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from typing import Protocol

# Every time the emulator keeps or shows lies between these (seconds since the epoch):
# 1970-01-01T00:00:00Z and 9000-01-01T00:00:00Z. utc_iso stops at 9999-12-31, and what is
# added to a time (transition delays, RetentionDays up to 65,536 days, ~180 years) must
# still render: a millennium of headroom.
EARLIEST = 0.0
LATEST = datetime(9000, 1, 1, tzinfo=UTC).timestamp()


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
        """Moves forward by ``seconds`` (finite, 0 or more, and not past LATEST): a bad value
        raises ValueError and leaves the clock where it was, so it can never be poisoned."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise ValueError("seconds must be a number")
        try:
            step = float(seconds)
        except OverflowError:  # an int too large for a float
            raise ValueError("seconds is too large") from None
        if not math.isfinite(step) or step < 0:
            raise ValueError("seconds must be finite and 0 or more")
        moved = self._now + step
        if moved > LATEST:
            raise ValueError(f"the clock stops at {utc_iso(LATEST)}")
        self._now = moved


def utc_iso(seconds: float | None, *, minutes: bool = False) -> str:
    """ECS's time formats: ``2024-01-01T00:00:00Z``; instances use ``2024-01-01T00:00Z``.
    No time is an empty string, as the API shows it."""
    if seconds is None:
        return ""
    t = time.gmtime(seconds)  # formatted by hand: strftime cost a Describe several µs a time
    if minutes:
        return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T{t.tm_hour:02d}:{t.tm_min:02d}Z"
    return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}Z"
