"""The VPC product's vSwitches through its official SDKs: create, read, change, delete; the
CIDR rules, the quota, the default vSwitches ECS makes, free addresses as instances and
ENIs take them, and deletion refused while something depends on a vSwitch."""

from __future__ import annotations

import ipaddress

import pytest
from aliyunsdkvpc.request.v20160428.CreateVSwitchRequest import CreateVSwitchRequest
from aliyunsdkvpc.request.v20160428.DeleteVSwitchRequest import DeleteVSwitchRequest
from aliyunsdkvpc.request.v20160428.DescribeVSwitchAttributesRequest import DescribeVSwitchAttributesRequest
from aliyunsdkvpc.request.v20160428.DescribeVSwitchesRequest import DescribeVSwitchesRequest
from aliyunsdkvpc.request.v20160428.ModifyVSwitchAttributeRequest import ModifyVSwitchAttributeRequest

from ecsemu.domain.vswitches import QUOTA_PER_VPC
from tests.ecsclient import LINUX_IMAGE, ZONE, advance
from tests.vpcclient import Vpc

OTHER_ZONE = "cn-hangzhou-h"


def _vswitch(vpc: Vpc, vpc_id: str, cidr: str, zone: str = ZONE, **params) -> str:
    return vpc("CreateVSwitch", RegionId=vpc.region, VpcId=vpc_id, ZoneId=zone, CidrBlock=cidr,
               **params)["VSwitchId"]


def _attributes(vpc: Vpc, vswitch_id: str) -> dict:
    return vpc("DescribeVSwitchAttributes", RegionId=vpc.region, VSwitchId=vswitch_id)


def test_lifecycle_through_the_old_sdks_request_classes(vpc):
    vpc_id = vpc.create(CidrBlock="192.168.0.0/16")
    create = CreateVSwitchRequest()
    create.set_VpcId(vpc_id)
    create.set_ZoneId(ZONE)
    create.set_CidrBlock("192.168.1.0/24")
    create.set_VSwitchName("web")
    create.set_Description("the web tier")
    vswitch_id = vpc.send(create)["VSwitchId"]
    assert vswitch_id.startswith("vsw-")

    read = DescribeVSwitchAttributesRequest()
    read.set_VSwitchId(vswitch_id)
    seen = vpc.send(read)
    assert (seen["VSwitchId"], seen["VpcId"], seen["ZoneId"], seen["CidrBlock"], seen["VSwitchName"],
            seen["Description"], seen["Status"], seen["IsDefault"], seen["AvailableIpAddressCount"],
            seen["Ipv6CidrBlock"]) == \
        (vswitch_id, vpc_id, ZONE, "192.168.1.0/24", "web", "the web tier", "Available", False, 252, "")
    assert seen["RouteTable"] == {"RouteTableId": "vtb-" + vpc_id[4:], "RouteTableType": "System"}
    assert seen["Tags"] == {"Tag": []}
    assert vpc.attribute(vpc_id)["VSwitchIds"] == {"VSwitchId": [vswitch_id]}

    modify = ModifyVSwitchAttributeRequest()
    modify.set_VSwitchId(vswitch_id)
    modify.set_VSwitchName("web-2")
    modify.set_Description("renamed")
    vpc.send(modify)
    listing = DescribeVSwitchesRequest()
    listing.set_VpcId(vpc_id)
    found = vpc.send(listing)
    assert found["TotalCount"] == 1
    entry = found["VSwitches"]["VSwitch"][0]
    assert (entry["VSwitchId"], entry["VSwitchName"], entry["Description"]) == (vswitch_id, "web-2", "renamed")

    delete = DeleteVSwitchRequest()
    delete.set_VSwitchId(vswitch_id)
    vpc.send(delete)
    assert vpc.error("DescribeVSwitchAttributes", RegionId=vpc.region, VSwitchId=vswitch_id) == \
        ("InvalidVSwitchId.NotFound", 404)
    assert vpc("DescribeVSwitches", RegionId=vpc.region, VpcId=vpc_id)["TotalCount"] == 0
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=vpc_id)


def test_lifecycle_through_the_tea_sdk(vpc):
    from alibabacloud_vpc20160428 import models
    client = vpc.tea()
    vpc_id = vpc.create(CidrBlock="10.20.0.0/16")
    made = client.create_vswitch(models.CreateVSwitchRequest(
        region_id=vpc.region, vpc_id=vpc_id, zone_id=OTHER_ZONE, cidr_block="10.20.8.0/21", v_switch_name="tea",
        tag=[models.CreateVSwitchRequestTag(key="team", value="blue")])).body
    seen = client.describe_vswitch_attributes(models.DescribeVSwitchAttributesRequest(
        region_id=vpc.region, v_switch_id=made.v_switch_id)).body
    assert (seen.v_switch_id, seen.zone_id, seen.cidr_block, seen.v_switch_name, seen.available_ip_address_count,
            seen.is_default, seen.status) == (made.v_switch_id, OTHER_ZONE, "10.20.8.0/21", "tea", 2044, False,
                                              "Available")
    assert [(tag.key, tag.value) for tag in seen.tags.tag] == [("team", "blue")]
    listed = client.describe_vswitches(models.DescribeVSwitchesRequest(
        region_id=vpc.region, tag=[models.DescribeVSwitchesRequestTag(key="team", value="blue")])).body
    assert (listed.total_count, [v.v_switch_id for v in listed.v_switches.v_switch]) == (1, [made.v_switch_id])
    client.modify_vswitch_attribute(models.ModifyVSwitchAttributeRequest(
        region_id=vpc.region, v_switch_id=made.v_switch_id, description="changed"))
    assert _attributes(vpc, made.v_switch_id)["Description"] == "changed"
    client.delete_vswitch(models.DeleteVSwitchRequest(region_id=vpc.region, v_switch_id=made.v_switch_id))
    assert vpc("DescribeVSwitches", RegionId=vpc.region, VSwitchId=made.v_switch_id)["TotalCount"] == 0
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=vpc_id)


def test_describe_filters(vpc):
    vpc_id = vpc.create(CidrBlock="10.30.0.0/16")
    first = _vswitch(vpc, vpc_id, "10.30.1.0/24", VSwitchName="a")
    second = _vswitch(vpc, vpc_id, "10.30.2.0/24", zone=OTHER_ZONE, VSwitchName="b")

    def ids(**filters) -> list[str]:
        found = vpc("DescribeVSwitches", RegionId=vpc.region, PageSize=50, **filters)
        return [v["VSwitchId"] for v in found["VSwitches"]["VSwitch"]]

    assert ids(VpcId=vpc_id) == [first, second]
    assert ids(VpcId=vpc_id, ZoneId=OTHER_ZONE) == [second]
    assert ids(VSwitchName="a", VpcId=vpc_id) == [first]
    assert ids(VSwitchId=second) == [second]
    assert ids(RouteTableId="vtb-" + vpc_id[4:]) == [first, second]
    assert ids(RouteTableId="vtb-nothere") == []
    assert ids(VpcId=vpc_id, IsDefault=True) == []
    assert ids(VpcId=vpc_id, EnableIpv6=True) == []
    page = vpc("DescribeVSwitches", RegionId=vpc.region, VpcId=vpc_id, PageSize=1, PageNumber=2)
    assert (page["TotalCount"], page["PageNumber"], page["PageSize"],
            [v["VSwitchId"] for v in page["VSwitches"]["VSwitch"]]) == (2, 2, 1, [second])
    for vswitch_id in (first, second):
        vpc("DeleteVSwitch", RegionId=vpc.region, VSwitchId=vswitch_id)
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=vpc_id)


def test_the_default_vswitches_ecs_made(vpc):
    vpc.ecs.run_instance()            # in the default vSwitch of its zone
    default_vpc = vpc("DescribeVpcs", RegionId=vpc.region, IsDefault=True)["Vpcs"]["Vpc"][0]["VpcId"]
    defaults = vpc("DescribeVSwitches", RegionId=vpc.region, IsDefault=True)["VSwitches"]["VSwitch"]
    assert defaults and all(v["IsDefault"] is True and v["VpcId"] == default_vpc and v["Status"] == "Available"
                            for v in defaults)
    # A vSwitch of the user's own in the default VPC may not overlap them.
    assert vpc.error("CreateVSwitch", RegionId=vpc.region, VpcId=default_vpc, ZoneId=ZONE,
                     CidrBlock=defaults[0]["CidrBlock"]) == ("InvalidCidrBlock.Overlapped", 400)


@pytest.mark.parametrize("cidr", ["10.40.0.0/15", "10.40.0.0/30", "10.40.0.1/24", "10.40.0.0", "garbage",
                                  "fd00::/64", "10.40.0.0/33"])
def test_malformed_blocks_are_refused(vpc, cidr):
    vpc_id = vpc.create(CidrBlock="10.40.0.0/16")
    assert vpc.error("CreateVSwitch", RegionId=vpc.region, VpcId=vpc_id, ZoneId=ZONE, CidrBlock=cidr) == \
        ("InvalidCidrBlock.Malformed", 400)
    assert vpc.attribute(vpc_id)["VSwitchIds"] == {"VSwitchId": []}
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=vpc_id)


def test_blocks_must_lie_inside_the_vpc_and_not_overlap(vpc):
    vpc_id = vpc.create(CidrBlock="10.50.0.0/16")
    kept = _vswitch(vpc, vpc_id, "10.50.0.0/24")
    for cidr, expected in (("10.51.0.0/24", ("InvalidParameter", 400)),
                           ("10.0.0.0/16", ("InvalidParameter", 400)),
                           ("10.50.0.128/25", ("InvalidCidrBlock.Overlapped", 400)),
                           ("10.50.0.0/23", ("InvalidCidrBlock.Overlapped", 400))):
        assert vpc.error("CreateVSwitch", RegionId=vpc.region, VpcId=vpc_id, ZoneId=ZONE, CidrBlock=cidr) == \
            expected, cidr
    edge = _vswitch(vpc, vpc_id, "10.50.255.248/29")     # the smallest block, at the VPC's end
    assert _attributes(vpc, edge)["AvailableIpAddressCount"] == 4
    assert vpc.attribute(vpc_id)["VSwitchIds"] == {"VSwitchId": [kept, edge]}
    for vswitch_id in (kept, edge):
        vpc("DeleteVSwitch", RegionId=vpc.region, VSwitchId=vswitch_id)
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=vpc_id)


def test_other_errors_change_nothing(vpc, other_vpc):
    vpc_id = vpc.create(CidrBlock="10.60.0.0/16")
    made = _vswitch(vpc, vpc_id, "10.60.0.0/24")

    def create(**params) -> tuple[str, int]:
        return vpc.error("CreateVSwitch", **{"RegionId": vpc.region, "VpcId": vpc_id, "ZoneId": ZONE,
                                             "CidrBlock": "10.60.1.0/24", **params})

    assert create(ZoneId="cn-beijing-a") == ("InvalidZoneId.NotFound", 404)
    assert create(VpcId="vpc-bp1nothere") == ("InvalidVpcId.NotFound", 404)
    assert create(VSwitchName="http://x") == ("InvalidVSwitchName.Malformed", 400)
    assert create(Description="d" * 257) == ("InvalidVSwitchDiscription.Malformed", 400)
    assert create(Ipv6CidrBlock=3) == ("UnsupportedParameter", 400)
    assert other_vpc.error("CreateVSwitch", RegionId=vpc.region, VpcId=vpc_id, ZoneId=ZONE,
                           CidrBlock="10.60.1.0/24") == ("InvalidVpcId.NotFound", 404)
    assert vpc.error("CreateVSwitch", RegionId="cn-beijing", VpcId=vpc_id, ZoneId="cn-beijing-a",
                     CidrBlock="10.60.1.0/24") == ("InvalidVpcId.NotFound", 404)
    for action in ("DescribeVSwitchAttributes", "DeleteVSwitch", "ModifyVSwitchAttribute"):
        assert vpc.error(action, RegionId=vpc.region, VSwitchId="vsw-bp1nothere") == \
            ("InvalidVSwitchId.NotFound", 404)
        assert other_vpc.error(action, RegionId=vpc.region, VSwitchId=made) == ("InvalidVSwitchId.NotFound", 404)
    assert vpc.error("ModifyVSwitchAttribute", RegionId=vpc.region, VSwitchId=made, VSwitchName="x" * 129) == \
        ("InvalidVSwitchName.Malformed", 400)
    assert vpc.error("DeleteVSwitch", RegionId=vpc.region, VSwitchId=made, DryRun=True) == ("DryRunOperation", 400)
    assert vpc.error("DescribeVSwitches", RegionId=vpc.region, DryRun=True) == ("DryRunOperation", 400)
    assert made not in {v["VSwitchId"] for v in other_vpc("DescribeVSwitches", RegionId=vpc.region,
                                                          PageSize=50)["VSwitches"]["VSwitch"]}
    assert vpc.attribute(vpc_id)["VSwitchIds"] == {"VSwitchId": [made]}
    assert _attributes(vpc, made)["VSwitchName"] == ""
    vpc("DeleteVSwitch", RegionId=vpc.region, VSwitchId=made)
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=vpc_id)


def test_the_quota_per_vpc(other_vpc):
    vpc = other_vpc
    vpc_id = vpc.create(CidrBlock="10.0.0.0/8")
    made = [_vswitch(vpc, vpc_id, f"10.{n // 256}.{n % 256}.0/24") for n in range(QUOTA_PER_VPC)]
    assert vpc.error("CreateVSwitch", RegionId=vpc.region, VpcId=vpc_id, ZoneId=ZONE, CidrBlock="10.200.0.0/24") == \
        ("QuotaExceeded.VSwitch", 400)
    assert vpc("DescribeVSwitches", RegionId=vpc.region, VpcId=vpc_id)["TotalCount"] == QUOTA_PER_VPC
    for vswitch_id in made:
        vpc("DeleteVSwitch", RegionId=vpc.region, VSwitchId=vswitch_id)
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=vpc_id)


def test_two_zones_instances_addresses_and_dependents(vpc):
    """The issue's scenario: a VPC with a vSwitch in each of two zones and an instance in each;
    their addresses inside the blocks; nothing deleted while something depends on it."""
    ecs = vpc.ecs
    vpc_id = vpc.create(CidrBlock="172.20.0.0/16")
    blocks = {ZONE: "172.20.1.0/24", OTHER_ZONE: "172.20.2.0/24"}
    vswitches = {zone: _vswitch(vpc, vpc_id, block, zone=zone) for zone, block in blocks.items()}
    group = ecs("CreateSecurityGroup", RegionId=vpc.region, VpcId=vpc_id)["SecurityGroupId"]
    instances = {zone: ecs.run_instance(VSwitchId=vswitches[zone], SecurityGroupId=group) for zone in blocks}
    for zone, instance_id in instances.items():
        seen = ecs.instance(instance_id)
        assert (seen["ZoneId"], seen["VpcAttributes"]["VSwitchId"], seen["VpcAttributes"]["VpcId"]) == \
            (zone, vswitches[zone], vpc_id)
        address = seen["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]
        assert ipaddress.ip_address(address) in ipaddress.ip_network(blocks[zone])
        assert _attributes(vpc, vswitches[zone])["AvailableIpAddressCount"] == 251

    eni = ecs("CreateNetworkInterface", RegionId=vpc.region, VSwitchId=vswitches[ZONE],
              SecurityGroupId=group)["NetworkInterfaceId"]
    assert _attributes(vpc, vswitches[ZONE])["AvailableIpAddressCount"] == 250
    listed = {v["VSwitchId"]: v["AvailableIpAddressCount"]
              for v in vpc("DescribeVSwitches", RegionId=vpc.region, VpcId=vpc_id)["VSwitches"]["VSwitch"]}
    assert listed == {vswitches[ZONE]: 250, vswitches[OTHER_ZONE]: 251}

    for vswitch_id in vswitches.values():
        assert vpc.error("DeleteVSwitch", RegionId=vpc.region, VSwitchId=vswitch_id) == ("DependencyViolation", 400)
    assert vpc.error("DeleteVpc", RegionId=vpc.region, VpcId=vpc_id) == ("DependencyViolation.VSwitch", 400)

    ecs("DeleteInstance", InstanceId=instances[ZONE], Force=True)
    # The ENI still holds an address of the first vSwitch.
    assert vpc.error("DeleteVSwitch", RegionId=vpc.region, VSwitchId=vswitches[ZONE]) == ("DependencyViolation", 400)
    assert _attributes(vpc, vswitches[ZONE])["AvailableIpAddressCount"] == 251
    ecs("DeleteNetworkInterface", RegionId=vpc.region, NetworkInterfaceId=eni)
    vpc("DeleteVSwitch", RegionId=vpc.region, VSwitchId=vswitches[ZONE])

    ecs("DeleteInstance", InstanceId=instances[OTHER_ZONE], Force=True)
    vpc("DeleteVSwitch", RegionId=vpc.region, VSwitchId=vswitches[OTHER_ZONE])
    ecs("DeleteSecurityGroup", RegionId=vpc.region, SecurityGroupId=group)
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=vpc_id)
    assert vpc.error("DescribeVpcAttribute", RegionId=vpc.region, VpcId=vpc_id) == ("InvalidVpcId.NotFound", 404)


def test_pending_then_available_on_the_clock(manual):
    vpc = Vpc(manual)
    vpc_id = vpc.create(CidrBlock="10.70.0.0/16")
    assert vpc.error("CreateVSwitch", RegionId=vpc.region, VpcId=vpc_id, ZoneId=ZONE, CidrBlock="10.70.0.0/24") == \
        ("IncorrectVpcStatus", 400)
    advance(manual, 5)
    made = _vswitch(vpc, vpc_id, "10.70.0.0/24")
    assert _attributes(vpc, made)["Status"] == "Pending"
    assert vpc.error("DeleteVSwitch", RegionId=vpc.region, VSwitchId=made) == ("IncorrectVSwitchStatus", 400)
    # nothing is placed in it yet: no instance, no ENI
    group = manual("CreateSecurityGroup", RegionId=vpc.region, VpcId=vpc_id)["SecurityGroupId"]
    assert manual.error("RunInstances", RegionId=vpc.region, ImageId=LINUX_IMAGE, InstanceType="ecs.g7.large",
                        SecurityGroupId=group, VSwitchId=made) == ("IncorrectVSwitchStatus", 400)
    assert manual.error("CreateNetworkInterface", RegionId=vpc.region, VSwitchId=made,
                        SecurityGroupId=group) == ("IncorrectVSwitchStatus", 400)
    advance(manual, 2)
    assert _attributes(vpc, made)["Status"] == "Available"
    vpc("DeleteVSwitch", RegionId=vpc.region, VSwitchId=made)
    manual("DeleteSecurityGroup", RegionId=vpc.region, SecurityGroupId=group)
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=vpc_id)


def test_a_full_block_refuses_the_next_address(vpc):
    """A /29 holds 8 addresses, 4 of them reserved: four instances fill it, the fifth is
    refused with nothing made, and an address freed is handed out again."""
    ecs = vpc.ecs
    vpc_id = vpc.create(CidrBlock="10.90.0.0/16")
    small = _vswitch(vpc, vpc_id, "10.90.0.0/29")
    group = ecs("CreateSecurityGroup", RegionId=vpc.region, VpcId=vpc_id)["SecurityGroupId"]
    launch = {"RegionId": vpc.region, "ImageId": LINUX_IMAGE, "InstanceType": "ecs.g7.large",
              "SecurityGroupId": group, "VSwitchId": small}
    made = ecs("RunInstances", Amount=4, **launch)["InstanceIdSets"]["InstanceIdSet"]
    addresses = {ecs.instance(i)["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0] for i in made}
    assert addresses == {"10.90.0.1", "10.90.0.2", "10.90.0.3", "10.90.0.4"}
    assert _attributes(vpc, small)["AvailableIpAddressCount"] == 0
    before = ecs("DescribeInstances", RegionId=vpc.region, VSwitchId=small)["TotalCount"]
    assert ecs.error("RunInstances", **launch) == ("QuotaExceeded.PrivateIpAddress", 400)
    assert ecs("DescribeInstances", RegionId=vpc.region, VSwitchId=small)["TotalCount"] == before == 4
    freed = made[1]
    address = ecs.instance(freed)["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]
    ecs("DeleteInstance", InstanceId=freed, Force=True)
    again = ecs("RunInstances", **launch)["InstanceIdSets"]["InstanceIdSet"][0]
    assert ecs.instance(again)["VpcAttributes"]["PrivateIpAddress"]["IpAddress"] == [address]
