"""Secondary elastic network interfaces through their life: CreateNetworkInterface,
AttachNetworkInterface, DetachNetworkInterface, DeleteNetworkInterface,
ModifyNetworkInterfaceAttribute.

An ENI is made Available in a vSwitch, with its security groups (of the vSwitch's VPC) and
private IPs from the vSwitch's block; attached to an instance of its zone and VPC while the
instance type's ENI quota allows (Available -> Attaching -> InUse), detached (InUse ->
Detaching -> Available), and deleted only when Available."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..domain import instances as naming
from ..domain import network_interfaces as eni
from ..domain.ids import new_id
from ..domain.status import ENI
from ..store import network_interfaces as eni_store
from ..store import networks
from ..store import tags as tag_store
from ..store.rows import add, assign, find, move, remove
from ..store.schema import instances, network_interfaces, security_groups
from .common import CLIENT_TOKEN, REGION_ID, RESOURCE_GROUP_ID, TAG, resource_group_in, tags_in, tags_out
from .declaration import Action, Args, CallContext
from .network_interfaces import find_instance_of, find_secondary, primary_instance
from .params import Kind, Param, Type
from .private_ips import chosen_ips, new_ips, next_ip

FAMILY = "Network interfaces"


# --- CreateNetworkInterface ----------------------------------------------------------------

def create_network_interface(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id = args["RegionId"]
    group_ids = _group_ids_in(args)
    if args["PrivateIpAddress"] is not None and args["SecondaryPrivateIpAddressCount"] is not None:
        raise errors.ENI_PARAMETER_CONFLICT(names="PrivateIpAddress.N, SecondaryPrivateIpAddressCount")
    _check_naming(args)
    tags, resource_group = tags_in(args), resource_group_in(args)
    with ctx.emulator.unit_of_work() as conn:
        now = ctx.now()
        vswitch = networks.find_vswitch(conn, ctx.account_id, args["VSwitchId"], lock=True)
        if vswitch is None or vswitch.region_id != region_id:
            raise errors.VSWITCH_NOT_FOUND()
        if vswitch.status != "Available":  # CreateVSwitch's Pending
            raise errors.INCORRECT_VSWITCH_STATUS()
        _check_groups(conn, ctx, group_ids, region_id, vswitch.vpc_id)
        primary_ip, secondary = args["PrimaryIpAddress"], args["PrivateIpAddress"] or []
        chosen_ips(conn, vswitch, [primary_ip, *secondary] if primary_ip else secondary)
        eni_id = new_id("eni", region_id)
        # Chosen addresses are held before any is handed out, so none is handed out twice.
        eni_store.add_secondary_ips(conn, eni_id, vswitch.id, secondary, now)
        primary_ip = primary_ip or next_ip(conn, vswitch)
        add(conn, network_interfaces, id=eni_id, account_id=ctx.account_id, region_id=region_id, created_at=now,
            resource_group_id=resource_group, zone_id=vswitch.zone_id, status="Available", vpc_id=vswitch.vpc_id,
            vswitch_id=vswitch.id, private_ip=primary_ip, network_interface_name=args["NetworkInterfaceName"] or "",
            description=args["Description"] or "", security_group_ids=group_ids, queue_number=args["QueueNumber"],
            traffic_mode=args["NetworkInterfaceTrafficMode"], delete_on_release=args["DeleteOnRelease"],
            source_dest_check=args["SourceDestCheck"])
        if args["SecondaryPrivateIpAddressCount"]:
            secondary = new_ips(conn, vswitch, args["SecondaryPrivateIpAddressCount"])
            eni_store.add_secondary_ips(conn, eni_id, vswitch.id, secondary, now)
        tag_store.tag_new(conn, eni_id, tags)
    return {
        "NetworkInterfaceId": eni_id, "Status": "Available", "Type": eni.SECONDARY, "VpcId": vswitch.vpc_id,
        "VSwitchId": vswitch.id, "ZoneId": vswitch.zone_id, "PrivateIpAddress": primary_ip,
        "MacAddress": eni.mac_address(eni_id), "NetworkInterfaceName": args["NetworkInterfaceName"] or "",
        "Description": args["Description"] or "", "ResourceGroupId": resource_group, "OwnerId": ctx.account_id,
        "ServiceManaged": False, "SecurityGroupIds": {"SecurityGroupId": group_ids},
        "PrivateIpSets": {"PrivateIpSet": [{"PrivateIpAddress": primary_ip, "Primary": True}]
                          + [{"PrivateIpAddress": address, "Primary": False} for address in secondary]},
        "Tags": tags_out(tags),
    }


def _group_ids_in(args: Args) -> list[str]:
    """SecurityGroupId or SecurityGroupIds.N (one of them, not both), each once."""
    single, several = args["SecurityGroupId"], args["SecurityGroupIds"]
    if single and several:
        raise errors.ENI_PARAMETER_CONFLICT(names="SecurityGroupId, SecurityGroupIds.N")
    if not single and not several:
        raise errors.MISSING_PARAMETER(name="SecurityGroupId")
    return list(dict.fromkeys([single] if single else several))


def _check_naming(args: Args) -> None:
    if args["NetworkInterfaceName"] is not None and not naming.valid_name(args["NetworkInterfaceName"]):
        raise errors.INVALID_PARAMETER(name="NetworkInterfaceName")
    if args["Description"] is not None and not naming.valid_description(args["Description"]):
        raise errors.INVALID_PARAMETER(name="Description")


def _check_groups(conn: Connection, ctx: CallContext, group_ids: list[str], region_id: str, vpc_id: str) -> None:
    """Every group the account's, in the region, in the ENI's VPC."""
    for group_id in group_ids:
        group = find(conn, security_groups, ctx.account_id, group_id)
        if group is None or group.region_id != region_id:
            raise errors.SECURITY_GROUP_NOT_FOUND()
        if group.vpc_id != vpc_id:
            raise errors.ENI_VPC_MISMATCH()


# --- AttachNetworkInterface / DetachNetworkInterface ---------------------------------------

def attach_network_interface(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id = args["RegionId"]
    with ctx.emulator.unit_of_work() as conn:
        row = find_secondary(conn, ctx, args["NetworkInterfaceId"], region_id, lock=True)
        instance = find_instance_of(conn, ctx, args["InstanceId"], region_id)
        if row.status not in eni.ATTACHABLE:
            raise errors.ENI_WRONG_STATE()
        if instance.status not in eni.INSTANCE_STATUSES:
            raise errors.ENI_INSTANCE_WRONG_STATE()
        if row.zone_id != instance.zone_id:
            raise errors.ENI_ZONE_MISMATCH()
        if row.vpc_id != instance.vpc_id:
            raise errors.ENI_VPC_MISMATCH()
        attached = eni_store.attached_to(conn, instance.id)
        if 1 + len(attached) >= eni.enis_per_instance(instance.instance_type):  # 1: the primary ENI
            raise errors.ENI_PER_INSTANCE_LIMIT()
        held = len(eni_store.secondary_ips_of(conn, [row.id]).get(row.id, []))
        if held > eni.secondary_ip_limit(instance.instance_type):
            raise errors.ENI_IP_COUNT_EXCEEDED()
        index = eni.free_device_index(other.device_index for other in attached)
        if not move(conn, network_interfaces, ENI, row.id, "Available", "Attaching",
                    instance_id=instance.id, device_index=index):
            raise errors.ENI_WRONG_STATE()
        ctx.emulator.scheduler.chain(conn, ENI, row.id, ("Attaching", "InUse"))
    return {}


def detach_network_interface(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id = args["RegionId"]
    with ctx.emulator.unit_of_work() as conn:
        row = find_secondary(conn, ctx, args["NetworkInterfaceId"], region_id, lock=True,
                             if_primary=errors.ENI_PRIMARY_NOT_DETACHABLE)
        instance = find_instance_of(conn, ctx, args["InstanceId"], region_id)
        if row.status == "Detaching" and row.instance_id == instance.id:
            return {}   # already on its way: the real service answers success again
        if row.status not in eni.DETACHABLE or row.instance_id != instance.id:
            raise errors.ENI_WRONG_STATE()
        if instance.status not in eni.INSTANCE_STATUSES:
            raise errors.ENI_INSTANCE_WRONG_STATE()
        if not move(conn, network_interfaces, ENI, row.id, "InUse", "Detaching"):
            raise errors.ENI_WRONG_STATE()
        ctx.emulator.scheduler.chain(conn, ENI, row.id, ("Detaching", "Available"),
                                     assign={"Available": {"instance_id": None, "device_index": None}})
    return {}


# --- DeleteNetworkInterface / ModifyNetworkInterfaceAttribute ------------------------------

def delete_network_interface(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        row = find_secondary(conn, ctx, args["NetworkInterfaceId"], args["RegionId"], lock=True)
        if row.status not in eni.ATTACHABLE:
            raise errors.ENI_WRONG_STATE()
        ctx.emulator.scheduler.cancel(conn, row.id)
        eni_store.remove_secondary_ips(conn, row.id)
        tag_store.forget(conn, row.id)
        remove(conn, network_interfaces, row.id)
    return {}


def modify_network_interface_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    """A secondary ENI's name, description, groups, queues and flags; a primary ENI's
    groups (its instance's: the primary ENI keeps no attributes of its own)."""
    region_id = args["RegionId"]
    _check_naming(args)
    group_ids = list(dict.fromkeys(args["SecurityGroupId"])) if args["SecurityGroupId"] else None
    with ctx.emulator.unit_of_work() as conn:
        instance = primary_instance(conn, ctx, args["NetworkInterfaceId"], region_id, lock=True)
        if instance is not None:
            own = [name for name in _SECONDARY_ONLY if args[name] is not None]
            if own:
                raise errors.UNSUPPORTED_PARAMETER(name=own[0])
            if group_ids is not None:
                _check_groups(conn, ctx, group_ids, region_id, instance.vpc_id)
                assign(conn, instances, instance.id, security_group_ids=group_ids)
            return {}
        row = find_secondary(conn, ctx, args["NetworkInterfaceId"], region_id, lock=True,
                             if_primary=errors.ENI_NOT_FOUND)  # not a primary one: that was looked for
        changes: dict[str, Any] = {column: args[name] for name, column in _COLUMNS.items() if args[name] is not None}
        if group_ids is not None:
            _check_groups(conn, ctx, group_ids, region_id, row.vpc_id)
            changes["security_group_ids"] = group_ids
        if changes:
            assign(conn, network_interfaces, row.id, **changes)
    return {}


_COLUMNS = {"NetworkInterfaceName": "network_interface_name", "Description": "description",
            "QueueNumber": "queue_number", "DeleteOnRelease": "delete_on_release",
            "SourceDestCheck": "source_dest_check"}
_SECONDARY_ONLY = tuple(_COLUMNS)


def detach_from_released(conn: Connection, ctx: CallContext, instance: Row) -> None:
    """DeleteInstance: the instance's secondary ENIs are detached at once, whatever they
    were doing (as the real service does), and its primary ENI's secondary IPs released."""
    for row in eni_store.attached_to(conn, instance.id):
        ctx.emulator.scheduler.cancel(conn, row.id)
        move(conn, network_interfaces, ENI, row.id, ("Attaching", "InUse", "Detaching"), "Available",
             instance_id=None, device_index=None)
    eni_store.remove_secondary_ips(conn, eni.primary_eni_id(instance.id))


# --- declarations ------------------------------------------------------------------------------

ENI_ID = Param("NetworkInterfaceId", required=True, description="The ENI.")
NAME = Param("NetworkInterfaceName", description="Name, 2-128 characters, starting with a letter.")
DESCRIPTION = Param("Description", description="Description, 2-256 characters.")
QUEUE_NUMBER = Param("QueueNumber", type=Type.INTEGER, minimum=1, maximum=2048,
                     description="Queues, 1 to 2048; default: the instance type's.")
NAMING_RAISES = (errors.INVALID_PARAMETER,)
_NOT_EMULATED = ("Ipv6Address", "Ipv4Prefix", "Ipv6Prefix")
_NOT_EMULATED_COUNTS = ("Ipv6AddressCount", "Ipv4PrefixCount", "Ipv6PrefixCount", "TxQueueSize", "RxQueueSize",
                        "QueuePairNumber")


def _not_emulated(*names: str, kind: Kind = Kind.SCALAR, type_: Type = Type.STRING) -> tuple[Param, ...]:
    return tuple(Param(name, kind=kind, type=type_, supported=False, description="Not emulated: refused.")
                 for name in names)


ACTIONS = (
    Action("CreateNetworkInterface", FAMILY, "Makes a secondary ENI, Available, in a vSwitch: its security groups "
                                             "of the same VPC, private IPs from the vSwitch's block.",
           params=(REGION_ID,
                   Param("VSwitchId", required=True, description="The vSwitch: zone, VPC and address block."),
                   Param("SecurityGroupId", description="One security group (or SecurityGroupIds.N)."),
                   Param("SecurityGroupIds", kind=Kind.LIST, max_items=eni.GROUPS_PER_ENI,
                         description="Security groups, 1 to 5 (or SecurityGroupId)."),
                   Param("PrimaryIpAddress", description="Primary private IP; default the vSwitch's next free one."),
                   Param("PrivateIpAddress", kind=Kind.LIST, max_items=eni.SECONDARY_IPS_WHEN_FREE,
                         description="Secondary private IPs, up to 10 (or SecondaryPrivateIpAddressCount)."),
                   Param("SecondaryPrivateIpAddressCount", type=Type.INTEGER, minimum=0,
                         maximum=eni.SECONDARY_IPS_WHEN_FREE, description="Secondary private IPs to hand out, 0-10."),
                   NAME, DESCRIPTION, QUEUE_NUMBER,
                   Param("InstanceType", enum=(eni.SECONDARY,), description="Secondary (the only type made here)."),
                   Param("NetworkInterfaceTrafficMode", enum=("Standard",), default="Standard",
                         description="Standard (HighPerformance, RDMA, is not emulated)."),
                   Param("DeleteOnRelease", type=Type.BOOLEAN, default=True,
                         description="Recorded; DeleteInstance detaches a secondary ENI, as the real service."),
                   Param("SourceDestCheck", type=Type.BOOLEAN, default=False, description="Recorded."),
                   Param("Visible", type=Type.BOOLEAN, description="Accepted."),
                   Param("BusinessType", description="Accepted."),
                   RESOURCE_GROUP_ID, TAG, CLIENT_TOKEN,
                   *_not_emulated(*_NOT_EMULATED, kind=Kind.LIST),
                   *_not_emulated(*_NOT_EMULATED_COUNTS, type_=Type.INTEGER),
                   *_not_emulated("EnablePrimaryIpv6", type_=Type.BOOLEAN)),
           handler=create_network_interface,
           raises=(errors.ENI_PARAMETER_CONFLICT, errors.MISSING_PARAMETER, *NAMING_RAISES, errors.VSWITCH_NOT_FOUND,
                   errors.INCORRECT_VSWITCH_STATUS,
                   errors.SECURITY_GROUP_NOT_FOUND, errors.ENI_VPC_MISMATCH, errors.ENI_IP_NOT_IN_VSWITCH,
                   errors.ENI_IP_REPEATED, errors.PRIVATE_IP_DUPLICATED, errors.PRIVATE_IP_QUOTA_EXCEEDED,
                   errors.INVALID_TAG_KEY,
                   errors.INVALID_TAG_VALUE, errors.DUPLICATE_TAG_KEY, errors.RESOURCE_GROUP_NOT_FOUND)),
    Action("AttachNetworkInterface", FAMILY, "Attaches an Available secondary ENI to an instance (Running or "
                                             "Stopped) of its zone and VPC: Attaching, then InUse.",
           params=(REGION_ID, ENI_ID, Param("InstanceId", required=True, description="The instance."),
                   Param("NetworkCardIndex", type=Type.INTEGER, minimum=0, maximum=0,
                         description="Physical network card: 0, the only one the catalogue's types have."),
                   Param("WaitForNetworkConfigurationReady", type=Type.BOOLEAN, description="Deprecated; accepted."),
                   *_not_emulated("TrunkNetworkInstanceId")),
           handler=attach_network_interface,
           raises=(errors.ENI_NOT_FOUND, errors.ENI_WRONG_TYPE, errors.ENI_INSTANCE_NOT_FOUND, errors.ENI_WRONG_STATE,
                   errors.ENI_INSTANCE_WRONG_STATE, errors.ENI_ZONE_MISMATCH, errors.ENI_VPC_MISMATCH,
                   errors.ENI_PER_INSTANCE_LIMIT, errors.ENI_IP_COUNT_EXCEEDED)),
    Action("DetachNetworkInterface", FAMILY, "Detaches a secondary ENI (InUse) from its instance (Running or "
                                             "Stopped): Detaching, then Available.",
           params=(REGION_ID, ENI_ID, Param("InstanceId", required=True, description="The instance."),
                   *_not_emulated("TrunkNetworkInstanceId")),
           handler=detach_network_interface,
           raises=(errors.ENI_NOT_FOUND, errors.ENI_PRIMARY_NOT_DETACHABLE, errors.ENI_INSTANCE_NOT_FOUND,
                   errors.ENI_WRONG_STATE, errors.ENI_INSTANCE_WRONG_STATE)),
    Action("DeleteNetworkInterface", FAMILY, "Deletes an Available secondary ENI, its IPs and tags.",
           params=(REGION_ID, ENI_ID),
           handler=delete_network_interface,
           raises=(errors.ENI_NOT_FOUND, errors.ENI_WRONG_TYPE, errors.ENI_WRONG_STATE)),
    Action("ModifyNetworkInterfaceAttribute", FAMILY, "Changes a secondary ENI's name, description, security "
                                                      "groups (replaced), queues and flags; a primary ENI's groups.",
           params=(REGION_ID, ENI_ID, NAME, DESCRIPTION,
                   Param("SecurityGroupId", kind=Kind.LIST, max_items=eni.GROUPS_PER_ENI,
                         description="Security groups of the ENI's VPC, 1 to 5: they replace the ENI's."),
                   QUEUE_NUMBER,
                   Param("DeleteOnRelease", type=Type.BOOLEAN, description="Recorded."),
                   Param("SourceDestCheck", type=Type.BOOLEAN, description="Recorded."),
                   *_not_emulated("TxQueueSize", "RxQueueSize", type_=Type.INTEGER),
                   *_not_emulated("EnablePrimaryIpv6", type_=Type.BOOLEAN)),
           handler=modify_network_interface_attribute,
           raises=(*NAMING_RAISES, errors.UNSUPPORTED_PARAMETER, errors.SECURITY_GROUP_NOT_FOUND,
                   errors.ENI_VPC_MISMATCH, errors.ENI_NOT_FOUND)),
)
