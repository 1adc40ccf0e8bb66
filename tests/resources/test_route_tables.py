"""The VPC product's route tables through its official SDKs: each VPC's System route table,
listed, with its System entries, renamed and described; the default VPC's too."""

from __future__ import annotations

from aliyunsdkvpc.request.v20160428.DescribeRouteTableListRequest import DescribeRouteTableListRequest
from aliyunsdkvpc.request.v20160428.ModifyRouteTableAttributesRequest import ModifyRouteTableAttributesRequest

from tests.ecsclient import ZONE
from tests.vpcclient import Vpc


def _list(vpc: Vpc, **filters) -> list[dict]:
    return vpc("DescribeRouteTableList", RegionId=vpc.region, PageSize=50, **filters)["RouterTableList"][
        "RouterTableListType"]


def test_every_vpc_has_its_system_route_table(vpc):
    made = vpc("CreateVpc", RegionId=vpc.region, CidrBlock="10.80.0.0/16")
    vpc_id, table_id = made["VpcId"], made["RouteTableId"]
    vswitch_id = vpc("CreateVSwitch", RegionId=vpc.region, VpcId=vpc_id, ZoneId=ZONE,
                     CidrBlock="10.80.1.0/24")["VSwitchId"]
    request = DescribeRouteTableListRequest()
    request.set_VpcId(vpc_id)
    listed = vpc.send(request)
    assert listed["TotalCount"] == 1
    table = listed["RouterTableList"]["RouterTableListType"][0]
    assert (table["RouteTableId"], table["VpcId"], table["RouteTableType"], table["RouterId"], table["RouterType"],
            table["RouteTableName"], table["Description"], table["Status"], table["RoutePropagationEnable"]) == \
        (table_id, vpc_id, "System", made["VRouterId"], "VRouter", "", "", "Available", True)
    assert table["VSwitchIds"] == {"VSwitchId": [vswitch_id]}
    assert vpc("DescribeVSwitchAttributes", RegionId=vpc.region, VSwitchId=vswitch_id)["RouteTable"][
        "RouteTableId"] == table_id

    assert [t["RouteTableId"] for t in _list(vpc, RouteTableId=table_id)] == [table_id]
    assert [t["RouteTableId"] for t in _list(vpc, RouterId=made["VRouterId"])] == [table_id]
    assert _list(vpc, VpcId=vpc_id, RouteTableType="Custom") == []
    assert _list(vpc, VpcId=vpc_id, RouterType="VBR") == []
    assert _list(vpc, RouteTableId="vtb-nothere") == []

    entries = vpc("DescribeRouteTables", RegionId=vpc.region, RouteTableId=table_id)["RouteTables"]["RouteTable"]
    assert len(entries) == 1 and entries[0]["VRouterId"] == made["VRouterId"]
    assert {(e["DestinationCidrBlock"], e["Type"], e["NextHopType"])
            for e in entries[0]["RouteEntrys"]["RouteEntry"]} == \
        {("100.64.0.0/10", "System", "local"), ("10.80.1.0/24", "System", "local")}
    vpc("DeleteVSwitch", RegionId=vpc.region, VSwitchId=vswitch_id)
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=vpc_id)
    assert _list(vpc, VpcId=vpc_id) == []


def test_the_default_vpc_has_one_too(vpc):
    vpc.ecs.security_group()
    default = vpc("DescribeVpcs", RegionId=vpc.region, IsDefault=True)["Vpcs"]["Vpc"][0]
    tables = _list(vpc, VpcId=default["VpcId"])
    assert [t["RouteTableId"] for t in tables] == default["RouterTableIds"]["RouterTableIds"]


def test_name_and_description_are_kept(vpc, other_vpc):
    from alibabacloud_vpc20160428 import models
    made = vpc("CreateVpc", RegionId=vpc.region, CidrBlock="10.81.0.0/16")
    modify = ModifyRouteTableAttributesRequest()
    modify.set_RouteTableId(made["RouteTableId"])
    modify.set_RouteTableName("main")
    modify.set_Description("the system table")
    vpc.send(modify)
    client = vpc.tea()
    listed = client.describe_route_table_list(models.DescribeRouteTableListRequest(
        region_id=vpc.region, route_table_name="main")).body
    entry = listed.router_table_list.router_table_list_type[0]
    assert (entry.route_table_id, entry.route_table_name, entry.description) == \
        (made["RouteTableId"], "main", "the system table")
    client.modify_route_table_attributes(models.ModifyRouteTableAttributesRequest(
        region_id=vpc.region, route_table_id=made["RouteTableId"], description="changed"))
    assert _list(vpc, VpcId=made["VpcId"])[0]["Description"] == "changed"

    for params, expected in (({"RouteTableName": "http://x"}, ("InvalidRouteTableName.Malformed", 400)),
                             ({"Description": "d" * 257}, ("InvalidDescription.Malformed", 400)),
                             ({"RoutePropagationEnable": False}, ("UnsupportedParameter", 400))):
        assert vpc.error("ModifyRouteTableAttributes", RegionId=vpc.region, RouteTableId=made["RouteTableId"],
                         **params) == expected
    for table_id in ("vtb-nothere", "vsw-bp1", made["VRouterId"]):
        assert vpc.error("ModifyRouteTableAttributes", RegionId=vpc.region, RouteTableId=table_id,
                         RouteTableName="n") == ("InvalidRouteTableId.NotFound", 404)
    assert other_vpc.error("ModifyRouteTableAttributes", RegionId=vpc.region, RouteTableId=made["RouteTableId"],
                           RouteTableName="n") == ("InvalidRouteTableId.NotFound", 404)
    assert other_vpc("DescribeRouteTableList", RegionId=vpc.region, VpcId=made["VpcId"])["TotalCount"] == 0
    assert _list(vpc, VpcId=made["VpcId"])[0]["RouteTableName"] == "main"
    vpc("DeleteVpc", RegionId=vpc.region, VpcId=made["VpcId"])
