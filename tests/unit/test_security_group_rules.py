"""The rules of security group rules as a table, over plain values (no HTTP): what a request's
fields make, in which order faults are found, when two rules are the same, and what a change
by rule ID may touch."""

from __future__ import annotations

import pytest

from ecsemu import errors
from ecsemu.domain import security_group_rules as rules

SSH = {"IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "10.0.0.0/8"}


@pytest.mark.parametrize("sent, expected", [
    (SSH, {"ip_protocol": "tcp", "port_range": "22/22", "source_cidr_ip": "10.0.0.0/8", "policy": "accept",
           "priority": 1, "nic_type": "intranet", "description": ""}),
    ({**SSH, "IpProtocol": "TCP", "Policy": "DROP", "Priority": "100", "NicType": "internet"},
     {"ip_protocol": "tcp", "policy": "drop", "priority": 100, "nic_type": "intranet"}),
    ({**SSH, "SourceGroupId": "sg-x", "SourcePrefixListId": "pl-x"},
     {"source_cidr_ip": "10.0.0.0/8", "source_group_id": "", "source_prefix_list_id": ""}),
    ({"IpProtocol": "all", "PortRange": "-1/-1", "SourceGroupId": "sg-x", "SourceGroupOwnerAccount": "a@b",
      "SourcePrefixListId": "pl-x"},
     {"source_group_id": "sg-x", "source_group_owner_account": "a@b", "source_prefix_list_id": ""}),
    ({**SSH, "SourceCidrIp": "10.0.0.7", "DestCidrIp": "172.16.0.0/12", "SourcePortRange": "1000/2000"},
     {"source_cidr_ip": "10.0.0.7", "dest_cidr_ip": "172.16.0.0/12", "source_port_range": "1000/2000"}),
])
def test_what_an_ingress_request_makes(sent, expected):
    rule = rules.rule_from_wire(rules.ingress(), sent)
    assert {name: getattr(rule, name) for name in expected} == expected
    assert rule.direction == "ingress"


@pytest.mark.parametrize("sent, kept", [
    ("2001:0db8:3c4d:0015:0000:0000:1a2f:1a2b/0", "2001:db8:3c4d:15::1a2f:1a2b/0"),
    ("2001:DB8:0:0::/32", "2001:db8::/32"),
    ("2001:db8::/32", "2001:db8::/32"),
    ("0:0:0:0:0:0:0:1", "::1"),
])
def test_an_ipv6_address_is_kept_compressed(sent, kept):
    """As the real service answers it (the Terraform provider compares with that form)."""
    ingress = rules.rule_from_wire(rules.ingress(), {"IpProtocol": "tcp", "PortRange": "22/22",
                                                     "Ipv6SourceCidrIp": sent})
    egress = rules.rule_from_wire(rules.egress(), {"IpProtocol": "icmpv6", "PortRange": "-1/-1",
                                                   "Ipv6DestCidrIp": sent, "Ipv6SourceCidrIp": sent.upper()})
    assert (ingress.ipv6_source_cidr_ip, egress.ipv6_dest_cidr_ip, egress.ipv6_source_cidr_ip) == (kept, kept, kept)
    same = rules.rule_from_wire(rules.ingress(), {"IpProtocol": "tcp", "PortRange": "22/22",
                                                  "Ipv6SourceCidrIp": kept})
    assert same.identity() == ingress.identity()


def test_an_egress_rule_names_its_destination():
    rule = rules.rule_from_wire(rules.egress(), {"IpProtocol": "udp", "PortRange": "53/53", "DestGroupId": "sg-y",
                                                 "SourceCidrIp": "10.0.0.0/8"})
    assert (rule.dest_group_id, rule.peer_group_id, rule.source_cidr_ip) == ("sg-y", "sg-y", "10.0.0.0/8")
    with pytest.raises(errors.EcsError) as raised:
        rules.rule_from_wire(rules.egress(), {"IpProtocol": "udp", "PortRange": "53/53", "SourceCidrIp": "10.0.0.0/8"})
    assert raised.value.error is errors.RULE_DEST_MISSING


@pytest.mark.parametrize("sent, error", [
    # The first fault found answers: the protocol before the ports before the policy…
    ({"IpProtocol": "sctp", "PortRange": "x", "Policy": "x"}, errors.RULE_PROTOCOL_NOT_SUPPORTED),
    ({**SSH, "PortRange": "x", "Policy": "x"}, errors.RULE_PORT_RANGE_MALFORMED),
    ({**SSH, "Policy": "x", "Priority": "x"}, errors.RULE_POLICY_MALFORMED),
    ({**SSH, "Priority": "x", "NicType": "x"}, errors.RULE_PRIORITY_MALFORMED),
    ({**SSH, "Priority": "-1"}, errors.RULE_PRIORITY_NOT_SUPPORTED),
    ({**SSH, "NicType": "x", "Description": "http://x"}, errors.RULE_NIC_TYPE_NOT_SUPPORTED),
    ({**SSH, "Description": "http://x", "SourceCidrIp": "x"}, errors.RULE_DESCRIPTION_MALFORMED),
    ({**SSH, "PortRangeListId": "prl-1", "SourceCidrIp": "x"}, errors.RULE_PORT_RANGE_LIST_NOT_FOUND),
    ({**SSH, "SourceCidrIp": "x"}, errors.RULE_SOURCE_CIDR_MALFORMED),
    ({**SSH, "PortRange": "-1/-1"}, errors.RULE_PROTOCOL_PORT_MISMATCH),
    ({**SSH, "IpProtocol": "gre"}, errors.RULE_PROTOCOL_PORT_MISMATCH),
    ({**SSH, "PortRange": "100/99"}, errors.RULE_PORT_RANGE_MALFORMED),
    ({**SSH, "SourcePortRange": "-1/-1"}, errors.RULE_PROTOCOL_PORT_MISMATCH),
    ({**SSH, "SourcePortRange": "0/1"}, errors.RULE_SOURCE_PORT_RANGE_MALFORMED),
    ({"IpProtocol": "tcp", "PortRange": "1/2"}, errors.RULE_SOURCE_MISSING),
    ({"IpProtocol": "tcp", "PortRange": "1/2", "SourceGroupId": "sg-x", "NicType": "internet"},
     errors.RULE_SOURCE_GROUP_NEEDS_INTRANET),
    ({"IpProtocol": "tcp", "PortRange": "1/2", "SourcePrefixListId": "pl_x"}, errors.RULE_PREFIX_LIST_NOT_FOUND),
    ({**SSH, "Ipv6SourceCidrIp": "::/0"}, errors.RULE_SOURCE_IP_BOTH),
    ({**SSH, "DestCidrIp": "1.2.3.4", "Ipv6DestCidrIp": "::1"}, errors.RULE_DEST_IP_BOTH),
    ({**SSH, "Ipv6DestCidrIp": "::1"}, errors.RULE_ADDRESS_FAMILIES_MIXED),
    ({**SSH, "DestCidrIp": "10.0.0.0/8"}, errors.RULE_SAME_SOURCE_AND_DEST),
    ({"IpProtocol": "icmp", "PortRange": "-1/-1", "Ipv6SourceCidrIp": "::/0"}, errors.RULE_IPV4_PROTOCOL_IPV6_ADDRESS),
    ({"IpProtocol": "icmpv6", "PortRange": "-1/-1", "SourceCidrIp": "0.0.0.0/0"},
     errors.RULE_IPV6_PROTOCOL_IPV4_ADDRESS),
    ({"IpProtocol": "tcp", "PortRange": "1/2", "Ipv6SourceCidrIp": "10.0.0.0/8"}, errors.RULE_IPV6_SOURCE_MALFORMED),
    ({"PortRange": "1/2"}, errors.MISSING_PARAMETER),
    ({"IpProtocol": "tcp"}, errors.MISSING_PARAMETER),
])
def test_refusals_in_order(sent, error):
    with pytest.raises(errors.EcsError) as raised:
        rules.rule_from_wire(rules.ingress(), sent)
    assert raised.value.error is error


def test_missing_parameters_are_named_where_they_sit():
    with pytest.raises(errors.EcsError) as raised:
        rules.rule_from_wire(rules.ingress(), {"IpProtocol": "tcp"}, "Permissions.2.")
    assert '"Permissions.2.PortRange"' in raised.value.message


def test_the_same_rule_is_alike_in_all_but_its_description():
    one = rules.rule_from_wire(rules.ingress(), {**SSH, "Description": "a"})
    same = rules.rule_from_wire(rules.ingress(), {**SSH, "Policy": "ACCEPT", "Priority": "1"})
    assert one.identity() == same.identity()
    for change in ({"Priority": "2"}, {"Policy": "drop"}, {"SourcePortRange": "1/2"}, {"DestCidrIp": "1.1.1.1"}):
        assert one.identity() != rules.rule_from_wire(rules.ingress(), {**SSH, **change}).identity()
    egress = rules.rule_from_wire(rules.egress(), {"IpProtocol": "tcp", "PortRange": "22/22",
                                                   "DestCidrIp": "10.0.0.0/8"})
    assert egress.identity() != one.identity()


def test_a_change_by_id_keeps_the_kind_of_peer_and_the_nic_type():
    rule = rules.rule_from_wire(rules.ingress(), {**SSH, "Description": "d"})
    changed = rules.modified(rules.ingress(), rule, {"PortRange": "80/80", "SourceCidrIp": "10.1.0.0/16",
                                                     "Description": None})
    assert (changed.port_range, changed.source_cidr_ip, changed.description) == ("80/80", "10.1.0.0/16", "d")
    for sent, error in (({"SourceGroupId": "sg-x"}, errors.RULE_ENTITY_TYPE_CHANGED),
                        ({"Ipv6SourceCidrIp": "::/0"}, errors.RULE_ENTITY_TYPE_CHANGED),
                        ({"NicType": "internet"}, errors.RULE_NIC_TYPE_CHANGED),
                        ({"IpProtocol": "icmp"}, errors.RULE_PROTOCOL_PORT_MISMATCH)):
        with pytest.raises(errors.EcsError) as raised:
            rules.modified(rules.ingress(), rule, sent)
        assert raised.value.error is error
