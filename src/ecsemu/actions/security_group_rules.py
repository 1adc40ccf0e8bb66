"""Security group rules: AuthorizeSecurityGroup, AuthorizeSecurityGroupEgress,
RevokeSecurityGroup, RevokeSecurityGroupEgress, ModifySecurityGroupRule,
ModifySecurityGroupEgressRule, DescribeSecurityGroupAttribute, DescribeSecurityGroupReferences.

A rule comes in one of two forms: the flat legacy parameters (``IpProtocol``, ``PortRange``,
``SourceCidrIp``…) or ``Permissions.N.*`` (up to 100 rules a call), never both. Revoke and
Modify find a rule by its fields or by its ``SecurityGroupRuleId``. The rules themselves
(what is valid, what makes two rules the same) are domain/security_group_rules.py's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, Row

from .. import errors
from ..clock import utc_iso
from ..domain import security_group_rules as rules
from ..domain.ids import new_id
from ..domain.security_group_rules import Rule, Side
from ..store import security_group_rules as rule_store
from ..store.rows import find
from ..store.schema import security_groups
from ..store.security_groups import names_of
from .common import CLIENT_TOKEN, REGION_ID, unless_every
from .declaration import Action, Args, CallContext
from .params import Kind, Param, Type
from .security_groups import find_group

FAMILY = "Security groups"


# --- finding what a request names ------------------------------------------------------------------

def _sent(side: Side, fields: Mapping[str, Any]) -> dict[str, str | None]:
    """One rule's fields as text (the owner IDs are parsed as numbers), None where not sent."""
    return {name: None if fields.get(name) is None else str(fields[name]) for name in rules.SENT_FIELDS[side.direction]}


def _asked(side: Side, args: Args) -> list[Rule]:
    """The rules a request describes, in either form, each checked."""
    flat = _sent(side, args)
    if args.get("Permissions"):
        if any(flat.values()):
            raise errors.RULE_FORMS_MIXED(name="Permissions")
        return [rules.rule_from_wire(side, _sent(side, permission), f"Permissions.{n}.")
                for n, permission in enumerate(args["Permissions"], start=1)]
    return [rules.rule_from_wire(side, flat)]


def _check_peer(conn: Connection, ctx: CallContext, group: Row, side: Side, rule: Rule) -> None:
    """A peer group of this account must exist, be another group, and sit in the same VPC.
    One of another account (an owner given) is taken on trust: accounts see only their own."""
    if not rule.peer_group_id:
        return
    owner_given = any(getattr(rule, f"{side.peer.lower()}_group_owner_{what}") for what in ("account", "id"))
    if owner_given:
        return
    peer = find(conn, security_groups, ctx.account_id, rule.peer_group_id)
    if peer is None or peer.region_id != group.region_id:
        raise side.group_not_found()
    if peer.id == group.id:
        raise errors.RULE_GROUP_IS_ITSELF()
    if peer.vpc_id != group.vpc_id:
        raise side.group_other_vpc()


# --- authorizing ------------------------------------------------------------------------------------

def authorize_security_group(ctx: CallContext, args: Args) -> dict[str, Any]:
    return _authorize(ctx, args, rules.ingress())


def authorize_security_group_egress(ctx: CallContext, args: Args) -> dict[str, Any]:
    return _authorize(ctx, args, rules.egress())


def _authorize(ctx: CallContext, args: Args, side: Side) -> dict[str, Any]:
    """Adds the rules the group does not have yet: one it has already (alike in all but the
    description) is a success that adds nothing, as the real service answers."""
    asked = _asked(side, args)
    with ctx.emulator.unit_of_work() as conn:
        group = find_group(conn, ctx, args["SecurityGroupId"], args["RegionId"], lock=True)
        for rule in asked:
            _check_peer(conn, ctx, group, side, rule)
        held = {rules.rule_of(row).identity() for row in rule_store.rules_of(conn, group.id)}
        new: list[Rule] = []
        for rule in asked:
            if rule.identity() not in held:
                held.add(rule.identity())
                new.append(rule)
        if rule_store.count_of(conn, group.id) + len(new) > rules.RULES_PER_GROUP:
            raise errors.RULE_QUOTA_EXCEEDED()
        rule_store.add_rules(conn, group.id, [(new_id("sgr", group.region_id), rule) for rule in new], ctx.now())
    return {}


# --- revoking ---------------------------------------------------------------------------------------

def revoke_security_group(ctx: CallContext, args: Args) -> dict[str, Any]:
    return _revoke(ctx, args, rules.ingress())


def revoke_security_group_egress(ctx: CallContext, args: Args) -> dict[str, Any]:
    return _revoke(ctx, args, rules.egress())


def _revoke(ctx: CallContext, args: Args, side: Side) -> dict[str, Any]:
    """Removes the rules named by ID (each must exist) or by their fields (a rule the group
    does not have is passed over: the real service answers success)."""
    rule_ids = list(dict.fromkeys(args["SecurityGroupRuleId"] or ()))
    if rule_ids and (args["Permissions"] or any(_sent(side, args).values())):
        raise errors.RULE_FORMS_MIXED(name="SecurityGroupRuleId")
    asked = [] if rule_ids else _asked(side, args)
    with ctx.emulator.unit_of_work() as conn:
        group = find_group(conn, ctx, args["SecurityGroupId"], args["RegionId"], lock=True)
        held = rule_store.rules_of(conn, group.id, direction=side.direction)
        if rule_ids:
            known = {row.id for row in held}
            if any(rule_id not in known for rule_id in rule_ids):
                raise errors.RULE_ID_NOT_FOUND()
            rule_store.remove_rules(conn, rule_ids)
        else:
            for rule in asked:   # a rule naming a group that is not there cannot exist
                _check_peer(conn, ctx, group, side, rule)
            wanted = {rule.identity() for rule in asked}
            rule_store.remove_rules(conn, [row.id for row in held if rules.rule_of(row).identity() in wanted])
    return {}


# --- modifying --------------------------------------------------------------------------------------

def modify_security_group_rule(ctx: CallContext, args: Args) -> dict[str, Any]:
    return _modify(ctx, args, rules.ingress())


def modify_security_group_egress_rule(ctx: CallContext, args: Args) -> dict[str, Any]:
    return _modify(ctx, args, rules.egress())


def _modify(ctx: CallContext, args: Args, side: Side) -> dict[str, Any]:
    """By ``SecurityGroupRuleId``: the fields sent replace the rule's (not its kind of peer,
    nor its NIC type). By the rule's fields: its description changes. A description is
    never cleared (an empty one is not sent), as with the real service."""
    sent = _sent(side, args)
    with ctx.emulator.unit_of_work() as conn:
        group = find_group(conn, ctx, args["SecurityGroupId"], args["RegionId"], lock=True)
        held = rule_store.rules_of(conn, group.id, direction=side.direction)
        if args["SecurityGroupRuleId"]:
            row = next((row for row in held if row.id == args["SecurityGroupRuleId"]), None)
            if row is None:
                raise errors.RULE_ID_NOT_FOUND()
            changed = rules.modified(side, rules.rule_of(row), sent)
        else:
            asked = rules.rule_from_wire(side, sent)
            row = next((row for row in held if rules.rule_of(row).identity() == asked.identity()), None)
            if row is None:
                raise errors.RULE_NOT_FOUND()
            changed = replace(rules.rule_of(row), description=asked.description or row.description)
        _check_peer(conn, ctx, group, side, changed)
        if any(other.id != row.id and rules.rule_of(other).identity() == changed.identity() for other in held):
            raise errors.RULE_DUPLICATE()
        rule_store.replace_rule(conn, row.id, changed)
    return {}


# --- describing -------------------------------------------------------------------------------------

TOKEN_PAGE = 500   # rules a page in token paging when MaxResults is not given


def describe_security_group_attribute(ctx: CallContext, args: Args) -> dict[str, Any]:
    """The group and its rules. ``NicType`` filters when it is a NIC type; any other value
    (the Terraform provider sends the literal ``<nil>``) is no filter."""
    nic_type = args["NicType"] if args["NicType"] in rules.NIC_TYPES else None
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        group = find_group(conn, ctx, args["SecurityGroupId"], args["RegionId"])
        held = rule_store.rules_of(conn, group.id, direction=unless_every(args["Direction"]), nic_type=nic_type)
        names = names_of(conn, ctx.account_id, {name for row in held for name in (row.source_group_id,
                                                                                  row.dest_group_id)})
    paging: dict[str, Any] = {}
    if args["NextToken"] or args["MaxResults"] is not None:
        start = _offset(args["NextToken"])
        end = start + (args["MaxResults"] or TOKEN_PAGE)
        paging["NextToken"] = str(end) if end < len(held) else ""
        held = held[start:end]
    return {
        "RegionId": group.region_id,
        "SecurityGroupId": group.id,
        "SecurityGroupName": group.security_group_name,
        "Description": group.description,
        "VpcId": group.vpc_id,
        "InnerAccessPolicy": group.inner_access_policy,
        "Permissions": {"Permission": [_permission_view(row, names) for row in held]},
        **paging,
    }


def describe_security_group_references(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Which other groups' rules name each group (what keeps it from being deleted)."""
    group_ids = list(dict.fromkeys(args["SecurityGroupId"]))
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        for group_id in group_ids:
            find_group(conn, ctx, group_id, args["RegionId"])
        found = rule_store.referencing(conn, group_ids)
    return {"SecurityGroupReferences": {"SecurityGroupReference": [{
        "SecurityGroupId": group_id,
        "ReferencingSecurityGroups": {"ReferencingSecurityGroup": [
            {"SecurityGroupId": other, "AliUid": account_id} for other, account_id in found[group_id]]},
    } for group_id in group_ids]}}


def _offset(token: str | None) -> int:
    if not token:
        return 0
    if not token.isdigit() or len(token) > 6:
        raise errors.INVALID_PARAMETER(name="NextToken")
    return int(token)


def _permission_view(row: Row, names: Mapping[str, str]) -> dict[str, Any]:
    """One rule as DescribeSecurityGroupAttribute answers it: every field a string, ""
    where the rule has none (clients compare them to what they sent)."""
    return {
        "SecurityGroupRuleId": row.id,
        "Direction": row.direction,
        "IpProtocol": rules.PROTOCOL_NAMES[row.ip_protocol],
        "PortRange": row.port_range,
        "SourcePortRange": row.source_port_range,
        "PortRangeListId": "",
        "PortRangeListName": "",
        "SourceCidrIp": row.source_cidr_ip,
        "Ipv6SourceCidrIp": row.ipv6_source_cidr_ip,
        "SourceGroupId": row.source_group_id,
        "SourceGroupName": names.get(row.source_group_id, ""),
        "SourceGroupOwnerAccount": row.source_group_owner_account,
        "SourcePrefixListId": row.source_prefix_list_id,
        "SourcePrefixListName": "",
        "DestCidrIp": row.dest_cidr_ip,
        "Ipv6DestCidrIp": row.ipv6_dest_cidr_ip,
        "DestGroupId": row.dest_group_id,
        "DestGroupName": names.get(row.dest_group_id, ""),
        "DestGroupOwnerAccount": row.dest_group_owner_account,
        "DestPrefixListId": row.dest_prefix_list_id,
        "DestPrefixListName": "",
        "Policy": rules.POLICY_NAMES[row.policy],
        "NicType": row.nic_type,
        "Priority": str(row.priority),
        "Description": row.description,
        "CreateTime": utc_iso(row.created_at),
    }


# --- declarations -----------------------------------------------------------------------------------

_FIELD_DESCRIPTIONS = {
    "IpProtocol": "tcp, udp, icmp, icmpv6, gre or all (any case).",
    "PortRange": "Destination ports start/end: 1-65535 for tcp and udp, -1/-1 for the others.",
    "SourcePortRange": "Source ports, as PortRange.",
    "NicType": "intranet or internet (a VPC group's rules are intranet).",
    "Policy": "accept (default) or drop.",
    "Priority": "1 (default, first) to 100.",
    "Description": "1-512 characters.",
    "PortRangeListId": "A port list (none exist here: refused).",
    "SourceCidrIp": "Source IPv4 CIDR block or address.",
    "Ipv6SourceCidrIp": "Source IPv6 CIDR block or address.",
    "DestCidrIp": "Destination IPv4 CIDR block or address.",
    "Ipv6DestCidrIp": "Destination IPv6 CIDR block or address.",
    "SourceGroupId": "Source security group, in the same VPC.",
    "SourceGroupOwnerAccount": "Account of a source group of another account.",
    "SourceGroupOwnerId": "ID of the account of a source group of another account.",
    "SourcePrefixListId": "Source prefix list (pl-…).",
    "DestGroupId": "Destination security group, in the same VPC.",
    "DestGroupOwnerAccount": "Account of a destination group of another account.",
    "DestGroupOwnerId": "ID of the account of a destination group of another account.",
    "DestPrefixListId": "Destination prefix list (pl-…).",
}


def _field_params(direction: str, *, port_list: bool = True) -> tuple[Param, ...]:
    return tuple(Param(name, type=Type.LONG if name.endswith("OwnerId") else Type.STRING,
                       description=_FIELD_DESCRIPTIONS[name]) for name in rules.SENT_FIELDS[direction]
                 if port_list or name != "PortRangeListId")


def _params(direction: str, *extra: Param, permissions: bool = True) -> tuple[Param, ...]:
    """A rule action's parameters. Where Permissions.N is, PortRangeListId is one of its
    fields only, as in the SDKs' request classes."""
    listed = (Param("Permissions", kind=Kind.OBJECT_LIST, max_items=100, fields=_field_params(direction),
                    description="Rules, 1 to 100, in place of the flat parameters."),) if permissions else ()
    return (REGION_ID, Param("SecurityGroupId", required=True, description="The security group."),
            *_field_params(direction, port_list=not permissions), *listed, *extra, CLIENT_TOKEN)


RULE_IDS = Param("SecurityGroupRuleId", kind=Kind.LIST, max_items=100,
                 description="Rule IDs (sgr-…), in place of the rule's fields.")
RULE_ID = Param("SecurityGroupRuleId", description="The rule (sgr-…), in place of its fields.")


def _rule_errors(side: str) -> tuple[errors.ErrorCode, ...]:
    """What reading a rule from a request answers (domain/security_group_rules.py)."""
    peer = (errors.RULE_SOURCE_MISSING, errors.RULE_SOURCE_GROUP_NEEDS_INTRANET) if side == rules.INGRESS else (
        errors.RULE_DEST_MISSING, errors.RULE_DEST_GROUP_NEEDS_INTRANET)
    return (errors.MISSING_PARAMETER, errors.RULE_PROTOCOL_NOT_SUPPORTED, errors.RULE_PORT_RANGE_MALFORMED,
            errors.RULE_PROTOCOL_PORT_MISMATCH, errors.RULE_SOURCE_PORT_RANGE_MALFORMED, errors.RULE_POLICY_MALFORMED,
            errors.RULE_PRIORITY_MALFORMED, errors.RULE_PRIORITY_NOT_SUPPORTED, errors.RULE_NIC_TYPE_NOT_SUPPORTED,
            errors.RULE_DESCRIPTION_MALFORMED, errors.RULE_PORT_RANGE_LIST_NOT_FOUND, *peer,
            errors.RULE_PREFIX_LIST_NOT_FOUND, errors.RULE_SOURCE_IP_BOTH, errors.RULE_DEST_IP_BOTH,
            errors.RULE_SOURCE_CIDR_MALFORMED, errors.RULE_DEST_CIDR_MALFORMED, errors.RULE_IPV6_SOURCE_MALFORMED,
            errors.RULE_IPV6_DEST_MALFORMED, errors.RULE_SAME_SOURCE_AND_DEST, errors.RULE_ADDRESS_FAMILIES_MIXED,
            errors.RULE_IPV4_PROTOCOL_IPV6_ADDRESS, errors.RULE_IPV6_PROTOCOL_IPV4_ADDRESS,
            errors.SECURITY_GROUP_NOT_FOUND)


def _peer_errors(side: str) -> tuple[errors.ErrorCode, ...]:
    """What checking a rule's peer group answers."""
    return ((errors.RULE_SOURCE_GROUP_NOT_FOUND, errors.RULE_SOURCE_GROUP_OTHER_VPC) if side == rules.INGRESS else
            (errors.RULE_DEST_GROUP_NOT_FOUND, errors.RULE_DEST_GROUP_OTHER_VPC)) + (errors.RULE_GROUP_IS_ITSELF,)


def _rule_actions(direction: str, suffix: str, handlers: tuple) -> tuple[Action, ...]:
    authorize, revoke, modify = handlers
    way = "inbound" if direction == rules.INGRESS else "outbound"
    modify_name = "ModifySecurityGroupRule" if direction == rules.INGRESS else "ModifySecurityGroupEgressRule"
    return (
        Action(f"AuthorizeSecurityGroup{suffix}", FAMILY,
               f"Adds {way} rules to a security group (a rule it has already is a success that adds nothing).",
               params=_params(direction), handler=authorize,
               raises=(*_rule_errors(direction), *_peer_errors(direction), errors.RULE_FORMS_MIXED,
                       errors.RULE_QUOTA_EXCEEDED)),
        Action(f"RevokeSecurityGroup{suffix}", FAMILY,
               f"Removes {way} rules, named by ID or by their fields (a rule not there is passed over).",
               params=_params(direction, RULE_IDS), handler=revoke,
               raises=(*_rule_errors(direction), *_peer_errors(direction), errors.RULE_FORMS_MIXED,
                       errors.RULE_ID_NOT_FOUND)),
        Action(modify_name, FAMILY,
               f"Changes an {way} rule: by its ID any of its fields, by its fields its description.",
               params=_params(direction, RULE_ID, permissions=False), handler=modify,
               raises=(*_rule_errors(direction), *_peer_errors(direction), errors.RULE_ID_NOT_FOUND,
                       errors.RULE_NOT_FOUND, errors.RULE_ENTITY_TYPE_CHANGED, errors.RULE_NIC_TYPE_CHANGED,
                       errors.RULE_DUPLICATE)),
    )


ACTIONS = (
    *_rule_actions(rules.INGRESS, "", (authorize_security_group, revoke_security_group, modify_security_group_rule)),
    *_rule_actions(rules.EGRESS, "Egress", (authorize_security_group_egress, revoke_security_group_egress,
                                            modify_security_group_egress_rule)),
    Action("DescribeSecurityGroupAttribute", FAMILY, "A security group and its rules.",
           params=(REGION_ID, Param("SecurityGroupId", required=True, description="The security group."),
                   Param("Direction", enum=("ingress", "egress", "all"), default="all",
                         description="ingress, egress or all (default)."),
                   Param("NicType", description="intranet or internet; another value is no filter."),
                   Param("NextToken", description="Where the previous page ended (token paging)."),
                   Param("MaxResults", type=Type.INTEGER, minimum=10, maximum=1000,
                         description=f"Rules a page in token paging, 10 to 1000 (default {TOKEN_PAGE}).")),
           handler=describe_security_group_attribute,
           raises=(errors.SECURITY_GROUP_NOT_FOUND, errors.INVALID_PARAMETER)),
    Action("DescribeSecurityGroupReferences", FAMILY, "Which other security groups' rules name each group.",
           params=(REGION_ID, Param("SecurityGroupId", kind=Kind.LIST, required=True, max_items=10,
                                    description="Security groups, 1 to 10.")),
           handler=describe_security_group_references, raises=(errors.SECURITY_GROUP_NOT_FOUND,)),
)
