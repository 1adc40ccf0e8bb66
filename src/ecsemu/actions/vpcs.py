"""VPCs of the VPC product (2016-04-28): CreateVpc, DeleteVpc, DescribeVpcs,
DescribeVpcAttribute, ModifyVpcAttribute.

The default VPC ECS makes for an account's region (store/networks.py) is one of them,
``IsDefault`` true. A VPC made here is Pending, then Available (domain/status.py VPC);
its vRouter and System route table are named after it (domain/vpcs.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..clock import utc_iso
from ..domain import vpcs as rules
from ..domain.ids import new_id
from ..domain.status import VPC
from ..store import tags as tag_store
from ..store import vpcs as vpc_store
from ..store.rows import add, assign, find, remove
from ..store.schema import vpcs
from .common import (
    CLIENT_TOKEN,
    DRY_RUN,
    PAGE_NUMBER,
    REGION_ID,
    RESOURCE_GROUP_FILTER,
    RESOURCE_GROUP_ID,
    TAG,
    dry_run_check,
    page_size,
    resource_group_in,
    tags_in,
)
from .declaration import Action, Args, CallContext
from .params import Param, Type

FAMILY = "VPCs"
MAX_IDS = 20   # DescribeVpcs VpcId: up to 20, comma-separated


# --- creating ----------------------------------------------------------------------------------

def create_vpc(ctx: CallContext, args: Args) -> dict[str, Any]:
    cidr = args["CidrBlock"] or rules.DEFAULT_CIDR
    if not rules.valid_cidr(cidr):
        raise errors.VPC_CIDR_MALFORMED()
    name, description = _checked_texts(args)
    tags, resource_group = tags_in(args), resource_group_in(args)
    region_id = args["RegionId"]
    vpc_id = new_id("vpc", region_id)
    with ctx.emulator.unit_of_work() as conn:
        if vpc_store.count_in_region(conn, ctx.account_id, region_id) >= rules.QUOTA_PER_REGION:
            raise errors.VPC_QUOTA_EXCEEDED()
        dry_run_check(args)
        add(conn, vpcs, id=vpc_id, account_id=ctx.account_id, region_id=region_id, created_at=ctx.now(),
            cidr_block=cidr, is_default=False, status="Pending", vpc_name=name or "",
            description=description or "", resource_group_id=resource_group)
        tag_store.tag_new(conn, vpc_id, tags)
        ctx.emulator.scheduler.chain(conn, VPC, vpc_id, ("Pending", "Available"))
    return {"VpcId": vpc_id, "VRouterId": rules.vrouter_id(vpc_id), "RouteTableId": rules.route_table_id(vpc_id),
            "ResourceGroupId": resource_group}


def _checked_texts(args: Args) -> tuple[str | None, str | None]:
    name, description = args["VpcName"], args["Description"]
    if name is not None and not rules.valid_name(name):
        raise errors.VPC_NAME_MALFORMED()
    if description is not None and not rules.valid_description(description):
        raise errors.VPC_DESCRIPTION_MALFORMED()
    return name, description


def _vpc(conn: Connection, ctx: CallContext, args: Args) -> Row:
    """The account's VPC in the request's region."""
    row = find(conn, vpcs, ctx.account_id, args["VpcId"], lock=True)
    if row is None or row.region_id != args["RegionId"]:
        raise errors.VPC_ID_NOT_FOUND()
    return row


# --- changing and deleting ---------------------------------------------------------------------

def modify_vpc_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    name, description = _checked_texts(args)
    cidr = args["CidrBlock"]
    if cidr is not None and not rules.valid_cidr(cidr):
        raise errors.VPC_CIDR_MALFORMED()
    with ctx.emulator.unit_of_work() as conn:
        row = _vpc(conn, ctx, args)
        if row.status != "Available":
            raise errors.INCORRECT_VPC_STATUS()
        if cidr is not None and not all(rules.contains(cidr, block)
                                        for block in vpc_store.vswitch_blocks(conn, row.id)):
            raise errors.VPC_CIDR_EXCLUDES_VSWITCH()
        changes = {column: value for column, value in
                   (("vpc_name", name), ("description", description), ("cidr_block", cidr)) if value is not None}
        if changes:
            assign(conn, vpcs, row.id, **changes)
    return {}


def delete_vpc(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Refused while vSwitches or security groups are in it; removed at once otherwise."""
    with ctx.emulator.unit_of_work() as conn:
        row = _vpc(conn, ctx, args)
        if row.status != "Available":
            raise errors.INCORRECT_VPC_STATUS()
        if vpc_store.has_vswitches(conn, row.id):
            raise errors.VPC_HAS_VSWITCHES()
        if vpc_store.has_security_groups(conn, row.id):
            raise errors.VPC_HAS_SECURITY_GROUPS()
        dry_run_check(args)
        ctx.emulator.scheduler.cancel(conn, row.id)
        tag_store.forget(conn, row.id)
        tag_store.forget(conn, rules.route_table_id(row.id))    # its System route table's
        remove(conn, vpcs, row.id)
    return {}


# --- describing --------------------------------------------------------------------------------

def describe_vpcs(ctx: CallContext, args: Args) -> dict[str, Any]:
    ids = _ids(args["VpcId"])
    number, size = args["PageNumber"], args["PageSize"]
    owner = args["VpcOwnerId"]
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        dry_run_check(args)
        # Only the caller's own VPCs are listed here, none with a DHCP options set or IPv6.
        if (owner is not None and str(owner) != ctx.account_id) or args["DhcpOptionsSetId"] is not None \
                or args["EnableIpv6"]:
            rows: list[Row] = []
            total = 0
        else:
            rows, total = vpc_store.matching_page(
                conn, ctx.account_id, args["RegionId"], ids=ids, name=args["VpcName"],
                is_default=args["IsDefault"], resource_group_id=args["ResourceGroupId"],
                wanted_tags=args["Tag"] or (), number=number, size=size)
        vswitch_ids = vpc_store.vswitch_ids_of(conn, [row.id for row in rows])
        tags = tag_store.tags_of(conn, [row.id for row in rows])
    return {"Vpcs": {"Vpc": [_vpc_view(row, vswitch_ids.get(row.id, []), tags.get(row.id, []), ctx.account_id)
                             for row in rows]},
            "TotalCount": total, "PageNumber": number, "PageSize": size}


def _ids(text: str | None) -> list[str] | None:
    if text is None:
        return None
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if len(ids) > MAX_IDS:
        raise errors.INVALID_PARAMETER(name="VpcId")
    return ids


def describe_vpc_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        dry_run_check(args)
        row = find(conn, vpcs, ctx.account_id, args["VpcId"])
        if row is None or row.region_id != args["RegionId"]:
            raise errors.VPC_ID_NOT_FOUND()
        vswitch_ids = vpc_store.vswitch_ids_of(conn, [row.id]).get(row.id, [])
        tags = tag_store.tags_of(conn, [row.id]).get(row.id, [])
    view = _vpc_view(row, vswitch_ids, tags, ctx.account_id)
    view.update({"ClassicLinkEnabled": False, "AssociatedCens": {"AssociatedCen": []},
                 "CloudResources": {"CloudResourceSetType": []}, "SupportIpv4Gateway": False,
                 "Ipv4GatewayId": ""})
    return view


def _vpc_view(row: Row, vswitch_ids: list[str], tags: list[tuple[str, str]], account_id: str) -> dict[str, Any]:
    """One VPC as DescribeVpcs lists it (DescribeVpcAttribute adds a few fields)."""
    return {
        "VpcId": row.id,
        "RegionId": row.region_id,
        "Status": row.status,
        "VpcName": row.vpc_name,
        "Description": row.description,
        "CreationTime": utc_iso(row.created_at),
        "CidrBlock": row.cidr_block,
        "IsDefault": row.is_default,
        "VRouterId": rules.vrouter_id(row.id),
        "RouterTableIds": {"RouterTableIds": [rules.route_table_id(row.id)]},
        "VSwitchIds": {"VSwitchId": vswitch_ids},
        "UserCidrs": {"UserCidr": []},
        "NatGatewayIds": {"NatGatewayIds": []},
        "SecondaryCidrBlocks": {"SecondaryCidrBlock": []},
        "Ipv6CidrBlock": "",
        "Ipv6CidrBlocks": {"Ipv6CidrBlock": []},
        "EnabledIpv6": False,
        "DnsHostnameStatus": "DISABLED",
        "DhcpOptionsSetId": "",
        "DhcpOptionsSetStatus": "",
        "CenStatus": "Detached",
        "ResourceGroupId": row.resource_group_id,
        "OwnerId": int(account_id) if account_id.isdigit() else account_id,
        "Tags": {"Tag": [{"Key": key, "Value": value} for key, value in tags]},
    }


# --- declarations ------------------------------------------------------------------------------

VPC_ID = Param("VpcId", required=True, description="The VPC, vpc-….")
VPC_NAME = Param("VpcName", description="Name, 1-128 characters, not starting with http:// or https://.")
DESCRIPTION = Param("Description", description="Description, 1-256 characters, not starting with http:// "
                                                "or https://.")
CIDR_BLOCK = Param("CidrBlock", description="The VPC's block: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a "
                                            "subnet of one, mask /8 to /28; default 172.16.0.0/12.")
NOT_EMULATED = "Accepted only at its default: not emulated."

ACTIONS = (
    Action("CreateVpc", FAMILY, "Makes a VPC with its vRouter and System route table: Pending, then Available.",
           params=(REGION_ID, CIDR_BLOCK, VPC_NAME, DESCRIPTION, RESOURCE_GROUP_ID, TAG, DRY_RUN, CLIENT_TOKEN,
                   Param("UserCidr", supported=False, description=NOT_EMULATED),
                   Param("EnableIpv6", type=Type.BOOLEAN, default=False, supported=False, description=NOT_EMULATED),
                   Param("Ipv6CidrBlock", supported=False, description=NOT_EMULATED),
                   Param("Ipv6Isp", supported=False, description=NOT_EMULATED),
                   Param("Ipv4IpamPoolId", supported=False, description=NOT_EMULATED),
                   Param("Ipv4CidrMask", type=Type.INTEGER, supported=False, description=NOT_EMULATED),
                   Param("Ipv6CidrMask", type=Type.INTEGER, supported=False, description=NOT_EMULATED),
                   Param("Ipv6IpamPoolId", supported=False, description=NOT_EMULATED),
                   Param("EnableDnsHostname", type=Type.BOOLEAN, default=False, supported=False,
                         description=NOT_EMULATED)),
           handler=create_vpc,
           raises=(errors.VPC_CIDR_MALFORMED, errors.VPC_NAME_MALFORMED, errors.VPC_DESCRIPTION_MALFORMED,
                   errors.VPC_QUOTA_EXCEEDED, errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE,
                   errors.DUPLICATE_TAG_KEY, errors.RESOURCE_GROUP_NOT_FOUND, errors.DRY_RUN_OPERATION)),
    Action("DeleteVpc", FAMILY, "Deletes an Available VPC that holds no vSwitch and no security group.",
           params=(REGION_ID, VPC_ID, DRY_RUN, CLIENT_TOKEN,
                   Param("ForceDelete", type=Type.BOOLEAN, default=False, supported=False,
                         description=NOT_EMULATED)),
           handler=delete_vpc,
           raises=(errors.VPC_ID_NOT_FOUND, errors.INCORRECT_VPC_STATUS, errors.VPC_HAS_VSWITCHES,
                   errors.VPC_HAS_SECURITY_GROUPS, errors.DRY_RUN_OPERATION)),
    Action("DescribeVpcs", FAMILY, "Lists the region's VPCs, oldest first, the default VPC among them.",
           params=(REGION_ID,
                   Param("VpcId", description=f"VPC IDs, comma-separated, up to {MAX_IDS}."),
                   Param("VpcName", description="Only the VPCs of this name."),
                   Param("IsDefault", type=Type.BOOLEAN, description="Only the default VPC (true) or the others."),
                   Param("VpcOwnerId", type=Type.INTEGER, description="Only the VPCs of this account."),
                   Param("DhcpOptionsSetId", description="Only the VPCs of this DHCP options set (none has one here)."),
                   Param("EnableIpv6", type=Type.BOOLEAN,
                         description="Only the VPCs with IPv6 (true: none here) or without."),
                   RESOURCE_GROUP_FILTER, TAG, DRY_RUN, PAGE_NUMBER, page_size(50)),
           handler=describe_vpcs, raises=(errors.INVALID_PARAMETER, errors.DRY_RUN_OPERATION)),
    Action("DescribeVpcAttribute", FAMILY, "One VPC: its block, status, vRouter, vSwitches, tags.",
           params=(REGION_ID, VPC_ID, DRY_RUN,
                   Param("IsDefault", type=Type.BOOLEAN, default=False,
                         description="Whether the VPC is the default one (accepted; the VPC's own value is shown).")),
           handler=describe_vpc_attribute, raises=(errors.VPC_ID_NOT_FOUND, errors.DRY_RUN_OPERATION)),
    Action("ModifyVpcAttribute", FAMILY, "Renames a VPC, changes its description or its block (which must "
                                         "still hold its vSwitches').",
           params=(REGION_ID, VPC_ID, VPC_NAME, DESCRIPTION,
                   Param("CidrBlock", description="A new block, as CreateVpc's; must contain the vSwitches' blocks."),
                   Param("EnableIPv6", type=Type.BOOLEAN, default=False, supported=False, description=NOT_EMULATED),
                   Param("Ipv6CidrBlock", supported=False, description=NOT_EMULATED),
                   Param("Ipv6Isp", supported=False, description=NOT_EMULATED),
                   Param("EnableDnsHostname", type=Type.BOOLEAN, default=False, supported=False,
                         description=NOT_EMULATED)),
           handler=modify_vpc_attribute,
           raises=(errors.VPC_NAME_MALFORMED, errors.VPC_DESCRIPTION_MALFORMED, errors.VPC_CIDR_MALFORMED,
                   errors.VPC_ID_NOT_FOUND, errors.INCORRECT_VPC_STATUS, errors.VPC_CIDR_EXCLUDES_VSWITCH)),
)
