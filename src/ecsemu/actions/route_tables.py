"""Route tables of the VPC product (2016-04-28): DescribeRouteTableList,
DescribeRouteTables, ModifyRouteTableAttributes.

Every VPC has one route table, its System one, whose ID is derived from the VPC's
(domain/vpcs.py route_table_id), so the default VPCs have theirs too; its name and
description are kept on the VPC's row. Its entries are the System ones the service makes:
one per vSwitch block, and the 100.64.0.0/10 block of the cloud services.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from .. import errors
from ..clock import utc_iso
from ..domain import vpcs as rules
from ..store import tags as tag_store
from ..store import vpcs as vpc_store
from ..store.rows import assign, find
from ..store.schema import vpcs
from .common import PAGE_NUMBER, REGION_ID, RESOURCE_GROUP_FILTER, TAG, page_size
from .declaration import Action, Args, CallContext
from .params import Param, Type

FAMILY = "Route tables"
SYSTEM, VROUTER = "System", "VRouter"
CLOUD_SERVICE_BLOCK = "100.64.0.0/10"     # the System entry every VPC route table holds


def _vpc_ids(route_table_id: str | None, vrouter_id: str | None, vpc_id: str | None) -> list[str] | None:
    """The VPCs whose route tables the filters leave (None: every one)."""
    wanted: list[set[str]] = []
    if vpc_id is not None:
        wanted.append({vpc_id})
    if route_table_id is not None:
        owner = rules.vpc_of_route_table(route_table_id)
        wanted.append({owner} if owner else set())
    if vrouter_id is not None:
        router_owner = rules.vpc_of_vrouter(vrouter_id)
        wanted.append({router_owner} if router_owner else set())
    if not wanted:
        return None
    return sorted(set.intersection(*wanted))


def _none_match(args: Args, *pairs: tuple[str, str]) -> bool:
    """A filter only other route tables (Custom ones, other router types) could meet."""
    return any(args[name] is not None and args[name] != value for name, value in pairs)


# --- DescribeRouteTableList ------------------------------------------------------------------

def describe_route_table_list(ctx: CallContext, args: Args) -> dict[str, Any]:
    number, size = args["PageNumber"], args["PageSize"]
    if _none_match(args, ("RouteTableType", SYSTEM), ("RouterType", VROUTER)):
        return _table_list([], {}, {}, ctx.account_id, 0, number, size)
    vpc_ids = _vpc_ids(args["RouteTableId"], args["RouterId"], args["VpcId"])
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, total = vpc_store.route_table_page(
            conn, ctx.account_id, args["RegionId"], vpc_ids=vpc_ids, name=args["RouteTableName"],
            resource_group_id=args["ResourceGroupId"], wanted_tags=args["Tag"] or (), number=number, size=size)
        blocks = vpc_store.vswitch_blocks_of(conn, [row.id for row in rows])
        tags = tag_store.tags_of(conn, [rules.route_table_id(row.id) for row in rows])
    return _table_list(rows, blocks, tags, ctx.account_id, total, number, size)


def _table_list(rows: list[Row], blocks: dict[str, list[tuple[str, str]]], tags: dict[str, list[tuple[str, str]]],
                account_id: str, total: int, number: int, size: int) -> dict[str, Any]:
    owner = int(account_id) if account_id.isdigit() else account_id
    return {"RouterTableList": {"RouterTableListType": [{
        "VpcId": row.id,
        "RouterType": VROUTER,
        "RouterId": rules.vrouter_id(row.id),
        "RouteTableId": rules.route_table_id(row.id),
        "RouteTableName": row.route_table_name,
        "RouteTableType": SYSTEM,
        "Description": row.route_table_description,
        "ResourceGroupId": row.resource_group_id,
        "CreationTime": utc_iso(row.created_at),
        "Status": row.status,
        "AssociateType": "VSwitch",
        "RoutePropagationEnable": True,
        "OwnerId": owner,
        "VSwitchIds": {"VSwitchId": [vswitch_id for vswitch_id, _ in blocks.get(row.id, [])]},
        "GatewayIds": {"GatewayIds": []},
        "Tags": {"Tag": [{"Key": key, "Value": value}
                         for key, value in tags.get(rules.route_table_id(row.id), [])]},
    } for row in rows]}, "TotalCount": total, "PageNumber": number, "PageSize": size}


# --- DescribeRouteTables ---------------------------------------------------------------------

def describe_route_tables(ctx: CallContext, args: Args) -> dict[str, Any]:
    number, size = args["PageNumber"], args["PageSize"]
    if _none_match(args, ("Type", SYSTEM), ("RouterType", VROUTER)):
        rows: list[Row] = []
        total, blocks = 0, {}
    else:
        vpc_ids = _vpc_ids(args["RouteTableId"], args["VRouterId"] or args["RouterId"], None)
        if args["VRouterId"] and args["RouterId"] and args["VRouterId"] != args["RouterId"]:
            vpc_ids = []
        with ctx.emulator.unit_of_work(read_only=True) as conn:
            rows, total = vpc_store.route_table_page(
                conn, ctx.account_id, args["RegionId"], vpc_ids=vpc_ids, name=args["RouteTableName"],
                resource_group_id=args["ResourceGroupId"], wanted_tags=(), number=number, size=size)
            blocks = vpc_store.vswitch_blocks_of(conn, [row.id for row in rows])
    return {"RouteTables": {"RouteTable": [{
        "VRouterId": rules.vrouter_id(row.id),
        "RouteTableId": rules.route_table_id(row.id),
        "RouteTableType": SYSTEM,
        "CreationTime": utc_iso(row.created_at),
        "ResourceGroupId": row.resource_group_id,
        "VSwitchIds": {"VSwitchId": [vswitch_id for vswitch_id, _ in blocks.get(row.id, [])]},
        "RouteEntrys": {"RouteEntry": [_entry(row.id, block) for block in
                                       [CLOUD_SERVICE_BLOCK, *(b for _, b in blocks.get(row.id, []))]]},
    } for row in rows]}, "TotalCount": total, "PageNumber": number, "PageSize": size}


def _entry(vpc_id: str, block: str) -> dict[str, Any]:
    """A System entry: traffic to the block stays in the VPC."""
    return {"RouteTableId": rules.route_table_id(vpc_id), "DestinationCidrBlock": block, "Type": SYSTEM,
            "Status": "Available", "InstanceId": "", "NextHopType": "local", "RouteEntryId": "",
            "RouteEntryName": "", "Description": "", "NextHops": {"NextHop": []}}


# --- ModifyRouteTableAttributes --------------------------------------------------------------

def modify_route_table_attributes(ctx: CallContext, args: Args) -> dict[str, Any]:
    name, description = args["RouteTableName"], args["Description"]
    if name is not None and not rules.valid_name(name):
        raise errors.ROUTE_TABLE_NAME_MALFORMED()
    if description is not None and not rules.valid_description(description):
        raise errors.ROUTE_TABLE_DESCRIPTION_MALFORMED()
    vpc_id = rules.vpc_of_route_table(args["RouteTableId"])
    with ctx.emulator.unit_of_work() as conn:
        row = find(conn, vpcs, ctx.account_id, vpc_id, lock=True) if vpc_id else None
        if row is None or row.region_id != args["RegionId"]:
            raise errors.ROUTE_TABLE_NOT_FOUND()
        changes = {column: value for column, value in
                   (("route_table_name", name), ("route_table_description", description)) if value is not None}
        if changes:
            assign(conn, vpcs, row.id, **changes)
    return {}


# --- declarations ------------------------------------------------------------------------------

ROUTE_TABLE_TYPES = (SYSTEM, "Custom")
ROUTER_TYPES = (VROUTER, "VBR")
NOT_EMULATED = "Accepted only at its default: not emulated."

ACTIONS = (
    Action("DescribeRouteTableList", FAMILY, "Lists the route tables of the region's VPCs: each VPC's System one.",
           params=(REGION_ID,
                   Param("VpcId", description="Only the route tables of this VPC."),
                   Param("RouteTableId", description="Only this route table."),
                   Param("RouteTableName", description="Only the route tables of this name."),
                   Param("RouteTableType", enum=ROUTE_TABLE_TYPES, description="System or Custom (none here)."),
                   Param("RouterId", description="Only the route tables of this vRouter."),
                   Param("RouterType", enum=ROUTER_TYPES, description="VRouter or VBR (none here)."),
                   RESOURCE_GROUP_FILTER, TAG, PAGE_NUMBER, page_size(50)),
           handler=describe_route_table_list),
    Action("DescribeRouteTables", FAMILY, "Lists route tables with their route entries (the System ones).",
           params=(REGION_ID,
                   Param("VRouterId", description="Only the route table of this vRouter."),
                   Param("RouterId", description="Only the route table of this router."),
                   Param("RouterType", enum=ROUTER_TYPES, description="VRouter or VBR (none here)."),
                   Param("RouteTableId", description="Only this route table."),
                   Param("RouteTableName", description="Only the route tables of this name."),
                   Param("Type", enum=ROUTE_TABLE_TYPES, description="System or Custom (none here)."),
                   RESOURCE_GROUP_FILTER, PAGE_NUMBER, page_size(50)),
           handler=describe_route_tables),
    Action("ModifyRouteTableAttributes", FAMILY, "Renames a route table or changes its description.",
           params=(REGION_ID,
                   Param("RouteTableId", required=True, description="The route table, vtb-…."),
                   Param("RouteTableName", description="Name, 1-128 characters, not starting with http(s)://."),
                   Param("Description", description="Description, 1-256 characters, not starting with "
                                                    "http(s)://."),
                   Param("RoutePropagationEnable", type=Type.BOOLEAN, default=True, supported=False,
                         description=NOT_EMULATED)),
           handler=modify_route_table_attributes,
           raises=(errors.ROUTE_TABLE_NAME_MALFORMED, errors.ROUTE_TABLE_DESCRIPTION_MALFORMED,
                   errors.ROUTE_TABLE_NOT_FOUND)),
)
