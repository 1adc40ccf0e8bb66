"""Disks in the store: those of an instance, the devices they take, what a disk was made
from, and what DescribeDisks lists and filters by."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, false, select

from ..domain.disks import SYSTEM_DEVICE
from .filters import columns_named, created_since, equal_to
from .locks import lock_filter, locks_column
from .schema import disks
from .statements import Statement
from .tags import tag_filter, tags_column

_DISKS_OF_INSTANCE = Statement(select(disks).where(disks.c.instance_id == bindparam("instance_id"))
                               .order_by(disks.c.device))


def disks_of_instance(conn: Connection, instance_id: str) -> list[Any]:
    """The instance's disks, by device."""
    return _DISKS_OF_INSTANCE.all(conn, instance_id=instance_id)


_DEVICES_OF = Statement(select(disks.c.device).where(disks.c.instance_id == bindparam("instance_id")))


def devices_of(conn: Connection, instance_id: str) -> set[str]:
    """The devices the instance's disks take."""
    return {device for (device,) in _DEVICES_OF.all(conn, instance_id=instance_id)}


_SYSTEM_DISK_OF = Statement(select(disks).where(disks.c.instance_id == bindparam("instance_id"),
                                                disks.c.device == SYSTEM_DEVICE))


def system_disk_of(conn: Connection, instance_id: str) -> Any | None:
    """The disk on the instance's system device, or None."""
    return _SYSTEM_DISK_OF.first(conn, instance_id=instance_id)


_SOURCE_IMAGE_OF = Statement(select(disks.c.source_image_id).where(disks.c.id == bindparam("disk_id")))


def source_image_of(conn: Connection, disk_id: str) -> str | None:
    """The image the disk was made from (None: none, or no such disk)."""
    return _SOURCE_IMAGE_OF.scalar(conn, disk_id=disk_id)


_ENCRYPTED_AMONG = Statement(select(disks.c.id).where(disks.c.id.in_(bindparam("ids", expanding=True)),
                                                      disks.c.encrypted.is_(True)))


def encrypted_among(conn: Connection, disk_ids: Iterable[str]) -> set[str]:
    """Those of the disks that are encrypted."""
    return {disk_id for (disk_id,) in _ENCRYPTED_AMONG.all(conn, ids=list(disk_ids))}


# --- DescribeDisks ---------------------------------------------------------------------------

# What DescribeDisks lists: a disk, its tags, its instance's locks.
LISTED_COLUMNS = (disks, tags_column(disks.c.id), locks_column(disks.c.instance_id))
_EQUAL = columns_named(disks, "zone_id", "instance_id", "source_snapshot_id", "disk_name", "portable",
                       "delete_with_instance", "delete_auto_snapshot", "encrypted", "charge_type", "disk_type",
                       "category", "status", "resource_group_id", "enable_auto_snapshot", "performance_level",
                       "auto_snapshot_policy_id")


def listing_filters(*, lock_reason: str | None = None, tags: Sequence[dict] | None = None,
                    since: float | None = None, matches_none: bool = False, with_policy: bool | None = None,
                    **equal: Any) -> list:
    """DescribeDisks' conditions: each column of ``equal`` equal to its value, the disk's
    instance locked for ``lock_reason``, every one of ``tags`` (``tags.tag_filter``), made
    at or after ``since``, with an automatic snapshot policy or without (``with_policy``);
    None (or no tags) is no filter. ``matches_none``: a
    filter no disk here can meet (an attribute the emulator gives none of its disks)."""
    conditions = equal_to(_EQUAL, equal) + created_since(disks, since)
    if with_policy is not None:
        policy = disks.c.auto_snapshot_policy_id
        conditions.append(policy.is_not(None) if with_policy else policy.is_(None))
    if matches_none:
        conditions.append(false())
    if lock_reason:
        conditions.append(lock_filter(disks.c.instance_id, lock_reason))
    if tags:
        conditions.append(tag_filter(disks.c.id, tags))
    return conditions
