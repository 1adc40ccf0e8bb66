"""Secondary private IPs of an ENI, primary or secondary: AssignPrivateIpAddresses,
UnassignPrivateIpAddresses; and how addresses are handed out and chosen ones checked,
which CreateNetworkInterface, RunInstances and CreateInstance share. Addresses come from
the vSwitch's block, each held once in it; an ENI holds as many as its instance's type
allows (10 secondary ones while attached to none)."""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Connection

from .. import errors
from ..domain import network_interfaces as eni
from ..store import network_interfaces as eni_store
from ..store import networks
from ..store.rows import find
from ..store.schema import instances
from .common import CLIENT_TOKEN, REGION_ID
from .declaration import Action, Args, CallContext
from .network_interfaces import find_secondary, primary_instance
from .params import Kind, Param, Type

FAMILY = "Network interfaces"


def chosen_ips(conn: Connection, vswitch: Any, addresses: list[str]) -> None:
    """Addresses a client chose: hosts of the vSwitch's block, each once, held by nothing."""
    if any(not eni.usable_in(vswitch.cidr_block, address) for address in addresses):
        raise errors.ENI_IP_NOT_IN_VSWITCH()
    if eni.repeated(addresses):
        raise errors.ENI_IP_REPEATED()
    if any(eni_store.address_taken(conn, vswitch.id, address) for address in addresses):
        raise errors.PRIVATE_IP_DUPLICATED()


def next_ip(conn: Connection, vswitch: Any) -> str:
    """The vSwitch's next free address."""
    address = networks.allocate_ip(conn, vswitch)
    if address is None:
        raise errors.PRIVATE_IP_QUOTA_EXCEEDED()
    return address


def new_ips(conn: Connection, vswitch: Any, count: int) -> list[str]:
    """``count`` free addresses of the vSwitch, handed out in order."""
    return [next_ip(conn, vswitch) for _ in range(count)]


def launch_ips(conn: Connection, vswitch: Any, chosen: str | None, amount: int) -> list[str]:
    """The primary IPs of ``amount`` new instances: from ``chosen`` on, one after the other
    (RunInstances' PrivateIpAddress), each a usable address of the vSwitch that nothing
    holds; else handed out."""
    if chosen is None:
        return new_ips(conn, vswitch, amount)
    addresses = eni.consecutive(chosen, amount)
    if addresses is None or any(not eni.usable_in(vswitch.cidr_block, address) for address in addresses):
        raise errors.INVALID_PRIVATE_IP()
    if any(eni_store.address_taken(conn, vswitch.id, address) for address in addresses):
        raise errors.PRIVATE_IP_DUPLICATED()
    return addresses


class _Target(NamedTuple):
    """The ENI whose IPs change: its ID, vSwitch, primary IP and the instance type that
    bounds its addresses (None: attached to no instance)."""
    eni_id: str
    vswitch_id: str
    primary_ip: str
    instance_type: str | None


def _target(conn: Connection, ctx: CallContext, args: Args) -> _Target:
    """The ENI named, primary or secondary, in a state whose IPs may change."""
    region_id, eni_id = args["RegionId"], args["NetworkInterfaceId"]
    instance = primary_instance(conn, ctx, eni_id, region_id, lock=True)
    if instance is None:
        row = find_secondary(conn, ctx, eni_id, region_id, lock=True, if_primary=errors.ENI_NOT_FOUND)
        if row.status not in eni.IP_CHANGEABLE:
            raise errors.ENI_WRONG_STATE()
        attached_to = find(conn, instances, ctx.account_id, row.instance_id) if row.instance_id else None
        if attached_to is not None and attached_to.status not in eni.INSTANCE_STATUSES:
            raise errors.ENI_INSTANCE_WRONG_STATE()
        return _Target(row.id, row.vswitch_id, row.private_ip,
                       attached_to.instance_type if attached_to is not None else None)
    if instance.status not in eni.INSTANCE_STATUSES:
        raise errors.ENI_INSTANCE_WRONG_STATE()
    return _Target(eni_id, instance.vswitch_id, instance.private_ip, instance.instance_type)


def assign_private_ip_addresses(ctx: CallContext, args: Args) -> dict[str, Any]:
    chosen, count = args["PrivateIpAddress"], args["SecondaryPrivateIpAddressCount"]
    if chosen is not None and count is not None:
        raise errors.ENI_PARAMETER_CONFLICT(names="PrivateIpAddress.N, SecondaryPrivateIpAddressCount")
    if chosen is None and count is None:
        raise errors.MISSING_PARAMETER(name="PrivateIpAddress.N")
    with ctx.emulator.unit_of_work() as conn:
        target = _target(conn, ctx, args)
        vswitch = networks.find_vswitch(conn, ctx.account_id, target.vswitch_id, lock=True)
        held = eni_store.secondary_ips_of(conn, [target.eni_id]).get(target.eni_id, [])
        if len(held) + (len(chosen) if chosen is not None else count) > eni.secondary_ip_limit(target.instance_type):
            raise errors.ENI_IP_COUNT_EXCEEDED()
        if chosen is not None:
            chosen_ips(conn, vswitch, chosen)
            added = list(chosen)
        else:
            added = new_ips(conn, vswitch, count)
        eni_store.add_secondary_ips(conn, target.eni_id, target.vswitch_id, added, ctx.now())
    return {"AssignedPrivateIpAddressesSet": {"NetworkInterfaceId": target.eni_id,
                                              "PrivateIpSet": {"PrivateIpAddress": added}}}


def unassign_private_ip_addresses(ctx: CallContext, args: Args) -> dict[str, Any]:
    addresses = args["PrivateIpAddress"]
    if eni.repeated(addresses):
        raise errors.ENI_IP_REPEATED()
    with ctx.emulator.unit_of_work() as conn:
        target = _target(conn, ctx, args)
        held = set(eni_store.secondary_ips_of(conn, [target.eni_id]).get(target.eni_id, []))
        if any(address not in held for address in addresses):  # the primary IP is not unassigned either
            raise errors.ENI_IP_UNASSIGNED()
        eni_store.remove_secondary_ips(conn, target.eni_id, addresses)
    return {}


_ENI_ID = Param("NetworkInterfaceId", required=True, description="The ENI, primary or secondary.")
_RAISES = (errors.ENI_NOT_FOUND, errors.ENI_WRONG_STATE, errors.ENI_INSTANCE_WRONG_STATE)

ACTIONS = (
    Action("AssignPrivateIpAddresses", FAMILY, "Gives an ENI secondary private IPs of its vSwitch: chosen, or a "
                                               "number handed out; within the instance type's limit.",
           params=(REGION_ID, _ENI_ID,
                   Param("PrivateIpAddress", kind=Kind.LIST, max_items=eni.SECONDARY_IPS_WHEN_FREE * 5,
                         description="Addresses of the ENI's vSwitch (or SecondaryPrivateIpAddressCount)."),
                   Param("SecondaryPrivateIpAddressCount", type=Type.INTEGER, minimum=1,
                         description="How many addresses to hand out (or PrivateIpAddress.N)."),
                   CLIENT_TOKEN,
                   Param("Ipv4Prefix", kind=Kind.LIST, supported=False, description="Not emulated: refused."),
                   Param("Ipv4PrefixCount", type=Type.INTEGER, supported=False, description="Not emulated: refused.")),
           handler=assign_private_ip_addresses,
           raises=(errors.ENI_PARAMETER_CONFLICT, errors.MISSING_PARAMETER, *_RAISES, errors.ENI_IP_COUNT_EXCEEDED,
                   errors.ENI_IP_NOT_IN_VSWITCH, errors.ENI_IP_REPEATED, errors.PRIVATE_IP_DUPLICATED,
                   errors.PRIVATE_IP_QUOTA_EXCEEDED)),
    Action("UnassignPrivateIpAddresses", FAMILY, "Takes secondary private IPs off an ENI.",
           params=(REGION_ID, _ENI_ID,
                   Param("PrivateIpAddress", kind=Kind.LIST, required=True, max_items=eni.SECONDARY_IPS_WHEN_FREE * 5,
                         description="Secondary addresses the ENI holds."),
                   Param("Ipv4Prefix", kind=Kind.LIST, supported=False, description="Not emulated: refused.")),
           handler=unassign_private_ip_addresses,
           raises=(errors.ENI_IP_REPEATED, *_RAISES, errors.ENI_IP_UNASSIGNED)),
)
