"""Security groups in the store: which instances are in one, and what DescribeSecurityGroups
filters by. An instance names its groups in a JSON list (``instances.security_group_ids``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, String, cast, select, update

from .filters import columns_named, equal_to
from .schema import instances, security_groups
from .tags import tag_filter


def group_filter(group_id: str) -> Any:
    """A WHERE clause on instances: the instance is in the group."""
    return cast(instances.c.security_group_ids, String).like(f'%"{group_id}"%')


def instances_in_group(conn: Connection, group_id: str) -> list[str]:
    """IDs of the instances in the group."""
    return [instance_id for (instance_id,) in conn.execute(select(instances.c.id).where(group_filter(group_id)))]


# --- DescribeSecurityGroups --------------------------------------------------------------------

_EQUAL = columns_named(security_groups, "vpc_id", "id", "security_group_name", "security_group_type",
                       "resource_group_id")


def listing_filters(*, tags: Sequence[dict] | None = None, **equal: Any) -> list:
    """DescribeSecurityGroups' conditions: each column of ``equal`` equal to its value, every
    one of ``tags`` (``tags.tag_filter``); None (or no tags) is no filter."""
    conditions = equal_to(_EQUAL, equal)
    if tags:
        conditions.append(tag_filter(security_groups.c.id, tags))
    return conditions


def names_of(conn: Connection, account_id: str, group_ids: Iterable[str]) -> dict[str, str]:
    """The names of the account's groups among ``group_ids`` (rules show their peers' names)."""
    ids = [group_id for group_id in group_ids if group_id]
    if not ids:
        return {}
    query = select(security_groups.c.id, security_groups.c.security_group_name).where(
        security_groups.c.account_id == account_id, security_groups.c.id.in_(ids))
    return {group_id: name for group_id, name in conn.execute(query)}


def set_attributes(conn: Connection, group_id: str, **values: Any) -> None:
    """Changes the group's name, description or inner access policy."""
    if values:
        conn.execute(update(security_groups).where(security_groups.c.id == group_id).values(**values))
