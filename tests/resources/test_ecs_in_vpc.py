"""ECS resources in the VPC and vSwitch the user names: RunInstances, CreateInstance,
CreateNetworkInterface and CreateSecurityGroup through both Python SDKs. Addresses come
from the vSwitch's own block, past its reserved ones (the first and the last three); a
chosen PrivateIpAddress is honoured or refused with the real code; a vSwitch or VPC of
another account or region is not found; a refused call makes nothing.

The vSwitches here are the default ones ECS makes per zone (the VPC product's vSwitch
actions come separately): a zone's default vSwitch holds a /16 of the default VPC's block
(store/networks.py), which is what ``_block`` reads an instance's address against."""

from __future__ import annotations

import ipaddress

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from aliyunsdkecs.request.v20140526.CreateInstanceRequest import CreateInstanceRequest
from aliyunsdkecs.request.v20140526.RunInstancesRequest import RunInstancesRequest

from tests.ecsclient import LINUX_IMAGE, REGION, ZONE, advance
from tests.vpcclient import Vpc

OTHER_ZONE = "cn-hangzhou-g"


@pytest.fixture(scope="module")
def placed(ecs):
    """An instance of ZONE: its default vSwitch, security group and that vSwitch's block."""
    instance = ecs.instance(ecs.run_instance(ZoneId=ZONE))
    address = instance["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]
    return (instance["VpcAttributes"]["VSwitchId"], instance["SecurityGroupIds"]["SecurityGroupId"][0],
            ipaddress.ip_network(f"{address}/16", strict=False))


def _launch(ecs, vswitch_id: str, group_id: str, **params) -> dict:
    return {"RegionId": REGION, "ImageId": LINUX_IMAGE, "InstanceType": "ecs.g7.large", "VSwitchId": vswitch_id,
            "SecurityGroupId": group_id, **params}


def _ip_of(ecs, instance_id: str) -> str:
    return ecs.instance(instance_id)["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]


def _count(ecs) -> int:
    return ecs("DescribeInstances", RegionId=REGION, PageSize=1)["TotalCount"]


def test_addresses_come_from_the_vswitch_block_and_skip_its_reserved_ones(ecs, placed):
    vswitch_id, group_id, block = placed
    made = ecs("RunInstances", **_launch(ecs, vswitch_id, group_id, Amount=3))["InstanceIdSets"]["InstanceIdSet"]
    addresses = [ipaddress.ip_address(_ip_of(ecs, instance_id)) for instance_id in made]
    assert len(set(addresses)) == 3
    for address in addresses:
        assert address in block and address != block.network_address
        assert address < block.broadcast_address - 2     # .253, .254, .255 of the last /24 are the vSwitch's
    # Handed out in order from the block's first host (the gateway is the reserved .253):
    # the module's first instance took it.
    listed = ecs("DescribeInstances", RegionId=REGION, VSwitchId=vswitch_id, PageSize=100)["Instances"]["Instance"]
    held = {ipaddress.ip_address(i["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]) for i in listed}
    assert block.network_address + 1 in held


def test_a_chosen_private_ip_is_honoured_through_the_old_sdks_request_class(ecs, placed):
    vswitch_id, group_id, block = placed
    chosen = str(block.broadcast_address - 3)          # the block's last usable address
    request = RunInstancesRequest()
    request.set_ImageId(LINUX_IMAGE)
    request.set_InstanceType("ecs.g7.large")
    request.set_VSwitchId(vswitch_id)
    request.set_SecurityGroupId(group_id)
    request.set_PrivateIpAddress(chosen)
    instance_id = ecs.send(request)["InstanceIdSets"]["InstanceIdSet"][0]
    assert _ip_of(ecs, instance_id) == chosen
    primary = ecs("DescribeNetworkInterfaces", RegionId=REGION, InstanceId=instance_id)["NetworkInterfaceSets"][
        "NetworkInterfaceSet"][0]
    assert primary["PrivateIpAddress"] == chosen

    # Held now: by an instance for RunInstances and CreateInstance, for an ENI too.
    before = _count(ecs)
    assert ecs.error("RunInstances", **_launch(ecs, vswitch_id, group_id, PrivateIpAddress=chosen)) == \
        ("InvalidPrivateIpAddress.Duplicated", 400)
    again = CreateInstanceRequest()
    again.set_ImageId(LINUX_IMAGE)
    again.set_InstanceType("ecs.g7.large")
    again.set_VSwitchId(vswitch_id)
    again.set_SecurityGroupId(group_id)
    again.set_PrivateIpAddress(chosen)
    with pytest.raises(Exception) as refused:
        ecs.send(again)
    assert (refused.value.get_error_code(), refused.value.get_http_status()) == \
        ("InvalidPrivateIpAddress.Duplicated", 400)
    assert ecs.error("CreateNetworkInterface", RegionId=REGION, VSwitchId=vswitch_id, SecurityGroupId=group_id,
                     PrimaryIpAddress=chosen) == ("InvalidPrivateIpAddress.Duplicated", 400)
    assert _count(ecs) == before

    # Released with its instance, the address may be chosen again.
    ecs("DeleteInstance", InstanceId=instance_id, Force=True)
    reused = ecs("CreateInstance", **_launch(ecs, vswitch_id, group_id, PrivateIpAddress=chosen))["InstanceId"]
    assert _ip_of(ecs, reused) == chosen


def test_a_chosen_private_ip_through_the_tea_sdk_with_consecutive_addresses(ecs, placed):
    vswitch_id, group_id, block = placed
    client = ecs.tea()
    first = block.network_address + 40 * 256 + 7
    made = client.run_instances(ecs_models.RunInstancesRequest(
        region_id=REGION, image_id=LINUX_IMAGE, instance_type="ecs.g7.large", v_switch_id=vswitch_id,
        security_group_id=group_id, private_ip_address=str(first), amount=3)).body.instance_id_sets.instance_id_set
    assert [_ip_of(ecs, instance_id) for instance_id in made] == [str(first + n) for n in range(3)]
    created = client.create_instance(ecs_models.CreateInstanceRequest(
        region_id=REGION, image_id=LINUX_IMAGE, instance_type="ecs.g7.large", v_switch_id=vswitch_id,
        security_group_id=group_id, private_ip_address=str(first + 3))).body.instance_id
    assert _ip_of(ecs, created) == str(first + 3)
    # One of the run already held: nothing is made.
    before = _count(ecs)
    assert ecs.error("RunInstances", **_launch(ecs, vswitch_id, group_id, PrivateIpAddress=str(first - 1),
                                               Amount=2)) == ("InvalidPrivateIpAddress.Duplicated", 400)
    assert _count(ecs) == before


@pytest.mark.parametrize("pick", [
    lambda block: str(block.network_address),            # the network address
    lambda block: str(block.broadcast_address - 2),      # the last three are reserved
    lambda block: str(block.broadcast_address - 1),
    lambda block: str(block.broadcast_address),
    lambda block: "10.0.0.5",                            # outside the block
    lambda block: "172.17.0.9" if block.network_address != ipaddress.ip_address("172.17.0.0") else "172.18.0.9",
    lambda block: "not-an-ip",
    lambda block: str(block.broadcast_address - 3) + "x",
])
def test_a_private_ip_outside_the_block_or_reserved_is_refused(ecs, placed, pick):
    vswitch_id, group_id, block = placed
    before = _count(ecs)
    for action in ("RunInstances", "CreateInstance"):
        assert ecs.error(action, **_launch(ecs, vswitch_id, group_id, PrivateIpAddress=pick(block))) == \
            ("InvalidPrivateIpAddress", 400)
    assert _count(ecs) == before


def test_consecutive_addresses_may_not_run_into_the_reserved_ones(ecs, placed):
    vswitch_id, group_id, block = placed
    before = _count(ecs)
    last_usable = block.broadcast_address - 3
    assert ecs.error("RunInstances", **_launch(ecs, vswitch_id, group_id, PrivateIpAddress=str(last_usable - 1),
                                               Amount=3)) == ("InvalidPrivateIpAddress", 400)
    assert _count(ecs) == before


def test_an_eni_takes_the_same_reserved_addresses_rule(ecs, placed):
    vswitch_id, group_id, block = placed
    for reserved in (block.broadcast_address - 2, block.broadcast_address):
        assert ecs.error("CreateNetworkInterface", RegionId=REGION, VSwitchId=vswitch_id, SecurityGroupId=group_id,
                         PrimaryIpAddress=str(reserved)) == ("InvalidVSwitchId.IpInvalid", 403)
    eni = ecs("CreateNetworkInterface", RegionId=REGION, VSwitchId=vswitch_id, SecurityGroupId=group_id,
              PrimaryIpAddress=str(block.network_address + 2 * 256 + 1))
    assert eni["PrivateIpAddress"] == str(block.network_address + 2 * 256 + 1)
    ecs("DeleteNetworkInterface", RegionId=REGION, NetworkInterfaceId=eni["NetworkInterfaceId"])


def test_the_vswitch_zone_must_be_the_instance_zone(ecs, placed):
    vswitch_id, group_id, _ = placed
    before = _count(ecs)
    for action in ("RunInstances", "CreateInstance"):
        assert ecs.error(action, **_launch(ecs, vswitch_id, group_id, ZoneId=OTHER_ZONE)) == \
            ("InvalidParameter.Mismatch", 400)
    assert _count(ecs) == before
    made = ecs("CreateInstance", **_launch(ecs, vswitch_id, group_id, ZoneId=ZONE))["InstanceId"]
    assert ecs.instance(made)["ZoneId"] == ZONE


def test_a_group_of_a_users_vpc_and_a_vswitch_of_another_vpc_do_not_go_together(ecs, placed):
    vswitch_id, _, _ = placed
    vpc = Vpc(ecs)
    made = vpc.create(CidrBlock="10.0.0.0/16")
    group = ecs("CreateSecurityGroup", RegionId=REGION, VpcId=made)["SecurityGroupId"]
    listed = ecs("DescribeSecurityGroups", RegionId=REGION, VpcId=made)["SecurityGroups"]["SecurityGroup"]
    assert [g["SecurityGroupId"] for g in listed] == [group] and listed[0]["VpcId"] == made
    before = _count(ecs)
    for action in ("RunInstances", "CreateInstance"):
        assert ecs.error(action, **_launch(ecs, vswitch_id, group)) == ("InvalidParameter.Mismatch", 400)
    assert ecs.error("CreateNetworkInterface", RegionId=REGION, VSwitchId=vswitch_id, SecurityGroupId=group) == \
        ("InvalidOperation.VpcMismatch", 403)
    assert _count(ecs) == before
    ecs("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=group)
    vpc("DeleteVpc", RegionId=REGION, VpcId=made)


def test_a_vswitch_of_another_account_or_region_is_not_found(ecs, other, placed):
    vswitch_id, group_id, _ = placed
    other_group = other.security_group()
    for action in ("RunInstances", "CreateInstance"):
        assert other.error(action, **_launch(other, vswitch_id, other_group)) == ("InvalidVSwitchId.NotFound", 404)
        assert ecs.error(action, **_launch(ecs, vswitch_id, group_id, RegionId="cn-shanghai")) == \
            ("InvalidVSwitchId.NotFound", 404)
        assert ecs.error(action, **_launch(ecs, "vsw-bp1nothere0000000000", group_id)) == \
            ("InvalidVSwitchId.NotFound", 404)
    assert other.error("CreateNetworkInterface", RegionId=REGION, VSwitchId=vswitch_id,
                       SecurityGroupId=other_group) == ("InvalidVSwitchId.NotFound", 404)
    assert ecs.error("CreateNetworkInterface", RegionId="cn-shanghai", VSwitchId=vswitch_id,
                     SecurityGroupId=group_id) == ("InvalidVSwitchId.NotFound", 404)


def test_a_vpc_of_another_account_or_region_is_not_found_for_a_security_group(ecs, other):
    vpc = Vpc(ecs)
    made = vpc.create()
    assert other.error("CreateSecurityGroup", RegionId=REGION, VpcId=made) == ("InvalidVpcId.NotFound", 404)
    assert ecs.error("CreateSecurityGroup", RegionId="cn-shanghai", VpcId=made) == ("InvalidVpcId.NotFound", 404)
    assert ecs.error("CreateSecurityGroup", RegionId=REGION, VpcId="vpc-bp1nothere000000000") == \
        ("InvalidVpcId.NotFound", 404)
    assert ecs("DescribeSecurityGroups", RegionId=REGION, VpcId=made)["SecurityGroups"]["SecurityGroup"] == []
    client = ecs.tea()
    group = client.create_security_group(ecs_models.CreateSecurityGroupRequest(
        region_id=REGION, vpc_id=made, security_group_name="in-my-vpc")).body.security_group_id
    listed = ecs("DescribeSecurityGroups", RegionId=REGION, VpcId=made)["SecurityGroups"]["SecurityGroup"]
    assert [(g["SecurityGroupId"], g["SecurityGroupName"], g["VpcId"]) for g in listed] == \
        [(group, "in-my-vpc", made)]
    ecs("DeleteSecurityGroup", RegionId=REGION, SecurityGroupId=group)
    vpc("DeleteVpc", RegionId=REGION, VpcId=made)


def test_a_pending_vpc_takes_no_security_group_yet(manual):
    vpc = Vpc(manual)
    made = vpc.create()
    assert manual.error("CreateSecurityGroup", RegionId=REGION, VpcId=made) == ("IncorrectVpcStatus", 400)
    assert manual("DescribeSecurityGroups", RegionId=REGION, VpcId=made)["SecurityGroups"]["SecurityGroup"] == []
    advance(manual, 60)
    group = manual("CreateSecurityGroup", RegionId=REGION, VpcId=made)["SecurityGroupId"]
    assert manual("DescribeSecurityGroups", RegionId=REGION, VpcId=made)["SecurityGroups"]["SecurityGroup"][0][
        "SecurityGroupId"] == group


def test_the_default_vpc_has_a_default_vswitch_in_each_zone(ecs):
    ecs.security_group()    # ECS makes the region's default VPC with its vSwitches
    default = Vpc(ecs)("DescribeVpcs", RegionId=REGION, IsDefault=True)["Vpcs"]["Vpc"][0]
    zones = [z["ZoneId"] for z in ecs("DescribeZones", RegionId=REGION)["Zones"]["Zone"]]
    vswitch_ids = default["VSwitchIds"]["VSwitchId"]
    assert len(vswitch_ids) == len(set(vswitch_ids)) == len(zones)
    # Listed in zone order: an instance in each takes the vSwitch's zone and VPC.
    group = ecs.security_group()
    for zone_id, vswitch_id in list(zip(zones, vswitch_ids, strict=True))[:2]:
        made = ecs("CreateInstance", **_launch(ecs, vswitch_id, group))["InstanceId"]
        instance = ecs.instance(made)
        assert (instance["ZoneId"], instance["VpcAttributes"]["VSwitchId"], instance["VpcAttributes"]["VpcId"]) == \
            (zone_id, vswitch_id, default["VpcId"])
