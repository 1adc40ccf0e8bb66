"""Snapshot rules: names, progress while ``progressing``, what a snapshot is used by (spec
B19-B21, C3)."""

from __future__ import annotations

import math

from . import instances as naming

MAX_USER_SNAPSHOTS_PER_DISK = 256          # manual snapshots a disk may have (B19)
SNAPSHOT_STATUSES = ("progressing", "accomplished", "failed")
USAGES = ("image", "disk", "image_disk", "none")


def valid_snapshot_name(name: str) -> bool:
    """2-128 characters starting with a letter; not ``auto…`` (the mark of automatic
    snapshots) nor ``http(s)://…``."""
    return naming.valid_name(name) and not name.lower().startswith("auto")


def progress_percent(status: str, created_at: float, completes_at: float, now: float) -> int:
    """How far a snapshot (or image) is, as the API's ``Progress``: 100 once done, and
    never 100 while still in progress (a held one stays at 99)."""
    if status in ("accomplished", "Available"):
        return 100
    if status in ("failed", "CreateFailed"):
        return 0
    span = completes_at - created_at
    if span <= 0:
        return 99
    return max(0, min(99, int((now - created_at) * 100 // span)))


def remain_time(status: str, completes_at: float, now: float) -> int:
    """Seconds left, as ``RemainTime``: 0 once no longer in progress."""
    if status not in ("progressing", "Creating"):
        return 0
    return max(0, math.ceil(completes_at - now))


def usage(used_by_image: bool, used_by_disk: bool) -> str:
    if used_by_image and used_by_disk:
        return "image_disk"
    if used_by_image:
        return "image"
    if used_by_disk:
        return "disk"
    return "none"
