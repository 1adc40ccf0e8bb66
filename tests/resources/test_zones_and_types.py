"""Zones and instance types: DescribeAvailableResource, DescribeZones, DescribeInstanceTypes,
DescribeInstanceTypeFamilies, DescribeImageSupportInstanceTypes.

The Terraform data sources ``alicloud_zones`` and ``alicloud_instance_types`` are replayed
call by call with the provider's transports: L, the legacy SDK's typed request (a query
GET); R, tea-rpc's form POST (common parameters in the query, the action's in the body, no
RegionId added). Every field the provider reads is checked with the JSON type it asserts.
"""

from __future__ import annotations

import json

import pytest
from alibabacloud_ecs20140526 import models as tea_models
from alibabacloud_ecs20140526.client import Client as TeaClient
from alibabacloud_tea_openapi import models as openapi_models
from aliyunsdkecs.request.v20140526.DescribeAvailableResourceRequest import DescribeAvailableResourceRequest
from aliyunsdkecs.request.v20140526.DescribeZonesRequest import DescribeZonesRequest

from ecsemu.config import Config
from ecsemu.testing import DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET, EmulatorServer
from tests import rawhttp
from tests.conftest import OTHER_KEY
from tests.ecsclient import LINUX_IMAGE, REGION, ZONE, Ecs, advance

ZONES = ["cn-hangzhou-b", "cn-hangzhou-g", "cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"]
ALL_TYPES = ["ecs.g7.large", "ecs.g7.xlarge", "ecs.g7.2xlarge", "ecs.g7.4xlarge", "ecs.c7.large", "ecs.c7.xlarge",
             "ecs.c7.2xlarge", "ecs.c7.4xlarge", "ecs.r7.large", "ecs.r7.xlarge", "ecs.r7.2xlarge", "ecs.g6.large",
             "ecs.g6.xlarge", "ecs.c6.large", "ecs.c6.xlarge", "ecs.t6-c1m1.large", "ecs.t6-c1m2.large",
             "ecs.t6-c1m4.large"]
DISKS = ["cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto"]


@pytest.fixture(scope="module")
def ecs(server):
    return Ecs(server)


@pytest.fixture(scope="module")
def manual():
    """An emulator whose clock moves only when a test says so."""
    with EmulatorServer(Config(in_memory=True, transitions="manual", access_keys=(OTHER_KEY,))) as server:
        yield Ecs(server)


def legacy(ecs: Ecs, request) -> dict:
    """L: the legacy SDK's typed request, parameters in the query of a GET."""
    request.set_method("GET")
    request.set_accept_format("JSON")
    return json.loads(ecs.client.do_action_with_exception(request))


def form_post(ecs: Ecs, action: str, body: dict[str, str]) -> rawhttp.Reply:
    """R: tea-rpc's DoRequest: Action, Format=json, the signature and the other common
    parameters in the query; the action's parameters form-encoded in the body."""
    signed = rawhttp.v1_params(action, method="POST", fmt="json", **body)
    query = {k: v for k, v in signed.items() if k not in body}
    return rawhttp.send(ecs.server.port, "POST", "/?" + rawhttp.encode(query),
                        {"Content-Type": "application/x-www-form-urlencoded"}, rawhttp.encode(body).encode())


def available(ecs: Ecs, **params) -> dict[str, list[str]]:
    """DescribeAvailableResource as {zone: [values]}."""
    body = ecs("DescribeAvailableResource", RegionId=REGION, **params)
    return {zone["ZoneId"]: [r["Value"] for resource in zone["AvailableResources"]["AvailableResource"]
                             for r in resource["SupportedResources"]["SupportedResource"]]
            for zone in body["AvailableZones"]["AvailableZone"]}


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- data alicloud_zones -------------------------------------------------------------------

def _zones_data_source(ecs: Ecs, network_type: str | None = None) -> list[str]:
    """The provider's read of data alicloud_zones (available_resource_creation unset)."""
    request = DescribeAvailableResourceRequest()
    request.add_query_param("RegionId", REGION)
    request.set_DestinationResource("Zone")
    request.set_IoOptimized("optimized")
    request.set_InstanceChargeType("PostPaid")
    request.set_SpotStrategy("NoSpot")
    if network_type:
        request.set_NetworkCategory(network_type)
    step1 = legacy(ecs, request)["AvailableZones"]["AvailableZone"]
    assert step1, "the provider fails on an empty AvailableZones.AvailableZone"
    for zone in step1:
        assert isinstance(zone["ZoneId"], str) and zone["Status"] in ("Available", "SoldOut")
    selling = {z["ZoneId"] for z in step1 if z["Status"] != "SoldOut"}
    zones_request = DescribeZonesRequest()
    zones_request.add_query_param("RegionId", REGION)
    zones_request.set_InstanceChargeType("PostPaid")
    zones_request.set_SpotStrategy("NoSpot")
    step2 = legacy(ecs, zones_request)["Zones"]["Zone"]
    kept = []
    for zone in step2:
        types = zone["AvailableInstanceTypes"]["InstanceTypes"]
        disks = zone["AvailableDiskCategories"]["DiskCategories"]
        assert isinstance(zone["LocalName"], str)
        assert all(isinstance(v, str) for v in types + disks + zone["AvailableResourceCreation"]["ResourceTypes"])
        if zone["ZoneId"] in selling and types and disks:
            kept.append(zone["ZoneId"])
    return sorted(kept)


def test_terraform_zones_data_source(ecs):
    assert _zones_data_source(ecs) == ZONES
    assert _zones_data_source(ecs) == ZONES  # a plan after the apply: the same zones
    assert _zones_data_source(ecs, network_type="Vpc".lower()) == ZONES


def test_describe_zones_and_available_resource_agree(ecs):
    zones = ecs("DescribeZones", RegionId=REGION)["Zones"]["Zone"]
    types = available(ecs, DestinationResource="InstanceType")
    system = available(ecs, DestinationResource="SystemDisk", InstanceType="ecs.g7.large")
    data = available(ecs, DestinationResource="DataDisk", ResourceType="disk")
    for zone in zones:
        zone_id = zone["ZoneId"]
        sold = [t for t in ALL_TYPES if zone_id != "cn-hangzhou-k" or not t.startswith(("ecs.g6.", "ecs.c6."))]
        assert zone["AvailableInstanceTypes"]["InstanceTypes"] == types[zone_id] == sold
        assert zone["AvailableDiskCategories"]["DiskCategories"] == data[zone_id] == DISKS
        [info] = zone["AvailableResources"]["ResourcesInfo"]
        assert info["SystemDiskCategories"]["supportedSystemDiskCategory"] == system[zone_id] == DISKS
        assert info["InstanceTypes"]["supportedInstanceType"] == sold
    assert "cn-hangzhou-k" in types  # the newest zone, which sells no 6th-generation type
    listed = ecs("DescribeInstanceTypes")["InstanceTypes"]["InstanceType"]
    assert [t["InstanceTypeId"] for t in listed] == ALL_TYPES


# --- data alicloud_instance_types ----------------------------------------------------------

def _instance_types_data_source(ecs: Ecs, *, cores: int | None = None, memory: float | None = None,
                                family: str | None = None, image_id: str | None = None) -> list[dict]:
    """The provider's read of data alicloud_instance_types, as it filters on the client."""
    request = DescribeAvailableResourceRequest()
    request.add_query_param("RegionId", REGION)
    request.set_DestinationResource("InstanceType")
    request.set_IoOptimized("optimized")
    request.set_InstanceChargeType("PostPaid")
    request.set_SpotStrategy("NoSpot")
    request.set_SystemDiskCategory("cloud_efficiency")
    if cores:
        request.set_Cores(cores)
    if memory:
        request.set_Memory(memory)
    zones_of: dict[str, set[str]] = {}
    for zone in legacy(ecs, request)["AvailableZones"]["AvailableZone"]:
        assert zone["Status"] == "Available"
        for resource in zone["AvailableResources"]["AvailableResource"]:
            for supported in resource["SupportedResources"]["SupportedResource"]:
                if supported["Status"] != "SoldOut":
                    zones_of.setdefault(supported["Value"], set()).add(zone["ZoneId"])
    # R, no RegionId, no MaxResults: pages while NextToken is a non-empty string.
    types, token, body = [], None, {"InstanceTypeFamily": family} if family else {}
    while True:
        reply = form_post(ecs, "DescribeInstanceTypes", {**body, **({"NextToken": token} if token else {})})
        assert reply.status == 200, reply.body
        page = reply.json()
        types.extend(page["InstanceTypes"]["InstanceType"])
        token = page.get("NextToken")
        if not isinstance(token, str) or not token:
            break
    if image_id:
        reply = form_post(ecs, "DescribeImageSupportInstanceTypes", {"ImageId": image_id, "RegionId": REGION})
        assert reply.status == 200, reply.body
        supported_ids = {t["InstanceTypeId"] for t in reply.json()["InstanceTypes"]["InstanceType"]}
        types = [t for t in types if t["InstanceTypeId"] in supported_ids]
    kept = []
    for t in types:
        assert isinstance(t["InstanceTypeId"], str)
        for name in ("CpuCoreCount", "MemorySize", "EniQuantity", "PrimaryEniQueueNumber", "SecondaryEniQueueNumber",
                     "EniIpv6AddressQuantity", "MaximumQueueNumberPerEni", "TotalEniQueueQuantity",
                     "EniPrivateIpAddressQuantity", "GPUAmount", "InitialCredit", "BaselineCredit",
                     "LocalStorageAmount", "LocalStorageCapacity"):
            assert is_number(t[name]), (t["InstanceTypeId"], name, t[name])
        for name in ("InstanceTypeFamily", "NvmeSupport", "GPUSpec", "LocalStorageCategory"):
            assert isinstance(t[name], str), (t["InstanceTypeId"], name)
        if t["InstanceTypeId"] in zones_of and (cores is None or t["CpuCoreCount"] == cores) \
                and (memory is None or t["MemorySize"] == memory):
            kept.append(t)
    return kept


def test_terraform_instance_types_data_source(ecs):
    every = _instance_types_data_source(ecs)
    assert [t["InstanceTypeId"] for t in every] == ALL_TYPES
    assert _instance_types_data_source(ecs) == every  # the same answer, in the same order, on every plan
    small = _instance_types_data_source(ecs, cores=2, memory=8)
    assert [t["InstanceTypeId"] for t in small] == ["ecs.g7.large", "ecs.g6.large", "ecs.t6-c1m4.large"]
    g7 = _instance_types_data_source(ecs, family="ecs.g7", image_id=LINUX_IMAGE)
    assert [t["InstanceTypeId"] for t in g7] == ["ecs.g7.large", "ecs.g7.xlarge", "ecs.g7.2xlarge", "ecs.g7.4xlarge"]
    large = {t["InstanceTypeId"]: t for t in every}["ecs.g7.large"]
    assert (large["CpuCoreCount"], large["MemorySize"], large["InstanceTypeFamily"], large["EniQuantity"]) == \
        (2, 8.0, "ecs.g7", 3)


def test_terraform_instance_create_asks_for_network_cards(ecs):
    """alicloud_instance's create asks (R, InstanceTypes.1, no RegionId) whether the type has
    NetworkCards before it sends NetworkCardIndex: none here, so it sends none."""
    reply = form_post(ecs, "DescribeInstanceTypes", {"InstanceTypes.1": "ecs.g7.large"})
    assert reply.status == 200, reply.body
    [entry] = reply.json()["InstanceTypes"]["InstanceType"]
    assert entry["InstanceTypeId"] == "ecs.g7.large" and "NetworkCards" not in entry


def test_python_tea_sdk_reads_its_typed_models(ecs):
    client = TeaClient(openapi_models.Config(access_key_id=DEVELOPMENT_KEY_ID, access_key_secret=DEVELOPMENT_KEY_SECRET,
                                             region_id=REGION, endpoint=ecs.server.endpoint, protocol="http"))
    zones = client.describe_available_resource(tea_models.DescribeAvailableResourceRequest(
        region_id=REGION, destination_resource="DataDisk", resource_type="disk", zone_id=ZONE)).body
    [zone] = zones.available_zones.available_zone
    [resource] = zone.available_resources.available_resource
    assert (zone.zone_id, zone.region_id, zone.status, resource.type) == (ZONE, REGION, "Available", "DataDisk")
    assert [(r.value, r.min, r.max, r.unit) for r in resource.supported_resources.supported_resource][:1] == \
        [("cloud_efficiency", 20, 32768, "GiB")]
    types = client.describe_instance_types(tea_models.DescribeInstanceTypesRequest(
        instance_type_families=["ecs.t6"], minimum_memory_size=4.0)).body
    assert [(t.instance_type_id, t.memory_size, t.initial_credit) for t in types.instance_types.instance_type] == \
        [("ecs.t6-c1m2.large", 4.0, 60), ("ecs.t6-c1m4.large", 8.0, 60)]
    families = client.describe_instance_type_families(tea_models.DescribeInstanceTypeFamiliesRequest(
        region_id=REGION, generation="ecs-6")).body
    assert [f.instance_type_family_id for f in families.instance_type_families.instance_type_family] == ["ecs.t6"]
    image = client.describe_image_support_instance_types(tea_models.DescribeImageSupportInstanceTypesRequest(
        region_id=REGION, image_id=LINUX_IMAGE, action_type="ChangeOS")).body
    assert (image.image_id, len(image.instance_types.instance_type)) == (LINUX_IMAGE, len(ALL_TYPES))


def test_describe_instance_types_pages_with_next_token(ecs):
    seen, token = [], None
    while True:
        page = ecs("DescribeInstanceTypes", MaxResults=5, NextToken=token)
        assert len(page["InstanceTypes"]["InstanceType"]) <= 5
        seen.extend(t["InstanceTypeId"] for t in page["InstanceTypes"]["InstanceType"])
        token = page["NextToken"]
        if not token:
            break
    assert seen == ALL_TYPES


@pytest.mark.parametrize(("filters", "expected"), [
    ({"InstanceTypeFamily": "ecs.c6"}, ["ecs.c6.large", "ecs.c6.xlarge"]),
    ({"InstanceTypes.1": "ecs.r7.large", "InstanceTypes.2": "ecs.c6.large"}, ["ecs.r7.large", "ecs.c6.large"]),
    ({"InstanceTypeFamilies.1": "ecs.g6", "InstanceTypeFamilies.2": "ecs.t6"},
     ["ecs.g6.large", "ecs.g6.xlarge", "ecs.t6-c1m1.large", "ecs.t6-c1m2.large", "ecs.t6-c1m4.large"]),
    ({"MinimumCpuCoreCount": 8, "MaximumMemorySize": 32}, ["ecs.g7.2xlarge", "ecs.c7.2xlarge", "ecs.c7.4xlarge"]),
    ({"MinimumMemorySize": 64}, ["ecs.g7.4xlarge", "ecs.r7.2xlarge"]),
    ({"InstanceCategory": "Memory-optimized"}, ["ecs.r7.large", "ecs.r7.xlarge", "ecs.r7.2xlarge"]),
    ({"InstanceFamilyLevel": "CreditEntryLevel", "MinimumBaselineCredit": 60}, ["ecs.t6-c1m4.large"]),
    ({"MinimumEniQuantity": 8}, ["ecs.g7.4xlarge", "ecs.c7.4xlarge"]),
    ({"MinimumEniPrivateIpAddressQuantity": 30, "InstanceTypeFamily": "ecs.g7"}, ["ecs.g7.4xlarge"]),
    ({"MinimumPrimaryEniQueueNumber": 8, "CpuArchitecture": "X86"},
     ["ecs.g7.2xlarge", "ecs.g7.4xlarge", "ecs.c7.2xlarge", "ecs.c7.4xlarge", "ecs.r7.2xlarge"]),
    ({"MinimumCpuTurboFrequency": 3.5, "MaximumCpuCoreCount": 2}, ["ecs.g7.large", "ecs.c7.large", "ecs.r7.large"]),
    ({"CpuArchitecture": "ARM"}, []),
    ({"MinimumGPUAmount": 1}, []),
    ({"MinimumLocalStorageCapacity": 1}, []),
    ({"NvmeSupport": "unsupported", "InstanceTypeFamily": "ecs.c7", "MinimumInstanceBandwidthRx": 5120000},
     ["ecs.c7.2xlarge", "ecs.c7.4xlarge"]),
])
def test_describe_instance_types_filters(ecs, filters, expected):
    found = ecs("DescribeInstanceTypes", **filters)["InstanceTypes"]["InstanceType"]
    assert [t["InstanceTypeId"] for t in found] == expected


def test_describe_instance_types_refuses_bad_filters(ecs):
    assert ecs.error("DescribeInstanceTypes", MinimumCpuCoreCount="two") == ("InvalidParameter", 400)
    assert ecs.error("DescribeInstanceTypes", MinimumMemorySize="nan") == ("InvalidParameter", 400)
    assert ecs.error("DescribeInstanceTypes", **{f"InstanceTypes.{n}": "ecs.g7.large" for n in range(1, 12)}) == \
        ("InvalidParameter", 400)
    assert ecs.error("DescribeInstanceTypes", MaxResults=0) == ("InvalidParameter", 400)
    for token in ("abc", "-1", "999", "１"):  # none handed out: refused, never a silent first page
        assert ecs.error("DescribeInstanceTypes", NextToken=token) == ("InvalidParameter", 400)


# --- DescribeAvailableResource: each destination and filter -----------------------------------

def test_a_type_a_zone_does_not_list_is_not_sold_there(ecs):
    """cn-hangzhou-k lists no 6th-generation type: RunInstances refuses one there (a zone
    that lists it makes it), as ModifyInstanceSpec refuses to change to one."""
    newest = available(ecs, DestinationResource="InstanceType", ZoneId="cn-hangzhou-k")["cn-hangzhou-k"]
    assert "ecs.g6.large" not in newest
    group = ecs("CreateSecurityGroup", RegionId=REGION)["SecurityGroupId"]
    launch = {"RegionId": REGION, "ImageId": LINUX_IMAGE, "InstanceType": "ecs.g6.large", "SecurityGroupId": group}
    before = ecs("DescribeInstances", RegionId=REGION)["TotalCount"]
    assert ecs.error("RunInstances", ZoneId="cn-hangzhou-k", VSwitchId=ecs.vswitch("cn-hangzhou-k"), **launch) == \
        ("InvalidInstanceType.ValueNotSupported", 403)
    assert ecs("DescribeInstances", RegionId=REGION)["TotalCount"] == before
    assert len(ecs("RunInstances", ZoneId=ZONE, VSwitchId=ecs.vswitch(ZONE), **launch)["InstanceIdSets"][
        "InstanceIdSet"]) == 1


def test_available_zones_for_an_instance_type_and_a_zone(ecs):
    assert available(ecs, DestinationResource="Zone") == {zone: [zone] for zone in ZONES}
    assert available(ecs, DestinationResource="Zone", InstanceType="ecs.r7.large", ZoneId="cn-hangzhou-h") == \
        {"cn-hangzhou-h": ["cn-hangzhou-h"]}
    assert available(ecs, DestinationResource="Zone", InstanceType="ecs.g5.large") == {}  # not sold here
    assert available(ecs, DestinationResource="Zone", ZoneId="cn-beijing-a") == {}  # another region's zone
    assert available(ecs, DestinationResource="IoOptimized", ZoneId=ZONE) == {ZONE: ["optimized"]}
    assert available(ecs, DestinationResource="Network", ZoneId=ZONE) == {ZONE: ["vpc"]}
    assert available(ecs, DestinationResource="Zone", IoOptimized="none") == {}
    assert available(ecs, DestinationResource="InstanceType", NetworkCategory="classic") == {}
    assert available(ecs, DestinationResource="ddh") == {}
    assert available(ecs, DestinationResource="Zone", ResourceType="ddh") == {}
    beijing = ecs("DescribeAvailableResource", RegionId="cn-beijing", DestinationResource="Zone")
    assert [z["ZoneId"] for z in beijing["AvailableZones"]["AvailableZone"]][:2] == ["cn-beijing-a", "cn-beijing-c"]
    assert {z["RegionId"] for z in beijing["AvailableZones"]["AvailableZone"]} == {"cn-beijing"}


def test_available_instance_types_by_cores_memory_and_disks(ecs):
    assert available(ecs, DestinationResource="InstanceType", ZoneId=ZONE, Cores=4) == \
        {ZONE: ["ecs.g7.xlarge", "ecs.c7.xlarge", "ecs.r7.xlarge", "ecs.g6.xlarge", "ecs.c6.xlarge"]}
    assert available(ecs, DestinationResource="InstanceType", ZoneId=ZONE, Memory=2) == {ZONE: ["ecs.t6-c1m1.large"]}
    assert available(ecs, DestinationResource="InstanceType", ZoneId=ZONE, InstanceType="ecs.c7.large") == \
        {ZONE: ["ecs.c7.large"]}
    assert available(ecs, DestinationResource="InstanceType", ZoneId=ZONE, SystemDiskCategory="cloud_essd",
                     DataDiskCategory="cloud_auto") == {ZONE: ALL_TYPES}
    assert available(ecs, DestinationResource="InstanceType", SystemDiskCategory="local_ssd_pro") == {}
    assert available(ecs, DestinationResource="InstanceType", InstanceChargeType="PrePaid", ZoneId=ZONE) == \
        {ZONE: ALL_TYPES}
    assert available(ecs, DestinationResource="InstanceType", SpotStrategy="SpotAsPriceGo", SpotDuration=1,
                     ZoneId=ZONE) == {ZONE: ALL_TYPES}


def test_available_disks_with_their_sizes(ecs):
    body = ecs("DescribeAvailableResource", RegionId=REGION, ZoneId=ZONE, DestinationResource="SystemDisk",
               InstanceType="ecs.g7.large", SystemDiskCategory="cloud_essd")
    [zone] = body["AvailableZones"]["AvailableZone"]
    [resource] = zone["AvailableResources"]["AvailableResource"]
    assert resource["Type"] == "SystemDisk"
    assert resource["SupportedResources"]["SupportedResource"] == [
        {"Value": "cloud_essd", "Status": "Available", "StatusCategory": "WithStock", "Min": 20, "Max": 2048,
         "Unit": "GiB"}]
    assert available(ecs, DestinationResource="DataDisk", ZoneId=ZONE, InstanceType="ecs.g7.large",
                     DataDiskCategory="cloud_auto") == {ZONE: ["cloud_auto"]}
    # With an instance, the system disk's category counts: the default one, or the one named.
    assert available(ecs, DestinationResource="DataDisk", ZoneId=ZONE, InstanceType="ecs.g7.large") == {ZONE: DISKS}
    assert available(ecs, DestinationResource="DataDisk", ZoneId=ZONE, InstanceType="ecs.g7.large",
                     SystemDiskCategory="cloud") == {}
    assert available(ecs, DestinationResource="DataDisk", ResourceType="disk", DataDiskCategory="cloud_ssd",
                     ZoneId=ZONE) == {ZONE: ["cloud_ssd"]}


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ("Invalid.Param", 400)),
    ({"DestinationResource": "Region"}, ("Invalid.DestinationResource", 404)),
    ({"DestinationResource": "Zone", "IoOptimized": "yes"}, ("Invalid.IoOptimized", 404)),
    ({"DestinationResource": "Zone", "NetworkCategory": "vxlan"}, ("Invalid.NetworkCategory", 404)),
    ({"DestinationResource": "Zone", "SpotStrategy": "Cheap"}, ("Invalid.SpotStrategy", 404)),
    ({"DestinationResource": "Zone", "InstanceChargeType": "Monthly"}, ("Invalid.InstanceChargeType", 400)),
    ({"DestinationResource": "Zone", "ResourceType": "vm"}, ("Invalid.ResourceType", 404)),
    ({"DestinationResource": "Zone", "Scope": "World"}, ("InvalidParameter.Scope", 403)),
    ({"DestinationResource": "Zone", "Cores": 2}, ("InvalidParam.Cores", 403)),
    ({"DestinationResource": "SystemDisk", "InstanceType": "ecs.g7.large", "Memory": 8}, ("InvalidParam.Memory", 403)),
    ({"DestinationResource": "InstanceType", "InstanceType": "ecs.g7.large", "Cores": 2},
     ("InvalidParam.TypeAndCpuMem.Conflict", 403)),
    ({"DestinationResource": "Zone", "DedicatedHostId": "dh-bp1nothere"}, ("InvalidDedicatedHostId.NotFound", 403)),
    ({"DestinationResource": "SystemDisk"}, ("MissingParameter", 400)),
    ({"DestinationResource": "DataDisk", "ResourceType": "instance"}, ("MissingParameter", 400)),
    ({"DestinationResource": "InstanceType", "Cores": "two"}, ("InvalidParameter", 400)),
    ({"DestinationResource": "InstanceType", "Memory": "inf"}, ("InvalidParameter", 400)),
    ({"DestinationResource": "Zone", "RegionId": "cn-atlantis"}, ("InvalidRegionId.NotFound", 404)),
])
def test_available_resource_refuses(ecs, params, expected):
    assert ecs.error("DescribeAvailableResource", **{"RegionId": REGION, **params}) == expected


# --- DescribeInstanceTypeFamilies, DescribeImageSupportInstanceTypes --------------------------

def test_describe_instance_type_families(ecs):
    families = ecs("DescribeInstanceTypeFamilies", RegionId=REGION)["InstanceTypeFamilies"]["InstanceTypeFamily"]
    assert [(f["InstanceTypeFamilyId"], f["Generation"]) for f in families] == [
        ("ecs.g7", "ecs-7"), ("ecs.c7", "ecs-7"), ("ecs.r7", "ecs-7"), ("ecs.g6", "ecs-5"), ("ecs.c6", "ecs-5"),
        ("ecs.t6", "ecs-6")]
    listed = {t["InstanceTypeFamily"] for t in ecs("DescribeInstanceTypes")["InstanceTypes"]["InstanceType"]}
    assert listed == {f["InstanceTypeFamilyId"] for f in families}
    fifth = ecs("DescribeInstanceTypeFamilies", RegionId=REGION, Generation="ecs-5")
    assert [f["InstanceTypeFamilyId"] for f in fifth["InstanceTypeFamilies"]["InstanceTypeFamily"]] == \
        ["ecs.g6", "ecs.c6"]
    none = ecs("DescribeInstanceTypeFamilies", RegionId=REGION, Generation="ecs-1")
    assert none["InstanceTypeFamilies"]["InstanceTypeFamily"] == []
    assert ecs.error("DescribeInstanceTypeFamilies", RegionId="cn-atlantis") == ("InvalidRegionId.NotFound", 404)


def test_describe_image_support_instance_types(ecs):
    body = ecs("DescribeImageSupportInstanceTypes", RegionId=REGION, ImageId=LINUX_IMAGE)
    assert (body["ImageId"], body["RegionId"]) == (LINUX_IMAGE, REGION)
    entries = body["InstanceTypes"]["InstanceType"]
    assert [t["InstanceTypeId"] for t in entries] == ALL_TYPES
    assert entries[0] == {"InstanceTypeId": "ecs.g7.large", "InstanceTypeFamily": "ecs.g7", "CpuCoreCount": 2,
                          "MemorySize": 8.0}
    by_filter = ecs("DescribeImageSupportInstanceTypes", RegionId=REGION, ActionType="ChangeOS",
                    **{"Filter.1.Key": "imageId", "Filter.1.Value": LINUX_IMAGE})
    assert by_filter["InstanceTypes"] == body["InstanceTypes"]
    assert ecs.error("DescribeImageSupportInstanceTypes", RegionId=REGION, ImageId="m-bp1doesnotexist") == \
        ("InvalidImageId.NotFound", 404)
    assert ecs.error("DescribeImageSupportInstanceTypes", RegionId=REGION,
                     **{"Filter.1.Key": "OSType", "Filter.1.Value": "linux"}) == ("InvalidParamter", 400)
    assert ecs.error("DescribeImageSupportInstanceTypes", RegionId=REGION, ImageId=LINUX_IMAGE,
                     ActionType="Upgrade") == ("InvalidParamter", 400)
    assert ecs.error("DescribeImageSupportInstanceTypes", RegionId=REGION) == ("MissingParameter", 400)
    # An image is another region's or another account's: not found here.
    assert ecs.error("DescribeImageSupportInstanceTypes", RegionId=REGION, ImageId="m-bp1custom00000000") == \
        ("InvalidImageId.NotFound", 404)


def test_image_support_of_custom_images(manual):
    instance_id = manual.run_instance()
    advance(manual, 3)  # Running
    x86 = manual("CreateImage", RegionId=REGION, InstanceId=instance_id)["ImageId"]
    # Still Creating: not an image anything can be made from yet.
    assert manual.error("DescribeImageSupportInstanceTypes", RegionId=REGION, ImageId=x86) == \
        ("InvalidImageId.NotFound", 404)
    advance(manual, 10)
    arm = manual("CreateImage", RegionId=REGION, InstanceId=instance_id, Architecture="arm64")["ImageId"]
    advance(manual, 10)
    supported = manual("DescribeImageSupportInstanceTypes", RegionId=REGION, ImageId=x86)["InstanceTypes"]
    assert [t["InstanceTypeId"] for t in supported["InstanceType"]] == ALL_TYPES
    # Every catalogued type is x86: an arm64 image runs on none of them.
    assert manual("DescribeImageSupportInstanceTypes", RegionId=REGION, ImageId=arm)["InstanceTypes"] == \
        {"InstanceType": []}
    # Another account's image, or another region's, is not found.
    assert Ecs(manual.server, key=OTHER_KEY).error("DescribeImageSupportInstanceTypes", RegionId=REGION,
                                                    ImageId=x86) == ("InvalidImageId.NotFound", 404)
    assert manual.error("DescribeImageSupportInstanceTypes", RegionId="cn-shanghai", ImageId=x86) == \
        ("InvalidImageId.NotFound", 404)
