"""``alicloud_security_group`` (terraform-calls.md §2.4):

    resource "alicloud_security_group" "g" { security_group_name = "tf-sg-…" }

updated by a new ``description`` (ModifySecurityGroupAttribute sends the name with it).
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from tests.ecsclient import REGION

from .reading import ARRAY, STRING
from .replay import EMPTY, Call, Gone, Resource, Set, cycle, destroy_twice
from .services import group_update, tags_update

BY_ID = {"SecurityGroupId": "{group_id}", "RegionId": "{region}"}
ATTRIBUTE = Call("R", "DescribeSecurityGroupAttribute", BY_ID,
                 types={"SecurityGroupId": STRING, "InnerAccessPolicy": STRING, "Permissions.Permission": ARRAY},
                 expect={"SecurityGroupId": "{group_id}", "InnerAccessPolicy": "Accept"})

GROUP = Resource(
    "alicloud_security_group",
    create=(
        Call("R", "CreateSecurityGroup", {"RegionId": "{region}", "ClientToken": "{token_CreateSecurityGroup}",
                                          "SecurityGroupName": "{name}"}, save={"group_id": "SecurityGroupId"}),
        ATTRIBUTE,  # Update(new): a failure is fatal; inner_access_policy unset, so no ModifySecurityGroupPolicy
    ),
    read=(
        # The singular SecurityGroupId filter; the provider does not compare the ID it gets.
        Call("R", "DescribeSecurityGroups", BY_ID, found="SecurityGroups.SecurityGroup",
             types={"SecurityGroups.SecurityGroup[].Tags.Tag": ARRAY},
             expect={"SecurityGroups.SecurityGroup[0].SecurityGroupId": "{group_id}",
                     "SecurityGroups.SecurityGroup[0].SecurityGroupName": "{name}",
                     "SecurityGroups.SecurityGroup[0].Description": "{description}",
                     "SecurityGroups.SecurityGroup[0].SecurityGroupType": "normal",
                     "SecurityGroups.SecurityGroup[0].ResourceGroupId": "{resource_group_id}",
                     "SecurityGroups.SecurityGroup[0].Tags.Tag": "{tags}"}),
        ATTRIBUTE,
    ),
    update=(
        Set({"description": "changed by terraform"}),
        Call("R", "ModifySecurityGroupAttribute", {**BY_ID, "SecurityGroupName": "{name}",
                                                   "Description": "{description}"}),
    ),
    delete=(Call("R", "DeleteSecurityGroup", BY_ID, retry=("DependencyViolation",), ok_not_found=True),),
    gone=(Gone(Call("R", "DescribeSecurityGroups", BY_ID), "SecurityGroups.SecurityGroup"),),
)


def values() -> dict:
    return {"region": REGION, "name": f"tf-sg-{uuid.uuid4().hex[:12]}", "description": "", "tags": [],
            "resource_group_id": EMPTY}


def test_apply_plan_destroy(wire):
    cycle(wire, GROUP, values())


def test_destroy_twice(wire):
    destroy_twice(wire, GROUP, values())


def test_update_description(wire):
    cycle(wire, GROUP, values(), update=True)


@pytest.mark.parametrize("update", [tags_update("securitygroup", "{group_id}"),
                                    group_update("securitygroup", "{group_id}")], ids=["tags", "resource_group_id"])
def test_update_tags_and_group(wire, update):
    cycle(wire, dataclasses.replace(GROUP, update=update), values(), update=True)
