"""Automatic snapshot policies in the store: the policies, the disks each is applied to
(``disks.auto_snapshot_policy_id``: one policy per disk), the snapshots each took
(``snapshots.auto_snapshot_policy_id``), and which policies are due to fire."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, select, update

from . import tags as tag_store
from .filters import columns_named, equal_to
from .schema import auto_snapshot_policies, disks, instances, snapshots
from .snapshots import image_uses, release
from .statements import Statement

_COUNT_IN_REGION = Statement(select(func.count()).select_from(auto_snapshot_policies).where(
    auto_snapshot_policies.c.account_id == bindparam("account_id"),
    auto_snapshot_policies.c.region_id == bindparam("region_id")))


def count_in_region(conn: Connection, account_id: str, region_id: str) -> int:
    return _COUNT_IN_REGION.scalar(conn, account_id=account_id, region_id=region_id)


_IN_REGION = Statement(select(auto_snapshot_policies.c.id).where(
    auto_snapshot_policies.c.id == bindparam("id"), auto_snapshot_policies.c.account_id == bindparam("account_id"),
    auto_snapshot_policies.c.region_id == bindparam("region_id")))


def exists_in_region(conn: Connection, account_id: str, region_id: str, policy_id: str) -> bool:
    return _IN_REGION.first(conn, id=policy_id, account_id=account_id, region_id=region_id) is not None


def disk_count(conn: Connection, policy_ids: Sequence[str]) -> dict[str, int]:
    """How many disks each policy is applied to (DiskNums)."""
    if not policy_ids:
        return {}
    policy = disks.c.auto_snapshot_policy_id
    query = select(policy, func.count()).where(policy.in_(policy_ids)).group_by(policy)
    return {policy_id: count for policy_id, count in conn.execute(query)}


def apply_to(conn: Connection, policy_id: str, disk_ids: Sequence[str]) -> None:
    """The disks take the policy, replacing any they had, and their automatic snapshots are on."""
    conn.execute(update(disks).where(disks.c.id.in_(disk_ids))
                 .values(auto_snapshot_policy_id=policy_id, enable_auto_snapshot=True))


def cancel_on(conn: Connection, disk_ids: Sequence[str], policy_id: str | None = None) -> None:
    """The disks (of ``policy_id`` only, if given) lose their policy."""
    query = update(disks).where(disks.c.id.in_(disk_ids))
    if policy_id is not None:
        query = query.where(disks.c.auto_snapshot_policy_id == policy_id)
    conn.execute(query.values(auto_snapshot_policy_id=None))


def forget(conn: Connection, policy_id: str) -> None:
    """A deleted policy: its disks have none; its snapshots stay, as snapshots of no policy."""
    conn.execute(update(disks).where(disks.c.auto_snapshot_policy_id == policy_id).values(auto_snapshot_policy_id=None))
    conn.execute(auto_snapshot_policies.delete().where(auto_snapshot_policies.c.id == policy_id))
    tag_store.forget(conn, policy_id)


def retain_taken(conn: Connection, policy_id: str, retention_days: int | None, day_seconds: float) -> None:
    """The policy's snapshots are kept ``retention_days`` from when each was taken (None:
    until deleted)."""
    expires = None if retention_days is None else snapshots.c.created_at + retention_days * day_seconds
    conn.execute(update(snapshots).where(snapshots.c.auto_snapshot_policy_id == policy_id)
                 .values(retention_days=retention_days, expires_at=expires))


# --- firing ------------------------------------------------------------------------------------

_DUE_QUERY = (select(auto_snapshot_policies).where(auto_snapshot_policies.c.next_fire_at <= bindparam("now"))
              .order_by(auto_snapshot_policies.c.next_fire_at, auto_snapshot_policies.c.id))
_DUE = Statement(_DUE_QUERY)
# Locked on PostgreSQL, in due order: a second process's catch-up waits, then reads the
# moved next_fire_at and passes the policy over, so no time point fires twice.
_DUE_LOCKED = Statement(_DUE_QUERY.with_for_update())


def due(conn: Connection, now: float) -> list[Any]:
    """The policies with a time point at or before ``now`` not yet fired, earliest first."""
    statement = _DUE_LOCKED if conn.dialect.name == "postgresql" else _DUE
    return list(statement.all(conn, now=now))


def set_next_fire(conn: Connection, policy_id: str, at: float) -> None:
    conn.execute(update(auto_snapshot_policies).where(auto_snapshot_policies.c.id == policy_id)
                 .values(next_fire_at=at))


_DISKS_OF = Statement(select(disks, instances.c.status.label("instance_status"))
                      .select_from(disks.outerjoin(instances, instances.c.id == disks.c.instance_id))
                      .where(disks.c.auto_snapshot_policy_id == bindparam("policy_id"))
                      .order_by(disks.c.created_at, disks.c.id))


def disks_of(conn: Connection, policy_id: str) -> list[Row]:
    """The policy's disks, each with its instance's status (None: detached)."""
    return list(_DISKS_OF.all(conn, policy_id=policy_id))


def taken_on_day(conn: Connection, disk_id: str, name_prefix: str) -> int:
    """How many automatic snapshots of the disk are named ``name_prefix…`` (one UTC+8 day's)."""
    query = select(func.count()).select_from(snapshots).where(
        snapshots.c.source_disk_id == disk_id, snapshots.c.snapshot_type == "auto",
        snapshots.c.snapshot_name.like(f"{name_prefix}%"))
    return conn.execute(query).scalar_one()


def release_oldest_automatic(conn: Connection, disk_id: str, now: float) -> Any | None:
    """Releases the disk's oldest automatic snapshot that no custom image uses (its quota
    is full); returns it, or None if there is none to release."""
    query = (select(snapshots).where(snapshots.c.source_disk_id == disk_id, snapshots.c.snapshot_type == "auto",
                                     ~image_uses(snapshots.c.id))
             .order_by(snapshots.c.created_at, snapshots.c.id).limit(1))
    oldest = conn.execute(query).first()
    if oldest is not None:
        release(conn, oldest, "expired", now)
    return oldest


def release_automatic(conn: Connection, disk_id: str, now: float) -> list[Any]:
    """A released disk's automatic snapshots, when its DeleteAutoSnapshot says they go with
    it: released (those a custom image uses stay); returns them."""
    query = select(snapshots).where(snapshots.c.source_disk_id == disk_id, snapshots.c.snapshot_type == "auto",
                                    ~image_uses(snapshots.c.id))
    gone = list(conn.execute(query))
    for snapshot in gone:
        release(conn, snapshot, "deleted", now)
    return gone


# --- DescribeAutoSnapshotPolicyEx --------------------------------------------------------------

LISTED_COLUMNS = (auto_snapshot_policies, tag_store.tags_column(auto_snapshot_policies.c.id))
_EQUAL = columns_named(auto_snapshot_policies, "id", "policy_name", "resource_group_id")


def listing_filters(*, tags: Sequence[dict] | None = None, **equal: Any) -> list:
    """DescribeAutoSnapshotPolicyEx's conditions: each column of ``equal`` equal to its
    value, every one of ``tags``; None (or no tags) is no filter."""
    conditions = equal_to(_EQUAL, equal)
    if tags:
        conditions.append(tag_store.tag_filter(auto_snapshot_policies.c.id, tags))
    return conditions
