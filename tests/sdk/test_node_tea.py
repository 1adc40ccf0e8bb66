"""Node's tea SDK @alicloud/ecs20140526, unmodified (tests/node), against the emulator, with
its own V3 signatures and (for two calls) the v1 ones ``signatureAlgorithm: 'v2'`` asks for:
each call through the action's own request model and client method (tests/node/tea_call.js),
the answer read back through the SDK's response model (``toMap``: wire names and types as
the SDK kept them).

The common flows (regions, a disk's life, an instance's), an error as the SDK surfaces it
(code, HTTP status, message), and DescribeAvailableResource.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ecsemu.config import Config
from ecsemu.testing import DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET, EmulatorServer
from tests.ecsclient import LINUX_IMAGE, REGION, ZONE, Ecs

NODE_DIR = Path(__file__).parent.parent / "node"


@pytest.fixture(scope="module")
def instant():
    with EmulatorServer(Config(in_memory=True, transitions="instant")) as server:
        yield server


@pytest.fixture(scope="module")
def node_sdk():
    """One Node process for the module's calls (loading the SDK takes seconds)."""
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "@alicloud" / "ecs20140526").is_dir():
        pytest.skip("node and tests/node/node_modules are needed (make test installs them)")
    process = subprocess.Popen([node, str(NODE_DIR / "tea_call.js")], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    yield process
    process.stdin.close()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def tea(instant, node_sdk):
    """``tea(action, request)``: the outcome of one call through the SDK."""
    def call(action: str, request: dict | None = None, secret: str = DEVELOPMENT_KEY_SECRET,
             signature: str | None = None) -> dict:
        line = json.dumps({"endpoint": instant.endpoint, "regionId": REGION, "accessKeyId": DEVELOPMENT_KEY_ID,
                           "accessKeySecret": secret, "action": action, "request": request or {},
                           "signatureAlgorithm": signature})
        node_sdk.stdin.write(line + "\n")
        node_sdk.stdin.flush()
        return json.loads(node_sdk.stdout.readline())
    return call


def ok(outcome: dict) -> dict:
    assert outcome["ok"], outcome
    assert outcome["statusCode"] == 200
    return outcome["body"]


@pytest.mark.parametrize("signature", [None, "v2"], ids=["V3", "v1"])
def test_describe_regions(tea, instant, signature):
    body = ok(tea("DescribeRegions", {"acceptLanguage": "en-US"}, signature=signature))
    regions = body["Regions"]["Region"]
    assert regions[0] == {"RegionId": "cn-hangzhou", "LocalName": "China (Hangzhou)",
                          "RegionEndpoint": instant.endpoint, "Status": "available"}
    assert body["RequestId"]


def test_a_disk_from_creation_to_deletion(tea, instant):
    disk_id = ok(tea("CreateDisk", {"regionId": REGION, "zoneId": ZONE, "diskCategory": "cloud_essd",
                                             "size": 40, "diskName": "tea-disk"}))["DiskId"]
    disks = ok(tea("DescribeDisks", {"regionId": REGION, "diskIds": json.dumps([disk_id])}))["Disks"]["Disk"]
    assert [(d["DiskId"], d["DiskName"], d["Size"], d["Status"]) for d in disks] == \
        [(disk_id, "tea-disk", 40, "Available")]
    # ReInitDisk needs an attached disk: attach it to a Stopped instance first.
    instance_id = Ecs(instant).run_instance(ZoneId=ZONE)
    ok(tea("StopInstance", {"instanceId": instance_id}))
    ok(tea("AttachDisk", {"diskId": disk_id, "instanceId": instance_id}))
    ok(tea("ReInitDisk", {"diskId": disk_id}))
    ok(tea("DetachDisk", {"diskId": disk_id, "instanceId": instance_id}))
    ok(tea("DeleteDisk", {"diskId": disk_id}))
    after = ok(tea("DescribeDisks", {"regionId": REGION, "diskIds": json.dumps([disk_id])}))
    assert after["Disks"]["Disk"] == [] and after["TotalCount"] == 0


def test_an_instance_run_stopped_and_described(tea, instant):
    group = ok(tea("CreateSecurityGroup", {"regionId": REGION}))["SecurityGroupId"]
    ran = ok(tea("RunInstances", {
        "regionId": REGION, "imageId": LINUX_IMAGE, "instanceType": "ecs.g7.large", "securityGroupId": group,
        "zoneId": ZONE, "vSwitchId": Ecs(instant).vswitch(ZONE), "systemDisk": {"category": "cloud_essd", "size": "40"},
        "dataDisk": [{"category": "cloud_essd", "size": 20}], "instanceName": "tea-vm"}))
    [instance_id] = ran["InstanceIdSets"]["InstanceIdSet"]
    ok(tea("StopInstance", {"instanceId": instance_id}))
    [instance] = ok(tea("DescribeInstances", {
        "regionId": REGION, "instanceIds": json.dumps([instance_id])}))["Instances"]["Instance"]
    assert (instance["InstanceId"], instance["Status"], instance["InstanceName"], instance["ZoneId"]) == \
        (instance_id, "Stopped", "tea-vm", ZONE)
    assert (instance["Cpu"], instance["Memory"], instance["InstanceTypeFamily"]) == (2, 8192, "ecs.g7")


def test_an_error_as_the_sdk_surfaces_it(tea, instant):
    outcome = tea("DeleteDisk", {"diskId": "d-bp1doesnotexist0000"})
    assert not outcome["ok"]
    assert (outcome["code"], outcome["statusCode"]) == ("InvalidDiskId.NotFound", 404)
    assert outcome["message"].startswith("InvalidDiskId.NotFound: code: 404, The specified disk does not exist.")
    assert outcome["data"]["Code"] == "InvalidDiskId.NotFound" and outcome["data"]["RequestId"]
    wrong = tea("DescribeRegions", secret="wrong")
    assert (wrong["ok"], wrong["code"], wrong["statusCode"]) == (False, "SignatureDoesNotMatch", 400)


@pytest.mark.parametrize("signature", [None, "v2"], ids=["V3", "v1"])
def test_describe_available_resource(tea, instant, signature):
    body = ok(tea("DescribeAvailableResource", {
        "regionId": REGION, "destinationResource": "InstanceType", "ioOptimized": "optimized",
        "cores": 2, "memory": 8.0, "zoneId": ZONE}, signature=signature))
    [zone] = body["AvailableZones"]["AvailableZone"]
    assert (zone["ZoneId"], zone["Status"], zone["StatusCategory"]) == (ZONE, "Available", "WithStock")
    [resource] = zone["AvailableResources"]["AvailableResource"]
    assert resource["Type"] == "InstanceType"
    values = [r["Value"] for r in resource["SupportedResources"]["SupportedResource"]]
    assert values == ["ecs.g7.large", "ecs.g6.large", "ecs.t6-c1m4.large"]
    disks = ok(tea("DescribeAvailableResource", {
        "regionId": REGION, "destinationResource": "DataDisk", "resourceType": "disk", "zoneId": ZONE,
        "dataDiskCategory": "cloud_essd"}))["AvailableZones"]["AvailableZone"]
    [essd] = disks[0]["AvailableResources"]["AvailableResource"][0]["SupportedResources"]["SupportedResource"]
    assert (essd["Value"], essd["Min"], essd["Max"], essd["Unit"]) == ("cloud_essd", 20, 65536, "GiB")
    refused = tea("DescribeAvailableResource", {"regionId": REGION, "destinationResource": "Zone",
                                                         "cores": 2})
    assert (refused["code"], refused["statusCode"]) == ("InvalidParam.Cores", 403)
