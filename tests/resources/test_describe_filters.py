"""Describe filters are never silently ignored: each narrows the list (or, for what no
resource here has, such as an EIP or a KMS key, matches nothing), a bad filter key or zone is
refused with the real code, a declared parameter that is not emulated is refused with
UnsupportedParameter, and the list parameters read the forms clients send."""

from __future__ import annotations

import time

import pytest

from tests.ecsclient import REGION, ZONE


def ids(body: dict, outer: str, inner: str, key: str) -> list[str]:
    return [item[key] for item in body[outer][inner]]


def instance_ids(ecs, **params) -> list[str]:
    return ids(ecs("DescribeInstances", RegionId=REGION, PageSize=100, **params), "Instances", "Instance",
               "InstanceId")


def disk_ids(ecs, **params) -> list[str]:
    return ids(ecs("DescribeDisks", RegionId=REGION, PageSize=100, **params), "Disks", "Disk", "DiskId")


def snapshot_ids(ecs, **params) -> list[str]:
    return ids(ecs("DescribeSnapshots", RegionId=REGION, PageSize=100, **params), "Snapshots", "Snapshot",
               "SnapshotId")


def minute(offset: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(time.time() + offset))


def creation_filter(value: str, key: str = "CreationStartTime") -> dict:
    return {"Filter.1.Key": key, "Filter.1.Value": value}


@pytest.fixture(scope="module")
def running(ecs) -> dict:
    instance_id = ecs.run_instance(InternetMaxBandwidthOut=5)
    return ecs.instance(instance_id)


def test_instance_address_filters(ecs, running):
    one = [running["InstanceId"]]
    private_ip = running["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0]
    public_ip = running["PublicIpAddress"]["IpAddress"][0]
    assert instance_ids(ecs, InstanceIds=one, PrivateIpAddresses=[private_ip]) == one
    assert instance_ids(ecs, InstanceIds=one, PublicIpAddresses=[public_ip]) == one
    assert instance_ids(ecs, InstanceIds=one, PublicIpAddresses=["203.0.113.9"]) == []
    # no instance here has an EIP, a classic-network, RDMA or IPv6 address
    for params in ({"EipAddresses": [public_ip]}, {"InnerIpAddresses": [private_ip]},
                   {"RdmaIpAddresses": [private_ip]}, {"Ipv6Address.1": "2001:db8::1"}):
        assert instance_ids(ecs, InstanceIds=one, **params) == [], params


@pytest.mark.parametrize(("params", "matches"), [
    ({"InstanceNetworkType": "vpc"}, True), ({"InstanceNetworkType": "classic"}, False),
    ({"IoOptimized": True}, True), ({"IoOptimized": False}, False),
    ({"HttpEndpoint": "enabled"}, True), ({"HttpEndpoint": "disabled"}, False),
    ({"HttpTokens": "optional"}, True), ({"HttpTokens": "required"}, False),
    ({"HpcClusterId": "hpc-bp1nothing"}, False),
])
def test_instance_option_filters(ecs, running, params, matches):
    one = [running["InstanceId"]]
    assert instance_ids(ecs, InstanceIds=one, **params) == (one if matches else [])


def test_creation_start_time_filters_instances_disks_and_snapshots(ecs, running):
    one = [running["InstanceId"]]
    disk_id = next(d["DiskId"] for d in ecs.disks_of(running["InstanceId"]) if d["Type"] == "system")
    snapshot_id = ecs("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    for listed, params in ((instance_ids, {"InstanceIds": one}), (disk_ids, {"DiskIds": [disk_id]}),
                           (snapshot_ids, {"SnapshotIds": [snapshot_id]})):
        assert len(listed(ecs, **params, **creation_filter(minute(-3600)))) == 1
        assert listed(ecs, **params, **creation_filter(minute(3600))) == []


@pytest.mark.parametrize("action", ["DescribeInstances", "DescribeDisks", "DescribeSnapshots"])
def test_bad_filters_are_refused(ecs, action):
    assert ecs.error(action, RegionId=REGION, **creation_filter(minute(0), key="CreationEndTime")) == \
        ("InvalidFilterKey.NotFound", 404)
    assert ecs.error(action, RegionId=REGION, **creation_filter("yesterday")) == ("InvalidFilterValue", 404)
    assert ecs.error(action, RegionId=REGION, **{"Filter.1.Value": minute(0)}) == \
        ("InvalidFilterKey.NotFound", 404)


def test_disk_filters(ecs):
    essd = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskCategory="cloud_essd")["DiskId"]
    one = [essd]
    assert disk_ids(ecs, DiskIds=one, MultiAttach="Disabled") == one
    assert disk_ids(ecs, DiskIds=one, MultiAttach="Enabled") == []
    assert disk_ids(ecs, DiskIds=one, PerformanceLevel="PL1") == one
    assert disk_ids(ecs, DiskIds=one, PerformanceLevel="PL2") == []
    assert disk_ids(ecs, DiskIds=one, EnableAutoSnapshot=True) == one
    assert disk_ids(ecs, DiskIds=one, EnableShared=False) == one
    for params in ({"EnableShared": True}, {"KMSKeyId": "key-1"}, {"AutoSnapshotPolicyId": "sp-1"},
                   {"EnableAutomatedSnapshotPolicy": True}):
        assert disk_ids(ecs, DiskIds=one, **params) == [], params
    assert ecs.error("DescribeDisks", RegionId=REGION, MultiAttach="Sometimes") == \
        ("InvalidParameter.MultiAttach", 403)
    assert ecs.error("DescribeDisks", RegionId=REGION, ZoneId="cn-hangzhou-z") == ("InvalidZoneId.NotFound", 400)
    assert ecs.error("DescribeDisks", RegionId=REGION, ZoneId="cn-shanghai-b") == ("InvalidZoneId.NotFound", 400)
    assert essd in disk_ids(ecs, ZoneId=ZONE)


def test_snapshot_kms_key_filter(ecs, running):
    disk_id = ecs.disks_of(running["InstanceId"])[0]["DiskId"]
    snapshot_id = ecs("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    assert snapshot_ids(ecs, SnapshotIds=[snapshot_id]) == [snapshot_id]
    assert snapshot_ids(ecs, SnapshotIds=[snapshot_id], KMSKeyId="key-1") == []


def test_python_list_repr_as_footmark_sends_it(ecs):
    first = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    second = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    assert sorted(disk_ids(ecs, DiskIds=f"[{first!r}, {second!r}]")) == sorted([first, second])
    for name in ("repr-a", "repr-b"):
        ecs("CreateKeyPair", RegionId=REGION, KeyPairName=name)
    ecs("DeleteKeyPairs", RegionId=REGION, KeyPairNames="['repr-a', 'repr-b']")
    assert ecs("DescribeKeyPairs", RegionId=REGION, KeyPairName="repr-*")["KeyPairs"]["KeyPair"] == []
    # what is neither JSON nor a Python list of values stays invalid
    for bad in ("['a', ['nested']]", "[__import__('os')]", "('a',)", "['unclosed'"):
        assert ecs.error("DescribeDisks", RegionId=REGION, DiskIds=bad) == ("InvalidParameter", 400), bad


def test_a_declared_parameter_not_emulated_is_refused(ecs):
    before = ecs("DescribeInstances", RegionId=REGION)["TotalCount"]
    with_release = {"AutoReleaseTime": "2099-01-01T00:00:00Z"}
    assert ecs.error("RunInstances", RegionId=REGION, ImageId=ecs.instance(ecs.run_instance())["ImageId"],
                     InstanceType="ecs.g7.large", SecurityGroupId=ecs.security_group(),
                     VSwitchId=ecs.vswitch(), **with_release) == \
        ("UnsupportedParameter", 400)
    assert ecs("DescribeInstances", RegionId=REGION)["TotalCount"] == before + 1   # only the helper's instance
    ecs.run_instance(UniqueSuffix=False)   # the default asks for nothing not emulated


def test_dry_run_is_a_name_create_disk_does_not_have(ecs):
    """The real CreateDisk has no DryRun: its gateway ignores the name, and the disk is made."""
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DryRun=True)["DiskId"]
    assert ecs.disk(disk_id)["Status"] == "Available"


def test_snapshot_link_filter(ecs, running):
    disk_id = ecs.disks_of(running["InstanceId"])[0]["DiskId"]
    snapshot_id = ecs("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    found = ecs("DescribeSnapshots", RegionId=REGION, SnapshotIds=[snapshot_id])["Snapshots"]["Snapshot"][0]
    link = found["SnapshotLinkId"]
    assert snapshot_id in snapshot_ids(ecs, SnapshotLinkId=link)
    assert set(snapshot_ids(ecs, SnapshotLinkId=link)) == set(snapshot_ids(ecs, DiskId=disk_id))
    assert snapshot_ids(ecs, SnapshotLinkId=link, DiskId="d-bpother000000000000") == []
    assert snapshot_ids(ecs, SnapshotLinkId="not-a-link") == []


def test_create_disk_records_bursting_and_refuses_what_it_does_not_emulate(ecs):
    auto = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskCategory="cloud_auto",
               BurstingEnabled=True, MultiAttach="Disabled")["DiskId"]
    assert ecs.disk(auto)["BurstingEnabled"] is True
    before = len(disk_ids(ecs))
    for params, expected in (({"DiskCategory": "cloud_essd", "BurstingEnabled": True},
                              ("InvalidParameter.BurstingEnabled", 400)),
                             ({"MultiAttach": "Enabled"}, ("UnsupportedParameter", 400)),
                             ({"KMSKeyId": "key-1"}, ("UnsupportedParameter", 400)),
                             ({"ProvisionedIops": 5000}, ("UnsupportedParameter", 400)),
                             ({"Arn.1.Rolearn": "acs:ram::1:role/x"}, ("UnsupportedParameter", 400))):
        assert ecs.error("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, **params) == expected, params
    assert len(disk_ids(ecs)) == before


def test_image_filters(ecs):
    def image_ids(**params) -> list[str]:
        return ids(ecs("DescribeImages", RegionId=REGION, PageSize=100, ImageOwnerAlias="system", **params),
                   "Images", "Image", "ImageId")

    public = image_ids()
    assert public and image_ids(**creation_filter(minute(3600))) == []
    assert image_ids(**creation_filter(minute(3600), key="CreationEndTime")) == public
    assert image_ids(**{"Filter.1.Key": "NetworkType", "Filter.1.Value": "vpc"}) == public
    assert image_ids(**{"Filter.1.Key": "NetworkType", "Filter.1.Value": "classic"}) == []
    assert ecs.error("DescribeImages", RegionId=REGION, **{"Filter.1.Key": "CpuOnlineUpgrade",
                                                           "Filter.1.Value": "true"}) == ("UnsupportedParameter", 400)
    assert ecs.error("DescribeImages", RegionId=REGION, **creation_filter(minute(0), key="Owner")) == \
        ("InvalidFilterKey.NotFound", 404)
