"""Node's tea SDK @alicloud/vpc20160428 (with @alicloud/ecs20140526 for the instances),
unmodified (tests/node), against the emulator: the issue's scenario of a VPC with a vSwitch
in each of two zones, an instance in each, their addresses inside the blocks, and deletion
refused while something depends on it, accepted after. Each call through the action's own
request model and client method (tests/node/tea_call.js), V3 signatures."""

import ipaddress
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ecsemu.config import Config
from ecsemu.testing import DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET, EmulatorServer
from tests.ecsclient import LINUX_IMAGE, REGION, ZONE

NODE_DIR = Path(__file__).parent.parent / "node"
ZONES = {ZONE: "10.1.1.0/24", "cn-hangzhou-h": "10.1.2.0/24"}


@pytest.fixture(scope="module")
def tea():
    """``tea(product, action, request)``: the outcome of one call through the product's SDK."""
    node = shutil.which("node")
    assert node is not None and (NODE_DIR / "node_modules" / "@alicloud" / "vpc20160428").is_dir(), \
        "node and tests/node/node_modules are needed (make test installs them)"
    with EmulatorServer(Config(in_memory=True, transitions="instant")) as server:
        process = subprocess.Popen([node, str(NODE_DIR / "tea_call.js")], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdin is not None and process.stdout is not None

        def call(product: str, action: str, request: dict) -> dict:
            line = json.dumps({"endpoint": server.endpoint, "regionId": REGION, "accessKeyId": DEVELOPMENT_KEY_ID,
                               "accessKeySecret": DEVELOPMENT_KEY_SECRET, "action": action,
                               "request": {"regionId": REGION, **request}, "product": product})
            process.stdin.write(line + "\n")
            process.stdin.flush()
            return json.loads(process.stdout.readline())
        yield call
        process.stdin.close()
        process.wait(timeout=30)


def ok(outcome: dict) -> dict:
    assert outcome["ok"] and outcome["statusCode"] == 200, outcome
    return outcome["body"]


def refused(outcome: dict) -> tuple[str, int]:
    assert not outcome["ok"], outcome
    return outcome["code"], outcome["statusCode"]


def test_two_zones_instances_and_dependents(tea):
    vpc_id = ok(tea("vpc", "CreateVpc", {"cidrBlock": "10.1.0.0/16", "vpcName": "node"}))["VpcId"]
    assert ok(tea("vpc", "DescribeVpcAttribute", {"vpcId": vpc_id}))["Status"] == "Available"
    vswitches = {zone: ok(tea("vpc", "CreateVSwitch", {"vpcId": vpc_id, "zoneId": zone, "cidrBlock": block,
                                                       "vSwitchName": zone}))["VSwitchId"]
                 for zone, block in ZONES.items()}
    listed = ok(tea("vpc", "DescribeVSwitches", {"vpcId": vpc_id}))["VSwitches"]["VSwitch"]
    assert {(v["ZoneId"], v["CidrBlock"], v["Status"], v["AvailableIpAddressCount"]) for v in listed} == \
        {(zone, block, "Available", 252) for zone, block in ZONES.items()}

    group = ok(tea("ecs", "CreateSecurityGroup", {"vpcId": vpc_id}))["SecurityGroupId"]
    instances = {}
    for zone, vswitch_id in vswitches.items():
        made = ok(tea("ecs", "RunInstances", {"imageId": LINUX_IMAGE, "instanceType": "ecs.g7.large",
                                              "securityGroupId": group, "vSwitchId": vswitch_id}))
        instances[zone] = made["InstanceIdSets"]["InstanceIdSet"][0]
    for zone, instance_id in instances.items():
        seen = ok(tea("ecs", "DescribeInstances", {"instanceIds": json.dumps([instance_id])}))["Instances"][
            "Instance"][0]
        address = seen["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]
        assert seen["ZoneId"] == zone and ipaddress.ip_address(address) in ipaddress.ip_network(ZONES[zone])
        assert ok(tea("vpc", "DescribeVSwitchAttributes", {"vSwitchId": vswitches[zone]}))[
            "AvailableIpAddressCount"] == 251

    for vswitch_id in vswitches.values():
        assert refused(tea("vpc", "DeleteVSwitch", {"vSwitchId": vswitch_id})) == ("DependencyViolation", 400)
    assert refused(tea("vpc", "DeleteVpc", {"vpcId": vpc_id})) == ("DependencyViolation.VSwitch", 400)

    for zone, instance_id in instances.items():
        ok(tea("ecs", "DeleteInstance", {"instanceId": instance_id, "force": True}))
        ok(tea("vpc", "DeleteVSwitch", {"vSwitchId": vswitches[zone]}))
        assert refused(tea("vpc", "DescribeVSwitchAttributes", {"vSwitchId": vswitches[zone]})) == \
            ("InvalidVSwitchId.NotFound", 404)
    assert refused(tea("vpc", "DeleteVpc", {"vpcId": vpc_id})) == ("DependencyViolation.SecurityGroup", 400)
    ok(tea("ecs", "DeleteSecurityGroup", {"securityGroupId": group}))
    ok(tea("vpc", "DeleteVpc", {"vpcId": vpc_id}))
    assert refused(tea("vpc", "DescribeVpcAttribute", {"vpcId": vpc_id})) == ("InvalidVpcId.NotFound", 404)


def test_route_tables_and_tags(tea):
    made = ok(tea("vpc", "CreateVpc", {"cidrBlock": "10.2.0.0/16"}))
    ok(tea("vpc", "ModifyRouteTableAttributes", {"routeTableId": made["RouteTableId"], "routeTableName": "main"}))
    tables = ok(tea("vpc", "DescribeRouteTableList", {"vpcId": made["VpcId"]}))["RouterTableList"][
        "RouterTableListType"]
    assert [(t["RouteTableId"], t["RouteTableType"], t["RouteTableName"]) for t in tables] == \
        [(made["RouteTableId"], "System", "main")]
    ok(tea("vpc", "TagResources", {"resourceType": "VPC", "resourceId": [made["VpcId"]],
                                   "tag": [{"key": "team", "value": "node"}]}))
    assert ok(tea("vpc", "DescribeVpcAttribute", {"vpcId": made["VpcId"]}))["Tags"] == \
        {"Tag": [{"Key": "team", "Value": "node"}]}
    ok(tea("vpc", "UnTagResources", {"resourceType": "VPC", "resourceId": [made["VpcId"]], "tagKey": ["team"]}))
    listed = ok(tea("vpc", "ListTagResources", {"resourceType": "VPC", "resourceId": [made["VpcId"]]}))
    assert listed["TagResources"]["TagResource"] == []
    ok(tea("vpc", "DeleteVpc", {"vpcId": made["VpcId"]}))
