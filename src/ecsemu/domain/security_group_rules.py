"""Security group rules, as the real service validates and stores them (AuthorizeSecurityGroup,
its Egress twin, Revoke…, Modify…Rule): pure functions over the wire's text.

A rule is a direction, a protocol with its port ranges, a policy, a priority, a NIC type, and
addresses: for an ingress rule its *peer* is the source (a CIDR, a security group or a
prefix list) and it may also name a destination CIDR within the group; for an egress rule,
the other way round. Two rules alike in everything but the description are the same rule:
authorizing it again adds nothing, and Revoke or Modify find it by those fields.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

from .. import errors
from ..errors import ErrorCode

INGRESS, EGRESS = "ingress", "egress"
DIRECTIONS = (INGRESS, EGRESS)
PROTOCOLS = ("tcp", "udp", "icmp", "icmpv6", "gre", "all")
PORTED = ("tcp", "udp")            # the protocols whose rules name ports; the others take -1/-1
ALL_PORTS = "-1/-1"
POLICIES = ("accept", "drop")
NIC_TYPES = ("internet", "intranet")
# Every group here is in a VPC, whose rules are intranet ones whatever NicType says.
VPC_NIC_TYPE = "intranet"
PRIORITIES = (1, 100)
DESCRIPTION_LENGTH = (1, 512)
RULES_PER_GROUP = 200              # ingress and egress together
# How the Describe actions spell a stored (lower-case) protocol and policy.
PROTOCOL_NAMES = {"tcp": "TCP", "udp": "UDP", "icmp": "ICMP", "icmpv6": "ICMPv6", "gre": "GRE", "all": "ALL"}
POLICY_NAMES = {"accept": "Accept", "drop": "Drop"}

_PORT_RANGE = re.compile(r"(-?[0-9]{1,5})/(-?[0-9]{1,5})")
_PREFIX_LIST_ID = re.compile(r"pl-[a-z0-9]{1,60}")
_MAX_ADDRESS = 64


@dataclass(frozen=True)
class Rule:
    """One rule, its fields named as the store's columns; "" where nothing was given."""

    direction: str
    ip_protocol: str
    port_range: str
    source_port_range: str = ""
    nic_type: str = VPC_NIC_TYPE
    policy: str = "accept"
    priority: int = 1
    source_cidr_ip: str = ""
    ipv6_source_cidr_ip: str = ""
    source_group_id: str = ""
    source_group_owner_account: str = ""
    source_group_owner_id: str = ""
    source_prefix_list_id: str = ""
    dest_cidr_ip: str = ""
    ipv6_dest_cidr_ip: str = ""
    dest_group_id: str = ""
    dest_group_owner_account: str = ""
    dest_group_owner_id: str = ""
    dest_prefix_list_id: str = ""
    description: str = ""

    def identity(self) -> tuple:
        """What makes two rules the same rule: everything but the description."""
        return tuple(value for name, value in asdict(self).items() if name != "description")

    def values(self) -> dict:
        return asdict(self)

    @property
    def peer_group_id(self) -> str:
        """The security group the rule lets in (ingress) or out to (egress), or ""."""
        return self.source_group_id if self.direction == INGRESS else self.dest_group_id


FIELDS = tuple(f.name for f in fields(Rule))


def rule_of(row: object) -> Rule:
    """The rule a stored row holds."""
    return Rule(**{name: getattr(row, name) for name in FIELDS})


# The wire name of each field a request may send; the Describe actions answer with the same.
WIRE_NAMES = {
    "ip_protocol": "IpProtocol", "port_range": "PortRange", "source_port_range": "SourcePortRange",
    "nic_type": "NicType", "policy": "Policy", "priority": "Priority",
    "source_cidr_ip": "SourceCidrIp", "ipv6_source_cidr_ip": "Ipv6SourceCidrIp", "source_group_id": "SourceGroupId",
    "source_group_owner_account": "SourceGroupOwnerAccount", "source_group_owner_id": "SourceGroupOwnerId",
    "source_prefix_list_id": "SourcePrefixListId",
    "dest_cidr_ip": "DestCidrIp", "ipv6_dest_cidr_ip": "Ipv6DestCidrIp", "dest_group_id": "DestGroupId",
    "dest_group_owner_account": "DestGroupOwnerAccount", "dest_group_owner_id": "DestGroupOwnerId",
    "dest_prefix_list_id": "DestPrefixListId",
    "description": "Description",
}
# What each direction's requests may send (the SDKs' request classes), PortRangeListId included.
_COMMON = ("IpProtocol", "PortRange", "SourcePortRange", "NicType", "Policy", "Priority", "Description",
           "PortRangeListId", "SourceCidrIp", "Ipv6SourceCidrIp", "DestCidrIp", "Ipv6DestCidrIp")
SENT_FIELDS = {
    INGRESS: (*_COMMON, "SourceGroupId", "SourceGroupOwnerAccount", "SourceGroupOwnerId", "SourcePrefixListId"),
    EGRESS: (*_COMMON, "DestGroupId", "DestGroupOwnerAccount", "DestGroupOwnerId", "DestPrefixListId"),
}


@dataclass(frozen=True)
class Side:
    """A direction, and the answers that differ by it: the peer is the source of an ingress
    rule and the destination of an egress one."""

    direction: str
    peer: str                                 # "Source" or "Dest": the wire names' prefix
    missing: ErrorCode                        # no peer address at all
    group_not_found: ErrorCode
    group_other_vpc: ErrorCode
    group_needs_intranet: ErrorCode


def ingress() -> Side:
    return Side(INGRESS, "Source", errors.RULE_SOURCE_MISSING, errors.RULE_SOURCE_GROUP_NOT_FOUND,
                errors.RULE_SOURCE_GROUP_OTHER_VPC, errors.RULE_SOURCE_GROUP_NEEDS_INTRANET)


def egress() -> Side:
    return Side(EGRESS, "Dest", errors.RULE_DEST_MISSING, errors.RULE_DEST_GROUP_NOT_FOUND,
                errors.RULE_DEST_GROUP_OTHER_VPC, errors.RULE_DEST_GROUP_NEEDS_INTRANET)


# --- reading a rule from a request ---------------------------------------------------------------

def rule_from_wire(side: Side, sent: Mapping[str, str | None], where: str = "") -> Rule:
    """The rule a request describes (the flat parameters, or one ``Permissions.N``), checked
    in the real service's order; ``where`` is how missing parameters are named
    (``Permissions.1.``). Raises the first fault's error."""
    def given(name: str) -> str:
        return sent.get(name) or ""

    protocol = given("IpProtocol").lower()
    if not protocol:
        raise errors.MISSING_PARAMETER(name=f"{where}IpProtocol")
    if protocol not in PROTOCOLS:
        raise errors.RULE_PROTOCOL_NOT_SUPPORTED()
    if not given("PortRange"):
        raise errors.MISSING_PARAMETER(name=f"{where}PortRange")
    port_range = _port_range(protocol, given("PortRange"), errors.RULE_PORT_RANGE_MALFORMED)
    source_port_range = given("SourcePortRange")
    if source_port_range:
        _port_range(protocol, source_port_range, errors.RULE_SOURCE_PORT_RANGE_MALFORMED)
    policy = (given("Policy") or "accept").lower()
    if policy not in POLICIES:
        raise errors.RULE_POLICY_MALFORMED()
    priority = _priority(given("Priority") or "1")
    nic_type = given("NicType") or VPC_NIC_TYPE
    if nic_type not in NIC_TYPES:
        raise errors.RULE_NIC_TYPE_NOT_SUPPORTED()
    description = given("Description")
    if description and not valid_description(description):
        raise errors.RULE_DESCRIPTION_MALFORMED()
    if given("PortRangeListId"):
        raise errors.RULE_PORT_RANGE_LIST_NOT_FOUND()   # no port lists exist here

    addresses = _addresses(side, sent)
    _check_families(protocol, addresses)
    return Rule(direction=side.direction, ip_protocol=protocol, port_range=port_range,
                source_port_range=source_port_range, nic_type=VPC_NIC_TYPE, policy=policy, priority=priority,
                description=description, **addresses)


def valid_description(text: str) -> bool:
    low, high = DESCRIPTION_LENGTH
    return low <= len(text) <= high and not text.startswith(("http://", "https://"))


def _port_range(protocol: str, text: str, malformed: ErrorCode) -> str:
    """The range as sent, once it fits the protocol: ``start/end`` within 1-65535 for tcp
    and udp, ``-1/-1`` for every other protocol."""
    match = _PORT_RANGE.fullmatch(text)
    if match is None:
        raise malformed()
    start, end = int(match[1]), int(match[2])
    if protocol in PORTED:
        if (start, end) == (-1, -1):
            raise errors.RULE_PROTOCOL_PORT_MISMATCH()
        if not 1 <= start <= end <= 65535:
            raise malformed()
    elif (start, end) != (-1, -1):
        raise errors.RULE_PROTOCOL_PORT_MISMATCH()
    return text


def _priority(text: str) -> int:
    if not re.fullmatch(r"-?[0-9]{1,9}", text):
        raise errors.RULE_PRIORITY_MALFORMED()
    value = int(text)
    if not PRIORITIES[0] <= value <= PRIORITIES[1]:
        raise errors.RULE_PRIORITY_NOT_SUPPORTED()
    return value


def _addresses(side: Side, sent: Mapping[str, str | None]) -> dict[str, str]:
    """The rule's address fields. The peer is the first of a CIDR (v4 or v6), a group, a
    prefix list that was sent; what a CIDR makes moot (a group, a prefix list) is not kept,
    as the real service ignores it. The other side may name a CIDR of its own."""
    def given(name: str) -> str:
        return sent.get(name) or ""

    peer, local = side.peer.lower(), ("dest" if side.peer == "Source" else "source")
    found = {f"{peer}_cidr_ip": "", f"ipv6_{peer}_cidr_ip": "", f"{peer}_group_id": "",
             f"{peer}_group_owner_account": "", f"{peer}_group_owner_id": "", f"{peer}_prefix_list_id": ""}
    v4, v6 = given(f"{side.peer}CidrIp"), given(f"Ipv6{side.peer}CidrIp")
    if v4 or v6:
        found.update(_cidrs(side.peer, v4, v6))
    elif given(f"{side.peer}GroupId"):
        if given("NicType") == "internet":
            raise side.group_needs_intranet()
        found[f"{peer}_group_id"] = given(f"{side.peer}GroupId")
        found[f"{peer}_group_owner_account"] = given(f"{side.peer}GroupOwnerAccount")
        found[f"{peer}_group_owner_id"] = given(f"{side.peer}GroupOwnerId")
    elif given(f"{side.peer}PrefixListId"):
        if not _PREFIX_LIST_ID.fullmatch(given(f"{side.peer}PrefixListId")):
            raise errors.RULE_PREFIX_LIST_NOT_FOUND()
        found[f"{peer}_prefix_list_id"] = given(f"{side.peer}PrefixListId")
    else:
        raise side.missing()
    local_name = local.capitalize()
    local_v4, local_v6 = given(f"{local_name}CidrIp"), given(f"Ipv6{local_name}CidrIp")
    found.update({f"{local}_cidr_ip": "", f"ipv6_{local}_cidr_ip": ""})
    if local_v4 or local_v6:
        found.update(_cidrs(local_name, local_v4, local_v6))
    if found["source_cidr_ip"] and found["source_cidr_ip"] == found["dest_cidr_ip"]:
        raise errors.RULE_SAME_SOURCE_AND_DEST()
    return found


def _cidrs(prefix: str, v4: str, v6: str) -> dict[str, str]:
    """``{Source|Dest}CidrIp`` or its IPv6 twin, checked: one of them, a CIDR block or an
    address of its family."""
    low = prefix.lower()
    if v4 and v6:
        raise (errors.RULE_SOURCE_IP_BOTH if prefix == "Source" else errors.RULE_DEST_IP_BOTH)(name=prefix)
    if v4:
        if not _is_network(v4, 4):
            raise errors.RULE_SOURCE_CIDR_MALFORMED() if prefix == "Source" else errors.RULE_DEST_CIDR_MALFORMED()
        return {f"{low}_cidr_ip": v4}
    if not _is_network(v6, 6):
        raise errors.RULE_IPV6_SOURCE_MALFORMED() if prefix == "Source" else errors.RULE_IPV6_DEST_MALFORMED()
    return {f"ipv6_{low}_cidr_ip": compressed_ipv6(v6)}


def compressed_ipv6(text: str) -> str:
    """An IPv6 address or CIDR block as the real service keeps and answers it: the address
    compressed (RFC 5952: lower case, no leading zeros, the longest run of zero groups as
    ``::``), the prefix length as sent. ``2001:0DB8:0000::1/64`` is ``2001:db8::1/64``; the
    Terraform provider finds a rule by that form and compares its configuration to it."""
    address, slash, length = text.partition("/")
    return f"{ipaddress.IPv6Address(address)}{slash}{length}"


def _is_network(text: str, version: int) -> bool:
    if len(text) > _MAX_ADDRESS:
        return False
    try:
        return ipaddress.ip_network(text, strict=False).version == version
    except ValueError:
        return False


def _check_families(protocol: str, addresses: Mapping[str, str]) -> None:
    """ICMP is IPv4's, ICMPv6 IPv6's; a rule's addresses are of one family."""
    v4 = any(addresses[name] for name in ("source_cidr_ip", "dest_cidr_ip"))
    v6 = any(addresses[name] for name in ("ipv6_source_cidr_ip", "ipv6_dest_cidr_ip"))
    if v4 and v6:
        raise errors.RULE_ADDRESS_FAMILIES_MIXED()
    if protocol == "icmp" and v6:
        raise errors.RULE_IPV4_PROTOCOL_IPV6_ADDRESS()
    if protocol == "icmpv6" and v4:
        raise errors.RULE_IPV6_PROTOCOL_IPV4_ADDRESS()


# --- changing a rule by its ID (ModifySecurityGroupRule with SecurityGroupRuleId) ----------------

def _peer_kind(side: Side, sent: Mapping[str, str | None]) -> str | None:
    """Which kind of peer the fields name: a CIDR of a family, a group, a prefix list."""
    for kind, name in (("cidr", f"{side.peer}CidrIp"), ("ipv6", f"Ipv6{side.peer}CidrIp"),
                       ("group", f"{side.peer}GroupId"), ("prefix_list", f"{side.peer}PrefixListId")):
        if sent.get(name):
            return kind
    return None


def wire_of(rule: Rule) -> dict[str, str]:
    """The rule as a request would send it."""
    values = rule.values()
    return {wire: str(values[name]) for name, wire in WIRE_NAMES.items() if values[name] != ""}


def modified(side: Side, rule: Rule, sent: Mapping[str, str | None]) -> Rule:
    """``rule`` with what the request sends in place of its fields. The kind of peer (a
    CIDR, a group, a prefix list) and the NIC type stay what they were."""
    current = wire_of(rule)
    asked = {name: value for name, value in sent.items() if value}
    kind = _peer_kind(side, asked)
    if kind is not None and kind != _peer_kind(side, current):
        raise errors.RULE_ENTITY_TYPE_CHANGED()
    if asked.get("NicType", rule.nic_type) != rule.nic_type:
        raise errors.RULE_NIC_TYPE_CHANGED()
    return rule_from_wire(side, {**current, **asked})
