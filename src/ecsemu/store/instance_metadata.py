"""What the metadata service reads of one instance (guest/metadata.py), whatever account
owns it: the instance with its key pair's public key and its network's blocks, its disks,
its secondary ENIs; and the key that signs its tokens."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, and_, select

from .schema import (
    disks,
    instances,
    key_pairs,
    metadata_token_key,
    network_interfaces,
    secondary_private_ips,
    vpcs,
    vswitches,
)

ROW = 1  # the one row of metadata_token_key


@dataclass(frozen=True)
class InstanceRows:
    instance: Row                 # instances' columns, with public_key, vpc_cidr, vswitch_cidr
    disks: list[Row]              # id, disk_name, device; by device
    enis: list[Row]               # secondary ENIs: id, private_ip, vpc_id, vswitch_id, vpc_cidr, vswitch_cidr
    secondary_ips: dict[str, list[str]]   # each ENI's secondary private IPs, by ENI ID, in the order assigned


def _with_network(table: Any, *columns: Any) -> Any:
    """``columns`` of ``table``, with the CIDR blocks of its VPC and vSwitch."""
    return (select(*columns, vpcs.c.cidr_block.label("vpc_cidr"), vswitches.c.cidr_block.label("vswitch_cidr"))
            .select_from(table.outerjoin(vpcs, vpcs.c.id == table.c.vpc_id)
                         .outerjoin(vswitches, vswitches.c.id == table.c.vswitch_id)))


def instance_rows(conn: Connection, instance_id: str, primary_eni_id: str) -> InstanceRows | None:
    """The instance (whose primary ENI is ``primary_eni_id``) as its metadata shows it;
    None when there is no such instance."""
    i = instances.c
    query = (_with_network(instances, instances, key_pairs.c.public_key)
             .outerjoin(key_pairs, and_(key_pairs.c.account_id == i.account_id, key_pairs.c.region_id == i.region_id,
                                        key_pairs.c.name == i.key_pair_name))
             .where(i.id == instance_id))
    instance = conn.execute(query).first()
    if instance is None:
        return None
    found_disks = conn.execute(select(disks.c.id, disks.c.disk_name, disks.c.device)
                               .where(disks.c.instance_id == instance_id).order_by(disks.c.device)).all()
    n = network_interfaces.c
    enis = conn.execute(_with_network(network_interfaces, n.id, n.private_ip, n.vpc_id, n.vswitch_id)
                        .where(n.instance_id == instance_id).order_by(n.device_index, n.id)).all()
    p = secondary_private_ips.c
    secondary: dict[str, list[str]] = {}
    for eni_id, address in conn.execute(select(p.network_interface_id, p.private_ip)
                                        .where(p.network_interface_id.in_([primary_eni_id, *(e.id for e in enis)]))
                                        .order_by(p.created_at, p.private_ip)):
        secondary.setdefault(eni_id, []).append(address)
    return InstanceRows(instance, list(found_disks), list(enis), secondary)


def token_key(conn: Connection) -> bytes | None:
    """The key that signs metadata tokens; None before the first token."""
    secret = conn.execute(select(metadata_token_key.c.secret).where(metadata_token_key.c.id == ROW)).scalar()
    return None if secret is None else secret.encode()


def new_token_key(conn: Connection) -> bytes:
    """The key, made now if there is none (two processes at once agree: the first insert
    wins, the other reads it)."""
    if conn.dialect.name == "postgresql":  # the dialects' own INSERT ... ON CONFLICT (see client_tokens.py)
        from sqlalchemy.dialects import postgresql as dialect
    else:
        from sqlalchemy.dialects import sqlite as dialect  # type: ignore[no-redef]
    conn.execute(dialect.insert(metadata_token_key).values(id=ROW, secret=secrets.token_hex(32))
                 .on_conflict_do_nothing())
    key = token_key(conn)
    assert key is not None
    return key
