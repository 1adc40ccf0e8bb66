"""DescribeDiskMonitorData's rules: the time window a request may ask for, and which points
of it a disk has data for. Nothing measures I/O here: every figure is zero (docs/decisions.md);
a point exists for each period the disk was attached (In_use), as the real service has data
only then."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

from .. import errors

PERIODS = (60, 600, 3600)
DEFAULT_PERIOD = 60
MAX_POINTS = 400
KEPT_SECONDS = 30 * 86400        # data is kept 30 days
_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z")

FIGURES = ("IOPSRead", "IOPSWrite", "IOPSTotal", "BPSRead", "BPSWrite", "BPSTotal", "LatencyRead", "LatencyWrite")


def parse_time(text: str) -> float | None:
    """``yyyy-MM-ddTHH:mm:ssZ`` (UTC) in seconds; seconds other than 00 round up to the next
    minute, as the API reference says. None: not such a time."""
    match = _TIME.fullmatch(text)
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = map(int, match.groups())
        at = datetime(year, month, day, hour, minute, second, tzinfo=UTC).timestamp()
    except ValueError:
        return None
    return math.ceil(at / 60) * 60


def window(start_text: str, end_text: str, period: int, now: float) -> tuple[float, float]:
    """The request's (start, end), checked in the order the codes are documented."""
    if period not in PERIODS:
        raise errors.MONITOR_PERIOD()
    start = parse_time(start_text)
    if start is None:
        raise errors.MONITOR_START_MALFORMED()
    end = parse_time(end_text)
    if end is None:
        raise errors.MONITOR_END_MALFORMED()
    if end < start:
        raise errors.MONITOR_END_BEFORE_START()
    if start < now - KEPT_SECONDS:
        raise errors.MONITOR_START_TOO_EARLY()
    if (end - start) / period > MAX_POINTS:
        raise errors.MONITOR_TOO_MANY_POINTS()
    return start, end


def points(start: float, end: float, period: int, attached: tuple[float, float] | None) -> list[float]:
    """The times, from ``start`` to ``end`` every ``period`` seconds, that fall within the
    disk's attachment ``(from, until)`` (None: never attached, no data)."""
    if attached is None:
        return []
    since, until = attached
    count = int((end - start) // period) + 1
    return [t for t in (start + n * period for n in range(count)) if since <= t <= until]


def attachment(status: str, attached_at: float | None, detached_at: float | None,
               now: float) -> tuple[float, float] | None:
    """When the disk was last attached: from ``attached_at`` until it was detached, or until
    now while it is still In_use (the record holds the last attachment only)."""
    if attached_at is None:
        return None
    if status == "In_use":
        return attached_at, now
    if detached_at is not None and detached_at >= attached_at:
        return attached_at, detached_at
    return None
