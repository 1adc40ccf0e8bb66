"""Security group rules and membership through the official SDKs, on each store: the
Terraform provider's sequences for alicloud_security_group and alicloud_security_group_rule,
replayed call by call with its transports (the old SDK's request classes with query
parameters, the tea SDK's form POST, CommonRequest GETs), then what the real service
refuses, and Join/LeaveSecurityGroup as DescribeInstances shows them."""

import json

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from aliyunsdkecs.request.v20140526.AuthorizeSecurityGroupRequest import AuthorizeSecurityGroupRequest
from aliyunsdkecs.request.v20140526.DescribeSecurityGroupAttributeRequest import (
    DescribeSecurityGroupAttributeRequest,
)
from aliyunsdkecs.request.v20140526.JoinSecurityGroupRequest import JoinSecurityGroupRequest
from aliyunsdkecs.request.v20140526.RevokeSecurityGroupRequest import RevokeSecurityGroupRequest

from ecsemu.accounts import DEVELOPMENT_KEY
from tests.ecsclient import REGION, control, flat

SSH = {"IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "10.0.0.0/8", "Policy": "accept", "Priority": "1"}


def attribute(ecs, group_id: str, **params) -> dict:
    """DescribeSecurityGroupAttribute as the provider's L transport sends it: the old SDK's
    own request class, its parameters in the query."""
    request = DescribeSecurityGroupAttributeRequest()
    request.set_endpoint(ecs.server.endpoint)
    request.set_SecurityGroupId(group_id)
    for name, value in params.items():
        getattr(request, f"set_{name}")(value)
    return json.loads(ecs.client.do_action_with_exception(request))


def rules(ecs, group_id: str, **params) -> list[dict]:
    return attribute(ecs, group_id, **params)["Permissions"]["Permission"]


def authorize(ecs, group_id: str, *permissions: dict, egress: bool = False) -> None:
    ecs("AuthorizeSecurityGroupEgress" if egress else "AuthorizeSecurityGroup", RegionId=REGION,
        SecurityGroupId=group_id, **flat("Permissions", list(permissions)))


# --- the Terraform provider's sequences --------------------------------------------------------

def test_security_group_resource_create_read_update(ecs):
    """alicloud_security_group, every call over the tea SDK (the provider's R transport):
    create; DescribeSecurityGroupAttribute (a failure is fatal); ModifySecurityGroupPolicy;
    read (DescribeSecurityGroups by the singular SecurityGroupId, then the attribute) twice,
    the same both times; update name and description; read; delete; a second delete is the
    not-found the provider counts as done."""
    client = ecs.tea()
    group_id = client.create_security_group(ecs_models.CreateSecurityGroupRequest(
        region_id=REGION, security_group_name="web", client_token="TF-CreateSecurityGroup-1")).body.security_group_id
    created = client.describe_security_group_attribute(ecs_models.DescribeSecurityGroupAttributeRequest(
        region_id=REGION, security_group_id=group_id)).body
    assert (created.security_group_id, created.inner_access_policy, created.description) == (group_id, "Accept", "")
    assert created.vpc_id.startswith("vpc-") and created.permissions.permission == []
    client.modify_security_group_policy(ecs_models.ModifySecurityGroupPolicyRequest(
        region_id=REGION, security_group_id=group_id, inner_access_policy="Drop", client_token="TF-1"))

    def read() -> tuple[dict, dict]:
        listed = client.describe_security_groups(ecs_models.DescribeSecurityGroupsRequest(
            region_id=REGION, security_group_id=group_id)).body.to_map()["SecurityGroups"]["SecurityGroup"]
        assert len(listed) == 1
        detail = client.describe_security_group_attribute(ecs_models.DescribeSecurityGroupAttributeRequest(
            region_id=REGION, security_group_id=group_id)).body.to_map()
        detail.pop("RequestId")
        return listed[0], detail

    group, detail = read()
    assert read() == (group, detail)
    assert {name: group[name] for name in ("SecurityGroupId", "SecurityGroupName", "Description", "SecurityGroupType",
                                           "VpcId", "ResourceGroupId")} == {
        "SecurityGroupId": group_id, "SecurityGroupName": "web", "Description": "", "SecurityGroupType": "normal",
        "VpcId": created.vpc_id, "ResourceGroupId": ""}
    assert group["CreationTime"].endswith("Z") and group["Tags"] == {"Tag": []}
    assert (detail["InnerAccessPolicy"], detail["SecurityGroupId"]) == ("Drop", group_id)

    client.modify_security_group_attribute(ecs_models.ModifySecurityGroupAttributeRequest(
        region_id=REGION, security_group_id=group_id, security_group_name="web-2", description="front end"))
    group, detail = read()
    assert (group["SecurityGroupName"], group["Description"]) == ("web-2", "front end")
    assert (detail["SecurityGroupName"], detail["Description"]) == ("web-2", "front end")
    assert ecs.error("ModifySecurityGroupAttribute", RegionId=REGION, SecurityGroupId=group_id,
                     SecurityGroupName="1bad") == ("InvalidSecurityGroupName.Malformed", 400)
    assert ecs.error("ModifySecurityGroupPolicy", RegionId=REGION, SecurityGroupId=group_id,
                     InnerAccessPolicy="Maybe") == ("InvalidParameter", 400)
    assert read()[0]["SecurityGroupName"] == "web-2"

    client.delete_security_group(ecs_models.DeleteSecurityGroupRequest(region_id=REGION, security_group_id=group_id))
    assert ecs("DescribeSecurityGroups", RegionId=REGION, SecurityGroupId=group_id)["SecurityGroups"] == \
        {"SecurityGroup": []}
    assert ecs.error("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=group_id) == \
        ("InvalidSecurityGroupId.NotFound", 404)
    assert ecs.error("DescribeSecurityGroupAttribute", RegionId=REGION, SecurityGroupId=group_id) == \
        ("InvalidSecurityGroupId.NotFound", 404)


def test_enterprise_groups_isolate_their_instances(ecs):
    group_id = ecs("CreateSecurityGroup", RegionId=REGION, SecurityGroupType="enterprise")["SecurityGroupId"]
    assert attribute(ecs, group_id)["InnerAccessPolicy"] == "Drop"


@pytest.mark.parametrize("nic_type", ["<nil>", "intranet"])
def test_security_group_rule_resource_sequence(ecs, nic_type):
    """alicloud_security_group_rule: describe the group, authorize (tea SDK, Permissions.1),
    read with Direction and NicType (the literal <nil> when nic_type is not configured),
    read again, modify the description (CommonRequest GET, sent twice), revoke (the same
    query), gone; a second revoke is a success."""
    group_id = ecs.security_group()
    assert attribute(ecs, group_id)["SecurityGroupId"] == group_id
    ecs.tea().authorize_security_group(ecs_models.AuthorizeSecurityGroupRequest(
        region_id=REGION, security_group_id=group_id, permissions=[ecs_models.AuthorizeSecurityGroupRequestPermissions(
            ip_protocol="tcp", port_range="22/22", source_cidr_ip="10.0.0.0/8", policy="accept", priority="1",
            description="ssh")]))

    found = rules(ecs, group_id, Direction="ingress", NicType=nic_type)
    assert len(found) == 1
    rule = found[0]
    assert {name: rule[name] for name in ("Direction", "PortRange", "SourceCidrIp", "Priority", "Description",
                                          "NicType", "SourceGroupId", "Ipv6SourceCidrIp", "SourceGroupOwnerAccount",
                                          "SourcePrefixListId")} == {
        "Direction": "ingress", "PortRange": "22/22", "SourceCidrIp": "10.0.0.0/8", "Priority": "1",
        "Description": "ssh", "NicType": "intranet", "SourceGroupId": "", "Ipv6SourceCidrIp": "",
        "SourceGroupOwnerAccount": "", "SourcePrefixListId": ""}
    assert (rule["IpProtocol"].lower(), rule["Policy"].lower()) == ("tcp", "accept")
    assert rule["SecurityGroupRuleId"].startswith("sgr-bp") and rule["CreateTime"].endswith("Z")
    assert all(isinstance(value, str) for value in rule.values())
    assert rules(ecs, group_id, Direction="ingress", NicType=nic_type) == found   # read again: no change
    assert rules(ecs, group_id, Direction="egress", NicType=nic_type) == []

    query = {"RegionId": REGION, "SecurityGroupId": group_id, **SSH, "Description": "ssh from the office"}
    if nic_type != "<nil>":
        query["NicType"] = nic_type
    for _ in range(2):
        ecs("ModifySecurityGroupRule", **query)
    after = rules(ecs, group_id, Direction="ingress")
    assert [(r["SecurityGroupRuleId"], r["Description"]) for r in after] == \
        [(rule["SecurityGroupRuleId"], "ssh from the office")]

    ecs("RevokeSecurityGroup", **query)
    assert rules(ecs, group_id, Direction="ingress", NicType=nic_type) == []
    ecs("RevokeSecurityGroup", **query)   # not there: the real service answers success


def test_egress_rule_to_a_group_and_the_dependency_it_makes(ecs):
    group_id, peer_id = ecs.security_group(), ecs.security_group()
    ecs("ModifySecurityGroupAttribute", RegionId=REGION, SecurityGroupId=peer_id, SecurityGroupName="db")
    ecs.tea().authorize_security_group_egress(ecs_models.AuthorizeSecurityGroupEgressRequest(
        region_id=REGION, security_group_id=group_id,
        permissions=[ecs_models.AuthorizeSecurityGroupEgressRequestPermissions(
            ip_protocol="TCP", port_range="3306/3306", dest_group_id=peer_id, policy="Drop", priority="5")]))
    [rule] = rules(ecs, group_id, Direction="egress")
    assert (rule["DestGroupId"], rule["DestGroupName"], rule["DestCidrIp"], rule["Policy"], rule["Priority"]) == \
        (peer_id, "db", "", "Drop", "5")
    assert rule["IpProtocol"] == "TCP" and rule["Direction"] == "egress"
    assert rules(ecs, group_id, Direction="ingress") == []
    listed = ecs("DescribeSecurityGroups", RegionId=REGION, SecurityGroupIds=[group_id, peer_id])["SecurityGroups"]
    assert {g["SecurityGroupId"]: (g["RuleCount"], g["GroupToGroupRuleCount"]) for g in listed["SecurityGroup"]} == \
        {group_id: (1, 1), peer_id: (0, 0)}
    assert ecs.error("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=peer_id) == ("DependencyViolation", 403)
    references = ecs("DescribeSecurityGroupReferences", RegionId=REGION, **{"SecurityGroupId.1": peer_id,
                                                                             "SecurityGroupId.2": group_id})
    assert references["SecurityGroupReferences"]["SecurityGroupReference"] == [
        {"SecurityGroupId": peer_id, "ReferencingSecurityGroups": {"ReferencingSecurityGroup": [
            {"SecurityGroupId": group_id, "AliUid": DEVELOPMENT_KEY.account_id}]}},
        {"SecurityGroupId": group_id, "ReferencingSecurityGroups": {"ReferencingSecurityGroup": []}}]
    assert ecs.error("DescribeSecurityGroupReferences", RegionId=REGION,
                     **{"SecurityGroupId.1": "sg-bpnothing0000000000"}) == ("InvalidSecurityGroupId.NotFound", 404)
    ecs("RevokeSecurityGroupEgress", RegionId=REGION, SecurityGroupId=group_id, IpProtocol="tcp",
        PortRange="3306/3306", DestGroupId=peer_id, Policy="drop", Priority="5")
    ecs("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=peer_id)


def test_the_old_sdks_request_classes(ecs):
    """Permissions.N, SecurityGroupRuleId.N and Join as aliyun-python-sdk-ecs sends them."""
    group_id, other_id = ecs.security_group(), ecs.security_group()
    authorize = AuthorizeSecurityGroupRequest()
    authorize.set_SecurityGroupId(group_id)
    authorize.set_Permissions([{"IpProtocol": "tcp", "PortRange": "80/80", "SourceCidrIp": "0.0.0.0/0"},
                               {"IpProtocol": "udp", "PortRange": "53/53", "SourceGroupId": other_id,
                                "NicType": "intranet", "Description": "dns"}])
    ecs.send(authorize, add_region=False)
    found = rules(ecs, group_id)
    assert [(r["IpProtocol"], r["SourceCidrIp"], r["SourceGroupId"], r["Description"]) for r in found] == \
        [("TCP", "0.0.0.0/0", "", ""), ("UDP", "", other_id, "dns")]
    revoke = RevokeSecurityGroupRequest()
    revoke.set_SecurityGroupId(group_id)
    revoke.set_SecurityGroupRuleIds([rule["SecurityGroupRuleId"] for rule in found])
    ecs.send(revoke, add_region=False)
    assert rules(ecs, group_id) == []

    instance_id = ecs.run_instance(SecurityGroupId=group_id)
    join = JoinSecurityGroupRequest()
    join.set_InstanceId(instance_id)
    join.set_SecurityGroupId(other_id)
    ecs.send(join, add_region=False)
    assert ecs.instance(instance_id)["SecurityGroupIds"]["SecurityGroupId"] == [group_id, other_id]


# --- how rules are stored ---------------------------------------------------------------------------

def test_a_rule_authorized_twice_is_kept_once_and_order_is_kept(ecs):
    group_id = ecs.security_group()
    http = {**SSH, "PortRange": "80/80"}
    authorize(ecs, group_id, SSH, http, {**SSH, "Description": "same rule, another description"})
    ecs("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=group_id, **SSH)   # the flat form
    assert [r["PortRange"] for r in rules(ecs, group_id)] == ["22/22", "80/80"]
    assert rules(ecs, group_id)[0]["Description"] == ""
    # Any other field makes another rule: the priority, the policy, the source.
    authorize(ecs, group_id, {**SSH, "Priority": "2"}, {**SSH, "Policy": "drop"}, {**SSH, "SourceCidrIp": "10.0.0.1"})
    assert len(rules(ecs, group_id)) == 5
    [listed] = ecs("DescribeSecurityGroups", RegionId=REGION,
                   SecurityGroupId=group_id)["SecurityGroups"]["SecurityGroup"]
    assert (listed["RuleCount"], listed["GroupToGroupRuleCount"]) == (5, 0)


def test_defaults_and_every_protocol(ecs):
    group_id = ecs.security_group()
    authorize(ecs, group_id, {"IpProtocol": "icmp", "PortRange": "-1/-1", "SourceCidrIp": "0.0.0.0/0"},
              {"IpProtocol": "ALL", "PortRange": "-1/-1", "SourceCidrIp": "192.168.0.0/16"},
              {"IpProtocol": "gre", "PortRange": "-1/-1", "SourceCidrIp": "172.16.0.0/12"},
              {"IpProtocol": "udp", "PortRange": "1/65535", "SourceCidrIp": "10.1.0.0/16", "SourcePortRange": "53/53"},
              {"IpProtocol": "icmpv6", "PortRange": "-1/-1", "Ipv6SourceCidrIp": "2001:db8::/32"},
              {"IpProtocol": "tcp", "PortRange": "443/443", "SourcePrefixListId": "pl-bp1fg655nh68xyz9"},
              {"IpProtocol": "tcp", "PortRange": "8080/8090", "SourceCidrIp": "10.2.0.0/16",
               "DestCidrIp": "172.20.0.5"})
    found = rules(ecs, group_id)
    assert [(r["IpProtocol"], r["PortRange"], r["Policy"], r["Priority"], r["NicType"]) for r in found] == [
        ("ICMP", "-1/-1", "Accept", "1", "intranet"), ("ALL", "-1/-1", "Accept", "1", "intranet"),
        ("GRE", "-1/-1", "Accept", "1", "intranet"), ("UDP", "1/65535", "Accept", "1", "intranet"),
        ("ICMPv6", "-1/-1", "Accept", "1", "intranet"), ("TCP", "443/443", "Accept", "1", "intranet"),
        ("TCP", "8080/8090", "Accept", "1", "intranet")]
    assert found[3]["SourcePortRange"] == "53/53"
    assert (found[4]["Ipv6SourceCidrIp"], found[4]["SourceCidrIp"]) == ("2001:db8::/32", "")
    assert found[5]["SourcePrefixListId"] == "pl-bp1fg655nh68xyz9"
    assert found[6]["DestCidrIp"] == "172.20.0.5"
    assert len(rules(ecs, group_id, NicType="intranet")) == 7 and rules(ecs, group_id, NicType="internet") == []


def test_an_ipv6_block_is_answered_compressed_and_found_by_either_form(ecs):
    """The real service answers ``2001:0db8:…:0000:1a2f:1a2b/0`` as ``2001:db8:…::1a2f:1a2b/0``
    (the form the Terraform provider looks a rule up by); Revoke finds it by either form."""
    group_id = ecs.security_group()
    written = "2001:0db8:3c4d:0015:0000:0000:1a2f:1a2b/0"
    authorize(ecs, group_id, {"IpProtocol": "tcp", "PortRange": "22/22", "Ipv6SourceCidrIp": written})
    authorize(ecs, group_id, {"IpProtocol": "icmpv6", "PortRange": "-1/-1", "Ipv6DestCidrIp": "2001:DB8::/32"},
              egress=True)
    assert [(r["Ipv6SourceCidrIp"], r["Ipv6DestCidrIp"]) for r in rules(ecs, group_id)] == [
        ("2001:db8:3c4d:15::1a2f:1a2b/0", ""), ("", "2001:db8::/32")]
    authorize(ecs, group_id, {"IpProtocol": "tcp", "PortRange": "22/22",
                              "Ipv6SourceCidrIp": "2001:db8:3c4d:15::1a2f:1a2b/0"})
    assert len(rules(ecs, group_id)) == 2, "the same rule, written another way"
    ecs("RevokeSecurityGroup", RegionId=REGION, SecurityGroupId=group_id, IpProtocol="tcp", PortRange="22/22",
        Ipv6SourceCidrIp="2001:db8:3c4d:15::1a2f:1a2b/0")
    ecs("RevokeSecurityGroupEgress", RegionId=REGION, SecurityGroupId=group_id, IpProtocol="icmpv6",
        PortRange="-1/-1", Ipv6DestCidrIp="2001:0db8:0000:0000::/32")
    assert rules(ecs, group_id) == []


def test_a_cidr_makes_a_group_moot(ecs):
    """SourceCidrIp prevails over SourceGroupId, which is then not kept."""
    group_id, peer_id = ecs.security_group(), ecs.security_group()
    authorize(ecs, group_id, {**SSH, "SourceGroupId": peer_id})
    [rule] = rules(ecs, group_id)
    assert (rule["SourceCidrIp"], rule["SourceGroupId"]) == ("10.0.0.0/8", "")
    ecs("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=peer_id)   # nothing names it


# --- what is refused (and changes nothing) ----------------------------------------------------------

REFUSED = [
    ({"PortRange": "-1/-1"}, ("OperationDenied", 400)),
    ({"IpProtocol": "icmp"}, ("OperationDenied", 400)),
    ({"PortRange": "22"}, ("InvalidIpProtocol.Malformed", 400)),
    ({"PortRange": "0/22"}, ("InvalidIpProtocol.Malformed", 400)),
    ({"PortRange": "80/22"}, ("InvalidIpProtocol.Malformed", 400)),
    ({"PortRange": "1/65536"}, ("InvalidIpProtocol.Malformed", 400)),
    ({"SourcePortRange": "a/b"}, ("InvalidSourcePortRange.Malformed", 400)),
    ({"IpProtocol": "sctp"}, ("InvalidIpProtocol.ValueNotSupported", 400)),
    ({"IpProtocol": None}, ("MissingParameter", 400)),
    ({"PortRange": None}, ("MissingParameter", 400)),
    ({"SourceCidrIp": "10.0.0.0/33"}, ("InvalidSourceCidrIp.Malformed", 400)),
    ({"SourceCidrIp": "10.0.0"}, ("InvalidSourceCidrIp.Malformed", 400)),
    ({"SourceCidrIp": "2001:db8::/32"}, ("InvalidSourceCidrIp.Malformed", 400)),
    ({"SourceCidrIp": None, "Ipv6SourceCidrIp": "10.0.0.0/8"}, ("InvalidParam.Ipv6SourceCidrIp", 400)),
    ({"Ipv6SourceCidrIp": "2001:db8::/32"}, ("InvalidParam.SourceIp", 400)),
    ({"DestCidrIp": "10.0.0.0/8"}, ("InvalidParamter.Conflict", 400)),
    ({"DestCidrIp": "nonsense"}, ("InvalidDestCidrIp.Malformed", 400)),
    ({"SourceCidrIp": None, "Ipv6SourceCidrIp": "2001:db8::/32", "DestCidrIp": "10.0.0.1"},
     ("InvalidParameter.Conflict", 400)),
    ({"IpProtocol": "icmp", "PortRange": "-1/-1", "SourceCidrIp": None, "Ipv6SourceCidrIp": "2001:db8::/32"},
     ("InvalidParam.Ipv4ProtocolConflictWithIpv6Address", 400)),
    ({"IpProtocol": "icmpv6", "PortRange": "-1/-1"}, ("InvalidParam.Ipv6ProtocolConflictWithIpv4Address", 400)),
    ({"SourceCidrIp": None}, ("MissingParameter", 403)),
    ({"SourceCidrIp": None, "SourcePrefixListId": "prefix"}, ("InvalidPrefixListId.NotFound", 404)),
    ({"SourceCidrIp": None, "SourceGroupId": "sg-bpnothing0000000000"}, ("InvalidSourceGroupId.NotFound", 404)),
    ({"SourceCidrIp": None, "SourceGroupId": "SELF"}, ("InvalidParamter.Conflict", 403)),
    ({"SourceCidrIp": None, "SourceGroupId": "PEER", "NicType": "internet"}, ("InvalidSourceGroupId.Mismatch", 403)),
    ({"Policy": "allow"}, ("InvalidPolicy.Malformed", 400)),
    ({"Priority": "high"}, ("InvalidPriority.Malformed", 400)),
    ({"Priority": "0"}, ("InvalidPriority.ValueNotSupported", 400)),
    ({"Priority": "101"}, ("InvalidPriority.ValueNotSupported", 400)),
    ({"NicType": "<nil>"}, ("InvalidNicType.ValueNotSupported", 400)),
    ({"Description": "http://example.com"}, ("InvalidSecurityGroupDiscription.Malformed", 400)),
    ({"Description": "x" * 513}, ("InvalidSecurityGroupDiscription.Malformed", 400)),
    ({"PortRangeListId": "prl-2ze9743"}, ("InvalidPortRangeListId.NotFound", 400)),
]


@pytest.mark.parametrize("change, expected", REFUSED)
def test_refused_rules_change_nothing(ecs, change, expected):
    group_id, peer_id = ecs.security_group(), ecs.security_group()
    names = {"SELF": group_id, "PEER": peer_id}
    permission = {name: names.get(value, value) for name, value in {**SSH, **change}.items() if value is not None}
    good = {**SSH, "PortRange": "443/443"}   # the valid rule beside it is not added either
    assert ecs.error("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=group_id,
                     **flat("Permissions", [good, permission])) == expected
    if "PortRangeListId" not in permission:   # a field of Permissions.N only
        assert ecs.error("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=group_id, **permission) == \
            expected
    assert rules(ecs, group_id) == []


def test_egress_refusals_name_the_destination(ecs):
    group_id = ecs.security_group()
    base = {"RegionId": REGION, "SecurityGroupId": group_id, "IpProtocol": "tcp", "PortRange": "80/80"}
    assert ecs.error("AuthorizeSecurityGroupEgress", **base) == ("MissingParameter", 403)
    assert ecs.error("AuthorizeSecurityGroupEgress", **base, DestGroupId="sg-bpnothing0000000000") == \
        ("InvalidDestGroupId.NotFound", 404)
    assert ecs.error("AuthorizeSecurityGroupEgress", **base, DestCidrIp="1.2.3.4/40") == \
        ("InvalidDestCidrIp.Malformed", 400)
    assert rules(ecs, group_id) == []


def test_unknown_group_both_forms_and_another_account(ecs, other):
    group_id = ecs.security_group()
    for action in ("AuthorizeSecurityGroup", "RevokeSecurityGroup", "ModifySecurityGroupRule",
                   "DescribeSecurityGroupAttribute", "ModifySecurityGroupAttribute", "ModifySecurityGroupPolicy"):
        params = {"RegionId": REGION, "SecurityGroupId": "sg-bpnothing0000000000", **SSH, "InnerAccessPolicy": "Drop"}
        assert ecs.error(action, **params) == ("InvalidSecurityGroupId.NotFound", 404)
        assert other.error(action, **{**params, "SecurityGroupId": group_id}) == \
            ("InvalidSecurityGroupId.NotFound", 404)
    assert ecs.error("DescribeSecurityGroupAttribute", RegionId="cn-shanghai", SecurityGroupId=group_id) == \
        ("InvalidSecurityGroupId.NotFound", 404)
    assert ecs.error("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=group_id, **SSH,
                     **flat("Permissions", [SSH])) == ("InvalidParameter", 400)
    assert rules(ecs, group_id) == []


def test_two_hundred_rules_a_group(ecs):
    group_id = ecs.security_group()
    batch = [{**SSH, "PortRange": f"{port}/{port}"} for port in range(1, 101)]
    authorize(ecs, group_id, *batch)
    authorize(ecs, group_id, *batch)   # all there already: adds nothing, refuses nothing
    egress = [{"IpProtocol": "tcp", "PortRange": f"{port}/{port}", "DestCidrIp": "10.0.0.0/8"}
              for port in range(1, 100)]
    authorize(ecs, group_id, *egress, egress=True)
    assert len(rules(ecs, group_id)) == 199
    over = [{**SSH, "PortRange": "1000/1000"}, {**SSH, "PortRange": "1001/1001"}]
    assert ecs.error("AuthorizeSecurityGroup", RegionId=REGION, SecurityGroupId=group_id,
                     **flat("Permissions", over)) == ("AuthorizationLimitExceed", 403)
    assert len(rules(ecs, group_id)) == 199
    authorize(ecs, group_id, over[0])
    assert ecs.error("AuthorizeSecurityGroupEgress", RegionId=REGION, SecurityGroupId=group_id, IpProtocol="all",
                     PortRange="-1/-1", DestCidrIp="0.0.0.0/0") == ("AuthorizationLimitExceed", 403)

    first = attribute(ecs, group_id, MaxResults=150)
    second = attribute(ecs, group_id, MaxResults=150, NextToken=first["NextToken"])
    assert (len(first["Permissions"]["Permission"]), len(second["Permissions"]["Permission"])) == (150, 50)
    assert second["NextToken"] == ""
    ids = [r["SecurityGroupRuleId"] for r in first["Permissions"]["Permission"] + second["Permissions"]["Permission"]]
    assert len(set(ids)) == 200


# --- by rule ID ------------------------------------------------------------------------------------

def test_revoke_and_modify_by_rule_id(ecs):
    group_id, peer_id = ecs.security_group(), ecs.security_group()
    authorize(ecs, group_id, SSH, {**SSH, "PortRange": "80/80"}, {**SSH, "SourceCidrIp": None,
                                                                  "SourceGroupId": peer_id})
    ssh, http, from_peer = (r["SecurityGroupRuleId"] for r in rules(ecs, group_id))
    base = {"RegionId": REGION, "SecurityGroupId": group_id}

    ecs("ModifySecurityGroupRule", **base, SecurityGroupRuleId=ssh, PortRange="2222/2222", Priority="10",
        Policy="drop", SourceCidrIp="192.168.1.0/24", Description="moved")
    changed = rules(ecs, group_id)[0]
    assert (changed["SecurityGroupRuleId"], changed["PortRange"], changed["Priority"], changed["Policy"],
            changed["SourceCidrIp"], changed["Description"]) == (ssh, "2222/2222", "10", "Drop", "192.168.1.0/24",
                                                                 "moved")
    assert ecs.error("ModifySecurityGroupRule", **base, SecurityGroupRuleId=ssh, SourceGroupId=peer_id) == \
        ("InvalidOperation.ModifySgRuleEntityType", 400)
    assert ecs.error("ModifySecurityGroupRule", **base, SecurityGroupRuleId=ssh, NicType="internet") == \
        ("InvalidOperation.ModifyNicType", 400)
    assert ecs.error("ModifySecurityGroupRule", **base, SecurityGroupRuleId=http, PortRange="2222/2222",
                     Priority="10", Policy="drop", SourceCidrIp="192.168.1.0/24") == \
        ("InvalidOperation.RuleDuplicate", 400)
    assert ecs.error("ModifySecurityGroupRule", **base, SecurityGroupRuleId="sgr-bpnothing000000000",
                     Description="x") == ("InvalidSecurityGroupRuleId.NotFound", 404)
    assert ecs.error("ModifySecurityGroupEgressRule", **base, SecurityGroupRuleId=http, Description="x") == \
        ("InvalidSecurityGroupRuleId.NotFound", 404)   # an ingress rule
    assert ecs.error("ModifySecurityGroupRule", **base, **{**SSH, "PortRange": "9/9"}, Description="x") == \
        ("SecurityGroupRule.NotFound", 404)
    assert ecs.error("ModifySecurityGroupRule", **base, SecurityGroupRuleId=http, PortRange="-1/-1") == \
        ("OperationDenied", 400)
    assert rules(ecs, group_id)[1]["PortRange"] == "80/80"

    assert ecs.error("RevokeSecurityGroup", **base, **{"SecurityGroupRuleId.1": http,
                                                        "SecurityGroupRuleId.2": "sgr-bpnothing000000000"}) == \
        ("InvalidSecurityGroupRuleId.NotFound", 404)
    assert len(rules(ecs, group_id)) == 3
    ecs("RevokeSecurityGroup", **base, **{"SecurityGroupRuleId.1": http, "SecurityGroupRuleId.2": from_peer})
    assert [r["SecurityGroupRuleId"] for r in rules(ecs, group_id)] == [ssh]
    ecs("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=peer_id)


# --- membership ------------------------------------------------------------------------------------

def _groups(ecs, instance_id: str) -> list[str]:
    return ecs.instance(instance_id)["SecurityGroupIds"]["SecurityGroupId"]


def test_join_and_leave_security_groups(ecs):
    first = ecs.security_group()
    instance_id = ecs.run_instance(SecurityGroupId=first)
    others = [ecs.security_group() for _ in range(5)]
    join = {"RegionId": REGION, "InstanceId": instance_id}

    ecs("JoinSecurityGroup", **join, SecurityGroupId=others[0])
    assert _groups(ecs, instance_id) == [first, others[0]]
    listed = ecs("DescribeInstances", RegionId=REGION, SecurityGroupId=others[0])["Instances"]["Instance"]
    assert [i["InstanceId"] for i in listed] == [instance_id]
    assert ecs.error("JoinSecurityGroup", **join, SecurityGroupId=others[0]) == \
        ("InvalidInstanceId.AlreadyExists", 403)
    for group_id in others[1:4]:
        ecs("JoinSecurityGroup", **join, SecurityGroupId=group_id)
    assert ecs.error("JoinSecurityGroup", **join, SecurityGroupId=others[4]) == \
        ("InstanceSecurityGroupLimitExceeded", 400)
    assert len(_groups(ecs, instance_id)) == 5
    groups = ecs("DescribeSecurityGroups", RegionId=REGION, SecurityGroupId=others[0])["SecurityGroups"]
    assert groups["SecurityGroup"][0]["EcsCount"] == 1
    assert ecs.error("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=others[0]) == ("DependencyViolation", 403)

    ecs("LeaveSecurityGroup", **join, SecurityGroupId=first)
    assert _groups(ecs, instance_id) == others[:4]
    assert ecs.error("LeaveSecurityGroup", **join, SecurityGroupId=first) == ("InstanceNotInSecurityGroup", 403)
    for group_id in others[:3]:
        ecs("LeaveSecurityGroup", **join, SecurityGroupId=group_id)
    assert ecs.error("LeaveSecurityGroup", **join, SecurityGroupId=others[3]) == ("InstanceLastSecurityGroup", 403)
    assert _groups(ecs, instance_id) == [others[3]]
    ecs("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=first)


def test_membership_by_network_interface_and_refusals(ecs):
    first, second = ecs.security_group(), ecs.security_group()
    instance_id = ecs.run_instance(SecurityGroupId=first)
    eni_id = ecs.instance(instance_id)["NetworkInterfaces"]["NetworkInterface"][0]["NetworkInterfaceId"]
    ecs("JoinSecurityGroup", RegionId=REGION, NetworkInterfaceId=eni_id, SecurityGroupId=second)
    assert _groups(ecs, instance_id) == [first, second]
    ecs("LeaveSecurityGroup", RegionId=REGION, NetworkInterfaceId=eni_id, SecurityGroupId=second)
    assert _groups(ecs, instance_id) == [first]

    assert ecs.error("JoinSecurityGroup", RegionId=REGION, SecurityGroupId=second) == ("MissingParameter", 400)
    assert ecs.error("JoinSecurityGroup", RegionId=REGION, NetworkInterfaceId="eni-bpnothing00000000000",
                     SecurityGroupId=second) == ("InvalidNetworkInterfaceId.NotFound", 404)
    assert ecs.error("JoinSecurityGroup", RegionId=REGION, InstanceId="i-bpnothing0000000000",
                     SecurityGroupId=second) == ("InvalidInstanceId.NotFound", 404)
    assert ecs.error("JoinSecurityGroup", RegionId="cn-shanghai", InstanceId=instance_id,
                     SecurityGroupId=second) == ("InvalidInstanceId.NotFound", 404)
    assert ecs.error("JoinSecurityGroup", RegionId=REGION, InstanceId=instance_id,
                     SecurityGroupId="sg-bpnothing0000000000") == ("InvalidSecurityGroupId.NotFound", 404)
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "security"})
    assert ecs.error("JoinSecurityGroup", RegionId=REGION, InstanceId=instance_id, SecurityGroupId=second) == \
        ("InstanceLockedForSecurity", 403)
    control(ecs.server, "DELETE", f"/instances/{instance_id}/locks/security")
    assert _groups(ecs, instance_id) == [first]
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "financial"})
    ecs("JoinSecurityGroup", RegionId=REGION, InstanceId=instance_id, SecurityGroupId=second)   # not stopped by it
    assert _groups(ecs, instance_id) == [first, second]


def test_membership_needs_a_running_or_stopped_instance(manual):
    first, second = manual.security_group(), manual.security_group()
    instance_id = manual.run_instance(SecurityGroupId=first)
    assert manual.instance(instance_id)["Status"] not in ("Running", "Stopped")
    assert manual.error("JoinSecurityGroup", RegionId=REGION, InstanceId=instance_id, SecurityGroupId=second) == \
        ("IncorrectInstanceStatus", 403)
    assert _groups(manual, instance_id) == [first]
