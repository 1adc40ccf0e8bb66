"""The default VPC of an account's region and the default vSwitch of each zone, made on
first use, and private IP addresses handed out in order."""

from __future__ import annotations

import ipaddress

from sqlalchemy import Connection, Row, select, update

from ..catalog.regions import REGIONS_BY_ID
from ..domain.ids import new_id
from .rows import add
from .schema import vpcs, vswitches

DEFAULT_VPC_CIDR = "172.16.0.0/12"


def default_vpc(conn: Connection, account_id: str, region_id: str, now: float) -> Row:
    query = select(vpcs).where(vpcs.c.account_id == account_id, vpcs.c.region_id == region_id,
                               vpcs.c.is_default.is_(True))
    vpc = conn.execute(query).first()
    if vpc is None:
        add(conn, vpcs, id=new_id("vpc", region_id), account_id=account_id, region_id=region_id,
            created_at=now, cidr_block=DEFAULT_VPC_CIDR, is_default=True)
        vpc = conn.execute(query).one()
    return vpc


def default_vswitch(conn: Connection, account_id: str, region_id: str, zone_id: str, now: float) -> Row:
    vpc = default_vpc(conn, account_id, region_id, now)
    query = select(vswitches).where(vswitches.c.vpc_id == vpc.id, vswitches.c.zone_id == zone_id,
                                    vswitches.c.is_default.is_(True))
    vswitch = conn.execute(query).first()
    if vswitch is None:
        zone_index = [z.zone_id for z in REGIONS_BY_ID[region_id].zones].index(zone_id)
        add(conn, vswitches, id=new_id("vsw", region_id), account_id=account_id, region_id=region_id,
            created_at=now, vpc_id=vpc.id, zone_id=zone_id, cidr_block=f"172.{16 + zone_index}.0.0/16",
            is_default=True, next_host=1)
        vswitch = conn.execute(query).one()
    return vswitch


def find_vswitch(conn: Connection, account_id: str, vswitch_id: str) -> Row | None:
    return conn.execute(select(vswitches).where(vswitches.c.id == vswitch_id,
                                                vswitches.c.account_id == account_id)).first()


def allocate_ip(conn: Connection, vswitch: Row) -> str:
    """The next free host address of the vSwitch's block."""
    row = conn.execute(update(vswitches).where(vswitches.c.id == vswitch.id)
                       .values(next_host=vswitches.c.next_host + 1)
                       .returning(vswitches.c.next_host)).one()
    network = ipaddress.ip_network(vswitch.cidr_block)
    return str(network.network_address + row.next_host + 1)  # .1 is the gateway
