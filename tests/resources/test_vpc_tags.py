"""Tags and resource groups of the VPC product's resources through its official SDKs:
TagResources, UnTagResources (capital T), ListTagResources on VPCs, vSwitches and route
tables, read back by their Describes; MoveResourceGroup."""

from __future__ import annotations

import pytest

from tests.ecsclient import ZONE
from tests.vpcclient import Vpc


def _flat(name: str, items: list) -> dict[str, str]:
    """A list as the SDKs send it: ``Name.N``, or ``Name.N.Field`` for objects."""
    flat: dict[str, str] = {}
    for n, item in enumerate(items, start=1):
        if isinstance(item, dict):
            flat.update({f"{name}.{n}.{field}": value for field, value in item.items()})
        else:
            flat[f"{name}.{n}"] = item
    return flat


def _tagging(resource_type: str, ids: list[str], tags: list[dict] | None = None,
             keys: list[str] | None = None, **params) -> dict:
    return {"ResourceType": resource_type, **_flat("ResourceId", ids), **_flat("Tag", tags or []),
            **_flat("TagKey", keys or []), **params}


@pytest.fixture(scope="module")
def made(vpc):
    created = vpc("CreateVpc", RegionId=vpc.region, CidrBlock="10.90.0.0/16")
    vswitch_id = vpc("CreateVSwitch", RegionId=vpc.region, VpcId=created["VpcId"], ZoneId=ZONE,
                     CidrBlock="10.90.1.0/24")["VSwitchId"]
    return {"VPC": created["VpcId"], "VSWITCH": vswitch_id, "ROUTETABLE": created["RouteTableId"]}


def _listed(vpc: Vpc, resource_type: str, ids: list[str] | None = None, tags: list[dict] | None = None,
            **params) -> list[tuple[str, str, str]]:
    body = vpc("ListTagResources", RegionId=vpc.region, **_tagging(resource_type, ids or [], tags, **params))
    return [(t["ResourceId"], t["TagKey"], t["TagValue"]) for t in body["TagResources"]["TagResource"]]


@pytest.mark.parametrize("resource_type", ["VPC", "VSWITCH", "ROUTETABLE"])
def test_tag_list_untag(vpc, made, resource_type):
    resource_id = made[resource_type]
    vpc("TagResources", RegionId=vpc.region, **_tagging(resource_type, [resource_id], [
        {"Key": "team", "Value": "blue"}, {"Key": "env", "Value": "dev"}]))
    assert _listed(vpc, resource_type, [resource_id]) == [(resource_id, "env", "dev"), (resource_id, "team", "blue")]
    assert _listed(vpc, resource_type.lower(), tags=[{"Key": "team", "Value": "blue"}]) == \
        [(resource_id, "env", "dev"), (resource_id, "team", "blue")]
    vpc("UnTagResources", RegionId=vpc.region, **_tagging(resource_type, [resource_id], keys=["env"]))
    assert _listed(vpc, resource_type, [resource_id]) == [(resource_id, "team", "blue")]
    vpc("UnTagResources", RegionId=vpc.region, **_tagging(resource_type, [resource_id], All=True))
    assert _listed(vpc, resource_type, [resource_id]) == []


def test_tags_are_read_back_by_the_describes(vpc, made):
    tag = [{"Key": "owner", "Value": "ops"}]
    for resource_type, resource_id in made.items():
        vpc("TagResources", RegionId=vpc.region, **_tagging(resource_type, [resource_id], tag))
    assert vpc.attribute(made["VPC"])["Tags"] == {"Tag": tag}
    assert vpc("DescribeVSwitchAttributes", RegionId=vpc.region, VSwitchId=made["VSWITCH"])["Tags"] == {"Tag": tag}
    tables = vpc("DescribeRouteTableList", RegionId=vpc.region, **_flat("Tag", tag))["RouterTableList"][
        "RouterTableListType"]
    assert [(t["RouteTableId"], t["Tags"]) for t in tables] == [(made["ROUTETABLE"], {"Tag": tag})]
    for resource_type, resource_id in made.items():
        vpc("UnTagResources", RegionId=vpc.region, **_tagging(resource_type, [resource_id], All=True))


def test_tag_errors_change_nothing(vpc, other_vpc, made):
    good = [{"Key": "k", "Value": "v"}]

    def error(client: Vpc = vpc, resource_type: str = "VPC", ids: list[str] | None = None,
              tags: list[dict] = good) -> tuple[str, int]:
        return client.error("TagResources", RegionId=vpc.region,
                            **_tagging(resource_type, ids or [made["VPC"]], tags))

    assert error(resource_type="INSTANCE") == ("InvalidResourceType.NotFound", 404)
    assert error(ids=[made["VPC"], "vpc-nothere"]) == ("InvalidResourceId.NotFound", 404)
    assert error(resource_type="EIP") == ("InvalidResourceId.NotFound", 404)
    assert error(tags=[{"Key": "acs:x", "Value": "v"}]) == ("InvalidTagKey.Malformed", 400)
    assert error(client=other_vpc) == ("InvalidResourceId.NotFound", 404)
    assert vpc.error("TagResources", RegionId=vpc.region, ResourceType="VPC", **_flat("Tag", good)) == \
        ("MissingParameter", 400)
    # A bare ResourceId (a JSON array) does not send a ResourceId.N list.
    assert vpc.error("TagResources", RegionId=vpc.region, ResourceType="VPC", ResourceId=[made["VPC"]],
                     **_flat("Tag", good)) == ("MissingParameter", 400)
    assert vpc.error("UnTagResources", RegionId=vpc.region, **_tagging("VPC", [made["VPC"]])) == \
        ("MissingParameter.Tags", 404)
    assert _listed(vpc, "VPC", [made["VPC"]]) == []


def test_paging_by_max_results(vpc, made):
    keys = [f"k{n:02}" for n in range(5)]
    vpc("TagResources", RegionId=vpc.region, **_tagging("VSWITCH", [made["VSWITCH"]],
                                                        [{"Key": key, "Value": "v"} for key in keys]))
    first = vpc("ListTagResources", RegionId=vpc.region, **_tagging("VSWITCH", [made["VSWITCH"]], MaxResults=3))
    second = vpc("ListTagResources", RegionId=vpc.region, **_tagging("VSWITCH", [made["VSWITCH"]], MaxResults=3,
                                                                     NextToken=first["NextToken"]))
    assert [t["TagKey"] for t in first["TagResources"]["TagResource"] + second["TagResources"]["TagResource"]] == keys
    assert second["NextToken"] == ""
    vpc("UnTagResources", RegionId=vpc.region, **_tagging("VSWITCH", [made["VSWITCH"]], All=True))


def test_move_resource_group(vpc, other_vpc, made):
    group = "rg-acfmvpctests"
    vpc("MoveResourceGroup", RegionId=vpc.region, ResourceType="VPC", ResourceId=made["VPC"],
        NewResourceGroupId=group)
    vpc("MoveResourceGroup", RegionId=vpc.region, ResourceType="vswitch", ResourceId=made["VSWITCH"],
        NewResourceGroupId=group)
    assert vpc.attribute(made["VPC"])["ResourceGroupId"] == group
    assert [v["VSwitchId"] for v in vpc("DescribeVSwitches", RegionId=vpc.region,
                                        ResourceGroupId=group)["VSwitches"]["VSwitch"]] == [made["VSWITCH"]]
    tables = vpc("DescribeRouteTableList", RegionId=vpc.region, VpcId=made["VPC"])["RouterTableList"]
    assert tables["RouterTableListType"][0]["ResourceGroupId"] == group
    for params, expected in (({"ResourceType": "disk"}, ("InvalidResourceType.NotFound", 404)),
                             ({"NewResourceGroupId": "nope"}, ("InvalidResourceGroup.NotFound", 404)),
                             ({"ResourceId": "vpc-nothere"}, ("InvalidResourceId.NotFound", 404))):
        assert vpc.error("MoveResourceGroup", **{"RegionId": vpc.region, "ResourceType": "VPC",
                                                 "ResourceId": made["VPC"], "NewResourceGroupId": "rg-acfmother",
                                                 **params}) == expected
    assert other_vpc.error("MoveResourceGroup", RegionId=vpc.region, ResourceType="VPC", ResourceId=made["VPC"],
                           NewResourceGroupId="rg-acfmother") == ("InvalidResourceId.NotFound", 404)
    assert vpc.attribute(made["VPC"])["ResourceGroupId"] == group


def test_the_tea_sdk(vpc, made):
    from alibabacloud_vpc20160428 import models
    client = vpc.tea()
    client.tag_resources(models.TagResourcesRequest(region_id=vpc.region, resource_type="VPC",
                                                    resource_id=[made["VPC"]],
                                                    tag=[models.TagResourcesRequestTag(key="tea", value="1")]))
    listed = client.list_tag_resources(models.ListTagResourcesRequest(region_id=vpc.region, resource_type="VPC",
                                                                      resource_id=[made["VPC"]])).body
    assert [(t.resource_id, t.tag_key, t.tag_value) for t in listed.tag_resources.tag_resource] == \
        [(made["VPC"], "tea", "1")]
    client.un_tag_resources(models.UnTagResourcesRequest(region_id=vpc.region, resource_type="VPC",
                                                         resource_id=[made["VPC"]], tag_key=["tea"]))
    assert _listed(vpc, "VPC", [made["VPC"]]) == []
