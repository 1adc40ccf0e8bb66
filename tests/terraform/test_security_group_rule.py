"""``alicloud_security_group_rule`` (terraform-calls.md §2.5):

    resource "alicloud_security_group_rule" "r" {
      security_group_id = "sg-…"
      type              = "ingress"          # or "egress"
      ip_protocol       = "tcp"              # "all" and "icmp" with port_range = "-1/-1"
      port_range        = "22/22"
      cidr_ip           = "10.0.0.0/8"       # or ipv6_cidr_ip, source_security_group_id, prefix_list_id
    }

The ID is ``<group>:<type>:<protocol>:<ports>:<nic_type>:<address>:<policy>:<priority>``, and
with ``nic_type`` unset its fifth part is the literal ``<nil>``, which every read sends as
``NicType``. Everything but ``description`` is ForceNew: the update sends the rule's fields
and the new description (ModifySecurityGroupRule or its Egress twin, over HTTPS, twice);
destroy revokes by the same fields, also over HTTPS. The C calls send what the read left
in the state: ``nic_type`` and ``prefix_list_id`` (Computed), ``ipv6_cidr_ip`` as answered.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Mapping
from typing import Any

import pytest

from tests.ecsclient import REGION

from .reading import ARRAY, STRING, not_found
from .replay import Call, Replay, Resource, Set, cycle, destroy_twice, no_5xx
from .transports import ApiError

INGRESS, EGRESS = "ingress", "egress"

# The legacy SDK's ecs.Permission: every field the provider reads is a Go string.
_READ_FIELDS = ("Direction", "IpProtocol", "PortRange", "Policy", "Priority", "NicType", "Description",
                "SecurityGroupRuleId", "SourceCidrIp", "SourceGroupId", "Ipv6SourceCidrIp", "SourcePrefixListId",
                "SourceGroupOwnerAccount", "DestCidrIp", "DestGroupId", "Ipv6DestCidrIp", "DestPrefixListId",
                "DestGroupOwnerAccount")
PERMISSION_TYPES = {"Permissions.Permission": ARRAY,
                    **{f"Permissions.Permission[].{name}": STRING for name in _READ_FIELDS}}


def _peer(direction: str) -> str:
    """The wire names' prefix of the rule's address: the source of an ingress rule."""
    return "Source" if direction == INGRESS else "Dest"


def _compressed(text: str) -> str:
    """``compressIPv6OrCIDR``: an address (before a ``/``) in Go's ``net.IP.String`` form, the
    mask as written; anything that is no address, unchanged."""
    address, slash, mask = text.partition("/")
    try:
        return f"{ipaddress.ip_address(address)}{slash}{mask}"
    except ValueError:
        return text


def _address(values: Mapping[str, Any]) -> str:
    """The ID's sixth part as the read uses it: the group, else the IPv6 CIDR (its ``:``
    written ``_`` in the ID, and back), else the CIDR, else the prefix list; compressed."""
    return _compressed(values["source_security_group_id"] or values["ipv6_cidr_ip"] or values["cidr_ip"]
                       or values["prefix_list_id"] or "")


def _matching(permissions: list[Mapping[str, Any]], direction: str, values: Mapping[str, Any]) -> list[Mapping]:
    """``EcsService.DescribeSecurityGroupRule``'s search, by the ID's parts: lower(IpProtocol)
    and PortRange equal; the address (CIDR, else group, else IPv6 CIDR; or the prefix list)
    equal; lower(Policy) equal; Priority the ID's number as a decimal string."""
    peer = _peer(direction)
    address = _address(values)
    found = []
    for rule in permissions:
        if rule["IpProtocol"].lower() != values["ip_protocol"] or rule["PortRange"] != values["port_range"]:
            continue
        seen = rule[f"{peer}CidrIp"] or rule[f"{peer}GroupId"] or rule[f"Ipv6{peer}CidrIp"]
        if ((seen == address or rule[f"{peer}PrefixListId"] == address) and rule["Policy"].lower() == values["policy"]
                and rule["Priority"] == str(values["priority"])):
            found.append(rule)
    return found


def _the_rule(direction: str):
    """The read: the first match is the rule (none: a create fails, a refresh drops it).
    What it sets must equal the configuration, or the next plan replaces the rule (all
    ForceNew) or changes its description; ``nic_type`` (Computed) is kept for the C calls."""
    def check(reply: dict, values: dict) -> None:
        found = _matching(reply["Permissions"]["Permission"], direction, values)
        assert found, f"no rule matches the ID: {reply['Permissions']['Permission']}"
        rule = found[0]
        peer = _peer(direction)
        assert rule["Direction"] == direction, f"type would be {rule['Direction']!r}"
        assert rule["Description"] == values["description"], f"description is {rule['Description']!r}"
        assert int(rule["Priority"]) == values["priority"]                 # strconv.Atoi
        assert rule[f"{peer}CidrIp"] == (values["cidr_ip"] or "")
        assert rule[f"{peer}GroupId"] == (values["source_security_group_id"] or "")
        # ipv6_cidr_ip: a diff unless the configuration, compressed, is what comes back.
        assert rule[f"Ipv6{peer}CidrIp"] == _compressed(values["ipv6_cidr_ip"] or "")
        assert rule[f"{peer}GroupOwnerAccount"] == ""       # read into source_group_owner_id, not Computed
        if values["given_nic_type"]:                        # configured: a diff unless read back
            assert rule["NicType"] == values["given_nic_type"]
        # What the state holds now, and the C calls send (d.GetOk: "" is unset).
        values["nic_type"] = rule["NicType"] or None
        values["ipv6_state"] = rule[f"Ipv6{peer}CidrIp"] or None
        values["prefix_list_state"] = rule[f"{peer}PrefixListId"] or None   # Computed
        if values["prefix_list_id"]:
            assert rule[f"{peer}PrefixListId"] == values["prefix_list_id"]
        values["rule_id"] = rule["SecurityGroupRuleId"]
    return check


def _absent(direction: str):
    def check(reply: dict, values: dict) -> None:
        assert not _matching(reply["Permissions"]["Permission"], direction, values), "the rule is still there"
    return check


# ``EcsService.DescribeSecurityGroup`` (L): the reply must echo the ID; its VpcId decides
# whether the state's nic_type may go into the next request.
GROUP = {"SecurityGroupId": "{group_id}", "RegionId": "{region}"}


def _nic_type_allowed(reply: dict, values: dict) -> None:
    """buildAliyunSGRuleRequest refuses, before sending, a nic_type other than intranet in a
    VPC group or on a group rule: a NicType read back otherwise makes destroy impossible."""
    if values["nic_type"] and (reply["VpcId"] or values["source_security_group_id"]):
        assert values["nic_type"] == "intranet", f"nic_type {values['nic_type']!r} in {reply['VpcId']!r}"


DESCRIBE_GROUP = Call("L", "DescribeSecurityGroupAttribute", GROUP, types={"SecurityGroupId": STRING, "VpcId": STRING},
                      expect={"SecurityGroupId": "{group_id}"}, check=_nic_type_allowed)
# In the delete, a group not found ends it: a success, nothing revoked.
DESCRIBE_GROUP_OR_DONE = dataclasses.replace(DESCRIBE_GROUP, ok=("InvalidSecurityGroupId.NotFound",),
                                             done_if_empty="SecurityGroupId")


def rule(direction: str) -> Resource:
    peer = _peer(direction)
    address = {f"{peer}CidrIp": "{cidr_ip}", f"Ipv6{peer}CidrIp": "{ipv6_cidr_ip}",  # None: not sent
               f"{peer}GroupId": "{source_security_group_id}", f"{peer}PrefixListId": "{prefix_list_id}"}
    suffix = "" if direction == INGRESS else "Egress"
    # buildAliyunSGRuleRequest: the CommonRequest that Modify and Revoke send.
    by_fields = {"PortRange": "{port_range}", "IpProtocol": "{ip_protocol}", "Policy": "{policy}",
                 "Priority": "{priority_text}", **address, f"Ipv6{peer}CidrIp": "{ipv6_state}",
                 f"{peer}PrefixListId": "{prefix_list_state}", "NicType": "{nic_type}",
                 "SecurityGroupId": "{group_id}", "Description": "{description}"}
    read = Call("L", "DescribeSecurityGroupAttribute", {**GROUP, "Direction": direction, "NicType": "{id_nic_type}"},
                types=PERMISSION_TYPES, check=_the_rule(direction))
    return Resource(
        f"alicloud_security_group_rule ({direction})",
        create=(
            Call("L", "DescribeSecurityGroupAttribute", GROUP, types={"SecurityGroupId": STRING, "VpcId": STRING},
                 expect={"SecurityGroupId": "{group_id}"}),
            Call("R", f"AuthorizeSecurityGroup{suffix}", {
                "RegionId": "{region}", "SecurityGroupId": "{group_id}",
                "Permissions": [{"IpProtocol": "{ip_protocol}", "Policy": "{policy}", "Priority": "{priority_text}",
                                 **address, "PortRange": "{port_range}", "NicType": "{given_nic_type}",
                                 "Description": "{given_description}"}]}),
            read,  # a new resource: not found is an error
        ),
        read=(read,),
        update=(
            Set({"description": "changed by terraform"}),
            DESCRIBE_GROUP,
            # Sent once in the if/else, whose error is dropped, and once more after it.
            Call("C", f"ModifySecurityGroup{suffix}Rule", by_fields),
            Call("C", f"ModifySecurityGroup{suffix}Rule", by_fields),
        ),
        delete=(
            DESCRIBE_GROUP_OR_DONE,
            Call("C", f"RevokeSecurityGroup{suffix}", by_fields, ok_not_found=True,
                 ok=("InvalidSecurityGroupId.NotFound",)),
        ),
        gone=(Call("L", "DescribeSecurityGroupAttribute", {**GROUP, "Direction": direction,
                                                           "NicType": "{id_nic_type}"}, check=_absent(direction)),),
    )


def values(group_id: str, *, protocol: str, ports: str, cidr: str | None = None, ipv6: str | None = None,
           group: str | None = None, prefix_list: str | None = None, nic_type: str | None = None,
           policy: str = "accept", priority: int = 1, description: str = "") -> dict[str, Any]:
    """The configuration; ``id_nic_type`` is the ID's fifth part (``%v`` of an absent map key)."""
    return {"region": REGION, "group_id": group_id, "ip_protocol": protocol, "port_range": ports,
            "cidr_ip": cidr, "ipv6_cidr_ip": ipv6, "source_security_group_id": group, "prefix_list_id": prefix_list,
            "given_nic_type": nic_type, "id_nic_type": nic_type or "<nil>", "nic_type": nic_type,
            "ipv6_state": None, "prefix_list_state": None, "policy": policy, "priority": priority,
            "priority_text": str(priority),
            "description": description, "given_description": description or None}


# (direction, protocol, port_range, address kind, description at create)
CASES = [
    (INGRESS, "tcp", "22/22", "cidr", ""),
    (EGRESS, "tcp", "443/443", "cidr", "https out"),
    (INGRESS, "all", "-1/-1", "group", ""),
    (EGRESS, "icmp", "-1/-1", "group", ""),
    (INGRESS, "icmp", "-1/-1", "cidr", "ping"),
    (EGRESS, "all", "-1/-1", "cidr", ""),
    (INGRESS, "tcp", "22/22", "ipv6", ""),
    (EGRESS, "icmpv6", "-1/-1", "ipv6", ""),
    (INGRESS, "tcp", "443/443", "prefix_list", ""),
    (EGRESS, "udp", "53/53", "prefix_list", "dns"),
]
# As the provider's acceptance tests write them: not in the compressed form.
IPV6 = {INGRESS: "2001:0db8:3c4d:0015:0000:0000:1a2f:1a2b/0", EGRESS: "2001:DB8:0:0::/32"}
IDS = [f"{d}-{p}-{a}" for d, p, _, a, _ in CASES]


def _values(ecs, direction: str, protocol: str, ports: str, kind: str, description: str) -> dict[str, Any]:
    group_id = ecs.security_group()
    if kind == "cidr":
        return values(group_id, protocol=protocol, ports=ports, cidr="10.0.0.0/8", description=description)
    if kind == "ipv6":
        return values(group_id, protocol=protocol, ports=ports, ipv6=IPV6[direction], description=description)
    if kind == "prefix_list":
        return values(group_id, protocol=protocol, ports=ports, prefix_list="pl-bp1fg655nh68xyz9",
                      description=description)
    return values(group_id, protocol=protocol, ports=ports, group=ecs.security_group(), description=description)


@pytest.mark.parametrize("direction, protocol, ports, kind, description", CASES, ids=IDS)
def test_apply_plan_destroy(wire, ecs, direction, protocol, ports, kind, description):
    cycle(wire, rule(direction), _values(ecs, direction, protocol, ports, kind, description))


@pytest.mark.parametrize("direction, protocol, ports, kind, description", CASES, ids=IDS)
def test_update_description(wire, ecs, direction, protocol, ports, kind, description):
    done = cycle(wire, rule(direction), _values(ecs, direction, protocol, ports, kind, description), update=True)
    assert done.values["description"] == "changed by terraform"


@pytest.mark.parametrize("direction, protocol, ports, kind, description", CASES, ids=IDS)
def test_destroy_twice(wire, ecs, direction, protocol, ports, kind, description):
    """The second RevokeSecurityGroup[Egress] names a rule already revoked: a success."""
    destroy_twice(wire, rule(direction), _values(ecs, direction, protocol, ports, kind, description))


@pytest.mark.parametrize("direction", [INGRESS, EGRESS])
def test_nic_type_configured(wire, ecs, direction):
    """``nic_type = "intranet"`` (the only one a VPC group takes): sent with the rule, and
    the ID's part, so every read filters by it."""
    configured = values(ecs.security_group(), protocol="tcp", ports="8080/8080", group=ecs.security_group(),
                        nic_type="intranet")
    cycle(wire, rule(direction), configured, update=True)
    reads = [sent.params for sent in wire.sent if sent.params.get("Direction")]
    assert reads and all(params["NicType"] == "intranet" for params in reads)
    assert wire.sent[1].params["Permissions.1.NicType"] == "intranet"


@pytest.mark.parametrize("direction", [INGRESS, EGRESS])
def test_drop_policy_and_last_priority(wire, ecs, direction):
    """``policy = "drop"``, ``priority = 100``: parts of the ID the read compares (the policy
    lower-cased, the priority as a decimal string) and fields every C call sends."""
    configured = values(ecs.security_group(), protocol="udp", ports="1/65535", cidr="0.0.0.0/0", policy="drop",
                        priority=100)
    cycle(wire, rule(direction), configured, update=True)
    changes = [sent.params for sent in wire.sent if sent.via == "C"]
    assert changes and all((c["Policy"], c["Priority"]) == ("drop", "100") for c in changes)


def test_destroy_once_the_group_is_gone(wire, ecs):
    """The group deleted outside Terraform: the refresh finds nothing, and a destroy that
    still runs ends at its DescribeSecurityGroupAttribute (not found: a success)."""
    group_id = ecs.security_group()
    replay = Replay(wire, values(group_id, protocol="tcp", ports="22/22", cidr="10.0.0.0/8"))
    replay.run(rule(INGRESS).create)
    ecs("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=group_id)
    replay.run(rule(INGRESS).delete)
    with pytest.raises(ApiError) as refreshed:
        replay.run(rule(INGRESS).read)
    assert not_found(refreshed.value) and refreshed.value.code == "InvalidSecurityGroupId.NotFound"
    assert [sent.action for sent in wire.sent][-2:] == ["DescribeSecurityGroupAttribute"] * 2
    no_5xx(wire)


def test_what_goes_on_the_wire(wire, ecs):
    """The calls of apply, plan, an update and destroy, each by its transport: Modify and
    Revoke over HTTPS (GET) to the same port, the reads with ``NicType=<nil>``."""
    cycle(wire, rule(INGRESS), _values(ecs, INGRESS, "tcp", "22/22", "cidr", ""), update=True)
    described = ("L", "DescribeSecurityGroupAttribute", "GET", "http")
    modify = ("C", "ModifySecurityGroupRule", "GET", "https")
    assert [(sent.via, sent.action, sent.method, sent.scheme) for sent in wire.sent] == [
        described, ("R", "AuthorizeSecurityGroup", "POST", "http"), described,    # create, its read
        described, described,                                                    # plan, twice
        described, modify, modify,                                               # update
        described, described, described,                                         # its read, plan, refresh
        described, ("C", "RevokeSecurityGroup", "GET", "https"),                 # destroy
        described,                                                               # gone
    ]
    assert "Permissions.1.NicType" not in wire.sent[1].params and "Permissions.1.Description" not in wire.sent[1].params
    reads = [sent.params for sent in wire.sent if sent.params.get("Direction")]
    assert reads and all(params["NicType"] == "<nil>" and params["Direction"] == INGRESS for params in reads)
    changes = [sent.params for sent in wire.sent if sent.via == "C"]
    assert changes[0]["Description"] == "changed by terraform" and changes[0]["NicType"] == "intranet"
    assert changes[0]["SourceCidrIp"] == "10.0.0.0/8" and "SourceGroupId" not in changes[0]
    assert "Ipv6SourceCidrIp" not in changes[0] and "SourcePrefixListId" not in changes[0]


def test_ingress_and_egress_alike_in_one_group(wire, ecs):
    """Two rules of one group, the same but for their direction: each read finds its own
    (``Direction``), and revoking one leaves the other."""
    group_id = ecs.security_group()
    ingress = Replay(wire, values(group_id, protocol="tcp", ports="80/80", cidr="10.0.0.0/8"))
    egress = Replay(wire, values(group_id, protocol="tcp", ports="80/80", cidr="10.0.0.0/8"))
    ingress.run(rule(INGRESS).create)
    egress.run(rule(EGRESS).create)
    ingress.run(rule(INGRESS).delete)
    ingress.run(rule(INGRESS).gone)
    egress.run(rule(EGRESS).read)
    egress.run(rule(EGRESS).delete)
    egress.run(rule(EGRESS).gone)
    no_5xx(wire)
