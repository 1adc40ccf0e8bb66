"""VPCs of the VPC product, over the table the default VPC of ECS lives in, and what
depends on a VPC (its vSwitches and security groups)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Row, String, exists, func, literal, select

from .filters import columns_named, equal_to
from .rows import page
from .schema import security_groups, vpcs, vswitches
from .tags import tag_filter


def count_in_region(conn: Connection, account_id: str, region_id: str) -> int:
    t = vpcs.c
    return conn.execute(select(func.count()).select_from(vpcs).where(
        t.account_id == account_id, t.region_id == region_id)).scalar_one()


_EQUAL_TO = columns_named(vpcs, "vpc_name", "is_default", "resource_group_id")


def matching_page(conn: Connection, account_id: str, region_id: str, *, ids: Sequence[str] | None,
                  name: str | None, is_default: bool | None, resource_group_id: str | None,
                  wanted_tags: Sequence[dict], number: int, size: int) -> tuple[list[Row], int]:
    """A page of the region's VPCs, oldest first, and how many match."""
    t = vpcs.c
    conditions: list[Any] = [t.account_id == account_id, t.region_id == region_id]
    if ids is not None:
        conditions.append(t.id.in_(ids))
    conditions += equal_to(_EQUAL_TO, {"vpc_name": name, "is_default": is_default,
                                        "resource_group_id": resource_group_id})
    if wanted_tags:
        conditions.append(tag_filter(t.id, wanted_tags))
    return page(conn, vpcs, conditions, order_by=(t.created_at, t.id), number=number, size=size)


def vswitch_ids_of(conn: Connection, vpc_ids: Iterable[str]) -> dict[str, list[str]]:
    """Each VPC's vSwitch IDs, oldest first."""
    found: dict[str, list[str]] = {}
    rows = conn.execute(select(vswitches.c.vpc_id, vswitches.c.id).where(vswitches.c.vpc_id.in_(list(vpc_ids)))
                        .order_by(vswitches.c.created_at, vswitches.c.id))
    for vpc_id, vswitch_id in rows:
        found.setdefault(vpc_id, []).append(vswitch_id)
    return found


def vswitch_blocks(conn: Connection, vpc_id: str) -> list[str]:
    return list(conn.execute(select(vswitches.c.cidr_block).where(vswitches.c.vpc_id == vpc_id)).scalars())


def has_vswitches(conn: Connection, vpc_id: str) -> bool:
    return conn.execute(select(exists().where(vswitches.c.vpc_id == vpc_id))).scalar_one()


def has_security_groups(conn: Connection, vpc_id: str) -> bool:
    return conn.execute(select(exists().where(security_groups.c.vpc_id == vpc_id))).scalar_one()


def route_table_page(conn: Connection, account_id: str, region_id: str, *, vpc_ids: Sequence[str] | None,
                     name: str | None, resource_group_id: str | None, wanted_tags: Sequence[dict],
                     number: int, size: int) -> tuple[list[Row], int]:
    """A page of the VPCs whose System route tables match (each VPC has one), oldest first,
    and how many match. A route table's tags sit under its own ID, ``vtb-`` and the VPC's."""
    t = vpcs.c
    conditions: list[Any] = [t.account_id == account_id, t.region_id == region_id]
    if vpc_ids is not None:
        conditions.append(t.id.in_(list(vpc_ids)))
    if name is not None:
        conditions.append(t.route_table_name == name)
    if resource_group_id is not None:
        conditions.append(t.resource_group_id == resource_group_id)
    if wanted_tags:
        conditions.append(tag_filter(route_table_id_column(), wanted_tags))
    return page(conn, vpcs, conditions, order_by=(t.created_at, t.id), number=number, size=size)


def vswitch_blocks_of(conn: Connection, vpc_ids: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Each VPC's (vSwitch ID, block), oldest first: the System entries of its route table."""
    found: dict[str, list[tuple[str, str]]] = {}
    rows = conn.execute(select(vswitches.c.vpc_id, vswitches.c.id, vswitches.c.cidr_block)
                        .where(vswitches.c.vpc_id.in_(list(vpc_ids))).order_by(vswitches.c.created_at, vswitches.c.id))
    for vpc_id, vswitch_id, block in rows:
        found.setdefault(vpc_id, []).append((vswitch_id, block))
    return found


def route_table_id_column() -> Any:
    """The System route table's ID in SQL, as domain/vpcs.py route_table_id derives it."""
    return literal("vtb-", String) + func.substr(vpcs.c.id, len("vpc-") + 1)
