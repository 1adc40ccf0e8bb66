"""Snapshots in the store: what uses one, what one holds, and how one goes away
(DeleteSnapshot, or its RetentionDays running out). Removals leave a record of why, for the
disks made from the snapshot: ReInitDisk answers a deleted source and an expired one
differently."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    String,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
)

from . import tags as tag_store
from .filters import columns_named, created_since, equal_to
from .schema import disks, images, released_snapshots, snapshots, transitions
from .statements import Statement

DAY = 86400.0


def image_uses(snapshot_id_column):
    """SQL: a custom image of the snapshot's account names the snapshot."""
    pattern = literal('%"') + snapshot_id_column + literal('"%')
    return exists().where(images.c.account_id == snapshots.c.account_id,
                          or_(images.c.source_snapshot_id == snapshot_id_column,
                              cast(images.c.disk_device_mappings, String).like(pattern)))


def disk_uses(snapshot_id_column):
    """SQL: a disk was made from the snapshot."""
    return exists().where(disks.c.source_snapshot_id == snapshot_id_column)


def used_by_image(conn: Connection, snapshot_id: str) -> bool:
    """Whether a custom image (of any account) names the snapshot."""
    query = select(images.c.id).where(or_(images.c.source_snapshot_id == snapshot_id,
                                          cast(images.c.disk_device_mappings, String).like(f'%"{snapshot_id}"%')))
    return conn.execute(query.limit(1)).first() is not None


_A_DISK_FROM = Statement(select(disks.c.id).where(disks.c.source_snapshot_id == bindparam("snapshot_id")).limit(1))


def used_by_disk(conn: Connection, snapshot_id: str) -> bool:
    """Whether a disk was made from the snapshot."""
    return _A_DISK_FROM.first(conn, snapshot_id=snapshot_id) is not None


# Built once: every change to a disk asks it. A copy in another region (CopySnapshot) is
# no snapshot being taken of the disk.
_PROGRESSING_OF = Statement(select(snapshots.c.id).where(snapshots.c.source_disk_id == bindparam("disk_id"),
                                                         snapshots.c.status == "progressing",
                                                         snapshots.c.source_snapshot_id.is_(None)))


def snapshot_in_progress(conn: Connection, disk_id: str) -> bool:
    """Whether a snapshot of the disk is still progressing."""
    return _PROGRESSING_OF.first(conn, disk_id=disk_id) is not None


# --- copies (CopySnapshot) and usage (DescribeSnapshotsUsage) ----------------------------------

_IN_REGION_OF_DISK = (snapshots.c.source_disk_id == bindparam("disk_id"),
                      snapshots.c.region_id == bindparam("region_id"))
_COPY_IN_PROGRESS = Statement(select(snapshots.c.id).where(*_IN_REGION_OF_DISK, snapshots.c.status == "progressing",
                                                           snapshots.c.source_snapshot_id.is_not(None)))
_COUNT_OF_DISK_IN = Statement(select(func.count()).select_from(snapshots).where(*_IN_REGION_OF_DISK))


def copy_in_progress(conn: Connection, disk_id: str, region_id: str) -> bool:
    """Whether a copy of a snapshot of the disk is still progressing in ``region_id``."""
    return _COPY_IN_PROGRESS.first(conn, disk_id=disk_id, region_id=region_id) is not None


def count_of_disk_in(conn: Connection, disk_id: str, region_id: str) -> int:
    """How many snapshots of the disk there are in ``region_id`` (copies included)."""
    return _COUNT_OF_DISK_IN.scalar(conn, disk_id=disk_id, region_id=region_id)


_OF_REGION = Statement(select(snapshots.c.layer_id).where(snapshots.c.account_id == bindparam("account_id"),
                                                          snapshots.c.region_id == bindparam("region_id")))


def layers_in_region(conn: Connection, account_id: str, region_id: str) -> list[str | None]:
    """The layer of each of the account's snapshots in the region, one entry a snapshot
    (None: a snapshot of nothing written, all zeros)."""
    return [row.layer_id for row in _OF_REGION.all(conn, account_id=account_id, region_id=region_id)]


_COUNT_OF_DISK = Statement(select(func.count()).select_from(snapshots)
                           .where(snapshots.c.source_disk_id == bindparam("disk_id"),
                                  snapshots.c.snapshot_type == bindparam("snapshot_type")))


def count_of_disk(conn: Connection, disk_id: str, snapshot_type: str = "user") -> int:
    """How many snapshots of the disk there are, of one type (the quotas count each apart)."""
    return _COUNT_OF_DISK.scalar(conn, disk_id=disk_id, snapshot_type=snapshot_type)


_LAYER_OF = Statement(select(snapshots.c.layer_id).where(snapshots.c.id == bindparam("snapshot_id")))


def layer_of(conn: Connection, snapshot_id: str) -> str | None:
    """The layer holding the snapshot's bytes (None: no such snapshot)."""
    return _LAYER_OF.scalar(conn, snapshot_id=snapshot_id)


_RELEASE_REASON = Statement(select(released_snapshots.c.reason)
                            .where(released_snapshots.c.id == bindparam("snapshot_id")))


def release_reason(conn: Connection, snapshot_id: str) -> str | None:
    """Why a snapshot is gone: ``expired``, ``deleted``, or None if it is not recorded."""
    return _RELEASE_REASON.scalar(conn, snapshot_id=snapshot_id)


def expiry(created_at: float, retention_days: int | None) -> float | None:
    return None if retention_days is None else created_at + retention_days * DAY


def release(conn: Connection, snapshot: Row, reason: str, now: float) -> None:
    """Removes a snapshot, remembering why: ``deleted`` or ``expired``."""
    conn.execute(snapshots.delete().where(snapshots.c.id == snapshot.id))
    conn.execute(released_snapshots.delete().where(released_snapshots.c.id == snapshot.id))
    conn.execute(insert(released_snapshots).values(id=snapshot.id, account_id=snapshot.account_id, reason=reason,
                                                   released_at=now))
    conn.execute(delete(transitions).where(transitions.c.resource_id == snapshot.id))
    tag_store.forget(conn, snapshot.id)


_EXPIRED = Statement(select(snapshots).where(snapshots.c.expires_at <= bindparam("now"),
                                              ~image_uses(snapshots.c.id)))


def release_expired(conn: Connection, now: float) -> list[Any]:
    """Releases every snapshot whose RetentionDays have run out, except those a custom
    image still uses (indexed on ``expires_at``: cheap when nothing is due); returns them."""
    expired = _EXPIRED.all(conn, now=now)
    for snapshot in expired:
        release(conn, snapshot, "expired", now)
    return list(expired)


# --- DescribeSnapshots -----------------------------------------------------------------------

# What DescribeSnapshots lists: a snapshot, and whether an image and a disk use it.
LISTED_COLUMNS = (snapshots, image_uses(snapshots.c.id).label("by_image"), disk_uses(snapshots.c.id).label("by_disk"))
_EQUAL = columns_named(snapshots, "source_disk_id", "status", "source_disk_type", "snapshot_name",
                       "resource_group_id", "snapshot_type")


def listing_filters(account_id: str, *, instance_id: str | None = None, usage: str | None = None,
                    encrypted: bool | None = None, matches_none: bool = False, tags: Sequence[dict] | None = None,
                    since: float | None = None, **equal: Any) -> list:
    """DescribeSnapshots' conditions: each column of ``equal`` equal to its value; of a disk
    of the account's instance ``instance_id``; what uses it (``usage``: image, disk,
    image_disk or none); of an encrypted disk or not; every one of ``tags``
    (``tags.tag_filter``); taken at or after ``since``; ``matches_none``: nothing does. None
    (or no tags) is no filter."""
    t = snapshots.c
    conditions = equal_to(_EQUAL, equal) + created_since(snapshots, since)
    if instance_id is not None:
        conditions.append(t.source_disk_id.in_(select(disks.c.id).where(
            disks.c.account_id == account_id, disks.c.instance_id == instance_id)))
    if usage is not None:
        by_image, by_disk = image_uses(t.id), disk_uses(t.id)
        conditions.append({"image": and_(by_image, ~by_disk), "disk": and_(~by_image, by_disk),
                           "image_disk": and_(by_image, by_disk), "none": and_(~by_image, ~by_disk)}[usage])
    if encrypted is not None:
        of_encrypted = exists().where(disks.c.id == t.source_disk_id, disks.c.encrypted.is_(True))
        conditions.append(of_encrypted if encrypted else ~of_encrypted)
    if matches_none:
        conditions.append(false())
    if tags:
        conditions.append(tag_store.tag_filter(t.id, tags))
    return conditions
