"""Security groups, as much as instances need: CreateSecurityGroup, DescribeSecurityGroups,
DeleteSecurityGroup. Rules (Authorize*) are not emulated."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..clock import utc_iso
from ..domain import instances as naming
from ..domain.ids import new_id
from ..store import networks
from ..store import security_groups as group_store
from ..store import tags as tag_store
from ..store.rows import add, find, remove
from ..store.schema import security_groups, vpcs
from .common import (
    CLIENT_TOKEN,
    DRY_RUN,
    NEXT_TOKEN,
    PAGE_NUMBER,
    REGION_ID,
    TAG,
    Listing,
    dry_run_check,
    max_results,
    page_size,
    paginate,
    tags_in,
    tags_out,
)
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Security groups"


def create_security_group(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id = args["RegionId"]
    with ctx.emulator.unit_of_work() as conn:
        now = ctx.now()
        if args["VpcId"]:
            vpc = find(conn, vpcs, ctx.account_id, args["VpcId"])
            if vpc is None or vpc.region_id != region_id:
                raise errors.VPC_NOT_FOUND()
        else:
            vpc = networks.default_vpc(conn, ctx.account_id, region_id, now)
        name, description = args["SecurityGroupName"], args["Description"]
        if name is not None and not naming.valid_name(name):
            raise errors.INVALID_SECURITY_GROUP_NAME()
        if description is not None and not naming.valid_description(description):
            raise errors.INVALID_SECURITY_GROUP_DESCRIPTION()
        tags = tags_in(args)
        group_id = new_id("sg", region_id)
        add(conn, security_groups, id=group_id, account_id=ctx.account_id, region_id=region_id, created_at=now,
            vpc_id=vpc.id, security_group_name=name or "", description=description or "",
            security_group_type=args["SecurityGroupType"])
        tag_store.set_tags(conn, group_id, tags)
    return {"SecurityGroupId": group_id}


def delete_security_group(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        group = find(conn, security_groups, ctx.account_id, args["SecurityGroupId"], lock=True)
        if group is None:
            raise errors.SECURITY_GROUP_NOT_FOUND()
        if group_store.instances_in_group(conn, group.id):
            raise errors.SECURITY_GROUP_IN_USE()
        remove(conn, security_groups, group.id)
        tag_store.forget(conn, group.id)
    return {}


LISTED = Listing(security_groups)


def describe_security_groups(ctx: CallContext, args: Args) -> dict[str, Any]:
    conditions = group_store.listing_filters(
        vpc_id=args["VpcId"], id=args["SecurityGroupId"], security_group_name=args["SecurityGroupName"],
        security_group_type=args["SecurityGroupType"], tags=args["Tag"],
        # every group here is in a VPC, and none is managed by a service
        matches_none=args["NetworkType"] == "classic" or args["ServiceManaged"] is True)
    dry_run_check(args)
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=args["SecurityGroupIds"],
                                where=conditions, token_max=100)
        tags = tag_store.tags_of(conn, [row.id for row in rows])
        counts = {row.id: len(group_store.instances_in_group(conn, row.id)) for row in rows}
    return {
        "RegionId": args["RegionId"],
        "SecurityGroups": {"SecurityGroup": [{
            "SecurityGroupId": row.id,
            "SecurityGroupName": row.security_group_name,
            "Description": row.description,
            "VpcId": row.vpc_id,
            "SecurityGroupType": row.security_group_type,
            "CreationTime": utc_iso(row.created_at),
            "EcsCount": counts[row.id],
            "AvailableInstanceAmount": 2000 - counts[row.id],
            "ResourceGroupId": "",
            "ServiceManaged": False,
            "Tags": tags_out(tags.get(row.id, [])),
        } for row in rows]},
        **paging,
    }


ACTIONS = (
    Action("CreateSecurityGroup", FAMILY, "Creates a security group in a VPC (the region's default VPC if none).",
           params=(REGION_ID, Param("VpcId", description="The VPC; default the region's default VPC."),
                   Param("SecurityGroupName", description="Name, 2-128 characters."),
                   Param("Description", description="Description, 2-256 characters."),
                   Param("SecurityGroupType", enum=("normal", "enterprise"), default="normal",
                         description="normal or enterprise."),
                   Param("ResourceGroupId", description="Resource group (accepted)."), TAG, CLIENT_TOKEN),
           handler=create_security_group,
           raises=(errors.VPC_NOT_FOUND, errors.INVALID_SECURITY_GROUP_NAME, errors.INVALID_SECURITY_GROUP_DESCRIPTION,
                   errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE,
                   errors.DUPLICATE_TAG_KEY)),
    Action("DeleteSecurityGroup", FAMILY, "Deletes a security group no instance uses.",
           params=(Param("SecurityGroupId", required=True, description="The security group."),
                   Param("RegionId", description="The region (IDs are unique across regions).")),
           handler=delete_security_group, raises=(errors.SECURITY_GROUP_NOT_FOUND, errors.SECURITY_GROUP_IN_USE)),
    Action("DescribeSecurityGroups", FAMILY, "Lists security groups.",
           params=(REGION_ID, Param("VpcId", description="VPC."), Param("SecurityGroupId", description="One group."),
                   Param("SecurityGroupIds", kind=Kind.JSON_ARRAY, max_items=100,
                         description="JSON array of group IDs, at most 100."),
                   Param("SecurityGroupName", description="Name."),
                   Param("SecurityGroupType", enum=("normal", "enterprise"), description="Type."),
                   Param("NetworkType", enum=("vpc", "classic"), description="Network type (vpc only here)."),
                   Param("ServiceManaged", type=Type.BOOLEAN, description="Managed by a service (none here)."),
                   TAG, PAGE_NUMBER, page_size(50), NEXT_TOKEN, max_results(100), DRY_RUN),
           handler=describe_security_groups, raises=(errors.INVALID_PARAMETER, errors.DRY_RUN_OPERATION)),
)
