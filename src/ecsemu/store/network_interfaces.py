"""ENIs in the store. A primary ENI is its instance's row (domain/network_interfaces.py); a
secondary one a ``network_interfaces`` row; the secondary private IPs of both sit in
``secondary_private_ips``. DescribeNetworkInterfaces lists both kinds as one listing:
``LISTED``, a union of the two, with the same columns."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    delete,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    true,
    union_all,
)

from ..domain.network_interfaces import ENI_PREFIX, INSTANCE_PREFIX, PRIMARY, SECONDARY, listing_keys
from .filters import columns_named, equal_to
from .packed import packed, unpacked
from .schema import instances, network_interfaces, secondary_private_ips
from .statements import Statement
from .tags import tag_filter

eni, ips = network_interfaces.c, secondary_private_ips.c


def _text(value: str) -> Any:
    return literal_column(f"'{value}'", String)


# The primary ENI of each instance. ``id`` is the key a row is looked up and ordered by: the
# row's own ID (the instance's, for a primary ENI: its primary key serves a lookup by ENI ID,
# domain/network_interfaces.listing_keys); ``eni_id`` the ENI's ID (primary_eni_id: ``eni-``
# and the instance ID's tail).
_PRIMARY_ROWS = select(
    instances.c.id,
    (_text(ENI_PREFIX) + func.substr(instances.c.id, len(INSTANCE_PREFIX) + 1, type_=String)).label("eni_id"),
    instances.c.account_id, instances.c.region_id, instances.c.created_at,
    _text("").label("resource_group_id"), _text(PRIMARY).label("type"), _text("InUse").label("status"),
    instances.c.id.label("instance_id"), cast(literal_column("0"), Integer).label("device_index"),
    instances.c.zone_id, instances.c.vpc_id, instances.c.vswitch_id, instances.c.private_ip,
    _text("").label("network_interface_name"), _text("").label("description"), instances.c.security_group_ids,
    instances.c.public_ip, cast(null(), Integer).label("queue_number"), _text("Standard").label("traffic_mode"),
    cast(true(), Boolean).label("delete_on_release"), cast(false(), Boolean).label("source_dest_check"),
    instances.c.instance_type,
)
_SECONDARY_ROWS = select(
    eni.id, eni.id.label("eni_id"), eni.account_id, eni.region_id, eni.created_at, eni.resource_group_id,
    _text(SECONDARY).label("type"),
    eni.status, eni.instance_id, eni.device_index, eni.zone_id, eni.vpc_id, eni.vswitch_id, eni.private_ip,
    eni.network_interface_name, eni.description, eni.security_group_ids, cast(null(), String).label("public_ip"),
    eni.queue_number, eni.traffic_mode, eni.delete_on_release, eni.source_dest_check,
    cast(null(), String).label("instance_type"),
)
LISTED = union_all(_PRIMARY_ROWS, _SECONDARY_ROWS).subquery("enis")


def listed() -> Any:
    """What DescribeNetworkInterfaces lists (``LISTED``), for its ``Listing``."""
    return LISTED


_ONE = Statement(select(LISTED).where(LISTED.c.id.in_(bindparam("keys", expanding=True)),
                                      LISTED.c.eni_id == bindparam("eni_id"),
                                      LISTED.c.account_id == bindparam("account_id"),
                                      LISTED.c.region_id == bindparam("region_id")))


def one_listed(conn: Connection, account_id: str, region_id: str, eni_id: str) -> Any | None:
    """The ENI (primary or secondary) as DescribeNetworkInterfaces lists it; None: none such."""
    return _ONE.first(conn, keys=listing_keys([eni_id]), eni_id=eni_id, account_id=account_id, region_id=region_id)

_EQUAL = columns_named(LISTED, "instance_id", "vpc_id", "vswitch_id", "type", "status", "network_interface_name",
                       "resource_group_id")


def listing_filters(*, none_match: bool = False, primary_ip: str | None = None,
                    private_ips: Sequence[str] | None = None, security_group_id: str | None = None,
                    tags: Sequence[dict] | None = None, **equal: Any) -> list:
    """DescribeNetworkInterfaces' conditions: each column of ``equal`` equal to its value;
    the primary IP; a private IP (primary or secondary) among ``private_ips``; in the
    security group; every one of ``tags``; ``none_match``: a filter no ENI here meets
    (IPv6, service-managed ENIs)."""
    listed = LISTED.c
    conditions = equal_to(_EQUAL, equal)
    if primary_ip is not None:
        conditions.append(listed.private_ip == primary_ip)
    if private_ips is not None:
        held = select(ips.network_interface_id).where(ips.network_interface_id == listed.eni_id,
                                                      ips.private_ip.in_(list(private_ips)))
        conditions.append(or_(listed.private_ip.in_(list(private_ips)), held.exists()))
    if security_group_id is not None:
        conditions.append(cast(listed.security_group_ids, String).like(f'%"{security_group_id}"%'))
    if tags:   # only secondary ENIs have tags (a primary ENI's key is its instance's ID)
        conditions.append(and_(listed.type == SECONDARY, tag_filter(listed.id, tags)))
    if none_match:
        conditions.append(false())
    return conditions


_SECONDARY_IPS_OF = Statement(select(ips.network_interface_id, ips.private_ip, ips.created_at)
                              .where(ips.network_interface_id.in_(bindparam("ids", expanding=True))))


def secondary_ips_of(conn: Connection, eni_ids: Iterable[str]) -> dict[str, list[str]]:
    """The secondary private IPs of each ENI: those assigned first first, each call's in
    address order (as they are handed out)."""
    held: dict[str, list[str]] = {}
    ids = list(eni_ids)
    if ids:
        rows = sorted(_SECONDARY_IPS_OF.all(conn, ids=ids),
                      key=lambda row: (row.created_at, ipaddress.ip_address(row.private_ip)))
        for row in rows:
            held.setdefault(row.network_interface_id, []).append(row.private_ip)
    return held


def add_secondary_ips(conn: Connection, eni_id: str, vswitch_id: str, addresses: Iterable[str], now: float) -> None:
    rows = [{"network_interface_id": eni_id, "private_ip": address, "vswitch_id": vswitch_id, "created_at": now}
            for address in addresses]
    if rows:
        conn.execute(secondary_private_ips.insert(), rows)


def remove_secondary_ips(conn: Connection, eni_id: str, addresses: Iterable[str] | None = None) -> None:
    """Releases the ENI's secondary IPs (``addresses`` only, when given)."""
    query = delete(secondary_private_ips).where(ips.network_interface_id == eni_id)
    if addresses is not None:
        query = query.where(ips.private_ip.in_(list(addresses)))
    conn.execute(query)


def address_taken(conn: Connection, vswitch_id: str, address: str) -> bool:
    """Whether an instance or an ENI of the vSwitch holds the address, as its primary IP or
    a secondary one."""
    holders = union_all(
        select(instances.c.id).where(instances.c.vswitch_id == vswitch_id, instances.c.private_ip == address),
        select(eni.id).where(eni.vswitch_id == vswitch_id, eni.private_ip == address),
        select(ips.network_interface_id).where(ips.vswitch_id == vswitch_id, ips.private_ip == address),
    )
    return conn.execute(select(holders.exists())).scalar() is True


def addresses_held(conn: Connection, vswitch_id: str) -> set[str]:
    """Every address an instance or an ENI of the vSwitch holds, primary or secondary."""
    held = union_all(
        select(instances.c.private_ip.label("ip")).where(instances.c.vswitch_id == vswitch_id),
        select(eni.private_ip).where(eni.vswitch_id == vswitch_id),
        select(ips.private_ip).where(ips.vswitch_id == vswitch_id),
    ).subquery()
    return {ip for (ip,) in conn.execute(select(held.c.ip)) if ip is not None}


def attached_to(conn: Connection, instance_id: str) -> list[Any]:
    """The secondary ENIs attached (or attaching, or detaching) to the instance."""
    return list(conn.execute(select(network_interfaces).where(eni.instance_id == instance_id)))


def in_group(conn: Connection, group_id: str) -> list[str]:
    """IDs of the secondary ENIs in the security group."""
    query = select(eni.id).where(cast(eni.security_group_ids, String).like(f'%"{group_id}"%'))
    return [eni_id for (eni_id,) in conn.execute(query)]


def secondary_enis_column(instance_id_column: Any) -> Any:
    """A listing's column ``enis``: the secondary ENIs attached to the instance (attaching
    and detaching too), packed as (ID, primary IP) pairs."""
    return packed(eni.id, eni.private_ip, eni.instance_id == instance_id_column, name="enis")


def secondary_enis_in_row(row: Any) -> list[tuple[str, str]]:
    """The (ID, primary IP) of the secondary ENIs of a row listed with ``secondary_enis_column``."""
    return unpacked(row.enis)
