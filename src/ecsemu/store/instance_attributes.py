"""Instances as the attribute actions list them (RAM roles, maintenance, private pools,
renewal): which of some IDs exist, and the conditions of their filters."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, select

from .schema import instances
from .statements import Statement

_EXISTING = Statement(select(instances.c.id).where(
    instances.c.account_id == bindparam("account_id"), instances.c.region_id == bindparam("region_id"),
    instances.c.id.in_(bindparam("ids", expanding=True))))


def existing_ids(conn: Connection, account_id: str, region_id: str, ids: Sequence[str]) -> set[str]:
    """Those of ``ids`` that are the account's instances in the region."""
    if not ids:
        return set()
    return {instance_id for (instance_id,) in _EXISTING.all(conn, account_id=account_id, region_id=region_id,
                                                            ids=list(ids))}


def ram_role_filters(ram_role_name: str | None) -> list:
    """DescribeInstanceRamRole's condition: the instances holding that role (None: any)."""
    return [] if ram_role_name is None else [instances.c.ram_role_name == ram_role_name]


def renewal_filters(renewal_status: str | None) -> list:
    """DescribeInstanceAutoRenewAttribute's conditions: subscription instances, with that
    renewal status when one is given."""
    conditions = [instances.c.charge_type == "PrePaid"]
    if renewal_status is not None:
        conditions.append(instances.c.renewal_status == renewal_status)
    return conditions
