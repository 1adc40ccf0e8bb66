"""``alicloud_instance`` (terraform-calls.md §2.1), a minimal PostPaid VPC instance:

    resource "alicloud_instance" "i" {
      availability_zone = "cn-hangzhou-b"   instance_type = "ecs.g7.large"   image_id = "ubuntu_22_04_…"
      security_groups   = ["sg-…"]          vswitch_id    = "vsw-…"          instance_name = "tf-instance"
      system_disk_size  = 40                user_data     = "IyEvYmluL3NoCmVjaG8gaGkK"
    }

Read is ten calls; the one right after create skips DescribeInstanceRamRole.
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from tests.ecsclient import LINUX_IMAGE, REGION, ZONE

from .reading import ARRAY, BOOL, OBJECT, STRING, Pace
from .replay import EMPTY, Call, Each, Gone, Resource, Set, Wait, cycle, destroy_twice

OTHER_IMAGE = "debian_12_7_x64_20G_alibase_20240927.vhd"
USER_DATA = "IyEvYmluL3NoCmVjaG8gaGkK"  # "#!/bin/sh\necho hi\n", kept as sent
BY_IDS = {"RegionId": "{region}", "InstanceIds": '["{instance_id}"]'}
# EcsService.DescribeInstance (L): also every wait on the instance.
DESCRIBE_L = Call("L", "DescribeInstances", {**BY_IDS, "AdditionalAttributes": [
    "META_OPTIONS", "NETWORK_PRIMARY_ENI_IP", "LOGIN_AS_NON_ROOT", "DISK_HIGH_DENSITY_MODE"]})
ENI_NOT_FOUND = ("InvalidEcsId.NotFound", "InvalidEniId.NotFound", "InvalidSecurityGroupId.NotFound",
                 "InvalidVSwitchId.NotFound")


def read(*, new: bool) -> tuple:
    describe_eni = Call("R", "DescribeNetworkInterfaces", {"RegionId": "{region}",
                                                           "NetworkInterfaceId": ["{item_NetworkInterfaceId}"]},
                        found="NetworkInterfaceSets.NetworkInterfaceSet",
                        types={"NetworkInterfaceSets.NetworkInterfaceSet[].NetworkInterfaceId": STRING,
                               "NetworkInterfaceSets.NetworkInterfaceSet[].PrivateIpSets.PrivateIpSet[].Primary": BOOL,
                               "NetworkInterfaceSets.NetworkInterfaceSet[].Attachment?": OBJECT,
                               "NetworkInterfaceSets.NetworkInterfaceSet[].SecurityGroupIds?": OBJECT},
                        expect={"NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId":
                                "{item_NetworkInterfaceId}"})
    return (
        Call("L", DESCRIBE_L.action, DESCRIBE_L.params, found="Instances.Instance",
             save={"enis": "Instances.Instance[0].NetworkInterfaces.NetworkInterface"},
             expect={"Instances.Instance[0].InstanceId": "{instance_id}",
                     "Instances.Instance[0].InstanceName": "{name}",
                     "Instances.Instance[0].Status": "{status}",
                     "Instances.Instance[0].ZoneId": ZONE,
                     "Instances.Instance[0].InstanceType": "{instance_type}",
                     "Instances.Instance[0].KeyPairName": "{key_name}",
                     "Instances.Instance[0].ImageId": "{image_id}",
                     "Instances.Instance[0].InstanceChargeType": "PostPaid",
                     "Instances.Instance[0].SpotStrategy": "NoSpot",
                     "Instances.Instance[0].VpcAttributes.VSwitchId": "{vswitch_id}",
                     "Instances.Instance[0].SecurityGroupIds.SecurityGroupId": ["{group_id}"],
                     "Instances.Instance[0].DeletionProtection": False,
                     "Instances.Instance[0].AutoReleaseTime": EMPTY,
                     "Instances.Instance[0].DeploymentSetId": EMPTY,
                     "Instances.Instance[0].HpcClusterId": EMPTY,
                     "Instances.Instance[0].DedicatedHostAttribute.DedicatedHostId": EMPTY,
                     "Instances.Instance[0].AdditionalInfo.EnableHighDensityMode": EMPTY,
                     "Instances.Instance[0].MetadataOptions.HttpTokens": "{http_tokens}",
                     "Instances.Instance[0].Tags.Tag": []}),
        Call("R", "DescribeDisks", {"RegionId": "{region}", "InstanceId": "{instance_id}", "DiskType": "system"},
             found="Disks.Disk", types={"Disks.Disk[].InstanceId": STRING, "Disks.Disk[].DiskId": STRING},
             save={"system_disk_id": "Disks.Disk[0].DiskId"},
             expect={"Disks.Disk[0].InstanceId": "{instance_id}", "Disks.Disk[0].Type": "system",
                     "Disks.Disk[0].Category": "cloud_efficiency", "Disks.Disk[0].Size": "{system_disk_size}",
                     "Disks.Disk[0].StorageClusterId": EMPTY, "Disks.Disk[0].ProvisionedIops": EMPTY,
                     "Disks.Disk[0].BurstingEnabled": EMPTY, "Disks.Disk[0].Tags.Tag": []}),
        Call("L", "DescribeUserData", {"RegionId": "{region}", "InstanceId": "{instance_id}"},
             expect={"UserData": USER_DATA}),
        *(() if new else (Call("L", "DescribeInstanceRamRole", BY_IDS,
                               expect={"InstanceRamRoleSets.InstanceRamRoleSet[0].RamRoleName": ""}),)),
        Each("enis", describe_eni),
        Each("enis", describe_eni),  # the primary ENI a second time, for its private IPs
        Call("R", "DescribeInstanceMaintenanceAttributes", {"RegionId": "{region}", "InstanceId": ["{instance_id}"]},
             found="MaintenanceAttributes.MaintenanceAttribute",
             types={"MaintenanceAttributes.MaintenanceAttribute[].ActionOnMaintenance?": OBJECT},
             expect={"MaintenanceAttributes.MaintenanceAttribute[0].InstanceId": "{instance_id}",
                     "MaintenanceAttributes.MaintenanceAttribute[0].MaintenanceWindows.MaintenanceWindow": [],
                     "MaintenanceAttributes.MaintenanceAttribute[0].NotifyOnMaintenance": False}),
        Call("L", "DescribeInstanceAttribute", {"RegionId": "{region}", "InstanceId": "{instance_id}"},
             expect={"InstanceId": "{instance_id}"}),
        Call("R", "DescribeInstanceAttachmentAttributes", BY_IDS, found="Instances.Instance"),
        Call("R", "DescribeInstances", {**BY_IDS, "AdditionalAttributes": [
            "META_OPTIONS", "NETWORK_PRIMARY_ENI_IP", "LOGIN_AS_NON_ROOT", "LOGIN_AS_NON_ROOT",
            "CPU_OPTIONS_TOPOLOGY_TYPE"]}, found="Instances.Instance",
            types={"Instances.Instance[].CpuOptions?": OBJECT, "Instances.Instance[].Tags.Tag": ARRAY}),
    )


INSTANCE = Resource(
    "alicloud_instance",
    create=(
        Call("R", "RunInstances", {
            "RegionId": "{region}", "ClientToken": "{token_RunInstances}", "DryRun": False,
            "InstanceType": "{instance_type}", "ImageId": "{image_id}", "ZoneId": ZONE,
            "SystemDisk": {"Category": "cloud_efficiency", "Size": "{system_disk_size}"}, "InstanceName": "{name}",
            "InstanceChargeType": "PostPaid", "UserData": USER_DATA, "VSwitchId": "{vswitch_id}",
            "SecurityGroupIds": ["{group_id}"], "KeyPairName": "{key_name_sent}"},
            auto_retry=False, retry=("IncorrectVSwitchStatus",),
            save={"instance_id": "InstanceIdSets.InstanceIdSet[0]"}),
        Wait(DESCRIBE_L, "Instances.Instance", "Status", pending=("Pending", "Starting", "Stopped"),
             target=("Running",), fail=("Stopping",)),
        *read(new=True),
    ),
    read=read(new=False),
    update=(
        Set({"name": "tf-instance-renamed"}),
        Call("R", "ModifyInstanceAttribute", {"RegionId": "{region}", "ClientToken": "{token_Modify}",
                                              "InstanceId": "{instance_id}", "InstanceName": "{name}"}),
    ),
    delete=(
        Call("L", "DeleteInstance", {"InstanceId": "{instance_id}", "Force": True},
             retry=("IncorrectInstanceStatus", "DependencyViolation.RouteEntry", "IncorrectInstanceStatus.Initializing",
                    "LastTokenProcessing"),
             ok=("InvalidInstanceId.NotFound", "Forbidden.InstanceNotFound")),
        Wait(DESCRIBE_L, "Instances.Instance", "Status", pending=("Pending", "Running", "Stopped", "Stopping"),
             target=()),
    ),
    gone=(Gone(DESCRIBE_L, "Instances.Instance"),),
)


BY_ID = {"RegionId": "{region}", "InstanceId": "{instance_id}"}
# When the target status is Running: StartInstance (L), then wait for Running.
START = (
    Call("L", "StartInstance", {"InstanceId": "{instance_id}"},
         retry=("IncorrectInstanceStatus", "InvalidOperation.Conflict")),
    Wait(DESCRIBE_L, "Instances.Instance", "Status", pending=("Pending", "Starting", "Stopped"), target=("Running",)),
)
STOP = (
    Call("L", "StopInstance", {"InstanceId": "{instance_id}", "ForceStop": False}, retry=("IncorrectInstanceStatus",)),
    Wait(DESCRIBE_L, "Instances.Instance", "Status", pending=("Pending", "Running", "Stopping"),
         target=("Stopped",)),
)

# system_disk_size: DescribeDisks (R), DescribeInstances (L), ResizeDisk (L) online while Running,
# no wait: the next read must already see the new size.
RESIZED = dataclasses.replace(INSTANCE, name="alicloud_instance (system_disk_size)", update=(
    Set({"system_disk_size": 60}),
    Call("R", "DescribeDisks", {"RegionId": "{region}", "InstanceId": "{instance_id}", "DiskType": "system"}),
    DESCRIBE_L,
    Call("L", "ResizeDisk", {"DiskId": "{system_disk_id}", "NewSize": "{system_disk_size}", "Type": "online"}),
))
# status = "Stopped": DescribeInstances (L), StopInstance (L, ForceStop=false), wait for Stopped.
STOPPED = dataclasses.replace(INSTANCE, name="alicloud_instance (status)", update=(
    Set({"status": "Stopped"}), DESCRIBE_L, *STOP,
))
# image_id: stop, ReplaceSystemDisk (L) with the state's size, poll until the image and the new
# disk's size show, then start again (status stays Running).
REIMAGED = dataclasses.replace(INSTANCE, name="alicloud_instance (image_id)", update=(
    Set({"image_id": OTHER_IMAGE}), DESCRIBE_L, *STOP, DESCRIBE_L,
    Call("L", "ReplaceSystemDisk", {"InstanceId": "{instance_id}", "ImageId": "{image_id}",
                                    "SystemDiskSize": "{system_disk_size}", "ClientToken": "{token_Replace}"},
         save={"new_disk_id": "DiskId"}),
    # A plain loop that sleeps 5 s before each look (a fifth of it here, as the emulator's delays are).
    Wait(DESCRIBE_L, "Instances.Instance", "ImageId", target=("{image_id}",), pace=Pace(delay=1.0)),
    Wait(Call("L", "DescribeDisks", {"RegionId": "{region}", "DiskIds": '["{new_disk_id}"]'}), "Disks.Disk", "Size",
         target=("{system_disk_size}",)),
    *START,
))
# key_name, none before: DescribeInstances (L), AttachKeyPair (R), RebootInstance (R, ForceStop, no
# RegionId) as it is Running, then wait for Running (delay 5 s, a fifth of it here).
REKEYED = dataclasses.replace(INSTANCE, name="alicloud_instance (key_name)", update=(
    Set({"key_name": lambda values: values["new_key"]}), DESCRIBE_L,
    Call("R", "AttachKeyPair", {"RegionId": "{region}", "InstanceIds": '["{instance_id}"]',
                                "KeyPairName": "{key_name}"}),
    Call("R", "RebootInstance", {"InstanceId": "{instance_id}", "ForceStop": True}),
    Wait(DESCRIBE_L, "Instances.Instance", "Status", target=("Running",), pace=Pace(delay=1.0)),
))
# http_tokens: ModifyInstanceMetadataOptions (R), HttpEndpoint sent with its default.
HARDENED = dataclasses.replace(INSTANCE, name="alicloud_instance (http_tokens)", update=(
    Set({"http_tokens": "required"}),
    Call("R", "ModifyInstanceMetadataOptions", {"RegionId": "{region}", "InstanceId": "{instance_id}",
                                                "HttpEndpoint": "enabled", "HttpTokens": "{http_tokens}"}),
))
# instance_type (PostPaid): stop, ModifyInstanceSpec (L), poll until the type shows, start again.
RETYPED = dataclasses.replace(INSTANCE, name="alicloud_instance (instance_type)", update=(
    Set({"instance_type": "ecs.g7.xlarge"}), DESCRIBE_L, *STOP,
    Call("L", "ModifyInstanceSpec", {"InstanceId": "{instance_id}", "InstanceType": "{instance_type}",
                                     "ClientToken": "{token_ModifyInstanceSpec}"}, retry=("Throttling",)),
    Wait(DESCRIBE_L, "Instances.Instance", "InstanceType", target=("{instance_type}",), pace=Pace(delay=1.0)),
    *START,
))


@pytest.fixture
def values(ecs, instance_id) -> dict:
    """The network of another instance: a vSwitch in ZONE and a security group."""
    other = ecs.instance(instance_id)
    return {"region": REGION, "name": "tf-instance", "image_id": LINUX_IMAGE, "system_disk_size": 40,
            "instance_type": "ecs.g7.large", "key_name": "", "key_name_sent": None,
            "new_key": ecs("CreateKeyPair", RegionId=REGION,
                           KeyPairName=f"tf-kp-{uuid.uuid4().hex[:12]}")["KeyPairName"],
            "status": "Running", "http_tokens": "optional", "vswitch_id": other["VpcAttributes"]["VSwitchId"],
            "group_id": other["SecurityGroupIds"]["SecurityGroupId"][0]}


def test_apply_plan_destroy(wire, values):
    cycle(wire, INSTANCE, values)


def test_destroy_twice(wire, values):
    destroy_twice(wire, INSTANCE, values)


def test_update_name(wire, values):
    cycle(wire, INSTANCE, values, update=True)


@pytest.mark.parametrize("resource", [RESIZED, STOPPED, REIMAGED, RETYPED, REKEYED, HARDENED],
                         ids=["system_disk_size", "status", "image_id", "instance_type", "key_name", "http_tokens"])
def test_update(wire, values, resource):
    cycle(wire, resource, values, update=True)
