"""Elastic network interfaces as they are read: DescribeNetworkInterfaces (the primary ENI
every instance has and the secondary ENIs made by CreateNetworkInterface, one listing:
store/network_interfaces.py), DescribeNetworkInterfaceAttribute; and how the other ENI
actions find one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..clock import utc_iso
from ..domain import network_interfaces as eni
from ..errors import ErrorCode
from ..store import network_interfaces as eni_store
from ..store import tags as tag_store
from ..store.rows import find
from ..store.schema import instances, network_interfaces
from .common import NEXT_TOKEN, PAGE_NUMBER, REGION_ID, TAG, Listing, page_size, paginate, tags_out
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Network interfaces"
LISTED = Listing(eni_store.listed())  # a union of two tables, listed as one
DEFAULT_MAX_RESULTS = 10


# --- finding one -------------------------------------------------------------------------------

def primary_instance(conn: Connection, ctx: CallContext, eni_id: str, region_id: str, *,
                     lock: bool = False) -> Row | None:
    """The instance whose primary ENI ``eni_id`` is, in the region; None: no such instance."""
    instance_id = eni.instance_of_eni(eni_id)
    instance = find(conn, instances, ctx.account_id, instance_id, lock=lock) if instance_id else None
    return instance if instance is not None and instance.region_id == region_id else None


def find_secondary(conn: Connection, ctx: CallContext, eni_id: str, region_id: str, *, lock: bool = False,
                   if_primary: ErrorCode = errors.ENI_WRONG_TYPE) -> Row:
    """The secondary ENI ``eni_id`` in the region; ``if_primary`` when it names an instance's
    primary ENI, which the action cannot take."""
    row = find(conn, network_interfaces, ctx.account_id, eni_id, lock=lock)
    if row is not None and row.region_id == region_id:
        return row
    if primary_instance(conn, ctx, eni_id, region_id) is not None:
        raise if_primary()
    raise errors.ENI_NOT_FOUND()


def find_instance_of(conn: Connection, ctx: CallContext, instance_id: str, region_id: str) -> Row:
    """The instance an ENI action names, locked for the change."""
    instance = find(conn, instances, ctx.account_id, instance_id, lock=True)
    if instance is None or instance.region_id != region_id:
        raise errors.ENI_INSTANCE_NOT_FOUND()
    return instance


# --- DescribeNetworkInterfaces -------------------------------------------------------------

def describe_network_interfaces(ctx: CallContext, args: Args) -> dict[str, Any]:
    none_match = bool(args["Ipv6Address"] or args["ServiceManaged"])
    conditions = eni_store.listing_filters(
        none_match=none_match, instance_id=args["InstanceId"], vpc_id=args["VpcId"], vswitch_id=args["VSwitchId"],
        type=args["Type"], status=args["Status"], network_interface_name=args["NetworkInterfaceName"],
        resource_group_id=args["ResourceGroupId"], primary_ip=args["PrimaryIpAddress"],
        private_ips=args["PrivateIpAddress"], security_group_id=args["SecurityGroupId"], tags=args["Tag"])
    if args["NextToken"] and args["MaxResults"] is None:
        args = {**args, "MaxResults": DEFAULT_MAX_RESULTS}
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        ids = eni.listing_keys(args["NetworkInterfaceId"]) if args["NetworkInterfaceId"] is not None else None
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=ids, where=conditions,
                                token_max=500, token_min=1)
        views = _views(conn, rows, ctx.account_id)
    if "NextToken" not in paging:
        paging["NextToken"] = ""
    paging.pop("MaxResults", None)
    return {"NetworkInterfaceSets": {"NetworkInterfaceSet": views}, **paging}


def describe_network_interface_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    """One ENI's fields, at the top of the answer."""
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        row = eni_store.one_listed(conn, ctx.account_id, args["RegionId"], args["NetworkInterfaceId"])
        if row is None:
            raise errors.ENI_NOT_FOUND()
        return _views(conn, [row], ctx.account_id)[0]


def _views(conn: Connection, rows: list[Row] | Any, account_id: str) -> list[dict[str, Any]]:
    secondary_ips = eni_store.secondary_ips_of(conn, [row.eni_id for row in rows])
    tags = tag_store.tags_of(conn, [row.eni_id for row in rows if row.type == eni.SECONDARY])
    return [_view(row, account_id, secondary_ips.get(row.eni_id, []), tags.get(row.eni_id, [])) for row in rows]


def _view(row: Row, account_id: str, secondary_ips: list[str], tags: list[tuple[str, str]]) -> dict[str, Any]:
    primary = row.type == eni.PRIMARY
    public_ip = {"PublicIpAddress": row.public_ip or "", "AllocationId": ""}  # on the primary private IP
    private_ips = [{"PrivateIpAddress": row.private_ip, "Primary": True, "PrivateDnsName": "",
                    "AssociatedPublicIp": public_ip}]
    private_ips += [{"PrivateIpAddress": address, "Primary": False, "PrivateDnsName": "",
                     "AssociatedPublicIp": {"PublicIpAddress": "", "AllocationId": ""}} for address in secondary_ips]
    queues = row.queue_number or 1
    view = {
        "NetworkInterfaceId": row.eni_id,
        "NetworkInterfaceName": row.network_interface_name,
        "Description": row.description,
        "Type": row.type,
        "Status": row.status,
        "InstanceId": row.instance_id or "",
        "ZoneId": row.zone_id,
        "VpcId": row.vpc_id,
        "VSwitchId": row.vswitch_id,
        "PrivateIpAddress": row.private_ip,
        "MacAddress": eni.mac_address(row.instance_id if primary else row.eni_id),
        "CreationTime": utc_iso(row.created_at),
        "OwnerId": account_id,
        "ResourceGroupId": row.resource_group_id,
        "ServiceManaged": False,
        "DeleteOnRelease": bool(row.delete_on_release),
        "NetworkInterfaceTrafficMode": row.traffic_mode,
        "QueueNumber": queues,
        "QueuePairNumber": 0,
        "SourceDestCheck": bool(row.source_dest_check),
        "SecurityGroupIds": {"SecurityGroupId": list(row.security_group_ids)},
        "PrivateIpSets": {"PrivateIpSet": private_ips},
        "Ipv6Sets": {"Ipv6Set": []},
        "Ipv4PrefixSets": {"Ipv4PrefixSet": []},
        "Ipv6PrefixSets": {"Ipv6PrefixSet": []},
        "AssociatedPublicIp": public_ip,
        "Tags": tags_out(tags),
    }
    if row.instance_id:  # attached, attaching or detaching
        view["Attachment"] = {"InstanceId": row.instance_id, "DeviceIndex": row.device_index,
                              "NetworkCardIndex": 0, "TrunkNetworkInterfaceId": ""}
    return view


# --- declarations ------------------------------------------------------------------------------

ACTIONS = (
    Action("DescribeNetworkInterfaces", FAMILY, "Lists ENIs: each instance's primary ENI and the secondary ENIs, "
                                                "with filters and either paging style.",
           params=(REGION_ID,
                   Param("NetworkInterfaceId", kind=Kind.LIST, max_items=100, description="ENI IDs, at most 100."),
                   Param("InstanceId", description="The instance the ENI is bound to."),
                   Param("VpcId", description="VPC."), Param("VSwitchId", description="vSwitch."),
                   Param("Type", enum=(eni.PRIMARY, eni.SECONDARY), description="Primary or Secondary."),
                   Param("Status", description="ENI status: Available, Attaching, InUse, Detaching, Deleting."),
                   Param("PrimaryIpAddress", description="Primary private IP."),
                   Param("PrivateIpAddress", kind=Kind.LIST, max_items=100,
                         description="Private IPs (primary or secondary), at most 100."),
                   Param("Ipv6Address", kind=Kind.LIST, max_items=100,
                         description="IPv6 addresses (no ENI here has one)."),
                   Param("SecurityGroupId", description="Security group the ENI is in."),
                   Param("NetworkInterfaceName", description="ENI name."),
                   Param("ResourceGroupId", description="Resource group of the ENI."),
                   Param("ServiceManaged", type=Type.BOOLEAN, description="Managed by a cloud service (none here)."),
                   TAG, PAGE_NUMBER, page_size(100), NEXT_TOKEN,
                   Param("MaxResults", type=Type.INTEGER, minimum=1, maximum=500,
                         description="Entries a page in token paging, 1 to 500, default 10.")),
           handler=describe_network_interfaces, raises=(errors.INVALID_PARAMETER,)),
    Action("DescribeNetworkInterfaceAttribute", FAMILY, "One ENI's attributes (primary or secondary).",
           params=(REGION_ID,
                   Param("NetworkInterfaceId", required=True, description="The ENI."),
                   Param("Attribute", description="An attribute to add (attachment, …); every one is answered."),
                   Param("Tag", kind=Kind.OBJECT_LIST, supported=False, description="Not emulated: refused.",
                         fields=(Param("Key"), Param("Value")))),
           handler=describe_network_interface_attribute, raises=(errors.ENI_NOT_FOUND,)),
)
