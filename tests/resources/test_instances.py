"""Instances through the official SDKs: lifecycle, preconditions, describe, on each store."""

import json

import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException

from tests.ecsclient import LINUX_IMAGE, REGION, WINDOWS_IMAGE, ZONE, control, flat

# --- lifecycle -------------------------------------------------------------------------------

def test_run_stop_start_reboot_delete(ecs):
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 40, "Category": "cloud_essd"}]))
    assert instance_id.startswith("i-bp") and len(instance_id) == 22
    instance = ecs.instance(instance_id)
    assert instance["Status"] == "Running" and instance["StartTime"]
    assert instance["VpcAttributes"]["VpcId"].startswith("vpc-")
    assert instance["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0].startswith("172.")
    assert (instance["Cpu"], instance["Memory"], instance["OSType"]) == (2, 8192, "linux")
    disks = {d["Type"]: d for d in ecs.disks_of(instance_id)}
    assert disks["system"]["Device"] == "/dev/xvda" and disks["system"]["Size"] == 40
    assert disks["system"]["ImageId"] == LINUX_IMAGE and disks["system"]["Category"] == "cloud_efficiency"
    assert disks["data"]["Device"] == "/dev/xvdb" and disks["data"]["PerformanceLevel"] == "PL1"
    assert {d["Status"] for d in disks.values()} == {"In_use"}

    ecs("StopInstance", InstanceId=instance_id)
    assert ecs.instance(instance_id)["Status"] == "Stopped"
    assert {d["Status"] for d in ecs.disks_of(instance_id)} == {"In_use"}
    ecs("StartInstance", InstanceId=instance_id)
    assert ecs.instance(instance_id)["Status"] == "Running"
    ecs("RebootInstance", InstanceId=instance_id)
    assert ecs.instance(instance_id)["Status"] == "Running"

    assert ecs.error("DeleteInstance", InstanceId=instance_id) == ("IncorrectInstanceStatus", 403)
    ecs("DeleteInstance", InstanceId=instance_id, Force=True)
    assert ecs("DescribeInstances", RegionId=REGION, InstanceIds=[instance_id])["Instances"]["Instance"] == []
    assert ecs("DescribeDisks", RegionId=REGION, DiskIds=[d["DiskId"] for d in disks.values()])["Disks"]["Disk"] == []


def test_create_instance_stays_stopped_and_never_started(ecs):
    instance_id = ecs("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.c7.large",
                      SecurityGroupId=ecs.security_group(), VSwitchId=ecs.vswitch())["InstanceId"]
    instance = ecs.instance(instance_id)
    assert instance["Status"] == "Stopped" and instance["StartTime"] == ""
    assert instance["PublicIpAddress"]["IpAddress"] == []
    ecs("StartInstance", InstanceId=instance_id)
    assert ecs.instance(instance_id)["StartTime"]


def test_wrong_status_for_each_action(ecs):
    instance_id = ecs.run_instance()
    assert ecs.error("StartInstance", InstanceId=instance_id) == ("IncorrectInstanceStatus", 403)
    ecs("StopInstance", InstanceId=instance_id)
    assert ecs.error("StopInstance", InstanceId=instance_id) == ("IncorrectInstanceStatus", 403)
    assert ecs.error("RebootInstance", InstanceId=instance_id) == ("IncorrectInstanceStatus", 403)


def test_unknown_instance(ecs):
    for action in ("StartInstance", "StopInstance", "RebootInstance", "DeleteInstance", "ModifyInstanceAttribute"):
        assert ecs.error(action, InstanceId="i-bpdoesnotexist000000") == ("InvalidInstanceId.NotFound", 404)


def test_delete_keeps_disks_that_do_not_go_with_the_instance(ecs):
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 20, "DeleteWithInstance": False},
                                                       {"Size": 20, "DeleteWithInstance": True}]))
    disks = ecs.disks_of(instance_id)
    kept = next(d for d in disks if d["Type"] == "data" and not d["DeleteWithInstance"])
    ecs("StopInstance", InstanceId=instance_id)
    ecs("DeleteInstance", InstanceId=instance_id)
    remaining = ecs("DescribeDisks", RegionId=REGION, DiskIds=[d["DiskId"] for d in disks])["Disks"]["Disk"]
    assert [d["DiskId"] for d in remaining] == [kept["DiskId"]]
    assert remaining[0]["Status"] == "Available" and remaining[0]["InstanceId"] == ""
    assert remaining[0]["DetachedTime"]


def test_delete_detaches_a_kept_disk_at_once_whatever_it_is_doing(manual):
    instance_id = manual.run_instance(**flat("DataDisk", [{"Size": 20, "DeleteWithInstance": False}] * 2))
    control(manual.server, "POST", "/clock/advance", {"seconds": 10})
    manual("StopInstance", InstanceId=instance_id)
    attaching = manual("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20, DiskCategory="cloud_essd")["DiskId"]
    control(manual.server, "POST", "/clock/advance", {"seconds": 10})
    reiniting, detaching = sorted(d["DiskId"] for d in manual.disks_of(instance_id) if d["Type"] == "data")
    manual("ReInitDisk", DiskId=reiniting)
    manual("DetachDisk", DiskId=detaching, InstanceId=instance_id)
    manual("AttachDisk", DiskId=attaching, InstanceId=instance_id)
    assert [manual.disk(d)["Status"] for d in (attaching, detaching, reiniting)] == \
        ["Attaching", "Detaching", "ReIniting"]
    manual("DeleteInstance", InstanceId=instance_id)
    control(manual.server, "POST", "/clock/advance", {"seconds": 10})  # their own moves went with the instance
    for disk_id in (attaching, detaching, reiniting):
        disk = manual.disk(disk_id)
        assert (disk["Status"], disk["InstanceId"], disk["Device"]) == ("Available", "", ""), disk_id


def test_deletion_protection(ecs):
    instance_id = ecs.run_instance(DeletionProtection=True)
    assert ecs.error("DeleteInstance", InstanceId=instance_id, Force=True) == \
        ("InvalidOperation.DeletionProtection", 403)
    ecs("ModifyInstanceAttribute", InstanceId=instance_id, DeletionProtection=False)
    ecs("DeleteInstance", InstanceId=instance_id, Force=True)


def test_manual_mode_shows_each_transitional_state(manual):
    instance_id = manual.run_instance()
    assert manual.instance(instance_id)["Status"] == "Pending"
    control(manual.server, "POST", "/clock/advance", {"seconds": 1})
    assert manual.instance(instance_id)["Status"] == "Starting"
    control(manual.server, "POST", "/clock/advance", {"seconds": 2})
    assert manual.instance(instance_id)["Status"] == "Running"
    manual("StopInstance", InstanceId=instance_id)
    for _ in range(3):
        assert manual.instance(instance_id)["Status"] == "Stopping"
    assert manual.error("StartInstance", InstanceId=instance_id) == ("IncorrectInstanceStatus", 403)
    control(manual.server, "POST", "/clock/advance", {"seconds": 5})
    assert manual.instance(instance_id)["Status"] == "Stopped"


def test_realistic_mode_passes_through_states_a_wait_loop_can_see(server):
    from tests.ecsclient import Ecs
    ecs = Ecs(server)
    instance_id = ecs.run_instance()
    seen = [ecs.instance(instance_id)["Status"]]
    ecs.wait(lambda: seen.append(ecs.instance(instance_id)["Status"]) or seen[-1], "Running")
    assert seen[0] in ("Pending", "Starting") and "Starting" in seen
    ecs("StopInstance", InstanceId=instance_id)
    assert ecs.instance(instance_id)["Status"] == "Stopping"
    ecs.wait(lambda: ecs.instance(instance_id)["Status"], "Stopped")


# --- RunInstances checks -----------------------------------------------------------------------

@pytest.mark.parametrize("params, expected", [
    ({"ImageId": "no_such_image.vhd"}, ("InvalidImageId.NotFound", 404)),
    ({"InstanceType": "ecs.nothing.large"}, ("InvalidInstanceType.ValueNotSupported", 400)),
    ({"SecurityGroupId": "sg-bpnothing0000000000"}, ("InvalidSecurityGroupId.NotFound", 404)),
    ({"ZoneId": "cn-shanghai-b"}, ("InvalidZoneId.NotFound", 404)),
    ({"VSwitchId": "vsw-bpnothing000000000"}, ("InvalidVSwitchId.NotFound", 404)),
    ({"SystemDisk.Size": 10}, ("InvalidSystemDiskSize.LessThanImageSize", 404)),
    ({"SystemDisk.Size": 3000}, ("InvalidSystemDiskSize.MoreThanMaxSize", 404)),
    ({"SystemDisk.Category": "cloud_essd", "SystemDisk.PerformanceLevel": "PL2", "SystemDisk.Size": 100},
     ("InvalidSystemDiskSize.LessThanMinSize", 404)),
    ({"SystemDisk.Category": "floppy"}, ("InvalidSystemDiskCategory.ValueNotSupported", 400)),
    ({"DataDisk.1.Category": "floppy", "DataDisk.1.Size": 20}, ("InvalidDataDiskCategory.ValueNotSupported", 400)),
    ({"DataDisk.1.Size": 70000}, ("InvalidDataDiskSize.ValueNotSupported", 400)),
    ({"DataDisk.1.SnapshotId": "s-bpnothing0000000000"}, ("InvalidDataDiskSnapshotId.NotFound", 404)),
    ({**flat("DataDisk", [{"Size": 20}] * 17)}, ("InstanceDiskNumLimitExceed", 403)),
    ({"Password": "short1!"}, ("InvalidPassword.Malformed", 400)),
    ({"Password": "alllowercase"}, ("InvalidPassword.Malformed", 400)),
    ({"Password": "Abcd1234!", "PasswordInherit": True}, ("InvalidPasswordParam.Mismatch", 400)),
    ({"KeyPairName": "nobody-has-this"}, ("InvalidKeyPairName.NotFound", 404)),
    ({"ImageId": WINDOWS_IMAGE, "KeyPairName": "anything"}, ("DependencyViolation.WindowsInstance", 403)),
    ({"InstanceName": "1starts-with-a-digit"}, ("InvalidInstanceName.Malformed", 400)),
    ({"HostName": "-bad-"}, ("InvalidHostName.Malformed", 400)),
    ({"Amount": 101}, ("InvalidParameter", 400)),
    ({"Amount": 2, "MinAmount": 3}, ("InvalidMinAmount.Malformed", 400)),
    ({"Tag.1.Key": "aliyun:reserved", "Tag.1.Value": "x"}, ("InvalidTagKey.Malformed", 400)),
    ({"InternetMaxBandwidthOut": 101}, ("InvalidParameter", 400)),
])
def test_run_instances_refuses(ecs, params, expected):
    group = ecs.security_group()
    base = {"RegionId": REGION, "ImageId": LINUX_IMAGE, "InstanceType": "ecs.g7.large", "SecurityGroupId": group,
            "VSwitchId": ecs.vswitch()}
    before = ecs("DescribeInstances", RegionId=REGION)["TotalCount"]
    assert ecs.error("RunInstances", **{**base, **params}) == expected
    assert ecs("DescribeInstances", RegionId=REGION)["TotalCount"] == before  # nothing half-made


def test_run_instances_needs_a_security_group_and_a_vswitch(ecs):
    assert ecs.error("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.g7.large",
                     VSwitchId=ecs.vswitch()) == ("MissingParameter", 400)
    # Every instance is in a VPC: without VSwitchId nothing is made, whatever the group.
    before = ecs("DescribeInstances", RegionId=REGION)["TotalCount"]
    for action in ("RunInstances", "CreateInstance"):
        try:
            ecs(action, RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.g7.large",
                SecurityGroupId=ecs.security_group())
        except ServerException as exc:
            assert (exc.get_error_code(), exc.get_http_status()) == ("MissingParameter", 400)
            assert "VSwitchId" in exc.get_error_msg()
        else:
            raise AssertionError(f"{action} made an instance without VSwitchId")
    assert ecs("DescribeInstances", RegionId=REGION)["TotalCount"] == before


def test_dry_run(ecs):
    assert ecs.error("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.g7.large",
                     SecurityGroupId=ecs.security_group(),
                     VSwitchId=ecs.vswitch(), DryRun=True) == ("DryRunOperation", 400)


def test_amount_public_ip_names_and_tags(ecs):
    group = ecs.security_group()
    ids = ecs("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.r7.large", Amount=3,
              SecurityGroupId=group, VSwitchId=ecs.vswitch(), InternetMaxBandwidthOut=5, InstanceName="web",
              HostName="web-host",
              **{"Tag.1.Key": "team", "Tag.1.Value": "blue"})["InstanceIdSets"]["InstanceIdSet"]
    assert len(set(ids)) == 3
    described = ecs("DescribeInstances", RegionId=REGION, InstanceIds=ids)["Instances"]["Instance"]
    assert {i["InstanceName"] for i in described} == {"web"}
    assert all(i["PublicIpAddress"]["IpAddress"] for i in described)
    assert len({i["VpcAttributes"]["PrivateIpAddress"]["IpAddress"][0] for i in described}) == 3
    assert described[0]["Tags"]["Tag"] == [{"TagKey": "team", "TagValue": "blue"}]
    by_tag = ecs("DescribeInstances", RegionId=REGION, **{"Tag.1.Key": "team", "Tag.1.Value": "blue"})
    assert {i["InstanceId"] for i in by_tag["Instances"]["Instance"]} == set(ids)


# --- locks (control plane) -------------------------------------------------------------------

def test_security_and_financial_locks(ecs):
    instance_id = ecs.run_instance()
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "security"})
    locks = ecs.instance(instance_id)["OperationLocks"]["LockReason"]
    assert [lock["LockReason"] for lock in locks] == ["security"]
    assert ecs.error("StopInstance", InstanceId=instance_id) == ("InstanceLockedForSecurity", 403)
    assert ecs.error("RebootInstance", InstanceId=instance_id) == ("InstanceLockedForSecurity", 403)
    found = ecs("DescribeInstances", RegionId=REGION, LockReason="security")["Instances"]["Instance"]
    assert instance_id in {i["InstanceId"] for i in found}
    control(ecs.server, "DELETE", f"/instances/{instance_id}/locks/security")
    ecs("StopInstance", InstanceId=instance_id)
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "financial"})
    assert ecs.error("StartInstance", InstanceId=instance_id) == ("InstanceExpiredOrInArrears", 403)


# --- describe -------------------------------------------------------------------------------

def test_describe_filters_and_paging(ecs):
    group = ecs.security_group()
    ids = ecs("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.c7.xlarge", Amount=12,
              SecurityGroupId=group, VSwitchId=ecs.vswitch(), InstanceName="batch")["InstanceIdSets"]["InstanceIdSet"]
    by_group = ecs("DescribeInstances", RegionId=REGION, SecurityGroupId=group, PageSize=5)
    assert by_group["TotalCount"] == 12 and len(by_group["Instances"]["Instance"]) == 5
    pages = [ecs("DescribeInstances", RegionId=REGION, SecurityGroupId=group, PageSize=5, PageNumber=n)
             for n in (1, 2, 3)]
    listed = [i["InstanceId"] for page in pages for i in page["Instances"]["Instance"]]
    assert listed == ids  # creation order, nothing twice
    tokens, token = [], None
    while True:
        page = ecs("DescribeInstances", RegionId=REGION, SecurityGroupId=group, MaxResults=10, NextToken=token)
        tokens += [i["InstanceId"] for i in page["Instances"]["Instance"]]
        token = page["NextToken"]
        if not token:
            break
    assert tokens == ids
    assert ecs("DescribeInstances", RegionId=REGION, InstanceIds=[])["Instances"]["Instance"] == []
    assert ecs("DescribeInstances", RegionId=REGION, InstanceName="bat*", InstanceType="ecs.c7.xlarge",
               PageSize=100)["TotalCount"] == 12
    assert ecs("DescribeInstances", RegionId=REGION, InstanceTypeFamily="ecs.c7",
               SecurityGroupId=group)["TotalCount"] == 12
    assert ecs("DescribeInstances", RegionId=REGION, ZoneId=ZONE, Status="Running",
               SecurityGroupId=group)["TotalCount"] == 12
    statuses = ecs("DescribeInstanceStatus", RegionId=REGION,
                   **{f"InstanceId.{n}": i for n, i in enumerate(ids[:3], 1)})
    assert [s["InstanceId"] for s in statuses["InstanceStatuses"]["InstanceStatus"]] == ids[:3]
    assert ecs.error("DescribeInstances", RegionId=REGION, Status="Sleeping") == ("InvalidStatus.NotFound", 404)
    assert ecs.error("DescribeInstances", RegionId=REGION, PageSize=101) == ("InvalidParameter", 400)
    assert ecs.error("DescribeInstanceStatus", RegionId=REGION, ZoneId="cn-hangzhou-z") == \
        ("InvalidZoneId.NotFound", 404)


def test_describe_instance_types(ecs):
    types = ecs("DescribeInstanceTypes")["InstanceTypes"]["InstanceType"]
    by_id = {t["InstanceTypeId"]: t for t in types}
    for type_id, cpu, memory in (("ecs.g7.large", 2, 8.0), ("ecs.c7.large", 2, 4.0), ("ecs.r7.large", 2, 16.0),
                                 ("ecs.t6-c1m1.large", 2, 2.0)):
        assert (by_id[type_id]["CpuCoreCount"], by_id[type_id]["MemorySize"]) == (cpu, memory)
    family = ecs("DescribeInstanceTypes", InstanceTypeFamily="ecs.g7")["InstanceTypes"]["InstanceType"]
    assert {t["InstanceTypeFamily"] for t in family} == {"ecs.g7"}


def test_modify_instance_attribute(ecs):
    instance_id = ecs.run_instance()
    ecs("ModifyInstanceAttribute", InstanceId=instance_id, InstanceName="renamed", Description="a web server",
        HostName="web-01", Password="NewPassw0rd!")
    instance = ecs.instance(instance_id)
    assert (instance["InstanceName"], instance["Description"], instance["HostName"]) == \
        ("renamed", "a web server", "web-01")
    assert "NewPassw0rd!" not in json.dumps(instance)
    assert ecs.error("ModifyInstanceAttribute", InstanceId=instance_id, Password="weak") == \
        ("InvalidHostPassword.Malformed", 400)
    assert ecs.error("ModifyInstanceAttribute", InstanceId=instance_id, UserData="ZWNobyBoaQ==") == \
        ("IncorrectInstanceStatus", 403)


def test_accounts_are_isolated(ecs, other):
    instance_id = ecs.run_instance()
    assert other("DescribeInstances", RegionId=REGION, InstanceIds=[instance_id])["Instances"]["Instance"] == []
    assert other.error("StopInstance", InstanceId=instance_id) == ("InvalidInstanceId.NotFound", 404)
    assert other("DescribeDisks", RegionId=REGION, InstanceId=instance_id)["Disks"]["Disk"] == []
    assert ecs.instance(instance_id)["Status"] == "Running"


def test_the_new_sdk_drives_the_same_lifecycle(ecs):
    from alibabacloud_ecs20140526 import models
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi.models import Config as TeaConfig

    client = Client(TeaConfig(access_key_id="testid", access_key_secret="testsecret", region_id=REGION,
                              endpoint=ecs.server.endpoint, protocol="http"))
    group = client.create_security_group(models.CreateSecurityGroupRequest(region_id=REGION)).body.security_group_id
    run = client.run_instances(models.RunInstancesRequest(
        region_id=REGION, image_id=LINUX_IMAGE, instance_type="ecs.g7.large", security_group_id=group,
        v_switch_id=ecs.vswitch(), data_disk=[models.RunInstancesRequestDataDisk(size=50, category="cloud_ssd")]))
    instance_id = run.body.instance_id_sets.instance_id_set[0]
    client.stop_instance(models.StopInstanceRequest(instance_id=instance_id))
    instance = client.describe_instances(models.DescribeInstancesRequest(
        region_id=REGION, instance_ids=json.dumps([instance_id]))).body.instances.instance[0]
    assert instance.status == "Stopped"
    disks = client.describe_disks(
        models.DescribeDisksRequest(region_id=REGION, instance_id=instance_id)).body.disks.disk
    assert sorted((d.type, d.size) for d in disks) == [("data", 50), ("system", 40)]
