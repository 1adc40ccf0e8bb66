"""The VPC product's VPCs through its official SDKs: create, read, change, delete, each
error the actions declare, and the default VPC ECS makes."""

from __future__ import annotations

import pytest
from aliyunsdkvpc.request.v20160428.CreateVpcRequest import CreateVpcRequest
from aliyunsdkvpc.request.v20160428.DeleteVpcRequest import DeleteVpcRequest
from aliyunsdkvpc.request.v20160428.DescribeVpcAttributeRequest import DescribeVpcAttributeRequest
from aliyunsdkvpc.request.v20160428.DescribeVpcsRequest import DescribeVpcsRequest
from aliyunsdkvpc.request.v20160428.ModifyVpcAttributeRequest import ModifyVpcAttributeRequest

from ecsemu.domain.vpcs import QUOTA_PER_REGION
from tests.ecsclient import advance
from tests.vpcclient import Vpc


def test_lifecycle_through_the_old_sdks_request_classes(vpc):
    create = CreateVpcRequest()
    create.set_CidrBlock("192.168.0.0/16")
    create.set_VpcName("web")
    create.set_Description("the web tier")
    made = vpc.send(create)
    vpc_id = made["VpcId"]
    assert vpc_id.startswith("vpc-") and made["VRouterId"].startswith("vrt-")
    assert made["RouteTableId"].startswith("vtb-")

    read = DescribeVpcAttributeRequest()
    read.set_VpcId(vpc_id)
    seen = vpc.send(read)
    assert (seen["VpcId"], seen["CidrBlock"], seen["VpcName"], seen["Description"], seen["Status"],
            seen["IsDefault"], seen["VRouterId"], seen["ClassicLinkEnabled"]) == \
        (vpc_id, "192.168.0.0/16", "web", "the web tier", "Available", False, made["VRouterId"], False)
    assert seen["VSwitchIds"] == {"VSwitchId": []}

    modify = ModifyVpcAttributeRequest()
    modify.set_VpcId(vpc_id)
    modify.set_VpcName("web-2")
    modify.set_Description("renamed")
    modify.set_CidrBlock("192.168.0.0/20")
    vpc.send(modify)
    listing = DescribeVpcsRequest()
    listing.set_VpcId(vpc_id)
    found = vpc.send(listing)
    assert found["TotalCount"] == 1
    entry = found["Vpcs"]["Vpc"][0]
    assert (entry["VpcName"], entry["Description"], entry["CidrBlock"]) == ("web-2", "renamed", "192.168.0.0/20")
    assert entry["RouterTableIds"] == {"RouterTableIds": [made["RouteTableId"]]}

    delete = DeleteVpcRequest()
    delete.set_VpcId(vpc_id)
    vpc.send(delete)
    assert vpc.error("DescribeVpcAttribute", RegionId=vpc.region, VpcId=vpc_id) == ("InvalidVpcId.NotFound", 404)
    assert vpc("DescribeVpcs", RegionId=vpc.region, VpcId=vpc_id)["TotalCount"] == 0


def test_lifecycle_through_the_tea_sdk(vpc):
    from alibabacloud_vpc20160428 import models
    client = vpc.tea()
    made = client.create_vpc(models.CreateVpcRequest(region_id=vpc.region, cidr_block="10.10.0.0/16",
                                                     vpc_name="tea", tag=[models.CreateVpcRequestTag(
                                                         key="team", value="blue")])).body
    listed = client.describe_vpcs(models.DescribeVpcsRequest(region_id=vpc.region, vpc_id=made.vpc_id)).body
    entry = listed.vpcs.vpc[0]
    assert (listed.total_count, entry.vpc_id, entry.cidr_block, entry.vpc_name, entry.is_default) == \
        (1, made.vpc_id, "10.10.0.0/16", "tea", False)
    assert [(tag.key, tag.value) for tag in entry.tags.tag] == [("team", "blue")]
    tagged = client.describe_vpcs(models.DescribeVpcsRequest(
        region_id=vpc.region, tag=[models.DescribeVpcsRequestTag(key="team", value="blue")])).body
    assert [v.vpc_id for v in tagged.vpcs.vpc] == [made.vpc_id]
    attribute = client.describe_vpc_attribute(models.DescribeVpcAttributeRequest(
        region_id=vpc.region, vpc_id=made.vpc_id)).body
    assert (attribute.status, attribute.cidr_block) == ("Available", "10.10.0.0/16")
    client.delete_vpc(models.DeleteVpcRequest(region_id=vpc.region, vpc_id=made.vpc_id))
    assert vpc("DescribeVpcs", RegionId=vpc.region, VpcId=made.vpc_id)["TotalCount"] == 0


def test_default_cidr_and_the_default_vpc_ecs_made(vpc):
    vpc.ecs.security_group()      # ECS makes the region's default VPC on first use
    defaults = vpc("DescribeVpcs", RegionId=vpc.region, IsDefault=True)["Vpcs"]["Vpc"]
    assert len(defaults) == 1 and defaults[0]["IsDefault"] is True and defaults[0]["Status"] == "Available"
    made = vpc.create()
    assert vpc.attribute(made)["CidrBlock"] == "172.16.0.0/12"
    others = {v["VpcId"] for v in vpc("DescribeVpcs", RegionId=vpc.region, IsDefault=False, PageSize=50)["Vpcs"]["Vpc"]}
    assert made in others and defaults[0]["VpcId"] not in others
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=made)


@pytest.mark.parametrize("cidr", ["8.8.8.0/24", "10.0.0.0/29", "10.0.0.1/16", "172.0.0.0/8", "192.168.0.0",
                                  "fd00::/8", "not-a-block", "192.168.0.0/33"])
def test_cidr_blocks_outside_the_rules_are_refused(vpc, cidr):
    assert vpc.error("CreateVpc", RegionId=vpc.region, CidrBlock=cidr) == ("InvalidCidrBlock.Malformed", 400)


@pytest.mark.parametrize("cidr", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "10.1.2.0/28", "172.31.0.0/16"])
def test_private_blocks_and_their_subnets_are_taken(vpc, cidr):
    made = vpc.create(CidrBlock=cidr)
    assert vpc.attribute(made)["CidrBlock"] == cidr
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=made)


def test_names_and_descriptions_are_checked(vpc):
    assert vpc.error("CreateVpc", RegionId=vpc.region, VpcName="http://x") == ("InvalidVpcName.Malformed", 400)
    assert vpc.error("CreateVpc", RegionId=vpc.region, VpcName="x" * 129) == ("InvalidVpcName.Malformed", 400)
    assert vpc.error("CreateVpc", RegionId=vpc.region, Description="https://x") == \
        ("InvalidVpcDiscription.Malformed", 400)
    made = vpc.create(VpcName="kept")
    assert vpc.error("ModifyVpcAttribute", RegionId=vpc.region, VpcId=made, VpcName="https://y") == \
        ("InvalidVpcName.Malformed", 400)
    assert vpc.error("ModifyVpcAttribute", RegionId=vpc.region, VpcId=made, Description="d" * 257) == \
        ("InvalidVpcDiscription.Malformed", 400)
    assert vpc.error("ModifyVpcAttribute", RegionId=vpc.region, VpcId=made, CidrBlock="1.2.3.0/24") == \
        ("InvalidCidrBlock.Malformed", 400)
    assert vpc.attribute(made)["VpcName"] == "kept"
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=made)


def test_dry_run_checks_and_changes_nothing(vpc):
    before = vpc("DescribeVpcs", RegionId=vpc.region)["TotalCount"]
    assert vpc.error("CreateVpc", RegionId=vpc.region, DryRun=True) == ("DryRunOperation", 400)
    assert vpc("DescribeVpcs", RegionId=vpc.region)["TotalCount"] == before
    made = vpc.create()
    assert vpc.error("DeleteVpc", RegionId=vpc.region, VpcId=made, DryRun=True) == ("DryRunOperation", 400)
    assert vpc.error("DescribeVpcs", RegionId=vpc.region, DryRun=True) == ("DryRunOperation", 400)
    assert vpc.error("DescribeVpcAttribute", RegionId=vpc.region, VpcId=made, DryRun=True) == \
        ("DryRunOperation", 400)
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=made)


def test_unknown_vpcs_and_other_accounts_vpcs_are_not_found(vpc, other_vpc):
    made = vpc.create()
    for action in ("DescribeVpcAttribute", "DeleteVpc", "ModifyVpcAttribute"):
        assert vpc.error(action, RegionId=vpc.region, VpcId="vpc-bp1nothere") == ("InvalidVpcId.NotFound", 404)
        assert other_vpc.error(action, RegionId=vpc.region, VpcId=made) == ("InvalidVpcId.NotFound", 404)
    assert vpc.error("DescribeVpcAttribute", RegionId="cn-beijing", VpcId=made) == ("InvalidVpcId.NotFound", 404)
    assert made not in {v["VpcId"] for v in other_vpc("DescribeVpcs", RegionId=vpc.region)["Vpcs"]["Vpc"]}
    assert vpc.error("DescribeVpcs", RegionId=vpc.region, VpcId=",".join(f"vpc-{n}" for n in range(21))) == \
        ("InvalidParameter", 400)
    assert vpc.error("DescribeVpcs", RegionId="xx-nowhere") == ("InvalidRegionId.NotFound", 404)
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=made)


def test_a_vpc_with_a_security_group_or_vswitches_is_not_deleted(vpc):
    made = vpc.create()
    group = vpc.ecs("CreateSecurityGroup", RegionId=vpc.region, VpcId=made)["SecurityGroupId"]
    assert vpc.error("DeleteVpc", RegionId=vpc.region, VpcId=made) == ("DependencyViolation.SecurityGroup", 400)
    vpc.ecs("DeleteSecurityGroup", RegionId=vpc.region, SecurityGroupId=group)
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=made)

    vpc.ecs.run_instance()       # in the default VPC's default vSwitch
    default = vpc("DescribeVpcs", RegionId=vpc.region, IsDefault=True)["Vpcs"]["Vpc"][0]
    assert default["VSwitchIds"]["VSwitchId"]
    assert vpc.error("DeleteVpc", RegionId=vpc.region, VpcId=default["VpcId"]) == ("DependencyViolation.VSwitch", 400)
    # Its block may not shrink below its vSwitches' (172.16.0.0/16 and up).
    assert vpc.error("ModifyVpcAttribute", RegionId=vpc.region, VpcId=default["VpcId"], CidrBlock="10.0.0.0/8") == \
        ("InvalidCidrBlock.Malformed", 400)
    assert vpc.attribute(default["VpcId"])["CidrBlock"] == "172.16.0.0/12"


def test_the_quota_per_region(other_vpc):
    region = "cn-shanghai"
    made = []
    while len(made) < QUOTA_PER_REGION:
        made.append(other_vpc("CreateVpc", RegionId=region)["VpcId"])
    assert other_vpc.error("CreateVpc", RegionId=region) == ("QuotaExceeded.Vpc", 400)
    listed = other_vpc("DescribeVpcs", RegionId=region, PageSize=4, PageNumber=3)
    assert (listed["TotalCount"], [v["VpcId"] for v in listed["Vpcs"]["Vpc"]]) == (QUOTA_PER_REGION, made[8:])
    for vpc_id in made:
        other_vpc("DeleteVpc", RegionId=region, VpcId=vpc_id)


def test_pending_then_available_on_the_clock(manual):
    vpc = Vpc(manual)
    made = vpc.create()
    assert vpc.attribute(made)["Status"] == "Pending"
    assert vpc.error("DeleteVpc", RegionId=vpc.region, VpcId=made) == ("IncorrectVpcStatus", 400)
    assert vpc.error("ModifyVpcAttribute", RegionId=vpc.region, VpcId=made, VpcName="n") == ("IncorrectVpcStatus", 400)
    advance(manual, 5)
    assert vpc.attribute(made)["Status"] == "Available"
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=made)


def test_regions_and_zones_of_the_vpc_product(vpc):
    from alibabacloud_vpc20160428 import models
    from aliyunsdkvpc.request.v20160428.DescribeZonesRequest import DescribeZonesRequest

    regions = vpc("DescribeRegions", AcceptLanguage="en-US")["Regions"]["Region"]
    hangzhou = next(r for r in regions if r["RegionId"] == "cn-hangzhou")
    assert hangzhou["RegionEndpoint"] == vpc.ecs.server.endpoint and hangzhou["LocalName"]
    assert set(hangzhou) == {"RegionId", "LocalName", "RegionEndpoint"}
    zones = vpc.send(DescribeZonesRequest())["Zones"]["Zone"]
    ecs_zones = vpc.ecs("DescribeZones", RegionId=vpc.region, Verbose=False)["Zones"]["Zone"]
    assert [z["ZoneId"] for z in zones] == [z["ZoneId"] for z in ecs_zones]
    assert {z["ZoneType"] for z in zones} == {"AvailabilityZone"}
    tea = vpc.tea().describe_zones(models.DescribeZonesRequest(region_id="cn-beijing")).body
    assert all(zone.zone_id.startswith("cn-beijing-") for zone in tea.zones.zone)
    assert vpc.error("DescribeZones", RegionId="xx-nowhere") == ("InvalidRegionId.NotFound", 404)


def test_realistic_mode_shows_pending_before_available(server):
    from tests.ecsclient import Ecs
    vpc = Vpc(Ecs(server))
    made = vpc.create(CidrBlock="10.20.0.0/16")
    assert vpc.attribute(made)["Status"] == "Pending"
    vpc.ecs.wait(lambda: vpc.attribute(made)["Status"], "Available", timeout=10)
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=made)
