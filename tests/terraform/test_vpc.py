"""``alicloud_vpc`` (terraform-calls.md §3.1), every call R to the ``vpc`` endpoint:

    resource "alicloud_vpc" "v" { vpc_name = "tf-vpc-…"  cidr_block = "172.16.0.0/12" }

updated by a new ``description`` (ModifyVpcAttribute, then the wait for Available), or by
``system_route_table_name`` / ``system_route_table_description`` (ModifyRouteTableAttributes).
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from tests.ecsclient import REGION

from .reading import ARRAY, BOOL, STRING
from .replay import EMPTY, Call, Gone, Resource, Set, Wait, cycle, destroy_twice
from .services import RESOURCE_GROUP, TAG

BY_ID = {"VpcId": "{vpc_id}", "RegionId": "{region}"}
ATTRIBUTE = Call("R", "DescribeVpcAttribute", BY_ID)
AVAILABLE = Wait(ATTRIBUTE, items="", state="Status", target=("Available",))
SYSTEM = "RouterTableList.RouterTableListType[0]"
ROUTE_TABLES = Call("R", "DescribeRouteTableList", BY_ID, found="RouterTableList.RouterTableListType",
                    types={f"{SYSTEM}.RouteTableId": STRING, f"{SYSTEM}.RouterId": STRING,
                           f"{SYSTEM}.RoutePropagationEnable": BOOL},
                    expect={f"{SYSTEM}.RouteTableType": "System", f"{SYSTEM}.VpcId": "{vpc_id}",
                            f"{SYSTEM}.RouteTableName": "{route_table_name}",
                            f"{SYSTEM}.Description": "{route_table_description}",
                            f"{SYSTEM}.ResourceGroupId": "{resource_group_id}"},
                    save={"route_table_id": f"{SYSTEM}.RouteTableId"})

VPC = Resource(
    "alicloud_vpc",
    create=(
        Call("R", "CreateVpc", {"RegionId": "{region}", "ClientToken": "{token_CreateVpc}",
                                "CidrBlock": "{cidr}", "VpcName": "{name}"},
             retry=("TaskConflict", "UnknownError"), save={"vpc_id": "VpcId"}),
        AVAILABLE,
        ROUTE_TABLES,   # Update(new): always, and a failure or an empty list is fatal
    ),
    read=(
        Call("R", "DescribeVpcAttribute", BY_ID,
             types={"VpcId": STRING, "ClassicLinkEnabled": BOOL, "IsDefault": BOOL, "EnabledIpv6": BOOL,
                    "Tags.Tag": ARRAY, "UserCidrs.UserCidr": ARRAY, "SecondaryCidrBlocks.SecondaryCidrBlock": ARRAY,
                    "Ipv6CidrBlocks.Ipv6CidrBlock": ARRAY},
             expect={"VpcId": "{vpc_id}", "CidrBlock": "{cidr}", "VpcName": "{name}",
                     "Description": "{description}", "Status": "Available", "IsDefault": False,
                     "ClassicLinkEnabled": False, "Ipv6CidrBlock": "", "DnsHostnameStatus": "DISABLED",
                     "ResourceGroupId": "{resource_group_id}", "Tags.Tag": "{tags}"}),
        ROUTE_TABLES,
    ),
    update=(
        Set({"description": "changed by terraform"}),
        Call("R", "ModifyVpcAttribute", {**BY_ID, "Description": "{description}"},
             retry=("OperationFailed.LastTokenProcessing", "LastTokenProcessing", "IncorrectStatus",
                    "OperationConflict", "SystemBusy", "IncorrectVpcStatus")),
        AVAILABLE,
    ),
    delete=(
        Call("R", "DeleteVpc", {**BY_ID, "ClientToken": "{token_DeleteVpc}"},
             retry=("DependencyViolation.VSwitch", "DependencyViolation.SecurityGroup", "IncorrectVpcStatus"),
             ok=("InvalidResource.NotFound",), ok_not_found=True),
        Wait(dataclasses.replace(ATTRIBUTE, ok_not_found=True), items="", state="Status"),
    ),
    gone=(Gone(ATTRIBUTE, ""),),
)

ROUTE_TABLE_UPDATE = (
    Set({"route_table_name": "tf-system", "route_table_description": "the system table"}),
    Call("R", "ModifyRouteTableAttributes", {"RegionId": "{region}", "RouteTableId": "{route_table_id}",
                                             "Description": "{route_table_description}",
                                             "RouteTableName": "{route_table_name}"}),
)

# ``tags``: UnTagResources (capital T) for keys removed (none: the replays start untagged),
# then TagResources with the whole map; the VPC API's Tags.Tag entries are Key/Value.
TAGS_UPDATE = (
    Set({"tags": [{"Key": k, "Value": v} for k, v in TAG.items()]}),
    Call("R", "TagResources", {"ResourceType": "VPC", "ResourceId": ["{vpc_id}"], "RegionId": "{region}",
                               "Tag": [{"Key": k, "Value": v} for k, v in TAG.items()]}),
)
# ``resource_group_id``: MoveResourceGroup; the System route table's group follows the VPC's.
GROUP_UPDATE = (
    Set({"resource_group_id": RESOURCE_GROUP}),
    Call("R", "MoveResourceGroup", {"ResourceId": "{vpc_id}", "RegionId": "{region}",
                                    "NewResourceGroupId": "{resource_group_id}", "ResourceType": "VPC"}),
)


def values() -> dict:
    return {"region": REGION, "name": f"tf-vpc-{uuid.uuid4().hex[:12]}", "cidr": "172.16.0.0/12",
            "description": "", "tags": [], "resource_group_id": EMPTY, "route_table_name": EMPTY,
            "route_table_description": EMPTY}


def test_apply_plan_destroy(vpc_wire):
    cycle(vpc_wire, VPC, values())


def test_destroy_twice(vpc_wire):
    destroy_twice(vpc_wire, VPC, values())


def test_update_description(vpc_wire):
    cycle(vpc_wire, VPC, values(), update=True)


def test_update_system_route_table(vpc_wire):
    cycle(vpc_wire, dataclasses.replace(VPC, update=ROUTE_TABLE_UPDATE), values(), update=True)


@pytest.mark.parametrize("update", [TAGS_UPDATE, GROUP_UPDATE], ids=["tags", "resource_group_id"])
def test_update_tags_and_group(vpc_wire, update):
    cycle(vpc_wire, dataclasses.replace(VPC, update=update), values(), update=True)


@pytest.mark.parametrize("cidr", ["10.0.0.0/8", "192.168.0.0/16"])
def test_other_blocks(vpc_wire, cidr):
    cycle(vpc_wire, VPC, {**values(), "cidr": cidr})
