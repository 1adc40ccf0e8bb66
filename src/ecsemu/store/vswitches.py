"""vSwitches of the VPC product, over the table ECS's default vSwitches live in, and what
depends on one (instances and ENIs, whose addresses it hands out)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Row, exists, func, select, union_all

from .filters import columns_named, equal_to
from .rows import page
from .schema import instances, network_interfaces, secondary_private_ips, vswitches
from .tags import tag_filter


def count_in_vpc(conn: Connection, vpc_id: str) -> int:
    return conn.execute(select(func.count()).select_from(vswitches).where(vswitches.c.vpc_id == vpc_id)).scalar_one()


_EQUAL_TO = columns_named(vswitches, "zone_id", "vswitch_name", "is_default", "resource_group_id")


def matching_page(conn: Connection, account_id: str, region_id: str, *, vswitch_id: str | None,
                  vpc_ids: Sequence[str] | None, zone_id: str | None, name: str | None, is_default: bool | None,
                  resource_group_id: str | None, wanted_tags: Sequence[dict], number: int,
                  size: int) -> tuple[list[Row], int]:
    """A page of the region's vSwitches, oldest first, and how many match."""
    t = vswitches.c
    conditions: list[Any] = [t.account_id == account_id, t.region_id == region_id]
    if vswitch_id is not None:
        conditions.append(t.id == vswitch_id)
    if vpc_ids is not None:
        conditions.append(t.vpc_id.in_(list(vpc_ids)))
    conditions += equal_to(_EQUAL_TO, {"zone_id": zone_id, "vswitch_name": name, "is_default": is_default,
                                        "resource_group_id": resource_group_id})
    if wanted_tags:
        conditions.append(tag_filter(t.id, wanted_tags))
    return page(conn, vswitches, conditions, order_by=(t.created_at, t.id), number=number, size=size)


def addresses_taken(conn: Connection, vswitch_ids: Iterable[str]) -> dict[str, int]:
    """How many addresses of each vSwitch instances and ENIs hold (primary and secondary)."""
    ids = list(vswitch_ids)
    if not ids:
        return {}
    held = union_all(
        select(instances.c.vswitch_id.label("vswitch_id")).where(instances.c.vswitch_id.in_(ids)),
        select(network_interfaces.c.vswitch_id).where(network_interfaces.c.vswitch_id.in_(ids)),
        select(secondary_private_ips.c.vswitch_id).where(secondary_private_ips.c.vswitch_id.in_(ids)),
    ).subquery()
    rows = conn.execute(select(held.c.vswitch_id, func.count()).group_by(held.c.vswitch_id))
    return {vswitch_id: n for vswitch_id, n in rows}


def has_instances(conn: Connection, vswitch_id: str) -> bool:
    return conn.execute(select(exists().where(instances.c.vswitch_id == vswitch_id))).scalar_one()


def has_network_interfaces(conn: Connection, vswitch_id: str) -> bool:
    return conn.execute(select(exists().where(network_interfaces.c.vswitch_id == vswitch_id))).scalar_one()
