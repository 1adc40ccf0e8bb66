"""Instances in the store: what DescribeInstances and DescribeInstanceStatus list and
filter by."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, false, select

from .filters import columns_named, created_since, equal_to
from .locks import lock_filter, locks_column
from .network_interfaces import secondary_enis_column
from .rows import find
from .schema import instances
from .security_groups import group_filter
from .tags import tag_filter, tags_column

# What DescribeInstances lists: an instance, its tags, its locks, its secondary ENIs.
LISTED_COLUMNS = (instances, tags_column(instances.c.id), locks_column(instances.c.id),
                  secondary_enis_column(instances.c.id))
_EQUAL = columns_named(instances, "zone_id", "status", "vpc_id", "vswitch_id", "instance_type", "image_id",
                       "key_pair_name", "charge_type", "internet_charge_type", "resource_group_id",
                       "metadata_http_endpoint", "metadata_http_tokens", "metadata_hop_limit")


def listing_filters(*, private_ips: Sequence[str] | None = None, public_ips: Sequence[str] | None = None,
                    name_pattern: str | None = None, type_family: str | None = None,
                    security_group_id: str | None = None, lock_reason: str | None = None,
                    tags: Sequence[dict] | None = None, since: float | None = None, matches_none: bool = False,
                    **equal: Any) -> list:
    """DescribeInstances' conditions: each column of ``equal`` equal to its value; a private
    or public IP among those given; the name matching ``name_pattern`` (``*`` any run of
    characters); the type of ``type_family``; in the security group; locked for
    ``lock_reason``; every one of ``tags`` (``tags.tag_filter``); made at or after ``since``.
    None (or empty text, no tags) is no filter. ``matches_none``: a filter no instance here
    can meet (an address or option the emulator gives none of them)."""
    t = instances.c
    conditions = equal_to(_EQUAL, equal) + created_since(instances, since)
    if matches_none:
        conditions.append(false())
    if private_ips is not None:
        conditions.append(t.private_ip.in_(private_ips))
    if public_ips is not None:
        conditions.append(t.public_ip.in_(public_ips))
    if name_pattern:
        conditions.append(t.instance_name.like(name_pattern.replace("%", r"\%").replace("_", r"\_")
                                               .replace("*", "%"), escape="\\"))
    if type_family:
        conditions.append(t.instance_type.like(type_family + ".%"))
    if security_group_id:
        conditions.append(group_filter(security_group_id))
    if lock_reason:
        conditions.append(lock_filter(t.id, lock_reason))
    if tags:
        conditions.append(tag_filter(t.id, tags))
    return conditions


def every_named(conn: Connection, account_id: str, region_id: str, instance_ids: Sequence[str], *,
                lock: bool = True) -> list[Row] | None:
    """The account's instances in the region with these IDs, in the order given, each once,
    locked for the change (unless ``lock`` is False: a read); None when one is not there."""
    rows = []
    for instance_id in dict.fromkeys(instance_ids):
        row = find(conn, instances, account_id, instance_id, lock=lock)
        if row is None or row.region_id != region_id:
            return None
        rows.append(row)
    return rows


def find_any(conn: Connection, instance_id: str) -> Row | None:
    """An instance by ID, whatever its account (the instance driver's look-up)."""
    return conn.execute(select(instances).where(instances.c.id == instance_id)).first()


def ids_by_status(conn: Connection, statuses: Sequence[str]) -> list[tuple[str, str]]:
    """(ID, status) of every instance, of any account, in one of ``statuses``."""
    query = select(instances.c.id, instances.c.status).where(instances.c.status.in_(statuses))
    return [(row.id, row.status) for row in conn.execute(query.order_by(instances.c.id))]


def os_type_filter(os_type: str) -> list:
    """DescribeCloudAssistantStatus' OSType: instances of that OS (linux, windows)."""
    return [instances.c.os_type == os_type]
