"""Automatic snapshot policy rules: what a policy may say, when it fires, and what its
snapshots are called (CreateAutoSnapshotPolicy, ModifyAutoSnapshotPolicyEx).

A policy's ``TimePoints`` (hours 0-23) and ``RepeatWeekdays`` (1 Monday … 7 Sunday) are in
UTC+8, whatever the region: the API reference says so for every region. Its snapshots are
named ``auto_yyyyMMdd_N``: the UTC+8 date they were taken on and their number that day.
"""

from __future__ import annotations

import re

QUOTA_PER_REGION = 100          # policies of one account in one region
# Disks one Apply/CancelAutoSnapshotPolicy names: the reference sets no bound; this one keeps
# a call's work (a locked lookup a disk) bounded (docs/limits.md).
MAX_DISKS_PER_CALL = 1000
MAX_SNAPSHOTS_PER_DISK = 1000   # automatic snapshots a disk keeps: a new one releases the oldest
FOREVER = -1                    # RetentionDays: kept until deleted
MAX_RETENTION_DAYS = 65536      # RetentionDays (the reference: 1 to 65536)
MAX_COPIED_RETENTION_DAYS = 65535
UTC_PLUS_8 = 8 * 3600
HOUR = 3600
DAY = 86400
STATUS = "Normal"               # "Expire" only for an account in arrears, which none is here
TYPE = "Custom"                 # "System" policies are the service's own, none here

_NAME = re.compile(r"[A-Za-z\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff:_\-.]{1,127}")


def valid_name(name: str) -> bool:
    """2-128 characters starting with a letter; letters, digits, ``:`` ``_`` ``-`` ``.``;
    not ``http(s)://…``."""
    return bool(_NAME.fullmatch(name)) and not name.startswith(("http://", "https://"))


def hours(values: list[str]) -> tuple[int, ...] | None:
    """TimePoints as sorted hours, or None if any is not 0-23 or there are none."""
    return _integers(values, 0, 23, 24)


def weekdays(values: list[str]) -> tuple[int, ...] | None:
    """RepeatWeekdays as sorted ISO weekdays, or None if any is not 1-7 or there are none."""
    return _integers(values, 1, 7, 7)


def _integers(values: list[str], low: int, high: int, most: int) -> tuple[int, ...] | None:
    found: set[int] = set()
    for value in values:
        text = str(value).strip()
        if not text.isdigit() or not low <= int(text) <= high:
            return None
        found.add(int(text))
    if not found or len(found) > most:
        return None
    return tuple(sorted(found))


def valid_retention(days: int) -> bool:
    return days == FOREVER or 1 <= days <= MAX_RETENTION_DAYS


def valid_copied_retention(days: int) -> bool:
    return days == FOREVER or 1 <= days <= MAX_COPIED_RETENTION_DAYS


def expiry(taken_at: float, retention_days: int) -> float | None:
    """When an automatic snapshot is released (None: kept until deleted)."""
    return None if retention_days == FOREVER else taken_at + retention_days * DAY


def next_fire(after: float, time_points: tuple[int, ...], repeat_weekdays: tuple[int, ...]) -> float:
    """The first time point strictly after ``after`` (seconds since the epoch) that falls on
    one of the hours and weekdays, both read in UTC+8."""
    local = (int(after + UTC_PLUS_8) // HOUR + 1) * HOUR
    for _ in range(8 * 24):          # within a week and a day there is always one
        hour = local // HOUR % 24
        weekday = (local // DAY + 3) % 7 + 1    # 1970-01-01 was a Thursday (4)
        if hour in time_points and weekday in repeat_weekdays:
            return float(local - UTC_PLUS_8)
        local += HOUR
    raise ValueError("no time point in a week: empty hours or weekdays")


def name_date(taken_at: float) -> str:
    """``yyyyMMdd`` of the UTC+8 day an automatic snapshot was taken on."""
    local = int(taken_at + UTC_PLUS_8)
    days = local // DAY
    # civil date from days since the epoch (Howard Hinnant's algorithm): no time module, no locale
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    return f"{year:04d}{month:02d}{day:02d}"


def snapshot_name(taken_at: float, taken_before_that_day: int) -> str:
    """``auto_yyyyMMdd_N``: N counts the disk's automatic snapshots of that UTC+8 day, from 1."""
    return f"auto_{name_date(taken_at)}_{taken_before_that_day + 1}"


def fires_on(disk_status: str, ever_attached: bool, instance_status: str | None, enabled: bool) -> bool:
    """Whether a disk of a policy gets a snapshot when a time point comes: its automatic
    snapshots are enabled, and it is attached to an instance that is Running or Stopped
    (not starting, stopping or being re-initialised), or detached after having been
    attached once."""
    if not enabled:
        return False
    if instance_status is not None:
        return disk_status == "In_use" and instance_status in ("Running", "Stopped")
    return disk_status == "Available" and ever_attached
