"""The default VPC of an account's region and the default vSwitch of each zone, made on
first use, and private IP addresses handed out in order from a vSwitch's own block."""

from __future__ import annotations

import ipaddress
import random

from sqlalchemy import Connection, Row, bindparam, select, update

from ..catalog.regions import REGIONS_BY_ID
from ..domain import network_interfaces as eni
from ..domain.ids import new_id
from .network_interfaces import address_taken, addresses_held
from .rows import add
from .schema import instances, vpcs, vswitches
from .statements import Statement

DEFAULT_VPC_CIDR = "172.16.0.0/12"
# Public IPs are drawn from a block Alibaba Cloud announces in Hangzhou (docs/decisions.md).
PUBLIC_IP_BLOCK = ipaddress.ip_network("47.96.0.0/16")


def default_vpc(conn: Connection, account_id: str, region_id: str, now: float) -> Row:
    """The region's default VPC, made with a default vSwitch in each zone: an instance
    names its vSwitch (RunInstances' VSwitchId), and these are the ones a new account has."""
    query = select(vpcs).where(vpcs.c.account_id == account_id, vpcs.c.region_id == region_id,
                               vpcs.c.is_default.is_(True))
    vpc = conn.execute(query).first()
    if vpc is None:
        add(conn, vpcs, id=new_id("vpc", region_id), account_id=account_id, region_id=region_id,
            created_at=now, cidr_block=DEFAULT_VPC_CIDR, is_default=True)
        vpc = conn.execute(query).one()
    _default_vswitches(conn, vpc, now)
    return vpc


def _default_vswitches(conn: Connection, vpc: Row, now: float) -> None:
    """The default vSwitch of each zone the VPC lacks one in (a VPC made before they came
    all at once has some), a /16 of the default block per zone, made in zone order."""
    zones = [zone.zone_id for zone in REGIONS_BY_ID[vpc.region_id].zones]
    present = set(conn.execute(select(vswitches.c.zone_id).where(vswitches.c.vpc_id == vpc.id,
                                                                 vswitches.c.is_default.is_(True))).scalars())
    for index, zone_id in enumerate(zones):
        if zone_id not in present:
            add(conn, vswitches, id=new_id("vsw", vpc.region_id), account_id=vpc.account_id,
                region_id=vpc.region_id, created_at=now + index * 1e-6, vpc_id=vpc.id, zone_id=zone_id,
                cidr_block=f"172.{16 + index}.0.0/16", is_default=True, next_host=1)


def find_vswitch(conn: Connection, account_id: str, vswitch_id: str, *, lock: bool = False) -> Row | None:
    """``lock``: hold the row until the transaction ends (PostgreSQL; SQLite serialises
    writers anyway), so that the addresses of the vSwitch are chosen one call at a time."""
    query = select(vswitches).where(vswitches.c.id == vswitch_id, vswitches.c.account_id == account_id)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def allocate_ip(conn: Connection, vswitch: Row) -> str | None:
    """The next free address of the vSwitch's block: handed out in order from the first
    host (``next_host`` is the offset to try next), past the reserved ones and those held
    (chosen by a client, or taken before); once the order reaches the block's end, the
    lowest address nothing holds (released ones come back). None: the block is full."""
    last = eni.last_usable_offset(vswitch.cidr_block)
    while True:
        row = conn.execute(update(vswitches).where(vswitches.c.id == vswitch.id)
                           .values(next_host=vswitches.c.next_host + 1)
                           .returning(vswitches.c.next_host)).one()
        offset = row.next_host - 1
        if offset > last:
            break
        address = eni.address_at(vswitch.cidr_block, offset)
        if not address_taken(conn, vswitch.id, address):
            return address
    return eni.first_free(vswitch.cidr_block, addresses_held(conn, vswitch.id))


_PUBLIC_IP_HOLDER = Statement(select(instances.c.id).where(instances.c.public_ip == bindparam("ip")))


def public_ip_taken(conn: Connection, ip: str) -> bool:
    """Whether an instance (of any account) holds the public IP."""
    return _PUBLIC_IP_HOLDER.first(conn, ip=ip) is not None


def new_public_ip(conn: Connection) -> str:
    """A free address of ``PUBLIC_IP_BLOCK``, at random as the real service hands them out."""
    while True:
        host = PUBLIC_IP_BLOCK.network_address + random.randint(1, PUBLIC_IP_BLOCK.num_addresses - 2)
        if host.packed[-1] not in (0, 255) and not public_ip_taken(conn, str(host)):
            return str(host)
