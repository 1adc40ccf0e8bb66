"""data ``alicloud_security_groups`` (terraform-calls.md §4.6):

    data "alicloud_security_groups" "g" { name_regex = "^tf-sg-"  enable_details = false }
    data "alicloud_security_groups" "g" { name_regex = "^tf-sg-" }     # enable_details defaults to true
    ... and then vpc_id = "vpc-…" added (the changed argument)

DescribeSecurityGroups (R) pages by 50 until a page is shorter; ``ids`` and ``name_regex``
are the provider's own filters. With details, DescribeSecurityGroupAttribute (R) per group,
whose top-level ``SecurityGroupId`` must be the one asked for.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.ecsclient import REGION

from .reading import ARRAY, STRING
from .replay import Call, Each, Pages, Resource, Set, cycle

GROUP_TYPES = {"SecurityGroups.SecurityGroup": ARRAY, "SecurityGroups.SecurityGroup[].SecurityGroupId": STRING,
               "SecurityGroups.SecurityGroup[].SecurityGroupName": STRING,
               "SecurityGroups.SecurityGroup[].VpcId": STRING,
               "SecurityGroups.SecurityGroup[].Tags.Tag": ARRAY,
               "SecurityGroups.SecurityGroup[].Tags.Tag[].TagKey": STRING,
               "SecurityGroups.SecurityGroup[].Tags.Tag[].TagValue": STRING}


def _groups(groups: list, values: dict) -> None:
    named = [g for g in groups if re.match(values["name_regex"], g["SecurityGroupName"])]
    assert [g["SecurityGroupId"] for g in named] == [values["group_id"]]
    assert named[0]["Description"] == "" and named[0]["SecurityGroupType"] == "normal"
    if values["vpc_id"]:
        assert {g["VpcId"] for g in groups} == {values["vpc_id"]}


LIST = Pages(Call("R", "DescribeSecurityGroups", {"RegionId": "{region}", "PageSize": 50, "VpcId": "{vpc_id}"},
                  types=GROUP_TYPES),
             "SecurityGroups.SecurityGroup", more_from=50, save="groups", check=_groups)
DETAILS = Each("groups", Call("R", "DescribeSecurityGroupAttribute",
                              {"SecurityGroupId": "{item_SecurityGroupId}", "RegionId": "{region}"},
                              types={"InnerAccessPolicy": STRING},
                              expect={"SecurityGroupId": "{item_SecurityGroupId}"}))
CHANGE = (Set({"vpc_id": lambda values: values["group_vpc_id"]}),)

WITHOUT_DETAILS = Resource("data.alicloud_security_groups (enable_details = false)", read=(LIST,), update=CHANGE)
WITH_DETAILS = Resource("data.alicloud_security_groups", read=(LIST, DETAILS), update=CHANGE)


@pytest.fixture
def values(ecs) -> dict:
    name = f"tf-sg-{uuid.uuid4().hex[:12]}"
    group_id = ecs("CreateSecurityGroup", RegionId=REGION, SecurityGroupName=name)["SecurityGroupId"]
    vpc_id = ecs("DescribeSecurityGroups", RegionId=REGION, SecurityGroupId=group_id)[
        "SecurityGroups"]["SecurityGroup"][0]["VpcId"]
    return {"region": REGION, "group_id": group_id, "group_vpc_id": vpc_id, "vpc_id": None,
            "name_regex": f"^{name}$"}


def test_without_details(wire, values):
    cycle(wire, WITHOUT_DETAILS, values, update=True)


def test_with_details(wire, values):
    cycle(wire, WITH_DETAILS, values, update=True)
