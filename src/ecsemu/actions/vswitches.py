"""vSwitches of the VPC product (2016-04-28): CreateVSwitch, DeleteVSwitch,
DescribeVSwitches, DescribeVSwitchAttributes, ModifyVSwitchAttribute.

The default vSwitches ECS makes in each zone of the default VPC (store/networks.py) are
among them, ``IsDefault`` true. A vSwitch made here is Pending, then Available
(domain/status.py VSWITCH). ``AvailableIpAddressCount`` is counted from the addresses its
instances and ENIs hold (domain/vswitches.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..catalog.regions import REGIONS_BY_ID
from ..clock import utc_iso
from ..domain import vpcs as vpc_rules
from ..domain import vswitches as rules
from ..domain.ids import new_id
from ..domain.status import VSWITCH
from ..store import tags as tag_store
from ..store import vpcs as vpc_store
from ..store import vswitches as vswitch_store
from ..store.rows import add, assign, find, remove
from ..store.schema import vpcs, vswitches
from .common import (
    CLIENT_TOKEN,
    DRY_RUN,
    PAGE_NUMBER,
    REGION_ID,
    RESOURCE_GROUP_FILTER,
    TAG,
    dry_run_check,
    page_size,
    tags_in,
)
from .declaration import Action, Args, CallContext
from .params import Param, Type

FAMILY = "vSwitches"


# --- creating ----------------------------------------------------------------------------------

def create_vswitch(ctx: CallContext, args: Args) -> dict[str, Any]:
    cidr, region_id, zone_id = args["CidrBlock"], args["RegionId"], args["ZoneId"]
    if not rules.valid_cidr(cidr):
        raise errors.VPC_CIDR_MALFORMED()
    if zone_id not in {zone.zone_id for zone in REGIONS_BY_ID[region_id].zones}:
        raise errors.VSWITCH_ZONE_NOT_FOUND()
    name, description = _checked_texts(args)
    tags = tags_in(args)
    vswitch_id = new_id("vsw", region_id)
    with ctx.emulator.unit_of_work() as conn:
        vpc = find(conn, vpcs, ctx.account_id, args["VpcId"], lock=True)
        if vpc is None or vpc.region_id != region_id:
            raise errors.VPC_ID_NOT_FOUND()
        if vpc.status != "Available":
            raise errors.INCORRECT_VPC_STATUS()
        if not rules.inside_vpc(vpc.cidr_block, cidr):
            raise errors.VSWITCH_CIDR_OUTSIDE_VPC()
        if rules.overlaps_any(cidr, vpc_store.vswitch_blocks(conn, vpc.id)):
            raise errors.VSWITCH_CIDR_OVERLAPPED()
        if vswitch_store.count_in_vpc(conn, vpc.id) >= rules.QUOTA_PER_VPC:
            raise errors.VSWITCH_QUOTA_EXCEEDED()
        add(conn, vswitches, id=vswitch_id, account_id=ctx.account_id, region_id=region_id, created_at=ctx.now(),
            vpc_id=vpc.id, zone_id=zone_id, cidr_block=cidr, is_default=False, next_host=1, status="Pending",
            vswitch_name=name or "", description=description or "", resource_group_id=vpc.resource_group_id)
        tag_store.tag_new(conn, vswitch_id, tags)
        ctx.emulator.scheduler.chain(conn, VSWITCH, vswitch_id, ("Pending", "Available"))
    return {"VSwitchId": vswitch_id}


def _checked_texts(args: Args) -> tuple[str | None, str | None]:
    name, description = args["VSwitchName"], args["Description"]
    if name is not None and not rules.valid_name(name):
        raise errors.VSWITCH_NAME_MALFORMED()
    if description is not None and not rules.valid_description(description):
        raise errors.VSWITCH_DESCRIPTION_MALFORMED()
    return name, description


def _vswitch(conn: Connection, ctx: CallContext, args: Args, *, lock: bool = False) -> Row:
    """The account's vSwitch in the request's region."""
    row = find(conn, vswitches, ctx.account_id, args["VSwitchId"], lock=lock)
    if row is None or row.region_id != args["RegionId"]:
        raise errors.VSWITCH_ID_NOT_FOUND()
    return row


# --- changing and deleting ---------------------------------------------------------------------

def modify_vswitch_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    name, description = _checked_texts(args)
    with ctx.emulator.unit_of_work() as conn:
        row = _vswitch(conn, ctx, args, lock=True)
        changes = {column: value for column, value in (("vswitch_name", name), ("description", description))
                   if value is not None}
        if changes:
            assign(conn, vswitches, row.id, **changes)
    return {}


def delete_vswitch(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Refused while it is Pending or instances or ENIs are in it; removed at once otherwise."""
    with ctx.emulator.unit_of_work() as conn:
        row = _vswitch(conn, ctx, args, lock=True)
        if row.status != "Available":
            raise errors.INCORRECT_VSWITCH_STATUS()
        if vswitch_store.has_instances(conn, row.id) or vswitch_store.has_network_interfaces(conn, row.id):
            raise errors.VSWITCH_HAS_DEPENDENTS()
        dry_run_check(args)
        ctx.emulator.scheduler.cancel(conn, row.id)
        tag_store.forget(conn, row.id)
        remove(conn, vswitches, row.id)
    return {}


# --- describing --------------------------------------------------------------------------------

def describe_vswitches(ctx: CallContext, args: Args) -> dict[str, Any]:
    number, size = args["PageNumber"], args["PageSize"]
    vpc_ids = [args["VpcId"]] if args["VpcId"] is not None else None
    if args["RouteTableId"] is not None:
        # Every vSwitch is in its VPC's System route table.
        owner = vpc_rules.vpc_of_route_table(args["RouteTableId"])
        vpc_ids = [owner] if owner is not None and (vpc_ids is None or owner in vpc_ids) else []
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        dry_run_check(args)
        owner_id = args["VSwitchOwnerId"]
        # Only the caller's own vSwitches, none with IPv6.
        if (owner_id is not None and str(owner_id) != ctx.account_id) or args["EnableIpv6"]:
            rows: list[Row] = []
            total = 0
        else:
            rows, total = vswitch_store.matching_page(
                conn, ctx.account_id, args["RegionId"], vswitch_id=args["VSwitchId"], vpc_ids=vpc_ids,
                zone_id=args["ZoneId"], name=args["VSwitchName"], is_default=args["IsDefault"],
                resource_group_id=args["ResourceGroupId"], wanted_tags=args["Tag"] or (), number=number, size=size)
        views = _views(conn, rows, ctx.account_id)
    return {"VSwitches": {"VSwitch": views}, "TotalCount": total, "PageNumber": number, "PageSize": size}


def describe_vswitch_attributes(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        dry_run_check(args)
        row = _vswitch(conn, ctx, args)
        return _views(conn, [row], ctx.account_id)[0]


def _views(conn: Connection, rows: list[Row], account_id: str) -> list[dict[str, Any]]:
    ids = [row.id for row in rows]
    taken = vswitch_store.addresses_taken(conn, ids)
    tags = tag_store.tags_of(conn, ids)
    return [_vswitch_view(row, taken.get(row.id, 0), tags.get(row.id, []), account_id) for row in rows]


def _vswitch_view(row: Row, taken: int, tags: list[tuple[str, str]], account_id: str) -> dict[str, Any]:
    """One vSwitch as DescribeVSwitches lists it and DescribeVSwitchAttributes shows it."""
    return {
        "VSwitchId": row.id,
        "VpcId": row.vpc_id,
        "Status": row.status,
        "CidrBlock": row.cidr_block,
        "ZoneId": row.zone_id,
        "AvailableIpAddressCount": rules.available_addresses(row.cidr_block, taken),
        "Description": row.description,
        "VSwitchName": row.vswitch_name,
        "CreationTime": utc_iso(row.created_at),
        "IsDefault": row.is_default,
        "ResourceGroupId": row.resource_group_id,
        "NetworkAclId": "",
        "OwnerId": int(account_id) if account_id.isdigit() else account_id,
        "ShareType": "",
        "Ipv6CidrBlock": "",
        "EnabledIpv6": False,
        "RouteTable": {"RouteTableId": vpc_rules.route_table_id(row.vpc_id), "RouteTableType": "System"},
        "Tags": {"Tag": [{"Key": key, "Value": value} for key, value in tags]},
    }


# --- declarations ------------------------------------------------------------------------------

VSWITCH_ID = Param("VSwitchId", required=True, description="The vSwitch, vsw-….")
VSWITCH_NAME = Param("VSwitchName", description="Name, 1-128 characters, not starting with http:// or https://.")
DESCRIPTION = Param("Description", description="Description, 1-256 characters, not starting with http:// "
                                                "or https://.")
NOT_EMULATED = "Accepted only at its default: not emulated."

ACTIONS = (
    Action("CreateVSwitch", FAMILY, "Makes a vSwitch in a zone of a VPC: Pending, then Available.",
           params=(REGION_ID,
                   Param("ZoneId", required=True, description="The zone of the region it serves."),
                   Param("VpcId", required=True, description="The VPC, Available, it is made in."),
                   Param("CidrBlock", required=True, description=(
                       f"Its block, inside the VPC's, mask /{rules.MIN_PREFIX} to /{rules.MAX_PREFIX}, overlapping "
                       "no other vSwitch of the VPC.")),
                   VSWITCH_NAME, DESCRIPTION, TAG, CLIENT_TOKEN,
                   Param("Ipv6CidrBlock", type=Type.INTEGER, supported=False, description=NOT_EMULATED),
                   Param("VpcIpv6CidrBlock", supported=False, description=NOT_EMULATED)),
           handler=create_vswitch,
           raises=(errors.VPC_CIDR_MALFORMED, errors.VSWITCH_ZONE_NOT_FOUND, errors.VSWITCH_NAME_MALFORMED,
                   errors.VSWITCH_DESCRIPTION_MALFORMED, errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE,
                   errors.DUPLICATE_TAG_KEY, errors.VPC_ID_NOT_FOUND, errors.INCORRECT_VPC_STATUS,
                   errors.VSWITCH_CIDR_OUTSIDE_VPC, errors.VSWITCH_CIDR_OVERLAPPED, errors.VSWITCH_QUOTA_EXCEEDED)),
    Action("DeleteVSwitch", FAMILY, "Deletes an Available vSwitch that holds no instance and no ENI.",
           params=(REGION_ID, VSWITCH_ID, DRY_RUN),
           handler=delete_vswitch,
           raises=(errors.VSWITCH_ID_NOT_FOUND, errors.INCORRECT_VSWITCH_STATUS, errors.VSWITCH_HAS_DEPENDENTS,
                   errors.DRY_RUN_OPERATION)),
    Action("DescribeVSwitches", FAMILY, "Lists the region's vSwitches, oldest first, the default ones among them.",
           params=(REGION_ID,
                   Param("VSwitchId", description="Only this vSwitch."),
                   Param("VpcId", description="Only the vSwitches of this VPC."),
                   Param("ZoneId", description="Only the vSwitches of this zone."),
                   Param("VSwitchName", description="Only the vSwitches of this name."),
                   Param("IsDefault", type=Type.BOOLEAN, description="Only the default vSwitches (true) or the "
                                                                     "others."),
                   Param("RouteTableId", description="Only the vSwitches in this route table (their VPC's "
                                                     "System one)."),
                   Param("VSwitchOwnerId", type=Type.INTEGER, description="Only the vSwitches of this account."),
                   Param("EnableIpv6", type=Type.BOOLEAN,
                         description="Only the vSwitches with IPv6 (true: none here) or without."),
                   RESOURCE_GROUP_FILTER, TAG, DRY_RUN, PAGE_NUMBER, page_size(50)),
           handler=describe_vswitches, raises=(errors.DRY_RUN_OPERATION,)),
    Action("DescribeVSwitchAttributes", FAMILY, "One vSwitch: its block, zone, status, free addresses, tags.",
           params=(REGION_ID, VSWITCH_ID, DRY_RUN),
           handler=describe_vswitch_attributes, raises=(errors.VSWITCH_ID_NOT_FOUND, errors.DRY_RUN_OPERATION)),
    Action("ModifyVSwitchAttribute", FAMILY, "Renames a vSwitch or changes its description.",
           params=(REGION_ID, VSWITCH_ID, VSWITCH_NAME, DESCRIPTION,
                   Param("EnableIPv6", type=Type.BOOLEAN, default=False, supported=False, description=NOT_EMULATED),
                   Param("Ipv6CidrBlock", type=Type.INTEGER, supported=False, description=NOT_EMULATED),
                   Param("VpcIpv6CidrBlock", supported=False, description=NOT_EMULATED)),
           handler=modify_vswitch_attribute,
           raises=(errors.VSWITCH_NAME_MALFORMED, errors.VSWITCH_DESCRIPTION_MALFORMED,
                   errors.VSWITCH_ID_NOT_FOUND)),
)
