"""Which security groups an instance is in: JoinSecurityGroup, LeaveSecurityGroup.

An instance names its groups in order (``instances.security_group_ids``), as
DescribeInstances shows them. It is named by ``InstanceId`` or by its primary network
interface's ``NetworkInterfaceId``. A secondary ENI's ``NetworkInterfaceId`` changes the
groups of that ENI (``network_interfaces.security_group_ids``), whatever its status.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..domain import network_interfaces as eni
from ..domain import security_groups as group_rules
from ..store import security_groups as group_store
from ..store.rows import assign, find
from ..store.schema import instances, network_interfaces
from .common import REGION_ID
from .declaration import Action, Args, CallContext
from .instances import check_locks
from .params import Param
from .security_groups import find_group

FAMILY = "Security groups"


def join_security_group(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        secondary = _secondary_eni(conn, ctx, args)
        if secondary is not None:
            group = find_group(conn, ctx, args["SecurityGroupId"], args["RegionId"], lock=True)
            held = list(secondary.security_group_ids)
            if group.vpc_id != secondary.vpc_id:
                raise errors.INSTANCE_GROUP_OTHER_VPC()
            if group.id in held:
                raise errors.INSTANCE_ALREADY_IN_GROUP()
            if len(held) >= eni.GROUPS_PER_ENI:
                raise errors.INSTANCE_GROUP_LIMIT()
            assign(conn, network_interfaces, secondary.id, security_group_ids=[*held, group.id])
            return {}
        instance = _instance(conn, ctx, args)
        group = find_group(conn, ctx, args["SecurityGroupId"], args["RegionId"], lock=True)
        held = list(instance.security_group_ids)
        if group.vpc_id != instance.vpc_id:
            raise errors.INSTANCE_GROUP_OTHER_VPC()
        if group.id in held:
            raise errors.INSTANCE_ALREADY_IN_GROUP()
        _check_changeable(conn, instance)
        if len(held) >= group_rules.GROUPS_PER_INSTANCE:
            raise errors.INSTANCE_GROUP_LIMIT()
        if len(group_store.instances_in_group(conn, group.id)) >= group_rules.INSTANCES_PER_GROUP:
            raise errors.GROUP_INSTANCE_LIMIT()
        assign(conn, instances, instance.id, security_group_ids=[*held, group.id])
    return {}


def leave_security_group(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work() as conn:
        secondary = _secondary_eni(conn, ctx, args)
        if secondary is not None:
            group = find_group(conn, ctx, args["SecurityGroupId"], args["RegionId"])
            held = list(secondary.security_group_ids)
            if group.id not in held:
                raise errors.INSTANCE_NOT_IN_GROUP()
            if len(held) == 1:
                raise errors.INSTANCE_LAST_GROUP()
            assign(conn, network_interfaces, secondary.id,
                   security_group_ids=[group_id for group_id in held if group_id != group.id])
            return {}
        instance = _instance(conn, ctx, args)
        group = find_group(conn, ctx, args["SecurityGroupId"], args["RegionId"])
        held = list(instance.security_group_ids)
        if group.id not in held:
            raise errors.INSTANCE_NOT_IN_GROUP()
        _check_changeable(conn, instance)
        if len(held) == 1:
            raise errors.INSTANCE_LAST_GROUP()
        assign(conn, instances, instance.id, security_group_ids=[group_id for group_id in held if group_id != group.id])
    return {}


def _secondary_eni(conn: Connection, ctx: CallContext, args: Args) -> Row | None:
    """The secondary ENI NetworkInterfaceId names, locked for the change (with InstanceId
    too: the instance it is attached to); None when it names none."""
    eni_id = args["NetworkInterfaceId"]
    row = find(conn, network_interfaces, ctx.account_id, eni_id, lock=True) if eni_id else None
    if row is None or row.region_id != args["RegionId"]:
        return None
    if args["InstanceId"] is not None and row.instance_id != args["InstanceId"]:
        raise errors.NETWORK_INTERFACE_NOT_FOUND()
    return row


def _instance(conn: Connection, ctx: CallContext, args: Args) -> Row:
    """The instance named by InstanceId or by its primary network interface (both: they
    must agree), locked for the change."""
    instance_id, eni_id = args["InstanceId"], args["NetworkInterfaceId"]
    if instance_id is None and eni_id is None:
        raise errors.MISSING_PARAMETER(name="InstanceId")
    if eni_id is not None:
        owner = eni.instance_of_eni(eni_id)
        if owner is None or (instance_id is not None and owner != instance_id) \
                or find(conn, instances, ctx.account_id, owner) is None:
            raise errors.NETWORK_INTERFACE_NOT_FOUND()
        instance_id = owner
    instance = find(conn, instances, ctx.account_id, instance_id, lock=True)
    if instance is None or instance.region_id != args["RegionId"]:
        raise errors.INSTANCE_NOT_FOUND()
    return instance


def _check_changeable(conn: Connection, instance: Row) -> None:
    check_locks(conn, instance, financial=False)
    if instance.status not in group_rules.MEMBERSHIP_STATUSES:
        raise errors.INCORRECT_INSTANCE_STATUS()


_PARAMS = (
    REGION_ID,
    Param("SecurityGroupId", required=True, description="The security group."),
    Param("InstanceId", description="The instance (or give NetworkInterfaceId)."),
    Param("NetworkInterfaceId", description="An instance's primary network interface, in place of InstanceId; "
                                            "or a secondary one, whose own groups change."),
)
_RAISES = (errors.MISSING_PARAMETER, errors.NETWORK_INTERFACE_NOT_FOUND, errors.INSTANCE_NOT_FOUND,
           errors.SECURITY_GROUP_NOT_FOUND, errors.INSTANCE_LOCKED_FOR_SECURITY, errors.INCORRECT_INSTANCE_STATUS,
           errors.INSTANCE_EXPIRED_OR_IN_ARREARS)  # declared as check_locks names it, though not asked for here

ACTIONS = (
    Action("JoinSecurityGroup", FAMILY, "Adds an instance (Running or Stopped) to one more security group of "
                                        "its VPC, up to 5.",
           params=_PARAMS, handler=join_security_group,
           raises=(*_RAISES, errors.INSTANCE_GROUP_OTHER_VPC, errors.INSTANCE_ALREADY_IN_GROUP,
                   errors.INSTANCE_GROUP_LIMIT, errors.GROUP_INSTANCE_LIMIT)),
    Action("LeaveSecurityGroup", FAMILY, "Takes an instance (Running or Stopped) out of a security group; "
                                         "never out of its last one.",
           params=_PARAMS, handler=leave_security_group,
           raises=(*_RAISES, errors.INSTANCE_NOT_IN_GROUP, errors.INSTANCE_LAST_GROUP)),
)
