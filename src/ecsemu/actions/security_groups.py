"""Security groups: CreateSecurityGroup, DescribeSecurityGroups, DeleteSecurityGroup,
ModifySecurityGroupAttribute, ModifySecurityGroupPolicy. Their rules are
security_group_rules.py's, their members security_group_members.py's."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..clock import utc_iso
from ..domain import instances as naming
from ..domain import security_groups as group_rules
from ..domain.ids import new_id
from ..store import network_interfaces as eni_store
from ..store import networks
from ..store import security_group_rules as rule_store
from ..store import security_groups as group_store
from ..store import tags as tag_store
from ..store.rows import add, find, remove
from ..store.schema import security_groups, vpcs
from .client_token import client_token
from .common import (
    CLIENT_TOKEN,
    DRY_RUN,
    NEXT_TOKEN,
    PAGE_NUMBER,
    REGION_ID,
    RESOURCE_GROUP_FILTER,
    RESOURCE_GROUP_ID,
    TAG,
    Listing,
    dry_run_check,
    max_results,
    page_size,
    paginate,
    resource_group_in,
    tags_in,
    tags_out,
)
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type

FAMILY = "Security groups"


def find_group(conn: Connection, ctx: CallContext, group_id: str, region_id: str, *, lock: bool = False) -> Row:
    """The account's group in the region (IDs are unique, but a group answers in its own
    region only). ``lock``: held until the transaction ends, so that changes to one group's
    rules (and its deletion) come one after the other."""
    group = find(conn, security_groups, ctx.account_id, group_id, lock=lock)
    if group is None or group.region_id != region_id:
        raise errors.SECURITY_GROUP_NOT_FOUND()
    return group


def create_security_group(ctx: CallContext, args: Args) -> dict[str, Any]:
    region_id = args["RegionId"]
    with ctx.emulator.unit_of_work() as conn:
        now = ctx.now()
        if args["VpcId"]:
            vpc = find(conn, vpcs, ctx.account_id, args["VpcId"])
            if vpc is None or vpc.region_id != region_id:
                raise errors.VPC_NOT_FOUND()
            if vpc.status != "Available":   # a VPC of CreateVpc is Pending for a moment
                raise errors.INCORRECT_VPC_STATUS()
        else:
            vpc = networks.default_vpc(conn, ctx.account_id, region_id, now)
        name, description = args["SecurityGroupName"], args["Description"]
        if name is not None and not naming.valid_name(name):
            raise errors.INVALID_SECURITY_GROUP_NAME()
        if description is not None and not naming.valid_description(description):
            raise errors.INVALID_SECURITY_GROUP_DESCRIPTION()
        tags = tags_in(args)
        resource_group = resource_group_in(args)
        group_id = new_id("sg", region_id)
        add(conn, security_groups, id=group_id, account_id=ctx.account_id, region_id=region_id, created_at=now,
            vpc_id=vpc.id, security_group_name=name or "", description=description or "",
            security_group_type=args["SecurityGroupType"], resource_group_id=resource_group,
            inner_access_policy=group_rules.default_inner_access_policy(args["SecurityGroupType"]))
        tag_store.tag_new(conn, group_id, tags)
    return {"SecurityGroupId": group_id}


def delete_security_group(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        group = find(conn, security_groups, ctx.account_id, args["SecurityGroupId"], lock=True)
        if group is None:
            raise errors.SECURITY_GROUP_NOT_FOUND()
        if group_store.instances_in_group(conn, group.id) or eni_store.in_group(conn, group.id):
            raise errors.SECURITY_GROUP_IN_USE()
        if rule_store.referenced_elsewhere(conn, group.id):
            raise errors.SECURITY_GROUP_REFERENCED()
        remove(conn, security_groups, group.id)
        rule_store.forget_group(conn, group.id)
        tag_store.forget(conn, group.id)
    return {}


def modify_security_group_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    name, description = args["SecurityGroupName"], args["Description"]
    with ctx.emulator.unit_of_work() as conn:
        group = find_group(conn, ctx, args["SecurityGroupId"], args["RegionId"])
        if name is not None and not naming.valid_name(name):
            raise errors.INVALID_SECURITY_GROUP_NAME()
        if description is not None and not naming.valid_description(description):
            raise errors.INVALID_SECURITY_GROUP_DESCRIPTION()
        changes = {"security_group_name": name, "description": description}
        group_store.set_attributes(conn, group.id, **{column: value for column, value in changes.items()
                                                      if value is not None})
    return {}


def modify_security_group_policy(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        group = find_group(conn, ctx, args["SecurityGroupId"], args["RegionId"])
        group_store.set_attributes(conn, group.id, inner_access_policy=args["InnerAccessPolicy"])
    return {}


LISTED = Listing(security_groups)


def describe_security_groups(ctx: CallContext, args: Args) -> dict[str, Any]:
    conditions = group_store.listing_filters(
        vpc_id=args["VpcId"], id=args["SecurityGroupId"], security_group_name=args["SecurityGroupName"],
        security_group_type=args["SecurityGroupType"], tags=args["Tag"], resource_group_id=args["ResourceGroupId"],
        # every group here is in a VPC, and none is managed by a service
        matches_none=args["NetworkType"] == "classic" or args["ServiceManaged"] is True)
    dry_run_check(args)
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, paging = paginate(conn, LISTED, args, ctx.account_id, ids=args["SecurityGroupIds"],
                                where=conditions, token_max=100)
        tags = tag_store.tags_of(conn, [row.id for row in rows])
        counts = {row.id: len(group_store.instances_in_group(conn, row.id)) for row in rows}
        rule_counts = rule_store.counts_of(conn, [row.id for row in rows])
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
            "RuleCount": rule_counts.get(row.id, (0, 0))[0],
            "GroupToGroupRuleCount": rule_counts.get(row.id, (0, 0))[1],
            "AvailableInstanceAmount": group_rules.INSTANCES_PER_GROUP - counts[row.id],
            "ResourceGroupId": row.resource_group_id,
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
                   RESOURCE_GROUP_ID, TAG, client_token(processing=errors.IDEMPOTENT_PROCESSING)),
           handler=create_security_group,
           raises=(errors.VPC_NOT_FOUND, errors.INCORRECT_VPC_STATUS, errors.INVALID_SECURITY_GROUP_NAME,
                   errors.INVALID_SECURITY_GROUP_DESCRIPTION,
                   errors.INVALID_TAG_KEY, errors.INVALID_TAG_VALUE,
                   errors.DUPLICATE_TAG_KEY, errors.RESOURCE_GROUP_NOT_FOUND)),
    Action("DeleteSecurityGroup", FAMILY, "Deletes a security group no instance uses.",
           params=(Param("SecurityGroupId", required=True, description="The security group."),
                   Param("RegionId", description="The region (IDs are unique across regions).")),
           handler=delete_security_group, raises=(errors.SECURITY_GROUP_NOT_FOUND, errors.SECURITY_GROUP_IN_USE,
                                                  errors.SECURITY_GROUP_REFERENCED)),
    Action("ModifySecurityGroupAttribute", FAMILY, "Renames a security group or changes its description.",
           params=(REGION_ID, Param("SecurityGroupId", required=True, description="The security group."),
                   Param("SecurityGroupName", description="Name, 2-128 characters."),
                   Param("Description", description="Description, 2-256 characters.")),
           handler=modify_security_group_attribute,
           raises=(errors.SECURITY_GROUP_NOT_FOUND, errors.INVALID_SECURITY_GROUP_NAME,
                   errors.INVALID_SECURITY_GROUP_DESCRIPTION)),
    Action("ModifySecurityGroupPolicy", FAMILY, "Whether the group's instances reach one another (Accept) "
                                                "or not (Drop).",
           params=(REGION_ID, Param("SecurityGroupId", required=True, description="The security group."),
                   Param("InnerAccessPolicy", required=True, enum=group_rules.INNER_ACCESS_POLICIES,
                         description="Accept or Drop."), CLIENT_TOKEN),
           handler=modify_security_group_policy, raises=(errors.SECURITY_GROUP_NOT_FOUND,)),
    Action("DescribeSecurityGroups", FAMILY, "Lists security groups.",
           params=(REGION_ID, Param("VpcId", description="VPC."), Param("SecurityGroupId", description="One group."),
                   Param("SecurityGroupIds", kind=Kind.JSON_ARRAY, max_items=100,
                         description="JSON array of group IDs, at most 100."),
                   Param("SecurityGroupName", description="Name."),
                   Param("SecurityGroupType", enum=("normal", "enterprise"), description="Type."),
                   Param("NetworkType", enum=("vpc", "classic"), description="Network type (vpc only here)."),
                   Param("ServiceManaged", type=Type.BOOLEAN, description="Managed by a service (none here)."),
                   RESOURCE_GROUP_FILTER, TAG, PAGE_NUMBER, page_size(50), NEXT_TOKEN, max_results(100), DRY_RUN),
           handler=describe_security_groups, raises=(errors.INVALID_PARAMETER, errors.DRY_RUN_OPERATION)),
)
