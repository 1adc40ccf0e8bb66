"""Snapshot rules: names, progress while ``progressing``, what a snapshot is used by, and
whether it can be used (spec B19-B21, C3)."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Any, TypeVar

from .. import errors
from ..catalog.disk_categories import BY_NAME as DISK_CATEGORIES
from ..errors import ErrorCode
from . import instances as naming

MAX_USER_SNAPSHOTS_PER_DISK = 256          # manual snapshots a disk may have (B19)
USAGES = ("image", "disk", "image_disk", "none")

R = TypeVar("R")


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


# --- may this snapshot be used? ----------------------------------------------------------------

OLDEST_USABLE_SNAPSHOT = 1373846400.0  # 2013-07-15T00:00:00Z: older snapshots cannot be used


class Purpose(enum.Enum):
    """What a snapshot is wanted for: each action answers the same conditions with codes of its own."""
    CREATE_DISK = "CreateDisk"
    CREATE_IMAGE = "CreateImage"
    LAUNCH_DATA_DISK = "RunInstances/CreateInstance DataDisk.N"
    RESET_DISK = "ResetDisk"
    REINIT_DISK = "ReInitDisk"
    COPY_SNAPSHOT = "CopySnapshot"


@dataclass(frozen=True)
class SnapshotState:
    """What the rule needs to know of a snapshot. ``status`` None: there is none (in the
    account and region); ``released`` then says why, if it is known to have existed:
    ``deleted`` (DeleteSnapshot) or ``expired`` (its RetentionDays ran out)."""
    status: str | None
    created_at: float = 0.0
    released: str | None = None

    @classmethod
    def gone(cls, released: str | None = None) -> SnapshotState:
        return cls(None, released=released)

    @classmethod
    def of(cls, row: Any, released: str | None = None) -> SnapshotState:
        """From a snapshot row (anything with ``status`` and ``created_at``), or None."""
        return cls.gone(released) if row is None else cls(row.status, row.created_at)


@dataclass(frozen=True)
class _Answers:
    deleted: ErrorCode          # no such snapshot, or deleted
    expired: ErrorCode          # released when its retention ran out
    not_ready: ErrorCode | None  # not accomplished (None: not checked)
    too_old: ErrorCode | None    # taken before 2013-07-15 (None: not checked)


ANSWERS: dict[Purpose, _Answers] = {
    Purpose.CREATE_DISK: _Answers(errors.SNAPSHOT_NOT_FOUND, errors.SNAPSHOT_NOT_FOUND,
                                  errors.SNAPSHOT_CREATION_NOT_READY, errors.SNAPSHOT_TOO_OLD_FOR_DISK),
    Purpose.CREATE_IMAGE: _Answers(errors.SNAPSHOT_NOT_FOUND, errors.SNAPSHOT_NOT_FOUND,
                                   errors.IMAGE_SNAPSHOT_NOT_READY, errors.IMAGE_SNAPSHOT_TOO_OLD),
    Purpose.LAUNCH_DATA_DISK: _Answers(errors.DATA_DISK_SNAPSHOT_NOT_FOUND, errors.DATA_DISK_SNAPSHOT_NOT_FOUND,
                                       errors.SNAPSHOT_ID_NOT_READY, None),
    Purpose.RESET_DISK: _Answers(errors.SNAPSHOT_NOT_FOUND, errors.SNAPSHOT_NOT_FOUND,
                                 errors.SNAPSHOT_ID_NOT_READY, errors.RESET_SNAPSHOT_TOO_OLD),
    # the disk was made from it, so it was accomplished; what matters is whether it is still there
    Purpose.REINIT_DISK: _Answers(errors.REINIT_SNAPSHOT_DELETED, errors.REINIT_SNAPSHOT_RELEASED,
                                  None, errors.REINIT_SNAPSHOT_TOO_OLD),
    # its table names no code for an old snapshot: bytes are bytes, they copy
    Purpose.COPY_SNAPSHOT: _Answers(errors.COPY_SOURCE_NOT_FOUND, errors.COPY_SOURCE_NOT_FOUND,
                                    errors.SNAPSHOT_ID_NOT_READY, None),
}


def unusable(purpose: Purpose, snapshot: SnapshotState) -> ErrorCode | None:
    """The error ``purpose`` answers for ``snapshot``, or None if it can be used: gone,
    then not accomplished, then too old."""
    answers = ANSWERS[purpose]
    if snapshot.status is None:
        return gone_error(purpose, snapshot.released)
    if answers.not_ready is not None and snapshot.status != "accomplished":
        return answers.not_ready
    if answers.too_old is not None and snapshot.created_at < OLDEST_USABLE_SNAPSHOT:
        return answers.too_old
    return None


def gone_error(purpose: Purpose, released: str | None = None) -> ErrorCode:
    """What ``purpose`` answers for a snapshot there is none of (``released``: why, if known)."""
    answers = ANSWERS[purpose]
    return answers.expired if released == "expired" else answers.deleted


def check_usable(purpose: Purpose, snapshot: SnapshotState) -> None:
    """Raise what ``unusable`` answers, if anything."""
    error = unusable(purpose, snapshot)
    if error is not None:
        raise error()


def usable_row(purpose: Purpose, row: R | None) -> R:
    """The snapshot ``row`` (None: there is none) if ``purpose`` may use it; else raise what
    ``unusable`` answers."""
    if row is None:
        raise gone_error(purpose)()
    check_usable(purpose, SnapshotState.of(row))
    return row


def retention_allowed(current_days: int | None, wanted_days: int) -> bool:
    """ModifySnapshotAttribute's RetentionDays extends a retention, never shortens it; a
    snapshot kept until deleted (None) may be given one."""
    return current_days is None or wanted_days >= current_days


# --- instant access, copies -------------------------------------------------------------------

def instant_access(disk_category: str, copied: bool) -> bool:
    """InstantAccess: on by default, and only, for the snapshots of the ESSD family (the
    CreateSnapshot parameters that asked for it are deprecated and ignored); a copy in
    another region is a standard snapshot, far from any disk of its own."""
    category = DISK_CATEGORIES.get(disk_category)
    return not copied and category is not None and category.instant_access


def instant_access_days(instant: bool, retention_days: int | None) -> int:
    """InstantAccessRetentionDays: as long as the snapshot is kept (RetentionDays; 0 when
    kept until deleted, or without instant access)."""
    return (retention_days or 0) if instant else 0


def copy_refused(copy_in_progress: bool, snapshots_of_disk_there: int) -> ErrorCode | None:
    """What CopySnapshot answers of its destination, given whether a copy of the source
    disk's snapshots is still progressing there and how many snapshots of that disk it
    holds; None: the copy may be made. One unfinished copy a disk and region at a time, and
    the disk's snapshot limit counted in the destination (docs/decisions.md)."""
    if copy_in_progress:
        return errors.COPY_UNFINISHED
    if snapshots_of_disk_there >= MAX_USER_SNAPSHOTS_PER_DISK:
        return errors.COPY_QUOTA_EXCEEDED
    return None


def snapshot_link(disk_id: str) -> str:
    """A disk's snapshot chain ID (SnapshotLinkId): one per disk, named after it."""
    return f"sl-{disk_id[2:]}"


def disk_of_link(link_id: str) -> str | None:
    """The disk whose snapshot chain ``link_id`` names; None if it names none."""
    return f"d-{link_id[3:]}" if link_id.startswith("sl-") and len(link_id) > 3 else None
