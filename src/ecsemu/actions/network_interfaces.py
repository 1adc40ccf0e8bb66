"""Elastic network interfaces: DescribeNetworkInterfaces, answering the primary ENI every
instance has (domain/network_interfaces.py). Secondary ENIs are not made here, so a filter
only they could meet lists nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from .. import errors
from ..clock import utc_iso
from ..domain import network_interfaces as eni
from ..store import network_interfaces as eni_store
from ..store.schema import instances
from .common import NEXT_TOKEN, PAGE_NUMBER, REGION_ID, TAG, Listing, page_size, paginate
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Network interfaces"
LISTED = Listing(instances)
DEFAULT_MAX_RESULTS = 10


def describe_network_interfaces(ctx: CallContext, args: Args) -> dict[str, Any]:
    ids = None
    if args["NetworkInterfaceId"] is not None:
        ids = [instance_id for instance_id in map(eni.instance_of_eni, args["NetworkInterfaceId"]) if instance_id]
    none_match = bool(
        args["Type"] not in (None, eni.PRIMARY) or args["Status"] not in (None, eni.IN_USE)
        or args["NetworkInterfaceName"] or args["SecurityGroupId"] or args["Tag"] or args["ResourceGroupId"]
        or args["Ipv6Address"] or args["ServiceManaged"])
    conditions = eni_store.listing_filters(
        none_match=none_match, id=args["InstanceId"], vpc_id=args["VpcId"], vswitch_id=args["VSwitchId"],
        private_ip=args["PrimaryIpAddress"], private_ips=args["PrivateIpAddress"])
    if args["NextToken"] and args["MaxResults"] is None:
        args = {**args, "MaxResults": DEFAULT_MAX_RESULTS}
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=ids, where=conditions,
                                token_max=500, token_min=1)
    if "NextToken" not in paging:
        paging["NextToken"] = ""
    paging.pop("MaxResults", None)
    return {"NetworkInterfaceSets": {"NetworkInterfaceSet": [_view(row, ctx.account_id) for row in rows]},
            **paging}


def _view(row: Row, account_id: str) -> dict[str, Any]:
    private_ip = {"PrivateIpAddress": row.private_ip, "Primary": True, "PrivateDnsName": "",
                  "AssociatedPublicIp": _public_ip(row)}
    return {
        "NetworkInterfaceId": eni.primary_eni_id(row.id),
        "NetworkInterfaceName": "",
        "Description": "",
        "Type": eni.PRIMARY,
        "Status": eni.IN_USE,
        "InstanceId": row.id,
        "ZoneId": row.zone_id,
        "VpcId": row.vpc_id,
        "VSwitchId": row.vswitch_id,
        "PrivateIpAddress": row.private_ip,
        "MacAddress": eni.mac_address(row.id),
        "CreationTime": utc_iso(row.created_at),
        "OwnerId": account_id,
        "ResourceGroupId": "",
        "ServiceManaged": False,
        "DeleteOnRelease": True,
        "NetworkInterfaceTrafficMode": "Standard",
        "QueueNumber": 1,
        "QueuePairNumber": 0,
        "SourceDestCheck": False,
        "SecurityGroupIds": {"SecurityGroupId": list(row.security_group_ids)},
        "PrivateIpSets": {"PrivateIpSet": [private_ip]},
        "Ipv6Sets": {"Ipv6Set": []},
        "Ipv4PrefixSets": {"Ipv4PrefixSet": []},
        "Ipv6PrefixSets": {"Ipv6PrefixSet": []},
        "AssociatedPublicIp": _public_ip(row),
        "Attachment": {"InstanceId": row.id, "DeviceIndex": 0, "NetworkCardIndex": 0, "TrunkNetworkInterfaceId": ""},
        "Tags": {"Tag": []},
    }


def _public_ip(row: Row) -> dict[str, str]:
    """The instance's public IP sits on its primary ENI's primary private IP."""
    return {"PublicIpAddress": row.public_ip or "", "AllocationId": ""}


# --- declarations ------------------------------------------------------------------------------

ACTIONS = (
    Action("DescribeNetworkInterfaces", FAMILY, "Lists ENIs: each instance's primary ENI, with filters and either "
                                                "paging style.",
           params=(REGION_ID,
                   Param("NetworkInterfaceId", kind=Kind.LIST, max_items=100, description="ENI IDs, at most 100."),
                   Param("InstanceId", description="The instance the ENI is bound to."),
                   Param("VpcId", description="VPC."), Param("VSwitchId", description="vSwitch."),
                   Param("Type", enum=("Primary", "Secondary"), description="Primary or Secondary."),
                   Param("Status", description="ENI status: a primary ENI is InUse."),
                   Param("PrimaryIpAddress", description="Primary private IP."),
                   Param("PrivateIpAddress", kind=Kind.LIST, max_items=100, description="Private IPs, at most 100."),
                   Param("Ipv6Address", kind=Kind.LIST, max_items=100, description="IPv6 addresses."),
                   Param("SecurityGroupId", description="Security group of a secondary ENI."),
                   Param("NetworkInterfaceName", description="ENI name."),
                   Param("ResourceGroupId", description="Resource group of the ENI."),
                   Param("ServiceManaged", type=Type.BOOLEAN, description="Managed by a cloud service."),
                   TAG, PAGE_NUMBER, page_size(100), NEXT_TOKEN,
                   Param("MaxResults", type=Type.INTEGER, minimum=1, maximum=500,
                         description="Entries a page in token paging, 1 to 500, default 10.")),
           handler=describe_network_interfaces, raises=(errors.INVALID_PARAMETER,)),
)
