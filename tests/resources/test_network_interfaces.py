"""Elastic network interfaces: secondary ENIs made, attached, detached and deleted beside the
primary ENI every instance has; their statuses, the instance type's ENI and IP quotas,
private IPs of the vSwitch, security groups, tags; each action through both Python SDKs,
each error it declares."""

from __future__ import annotations

import ipaddress

import pytest
from alibabacloud_ecs20140526 import models as tea

from ecsemu.domain.ids import new_id
from ecsemu.store.rows import add
from ecsemu.store.schema import vpcs, vswitches
from tests.ecsclient import REGION, advance, flat

G7_LARGE_ENIS, G7_LARGE_IPS = 3, 6   # the catalogue's ecs.g7.large: ENIs, private IPs per ENI


def _network(ecs, **params) -> tuple[str, str, str]:
    """An instance, its vSwitch and its security group."""
    instance_id = ecs.run_instance(**params)
    instance = ecs.instance(instance_id)
    return instance_id, instance["VpcAttributes"]["VSwitchId"], instance["SecurityGroupIds"]["SecurityGroupId"][0]


def _create(ecs, vswitch_id: str, group_id: str, **params) -> str:
    return ecs("CreateNetworkInterface", RegionId=REGION, VSwitchId=vswitch_id, SecurityGroupId=group_id,
               **params)["NetworkInterfaceId"]


def _enis(ecs, **filters) -> list[dict]:
    return ecs("DescribeNetworkInterfaces", RegionId=REGION, PageSize=100, **filters)["NetworkInterfaceSets"][
        "NetworkInterfaceSet"]


def _eni(ecs, eni_id: str) -> dict:
    found = _enis(ecs, **{"NetworkInterfaceId.1": eni_id})
    assert len(found) == 1, found
    return found[0]


def _ips(eni: dict) -> list[tuple[str, bool]]:
    return [(ip["PrivateIpAddress"], ip["Primary"]) for ip in eni["PrivateIpSets"]["PrivateIpSet"]]


# --- the life of a secondary ENI, old SDK ------------------------------------------------------

def test_a_secondary_eni_from_creation_to_deletion(ecs):
    instance_id, vswitch_id, group_id = _network(ecs)
    made = ecs("CreateNetworkInterface", RegionId=REGION, VSwitchId=vswitch_id, **{"SecurityGroupIds.1": group_id},
               NetworkInterfaceName="web-eni", Description="the web tier", SecondaryPrivateIpAddressCount=2,
               **flat("Tag", [{"Key": "team", "Value": "web"}]))
    eni_id = made["NetworkInterfaceId"]
    assert eni_id.startswith("eni-bp") and made["Status"] == "Available" and made["Type"] == "Secondary"
    assert made["SecurityGroupIds"]["SecurityGroupId"] == [group_id]
    primary_ip = made["PrivateIpAddress"]
    assert ipaddress.ip_address(primary_ip) in ipaddress.ip_network("172.16.0.0/12")

    eni = _eni(ecs, eni_id)
    assert (eni["Status"], eni["Type"], eni["NetworkInterfaceName"], eni["Description"]) == \
        ("Available", "Secondary", "web-eni", "the web tier")
    assert eni["VSwitchId"] == vswitch_id and eni["InstanceId"] == "" and "Attachment" not in eni
    assert eni["MacAddress"] == made["MacAddress"] and eni["MacAddress"].startswith("00:16:3e:")
    ips = _ips(eni)
    assert ips[0] == (primary_ip, True) and [primary for _, primary in ips[1:]] == [False, False]
    assert len({address for address, _ in ips}) == 3
    assert eni["Tags"]["Tag"] == [{"TagKey": "team", "TagValue": "web"}]

    ecs("AttachNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id, InstanceId=instance_id)
    eni = _eni(ecs, eni_id)
    assert eni["Status"] == "InUse" and eni["InstanceId"] == instance_id
    assert eni["Attachment"]["DeviceIndex"] == 1
    # One listing: the instance's primary ENI, then the secondary one.
    listed = _enis(ecs, InstanceId=instance_id)
    assert [(e["Type"], e["Status"]) for e in listed] == [("Primary", "InUse"), ("Secondary", "InUse")]
    assert [e["NetworkInterfaceId"] for e in _enis(ecs, InstanceId=instance_id, Type="Secondary")] == [eni_id]
    # DescribeInstances lists it among the instance's ENIs too.
    listed_by_instance = ecs.instance(instance_id)["NetworkInterfaces"]["NetworkInterface"]
    assert [(e["Type"], e["PrimaryIpAddress"]) for e in listed_by_instance][1:] == [("Secondary", primary_ip)]
    assert listed_by_instance[1]["NetworkInterfaceId"] == eni_id
    assert [e["NetworkInterfaceId"] for e in _enis(ecs, **{"PrivateIpAddress.1": ips[2][0]})] == [eni_id]
    assert [e["NetworkInterfaceId"] for e in _enis(ecs, PrimaryIpAddress=primary_ip)] == [eni_id]
    assert [e["NetworkInterfaceId"] for e in _enis(ecs, NetworkInterfaceName="web-eni")] == [eni_id]
    assert eni_id in [e["NetworkInterfaceId"] for e in _enis(ecs, **flat("Tag", [{"Key": "team", "Value": "web"}]))]

    ecs("ModifyNetworkInterfaceAttribute", RegionId=REGION, NetworkInterfaceId=eni_id,
        NetworkInterfaceName="api-eni", Description="the api tier", QueueNumber=2, **{"SecurityGroupId.1": group_id})
    attribute = ecs("DescribeNetworkInterfaceAttribute", RegionId=REGION, NetworkInterfaceId=eni_id)
    assert (attribute["NetworkInterfaceName"], attribute["Description"], attribute["QueueNumber"]) == \
        ("api-eni", "the api tier", 2)

    chosen = str(ipaddress.ip_address(primary_ip) + 200)
    assigned = ecs("AssignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=eni_id,
                   **{"PrivateIpAddress.1": chosen})
    assert assigned["AssignedPrivateIpAddressesSet"]["PrivateIpSet"]["PrivateIpAddress"] == [chosen]
    assert (chosen, False) in _ips(_eni(ecs, eni_id))
    ecs("UnassignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=eni_id, **{"PrivateIpAddress.1": chosen})
    assert chosen not in [address for address, _ in _ips(_eni(ecs, eni_id))]

    ecs("DetachNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id, InstanceId=instance_id)
    eni = _eni(ecs, eni_id)
    assert eni["Status"] == "Available" and eni["InstanceId"] == "" and "Attachment" not in eni
    assert [e["Type"] for e in ecs.instance(instance_id)["NetworkInterfaces"]["NetworkInterface"]] == ["Primary"]
    ecs("DeleteNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id)
    assert _enis(ecs, **{"NetworkInterfaceId.1": eni_id}) == []
    assert ecs.error("DescribeNetworkInterfaceAttribute", RegionId=REGION, NetworkInterfaceId=eni_id) == \
        ("InvalidEniId.NotFound", 404)
    assert ecs.error("DescribeNetworkInterfaceAttribute", RegionId=REGION, NetworkInterfaceId=eni_id,
                     **flat("Tag", [{"Key": "team", "Value": "web"}])) == ("UnsupportedParameter", 400)


# --- the same, tea SDK ---------------------------------------------------------------------------

def test_every_eni_action_through_the_tea_sdk(ecs):
    client = ecs.tea()
    instance_id, vswitch_id, group_id = _network(ecs)
    made = client.create_network_interface(tea.CreateNetworkInterfaceRequest(
        region_id=REGION, v_switch_id=vswitch_id, security_group_ids=[group_id], private_ip_address=[],
        network_interface_name="tea-eni", tag=[tea.CreateNetworkInterfaceRequestTag(key="k", value="v")])).body
    eni_id = made.network_interface_id
    assert made.status == "Available" and made.security_group_ids.security_group_id == [group_id]
    client.attach_network_interface(tea.AttachNetworkInterfaceRequest(
        region_id=REGION, network_interface_id=eni_id, instance_id=instance_id))
    client.modify_network_interface_attribute(tea.ModifyNetworkInterfaceAttributeRequest(
        region_id=REGION, network_interface_id=eni_id, description="by tea", delete_on_release=False))
    assigned = client.assign_private_ip_addresses(tea.AssignPrivateIpAddressesRequest(
        region_id=REGION, network_interface_id=eni_id, secondary_private_ip_address_count=2)).body
    added = assigned.assigned_private_ip_addresses_set.private_ip_set.private_ip_address
    assert len(added) == 2
    attribute = client.describe_network_interface_attribute(tea.DescribeNetworkInterfaceAttributeRequest(
        region_id=REGION, network_interface_id=eni_id)).body
    assert (attribute.status, attribute.description, attribute.delete_on_release) == ("InUse", "by tea", False)
    assert attribute.attachment.instance_id == instance_id
    assert [ip.private_ip_address for ip in attribute.private_ip_sets.private_ip_set][1:] == added
    client.unassign_private_ip_addresses(tea.UnassignPrivateIpAddressesRequest(
        region_id=REGION, network_interface_id=eni_id, private_ip_address=added[:1]))
    listed = client.describe_network_interfaces(tea.DescribeNetworkInterfacesRequest(
        region_id=REGION, network_interface_id=[eni_id])).body.network_interface_sets.network_interface_set
    assert [ip.private_ip_address for ip in listed[0].private_ip_sets.private_ip_set][1:] == added[1:]
    assert listed[0].tags.tag[0].tag_key == "k"
    client.detach_network_interface(tea.DetachNetworkInterfaceRequest(
        region_id=REGION, network_interface_id=eni_id, instance_id=instance_id))
    client.delete_network_interface(tea.DeleteNetworkInterfaceRequest(region_id=REGION, network_interface_id=eni_id))
    assert _enis(ecs, **{"NetworkInterfaceId.1": eni_id}) == []


# --- statuses on the manual clock ----------------------------------------------------------------

def test_attaching_and_detaching_take_their_time(manual):
    ecs = manual
    instance_id, vswitch_id, group_id = _network(ecs)
    eni_id = _create(ecs, vswitch_id, group_id)
    # Still Pending: no ENI goes on an instance that is not Running or Stopped.
    assert ecs.error("AttachNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id,
                     InstanceId=instance_id) == ("InvalidOperation.InvalidEcsState", 400)
    advance(ecs, 10)
    assert ecs.instance(instance_id)["Status"] == "Running"

    ecs("AttachNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id, InstanceId=instance_id)
    assert _eni(ecs, eni_id)["Status"] == "Attaching"
    assert [e["NetworkInterfaceId"] for e in _enis(ecs, Status="Attaching")] == [eni_id]
    assert ecs.error("DeleteNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id) == \
        ("InvalidOperation.InvalidEniState", 400)
    assert ecs.error("AssignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=eni_id,
                     SecondaryPrivateIpAddressCount=1) == ("InvalidOperation.InvalidEniState", 400)
    assert ecs.error("UnassignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=eni_id,
                     **{"PrivateIpAddress.1": "172.16.0.250"}) == ("InvalidOperation.InvalidEniState", 400)
    advance(ecs, 1)
    assert _eni(ecs, eni_id)["Status"] == "InUse"

    ecs("StopInstance", InstanceId=instance_id)   # Stopping: neither detach nor change its IPs
    assert ecs.error("DetachNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id,
                     InstanceId=instance_id) == ("InvalidOperation.InvalidEcsState", 400)
    assert ecs.error("AssignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=eni_id,
                     SecondaryPrivateIpAddressCount=1) == ("InvalidOperation.InvalidEcsState", 400)
    assert ecs.error("UnassignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=eni_id,
                     **{"PrivateIpAddress.1": "172.16.0.250"}) == ("InvalidOperation.InvalidEcsState", 400)
    advance(ecs, 5)

    ecs("DetachNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id, InstanceId=instance_id)
    assert _eni(ecs, eni_id)["Status"] == "Detaching"
    ecs("DetachNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id, InstanceId=instance_id)  # again: fine
    advance(ecs, 1)
    eni = _eni(ecs, eni_id)
    assert eni["Status"] == "Available" and eni["InstanceId"] == ""


# --- quotas ---------------------------------------------------------------------------------------

def test_the_instance_type_bounds_enis_and_their_addresses(ecs):
    instance_id, vswitch_id, group_id = _network(ecs)
    enis = [_create(ecs, vswitch_id, group_id) for _ in range(G7_LARGE_ENIS)]
    for eni_id in enis[:-1]:   # the primary ENI is the first of three
        ecs("AttachNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id, InstanceId=instance_id)
    assert ecs.error("AttachNetworkInterface", RegionId=REGION, NetworkInterfaceId=enis[-1],
                     InstanceId=instance_id) == ("EniPerInstanceLimitExceeded", 403)
    assert [e["Attachment"]["DeviceIndex"] for e in _enis(ecs, InstanceId=instance_id, Type="Secondary")] == [1, 2]

    # Attached, an ENI holds the type's addresses (the primary one among them).
    attached = enis[0]
    ecs("AssignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=attached,
        SecondaryPrivateIpAddressCount=G7_LARGE_IPS - 1)
    assert ecs.error("AssignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=attached,
                     SecondaryPrivateIpAddressCount=1) == ("InvalidOperation.Ipv4CountExceeded", 403)
    # Free, ten secondary ones: too many for an ecs.g7.large.
    free = enis[-1]
    ecs("AssignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=free, SecondaryPrivateIpAddressCount=10)
    assert ecs.error("AssignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=free,
                     SecondaryPrivateIpAddressCount=1) == ("InvalidOperation.Ipv4CountExceeded", 403)
    other, _, _ = _network(ecs)
    assert ecs.error("AttachNetworkInterface", RegionId=REGION, NetworkInterfaceId=free,
                     InstanceId=other) == ("InvalidOperation.Ipv4CountExceeded", 403)


def test_the_primary_eni_takes_secondary_addresses_and_loses_them_with_its_instance(ecs):
    instance_id, _, _ = _network(ecs)
    primary = ecs.instance(instance_id)["NetworkInterfaces"]["NetworkInterface"][0]["NetworkInterfaceId"]
    added = ecs("AssignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=primary,
                SecondaryPrivateIpAddressCount=2)["AssignedPrivateIpAddressesSet"]["PrivateIpSet"]["PrivateIpAddress"]
    assert [address for address, primary_ip in _ips(_eni(ecs, primary)) if not primary_ip] == added
    assert ecs.error("UnassignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId=primary,
                     **{"PrivateIpAddress.1": _eni(ecs, primary)["PrivateIpAddress"]}) == \
        ("InvalidIp.IpUnassigned", 403)
    ecs("DeleteInstance", InstanceId=instance_id, Force=True)
    # The addresses are free again: another ENI may take them.
    _, vswitch_id, group_id = _network(ecs)
    _create(ecs, vswitch_id, group_id, **{f"PrivateIpAddress.{n}": ip for n, ip in enumerate(added, start=1)})


# --- what DeleteInstance and DeleteSecurityGroup do with ENIs -------------------------------------

def test_deleting_an_instance_detaches_its_secondary_enis(ecs):
    instance_id, vswitch_id, group_id = _network(ecs)
    eni_id = _create(ecs, vswitch_id, group_id)
    ecs("AttachNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id, InstanceId=instance_id)
    ecs("DeleteInstance", InstanceId=instance_id, Force=True)
    eni = _eni(ecs, eni_id)
    assert (eni["Status"], eni["InstanceId"]) == ("Available", "")
    ecs("DeleteNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id)


def test_a_security_group_with_an_eni_is_in_use(ecs):
    _, vswitch_id, _ = _network(ecs)
    group_id = ecs.security_group()
    eni_id = _create(ecs, vswitch_id, group_id)
    assert ecs.error("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=group_id) == ("DependencyViolation", 403)
    assert [e["NetworkInterfaceId"] for e in _enis(ecs, SecurityGroupId=group_id)] == [eni_id]
    ecs("DeleteNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id)
    ecs("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=group_id)


def test_join_and_leave_security_group_change_a_secondary_enis_groups(ecs):
    _, vswitch_id, first = _network(ecs)
    second = ecs.security_group()
    eni_id = _create(ecs, vswitch_id, first)
    ecs("JoinSecurityGroup", RegionId=REGION, SecurityGroupId=second, NetworkInterfaceId=eni_id)
    assert _eni(ecs, eni_id)["SecurityGroupIds"]["SecurityGroupId"] == [first, second]
    assert ecs.error("JoinSecurityGroup", RegionId=REGION, SecurityGroupId=second, NetworkInterfaceId=eni_id) == \
        ("InvalidInstanceId.AlreadyExists", 403)
    ecs("LeaveSecurityGroup", RegionId=REGION, SecurityGroupId=first, NetworkInterfaceId=eni_id)
    assert _eni(ecs, eni_id)["SecurityGroupIds"]["SecurityGroupId"] == [second]
    assert ecs.error("LeaveSecurityGroup", RegionId=REGION, SecurityGroupId=second, NetworkInterfaceId=eni_id) == \
        ("InstanceLastSecurityGroup", 403)
    assert ecs.error("LeaveSecurityGroup", RegionId=REGION, SecurityGroupId=first, NetworkInterfaceId=eni_id) == \
        ("InstanceNotInSecurityGroup", 403)
    for _ in range(4):
        ecs("JoinSecurityGroup", RegionId=REGION, SecurityGroupId=ecs.security_group(), NetworkInterfaceId=eni_id)
    assert ecs.error("JoinSecurityGroup", RegionId=REGION, SecurityGroupId=ecs.security_group(),
                     NetworkInterfaceId=eni_id) == ("InstanceSecurityGroupLimitExceeded", 400)


def test_tags_and_resource_group_of_an_eni(ecs):
    _, vswitch_id, group_id = _network(ecs)
    eni_id = _create(ecs, vswitch_id, group_id)
    ecs("TagResources", RegionId=REGION, ResourceType="eni", **{"ResourceId.1": eni_id},
        **flat("Tag", [{"Key": "env", "Value": "prod"}]))
    listed = ecs("ListTagResources", RegionId=REGION, ResourceType="eni", **{"ResourceId.1": eni_id})
    assert listed["TagResources"]["TagResource"][0]["TagKey"] == "env"
    assert _eni(ecs, eni_id)["Tags"]["Tag"] == [{"TagKey": "env", "TagValue": "prod"}]
    group = "rg-acfmxazb4ph6aiy"
    ecs("JoinResourceGroup", RegionId=REGION, ResourceType="eni", ResourceId=eni_id, ResourceGroupId=group)
    assert [e["NetworkInterfaceId"] for e in _enis(ecs, ResourceGroupId=group)] == [eni_id]


# --- every error ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def net(ecs):
    """An instance, its vSwitch and group, and an ENI of them, Available."""
    instance_id, vswitch_id, group_id = _network(ecs)
    return instance_id, vswitch_id, group_id, _create(ecs, vswitch_id, group_id)


def test_create_errors(ecs, net):
    _, vswitch_id, group_id, eni_id = net
    base = {"RegionId": REGION, "VSwitchId": vswitch_id, "SecurityGroupId": group_id}
    taken = _eni(ecs, eni_id)["PrivateIpAddress"]
    cases = [
        ({"SecurityGroupIds.1": group_id}, ("InvalidParameter.Conflict", 400)),
        ({"SecurityGroupId": None}, ("MissingParameter", 400)),
        ({"VSwitchId": None}, ("MissingParameter", 400)),
        ({"PrivateIpAddress.1": "172.16.200.1", "SecondaryPrivateIpAddressCount": 1},
         ("InvalidParameter.Conflict", 400)),
        ({"NetworkInterfaceName": "1bad"}, ("InvalidParameter", 400)),
        ({"Description": "http://x"}, ("InvalidParameter", 400)),
        ({"VSwitchId": "vsw-bp1nothere000000000"}, ("InvalidVSwitchId.NotFound", 404)),
        ({"SecurityGroupId": "sg-bp1nothere0000000000"}, ("InvalidSecurityGroupId.NotFound", 404)),
        ({"PrimaryIpAddress": "10.0.0.5"}, ("InvalidVSwitchId.IpInvalid", 403)),
        ({"PrimaryIpAddress": "not-an-ip"}, ("InvalidVSwitchId.IpInvalid", 403)),
        ({"PrivateIpAddress.1": "172.16.201.1", "PrivateIpAddress.2": "172.16.201.1"}, ("InvalidIp.IpRepeated", 403)),
        ({"PrimaryIpAddress": taken}, ("InvalidPrivateIpAddress.Duplicated", 400)),
        ({"SecondaryPrivateIpAddressCount": 11}, ("InvalidParameter", 400)),
        ({"Ipv6AddressCount": 1}, ("UnsupportedParameter", 400)),
        ({"Tag.1.Key": "acs:x", "Tag.1.Value": "v"}, ("InvalidTagKey.Malformed", 400)),
        ({"Tag.1.Key": "k", "Tag.1.Value": "http://v"}, ("InvalidTagValue.Malformed", 400)),
        ({**flat("Tag", [{"Key": "k", "Value": "a"}, {"Key": "k", "Value": "b"}])}, ("Duplicate.TagKey", 400)),
        ({"ResourceGroupId": "rg-NOT_A_GROUP"}, ("InvalidResourceGroup.NotFound", 404)),
    ]
    before = len(_enis(ecs))
    for change, expected in cases:
        params = {**base, **change}
        assert ecs.error("CreateNetworkInterface", **{k: v for k, v in params.items() if v is not None}) == \
            expected, change
    assert len(_enis(ecs)) == before   # nothing made, nothing half made


def test_an_eni_and_a_group_of_another_vpc(ecs, net):
    """ecsemu has no CreateVpc: a second VPC and its vSwitch are put in the store as the
    VPC service would make them."""
    instance_id, _, group_id, _ = net
    emulator, account_id = ecs.server.emulator, ecs.key.account_id
    with emulator.unit_of_work() as conn:
        vpc_id, vswitch_id = new_id("vpc", REGION), new_id("vsw", REGION)
        add(conn, vpcs, id=vpc_id, account_id=account_id, region_id=REGION, created_at=0.0,
            cidr_block="192.168.0.0/16", is_default=False)
        add(conn, vswitches, id=vswitch_id, account_id=account_id, region_id=REGION, created_at=0.0, vpc_id=vpc_id,
            zone_id=ecs.instance(instance_id)["ZoneId"], cidr_block="192.168.1.0/24", is_default=False)
    assert ecs.error("CreateNetworkInterface", RegionId=REGION, VSwitchId=vswitch_id, SecurityGroupId=group_id) == \
        ("InvalidOperation.VpcMismatch", 403)
    other_group = ecs("CreateSecurityGroup", RegionId=REGION, VpcId=vpc_id)["SecurityGroupId"]
    eni_id = _create(ecs, vswitch_id, other_group)
    assert ipaddress.ip_address(_eni(ecs, eni_id)["PrivateIpAddress"]) in ipaddress.ip_network("192.168.1.0/24")
    assert ecs.error("AttachNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id,
                     InstanceId=instance_id) == ("InvalidOperation.VpcMismatch", 403)
    assert ecs.error("ModifyNetworkInterfaceAttribute", RegionId=REGION, NetworkInterfaceId=eni_id,
                     **{"SecurityGroupId.1": group_id}) == ("InvalidOperation.VpcMismatch", 403)


def test_attach_detach_delete_errors(ecs, net):
    instance_id, _, _, eni_id = net
    primary = ecs.instance(instance_id)["NetworkInterfaces"]["NetworkInterface"][0]["NetworkInterfaceId"]
    other_zone = ecs.run_instance(ZoneId="cn-hangzhou-i")
    missing = "eni-bp1nothere0000000000"
    attach = {"RegionId": REGION, "NetworkInterfaceId": eni_id, "InstanceId": instance_id}
    assert ecs.error("AttachNetworkInterface", **{**attach, "NetworkInterfaceId": missing}) == \
        ("InvalidEniId.NotFound", 404)
    assert ecs.error("AttachNetworkInterface", **{**attach, "NetworkInterfaceId": primary}) == \
        ("InvalidOperation.InvalidEniType", 403)
    assert ecs.error("AttachNetworkInterface", **{**attach, "InstanceId": "i-bp1nothere00000000"}) == \
        ("InvalidEcsId.NotFound", 404)
    assert ecs.error("AttachNetworkInterface", **{**attach, "InstanceId": other_zone}) == \
        ("InvalidOperation.AvailabilityZoneMismatch", 403)
    assert ecs.error("AttachNetworkInterface", **attach, NetworkCardIndex=1) == ("InvalidParameter", 400)
    assert ecs.error("AttachNetworkInterface", **attach, TrunkNetworkInstanceId="eni-x") == \
        ("UnsupportedParameter", 400)
    detach = dict(attach)
    assert ecs.error("DetachNetworkInterface", **detach) == ("InvalidOperation.InvalidEniState", 400)  # Available
    assert ecs.error("DetachNetworkInterface", **{**detach, "NetworkInterfaceId": primary}) == \
        ("InvalidOperation.DetachPrimaryEniNotAllowed", 400)
    assert ecs.error("DetachNetworkInterface", **{**detach, "NetworkInterfaceId": missing}) == \
        ("InvalidEniId.NotFound", 404)
    ecs("AttachNetworkInterface", **attach)
    assert ecs.error("AttachNetworkInterface", **attach) == ("InvalidOperation.InvalidEniState", 400)  # InUse
    assert ecs.error("DetachNetworkInterface", **{**detach, "InstanceId": "i-bp1nothere00000000"}) == \
        ("InvalidEcsId.NotFound", 404)
    assert ecs.error("DetachNetworkInterface", **{**detach, "InstanceId": other_zone}) == \
        ("InvalidOperation.InvalidEniState", 400)   # attached to another instance
    assert ecs.error("DeleteNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni_id) == \
        ("InvalidOperation.InvalidEniState", 400)
    assert ecs.error("DeleteNetworkInterface", RegionId=REGION, NetworkInterfaceId=primary) == \
        ("InvalidOperation.InvalidEniType", 403)
    assert ecs.error("DeleteNetworkInterface", RegionId=REGION, NetworkInterfaceId=missing) == \
        ("InvalidEniId.NotFound", 404)
    ecs("DetachNetworkInterface", **detach)
    assert _eni(ecs, eni_id)["Status"] == "Available"


def test_modify_errors(ecs, net):
    instance_id, _, group_id, eni_id = net
    primary = ecs.instance(instance_id)["NetworkInterfaces"]["NetworkInterface"][0]["NetworkInterfaceId"]
    modify = {"RegionId": REGION, "NetworkInterfaceId": eni_id}
    assert ecs.error("ModifyNetworkInterfaceAttribute", **modify, NetworkInterfaceName="-x") == \
        ("InvalidParameter", 400)
    assert ecs.error("ModifyNetworkInterfaceAttribute", **modify, **{"SecurityGroupId.1": "sg-bp1nothere000000"}) \
        == ("InvalidSecurityGroupId.NotFound", 404)
    assert ecs.error("ModifyNetworkInterfaceAttribute", RegionId=REGION, NetworkInterfaceId="eni-bp1nothere000000",
                     Description="x y") == ("InvalidEniId.NotFound", 404)
    assert ecs.error("ModifyNetworkInterfaceAttribute", RegionId=REGION, NetworkInterfaceId=primary,
                     NetworkInterfaceName="name") == ("UnsupportedParameter", 400)
    assert ecs.error("ModifyNetworkInterfaceAttribute", **modify, TxQueueSize=8) == ("UnsupportedParameter", 400)
    # A primary ENI's groups are its instance's.
    second = ecs.security_group()
    ecs("ModifyNetworkInterfaceAttribute", RegionId=REGION, NetworkInterfaceId=primary,
        **{"SecurityGroupId.1": group_id, "SecurityGroupId.2": second})
    assert ecs.instance(instance_id)["SecurityGroupIds"]["SecurityGroupId"] == [group_id, second]


def test_private_ip_errors(ecs, net):
    _, _, _, eni_id = net
    assign = {"RegionId": REGION, "NetworkInterfaceId": eni_id}
    held = _eni(ecs, eni_id)["PrivateIpAddress"]
    assert ecs.error("AssignPrivateIpAddresses", **assign) == ("MissingParameter", 400)
    assert ecs.error("AssignPrivateIpAddresses", **assign, SecondaryPrivateIpAddressCount=1,
                     **{"PrivateIpAddress.1": "172.16.0.250"}) == ("InvalidParameter.Conflict", 400)
    assert ecs.error("AssignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId="eni-bp1nothere0000000",
                     SecondaryPrivateIpAddressCount=1) == ("InvalidEniId.NotFound", 404)
    assert ecs.error("AssignPrivateIpAddresses", **assign, **{"PrivateIpAddress.1": "10.1.1.1"}) == \
        ("InvalidVSwitchId.IpInvalid", 403)
    assert ecs.error("AssignPrivateIpAddresses", **assign, **{"PrivateIpAddress.1": held}) == \
        ("InvalidPrivateIpAddress.Duplicated", 400)
    free = str(ipaddress.ip_address(held) + 300)
    assert ecs.error("AssignPrivateIpAddresses", **assign, **{"PrivateIpAddress.1": free,
                                                             "PrivateIpAddress.2": free}) == \
        ("InvalidIp.IpRepeated", 403)
    assert ecs.error("AssignPrivateIpAddresses", **assign, Ipv4PrefixCount=1) == ("UnsupportedParameter", 400)
    assert ecs.error("UnassignPrivateIpAddresses", **assign) == ("MissingParameter", 400)
    assert ecs.error("UnassignPrivateIpAddresses", **assign, **{"PrivateIpAddress.1": free}) == \
        ("InvalidIp.IpUnassigned", 403)
    assert ecs.error("UnassignPrivateIpAddresses", **assign, **{"PrivateIpAddress.1": free,
                                                               "PrivateIpAddress.2": free}) == \
        ("InvalidIp.IpRepeated", 403)
    assert ecs.error("UnassignPrivateIpAddresses", RegionId=REGION, NetworkInterfaceId="eni-bp1nothere0000000",
                     **{"PrivateIpAddress.1": free}) == ("InvalidEniId.NotFound", 404)
    assert len(_ips(_eni(ecs, eni_id))) == 1   # nothing assigned by the failures


@pytest.mark.parametrize("action, params, missing", [
    ("CreateNetworkInterface", {"SecurityGroupId": "sg-x"}, "VSwitchId"),
    ("AttachNetworkInterface", {"InstanceId": "i-x"}, "NetworkInterfaceId"),
    ("AttachNetworkInterface", {"NetworkInterfaceId": "eni-x"}, "InstanceId"),
    ("DetachNetworkInterface", {"InstanceId": "i-x"}, "NetworkInterfaceId"),
    ("DetachNetworkInterface", {"NetworkInterfaceId": "eni-x"}, "InstanceId"),
    ("DeleteNetworkInterface", {}, "NetworkInterfaceId"),
    ("ModifyNetworkInterfaceAttribute", {"Description": "x y"}, "NetworkInterfaceId"),
    ("DescribeNetworkInterfaceAttribute", {}, "NetworkInterfaceId"),
    ("AssignPrivateIpAddresses", {"SecondaryPrivateIpAddressCount": 1}, "NetworkInterfaceId"),
    ("UnassignPrivateIpAddresses", {"PrivateIpAddress.1": "172.16.0.9"}, "NetworkInterfaceId"),
    ("UnassignPrivateIpAddresses", {"NetworkInterfaceId": "eni-x"}, "PrivateIpAddress"),
])
def test_a_required_parameter_missing(ecs, action, params, missing):
    assert ecs.error(action, RegionId=REGION, **params) == ("MissingParameter", 400)


def test_values_out_of_bounds_and_parameters_not_emulated(ecs, net):
    instance_id, _, _, eni_id = net
    named = {"RegionId": REGION, "NetworkInterfaceId": eni_id}
    groups = {f"SecurityGroupId.{n}": f"sg-{n}" for n in range(1, 7)}
    addresses = {f"PrivateIpAddress.{n}": f"172.16.9.{n}" for n in range(1, 52)}
    for action, params, expected in [
        ("ModifyNetworkInterfaceAttribute", groups, ("InvalidParameter", 400)),                   # six groups
        ("ModifyNetworkInterfaceAttribute", {"QueueNumber": 0}, ("InvalidParameter", 400)),
        ("AssignPrivateIpAddresses", {"SecondaryPrivateIpAddressCount": 0}, ("InvalidParameter", 400)),
        ("UnassignPrivateIpAddresses", addresses, ("InvalidParameter", 400)),                    # 51 addresses
        ("UnassignPrivateIpAddresses", {"PrivateIpAddress.1": "172.16.9.1", "Ipv4Prefix.1": "172.16.9.0/28"},
         ("UnsupportedParameter", 400)),
        ("DetachNetworkInterface", {"InstanceId": instance_id, "TrunkNetworkInstanceId": "eni-x"},
         ("UnsupportedParameter", 400)),
        ("CreateNetworkInterface", {"VSwitchId": "vsw-x", "SecurityGroupId": "sg-x", "InstanceType": "Trunk"},
         ("InvalidParameter", 400)),
    ]:
        assert ecs.error(action, **named, **params) == expected, (action, params)
    assert ecs.error("DescribeNetworkInterfaces", RegionId=REGION, NextToken="not-a-token") == \
        ("InvalidParameter", 400)


def test_a_primary_eni_shows_none_of_its_instances_tags(ecs):
    instance_id = ecs.run_instance(**flat("Tag", [{"Key": "only", "Value": "instance"}]))
    primary = ecs.instance(instance_id)["NetworkInterfaces"]["NetworkInterface"][0]["NetworkInterfaceId"]
    assert _eni(ecs, primary)["Tags"]["Tag"] == []
    assert _enis(ecs, **flat("Tag", [{"Key": "only", "Value": "instance"}])) == []
    assert ecs.error("TagResources", RegionId=REGION, ResourceType="eni", **{"ResourceId.1": primary},
                     **flat("Tag", [{"Key": "k", "Value": "v"}])) == ("InvalidResourceId.NotFound", 404)


def test_both_paging_styles_walk_primary_and_secondary_enis_alike(ecs):
    instance_id, vswitch_id, group_id = _network(ecs)
    for _ in range(2):
        ecs("AttachNetworkInterface", RegionId=REGION, NetworkInterfaceId=_create(ecs, vswitch_id, group_id),
            InstanceId=instance_id)
    everything = [e["NetworkInterfaceId"] for e in _enis(ecs, InstanceId=instance_id)]
    assert len(everything) == 3
    walked, token = [], None
    while True:
        page = ecs("DescribeNetworkInterfaces", RegionId=REGION, InstanceId=instance_id, MaxResults=1,
                   NextToken=token)
        walked += [e["NetworkInterfaceId"] for e in page["NetworkInterfaceSets"]["NetworkInterfaceSet"]]
        token = page["NextToken"]
        if not token:
            break
    assert walked == everything
    numbered = [ecs("DescribeNetworkInterfaces", RegionId=REGION, InstanceId=instance_id, PageSize=1,
                    PageNumber=n)["NetworkInterfaceSets"]["NetworkInterfaceSet"][0]["NetworkInterfaceId"]
                for n in (1, 2, 3)]
    assert numbered == everything
    page = ecs("DescribeNetworkInterfaces", RegionId=REGION, InstanceId=instance_id, PageSize=1)
    assert page["TotalCount"] == 3
