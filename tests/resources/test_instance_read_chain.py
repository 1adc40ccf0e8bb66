"""The Terraform provider's alicloud_instance Read, call by call with its transports, right
after RunInstances: each answers with the fields it reads, in the JSON types its Go code
asserts (terraform-calls.md §2.1, §1.5), and a read right after create equals what was
asked. Transports: R is tea-rpc (common parameters in the query, the rest form-encoded in a
POST body, nothing added), L the legacy SDK (everything in a GET query), here the old
Python SDK, which sends the same."""

from __future__ import annotations

import base64
import json
import uuid

import pytest

from tests.ecsclient import LINUX_IMAGE, REGION, ZONE, _wire
from tests.rawhttp import encode, send, v1_params

USER_DATA = base64.b64encode(b"#!/bin/sh\necho hello > /tmp/hello\n").decode()
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def rpc_post(ecs, action: str, **params) -> tuple[int, dict]:
    """A tea-rpc call (transport R): status and parsed body."""
    wire = {name: _wire(value) for name, value in params.items() if value is not None}
    signed = v1_params(action, method="POST", **wire)
    query = {name: value for name, value in signed.items() if name not in wire}
    reply = send(ecs.server.port, "POST", "/?" + encode(query), FORM, encode(wire).encode())
    return reply.status, reply.json()


def r(ecs, action: str, **params) -> dict:
    status, body = rpc_post(ecs, action, **params)
    assert status == 200, body
    assert "Code" not in body and body.get("Success", True) is not False  # formatError's rule (§1.2)
    return body


def terraform_run_instances(ecs, **extra) -> str:
    """RunInstances as the provider sends it for a minimal VPC instance (§2.1 Create), with a
    token of its own (buildClientToken), as a token is one request's."""
    body = r(ecs, "RunInstances", RegionId=REGION, ClientToken=f"tf-token-{uuid.uuid4()}", DryRun=False,
             InstanceType="ecs.g7.large", ImageId=LINUX_IMAGE, ZoneId=ZONE, InstanceName="tf-web",
             SecurityGroupId=ecs.security_group(), VSwitchId=ecs.vswitch(), InternetMaxBandwidthOut=0,
             InstanceChargeType="PostPaid", UserData=USER_DATA, **{"SystemDisk.Category": "cloud_essd",
                                                                  "SystemDisk.Size": 40}, **extra)
    return body["InstanceIdSets"]["InstanceIdSet"][0]


def _strings(*values) -> bool:
    return all(isinstance(value, str) for value in values)


# --- the Read, step by step -----------------------------------------------------------------

def test_terraform_instance_read_after_create(ecs):
    instance_id = terraform_run_instances(ecs)

    # 1. DescribeInstances (L) with the provider's AdditionalAttributes.
    instance = ecs("DescribeInstances", RegionId=REGION, InstanceIds=[instance_id],
                   **{f"AdditionalAttributes.{n}": a for n, a in enumerate(
                       ["META_OPTIONS", "NETWORK_PRIMARY_ENI_IP", "LOGIN_AS_NON_ROOT", "DISK_HIGH_DENSITY_MODE"], 1)},
                   )["Instances"]["Instance"][0]
    private_ips = instance["VpcAttributes"]["PrivateIpAddress"]["IpAddress"]
    assert private_ips and _strings(*private_ips)
    assert isinstance(instance["CpuOptions"], dict)
    # ForceNew and not Computed: empty unless configured.
    assert instance["HpcClusterId"] == "" and instance["DedicatedHostAttribute"]["DedicatedHostId"] == ""
    assert instance["DeploymentSetId"] == "" and instance["DeletionProtection"] is False
    enis = instance["NetworkInterfaces"]["NetworkInterface"]
    assert [eni["Type"] for eni in enis] == ["Primary"]
    primary = enis[0]
    assert primary["PrimaryIpAddress"] == private_ips[0]

    # 3. DescribeUserData (L): exactly the Base64 RunInstances received.
    user_data = ecs("DescribeUserData", RegionId=REGION, InstanceId=instance_id)
    assert user_data["UserData"] == USER_DATA and user_data["InstanceId"] == instance_id

    # 4. DescribeInstanceRamRole (L), sent on every plan: the instance, without a role.
    roles = ecs("DescribeInstanceRamRole", RegionId=REGION, InstanceIds=[instance_id])
    assert roles["InstanceRamRoleSets"]["InstanceRamRoleSet"] == [{"InstanceId": instance_id, "RamRoleName": ""}]

    # 5. DescribeNetworkInterfaces (R), twice for the primary ENI.
    for _ in range(2):
        answer = r(ecs, "DescribeNetworkInterfaces", RegionId=REGION,
                   **{"NetworkInterfaceId.1": primary["NetworkInterfaceId"]})
        found = answer["NetworkInterfaceSets"]["NetworkInterfaceSet"]
        assert len(found) == 1
        eni = found[0]
        assert eni["NetworkInterfaceId"] == primary["NetworkInterfaceId"] and eni["InstanceId"] == instance_id
        assert isinstance(eni["Attachment"], dict) and isinstance(eni["Attachment"]["NetworkCardIndex"], int)
        assert isinstance(eni["SecurityGroupIds"], dict)
        assert eni["SecurityGroupIds"]["SecurityGroupId"] == instance["SecurityGroupIds"]["SecurityGroupId"]
        assert _strings(eni["NetworkInterfaceTrafficMode"]) and isinstance(eni["QueuePairNumber"], int)
        assert isinstance(eni["SourceDestCheck"], bool)
        ips = eni["PrivateIpSets"]["PrivateIpSet"]
        assert [(ip["PrivateIpAddress"], ip["Primary"]) for ip in ips] == [(private_ips[0], True)]
        assert all(isinstance(ip["Primary"], bool) for ip in ips)
        assert eni["Ipv6Sets"]["Ipv6Set"] == []
        assert eni["MacAddress"] == primary["MacAddress"]

    # 6. DescribeInstanceMaintenanceAttributes (R): an entry for the instance, defaults that
    # give no diff (no window, no notice).
    attributes = r(ecs, "DescribeInstanceMaintenanceAttributes", RegionId=REGION, **{"InstanceId.1": instance_id})
    entry = attributes["MaintenanceAttributes"]["MaintenanceAttribute"][0]
    assert entry["InstanceId"] == instance_id
    assert entry["MaintenanceWindows"]["MaintenanceWindow"] == []
    assert entry["NotifyOnMaintenance"] is False
    assert isinstance(entry["ActionOnMaintenance"], dict) and entry["ActionOnMaintenance"]["Value"] == "AutoRecover"

    # 7. DescribeInstanceAttribute (L): echoes the ID.
    attribute = ecs("DescribeInstanceAttribute", RegionId=REGION, InstanceId=instance_id)
    assert attribute["InstanceId"] == instance_id and attribute["EnableJumboFrame"] is False

    # 9. DescribeInstanceAttachmentAttributes (R): one element.
    attachment = r(ecs, "DescribeInstanceAttachmentAttributes", RegionId=REGION, InstanceIds=[instance_id])
    assert attachment["Instances"]["Instance"] == [
        {"InstanceId": instance_id, "PrivatePoolOptionsMatchCriteria": "None", "PrivatePoolOptionsId": ""}]

    # 10. DescribeInstances (R), CpuOptions an object.
    again = r(ecs, "DescribeInstances", RegionId=REGION, InstanceIds=[instance_id],
              **{f"AdditionalAttributes.{n}": a for n, a in enumerate(
                  ["META_OPTIONS", "NETWORK_PRIMARY_ENI_IP", "LOGIN_AS_NON_ROOT", "LOGIN_AS_NON_ROOT",
                   "CPU_OPTIONS_TOPOLOGY_TYPE"], 1)})["Instances"]["Instance"]
    assert len(again) == 1 and isinstance(again[0]["CpuOptions"], dict)


def test_a_second_read_answers_the_same(ecs):
    """terraform plan right after apply: nothing changed, so every answer is the same."""
    instance_id = terraform_run_instances(ecs)
    eni_id = ecs.instance(instance_id)["NetworkInterfaces"]["NetworkInterface"][0]["NetworkInterfaceId"]

    def read() -> list[dict]:
        answers = [
            ecs("DescribeUserData", RegionId=REGION, InstanceId=instance_id),
            ecs("DescribeInstanceRamRole", RegionId=REGION, InstanceIds=[instance_id]),
            r(ecs, "DescribeNetworkInterfaces", RegionId=REGION, **{"NetworkInterfaceId.1": eni_id}),
            r(ecs, "DescribeInstanceMaintenanceAttributes", RegionId=REGION, **{"InstanceId.1": instance_id}),
            ecs("DescribeInstanceAttribute", RegionId=REGION, InstanceId=instance_id),
            r(ecs, "DescribeInstanceAttachmentAttributes", RegionId=REGION, InstanceIds=[instance_id]),
        ]
        for answer in answers:
            answer.pop("RequestId")
        return answers

    assert read() == read()


# --- user data ------------------------------------------------------------------------------

def test_user_data_is_kept_as_sent_through_every_way_in(ecs):
    odd = "IyEvYmluL3NoCg=="  # padding and all
    made = ecs("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.g7.large",
               SecurityGroupId=ecs.security_group(), VSwitchId=ecs.vswitch(), UserData=odd)["InstanceId"]
    assert ecs("DescribeUserData", RegionId=REGION, InstanceId=made)["UserData"] == odd
    replaced = base64.b64encode(b"echo replaced").decode()
    ecs("ModifyInstanceAttribute", InstanceId=made, UserData=replaced)  # CreateInstance leaves it Stopped
    assert ecs("DescribeUserData", RegionId=REGION, InstanceId=made)["UserData"] == replaced
    plain = ecs.run_instance()
    answer = ecs("DescribeUserData", RegionId=REGION, InstanceId=plain)
    assert (answer["InstanceId"], answer["RegionId"], answer["UserData"]) == (plain, REGION, "")


def test_user_data_of_an_unknown_instance_or_another_region(ecs, other):
    instance_id = ecs.run_instance()
    assert ecs.error("DescribeUserData", RegionId=REGION, InstanceId="i-bpdoesnotexist000000") == \
        ("InvalidInstanceId.NotFound", 404)
    assert ecs.error("DescribeUserData", RegionId="cn-shanghai", InstanceId=instance_id) == \
        ("InvalidInstanceId.NotFound", 404)
    assert other.error("DescribeUserData", RegionId=REGION, InstanceId=instance_id) == \
        ("InvalidInstanceId.NotFound", 404)
    assert ecs.error("DescribeUserData", RegionId=REGION) == ("MissingParameter", 400)


# --- DescribeInstanceAttribute ------------------------------------------------------------------

def test_instance_attribute_agrees_with_describe_instances(ecs):
    instance_id = ecs.run_instance(InstanceName="attr-web", Description="the web server", HostName="web-1")
    listed = ecs.instance(instance_id)
    attribute = ecs("DescribeInstanceAttribute", InstanceId=instance_id)
    for name in ("InstanceId", "InstanceName", "Description", "HostName", "ImageId", "InstanceType", "Cpu", "Memory",
                 "ZoneId", "RegionId", "Status", "InstanceChargeType", "InternetChargeType", "SerialNumber",
                 "SecurityGroupIds", "VpcAttributes", "PublicIpAddress", "InnerIpAddress", "CreationTime"):
        assert attribute[name] == listed[name], name
    assert attribute["IoOptimized"] == "optimized" and attribute["OperationLocks"] == {"LockReason": []}
    assert attribute["DedicatedHostAttribute"]["DedicatedHostId"] == ""
    assert attribute["ClusterId"] == "" and attribute["VlanId"] == ""
    assert ecs.error("DescribeInstanceAttribute", InstanceId="i-bpdoesnotexist000000") == \
        ("InvalidInstanceId.NotFound", 404)
    assert ecs.error("DescribeInstanceAttribute") == ("MissingParameter", 400)


def test_instance_attribute_shows_locks(ecs):
    from tests.ecsclient import control
    instance_id = ecs.run_instance()
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "security"})
    attribute = ecs("DescribeInstanceAttribute", InstanceId=instance_id)
    assert attribute["OperationLocks"] == {"LockReason": [{"LockReason": "security"}]}


# --- RAM roles --------------------------------------------------------------------------------

def test_ram_role_given_at_launch_attached_and_detached(ecs):
    with_role = terraform_run_instances(ecs, RamRoleName="EcsServiceRole-web")
    without = ecs.run_instance()
    roles = ecs("DescribeInstanceRamRole", RegionId=REGION, InstanceIds=[with_role, without])
    assert roles["InstanceRamRoleSets"]["InstanceRamRoleSet"] == [
        {"InstanceId": with_role, "RamRoleName": "EcsServiceRole-web"}, {"InstanceId": without, "RamRoleName": ""}]
    assert roles["TotalCount"] == 2 and roles["RegionId"] == REGION

    attached = r(ecs, "AttachInstanceRamRole", RegionId=REGION, InstanceIds=[with_role, without],
                 RamRoleName="EcsServiceRole-web")
    assert (attached["TotalCount"], attached["FailCount"], attached["RamRoleName"]) == (2, 0, "EcsServiceRole-web")
    assert [(x["InstanceId"], x["Success"], x["Code"]) for x in
            attached["AttachInstanceRamRoleResults"]["AttachInstanceRamRoleResult"]] == [
        (with_role, True, "200"), (without, True, "200")]

    # Another role: each instance already holds one, and keeps it.
    refused = r(ecs, "AttachInstanceRamRole", RegionId=REGION, InstanceIds=[without], RamRoleName="other")
    assert refused["FailCount"] == 1
    result = refused["AttachInstanceRamRoleResults"]["AttachInstanceRamRoleResult"][0]
    assert (result["Success"], result["Code"]) == (False, "InvalidRamRole.AlreadyAttached")

    by_role = ecs("DescribeInstanceRamRole", RegionId=REGION, RamRoleName="EcsServiceRole-web", PageSize=50)
    assert {x["InstanceId"] for x in by_role["InstanceRamRoleSets"]["InstanceRamRoleSet"]} >= {with_role, without}

    detached = r(ecs, "DetachInstanceRamRole", RegionId=REGION, InstanceIds=[without], RamRoleName="EcsServiceRole-web")
    result = detached["DetachInstanceRamRoleResults"]["DetachInstanceRamRoleResult"][0]
    assert result["Success"] is True and result["InstanceRamRoleSets"]["InstanceRamRoleSet"] == [
        {"InstanceId": without, "RamRoleName": "EcsServiceRole-web"}]
    again = r(ecs, "DetachInstanceRamRole", RegionId=REGION, InstanceIds=[without])
    assert again["FailCount"] == 1 and again["DetachInstanceRamRoleResults"]["DetachInstanceRamRoleResult"][0][
        "Code"] == "InvalidRamRole.NotAttached"
    assert ecs("DescribeInstanceRamRole", RegionId=REGION, InstanceIds=[without])["InstanceRamRoleSets"][
        "InstanceRamRoleSet"] == [{"InstanceId": without, "RamRoleName": ""}]
    # Detaching without a name takes whichever role the instance holds.
    assert r(ecs, "DetachInstanceRamRole", RegionId=REGION, InstanceIds=[with_role])["RamRoleName"] == \
        "EcsServiceRole-web"


@pytest.mark.parametrize("action, params, expected", [
    ("DescribeInstanceRamRole", {}, ("InvalidParameter.AllEmpty", 403)),
    ("DescribeInstanceRamRole", {"InstanceIds": "i-1,i-2"}, ("InvalidInstanceIds.Malformed", 400)),
    ("DescribeInstanceRamRole", {"InstanceIds": ["i-bpdoesnotexist000000"]}, ("InvalidInstanceId.NotFound", 404)),
    ("DescribeInstanceRamRole", {"RamRoleName": "x", "PageSize": 51}, ("InvalidParameter", 400)),
    ("AttachInstanceRamRole", {"InstanceIds": "[]", "RamRoleName": "r"}, ("InvalidInstanceIds.Malformed", 400)),
    ("AttachInstanceRamRole", {"InstanceIds": ["i-bpdoesnotexist000000"], "RamRoleName": "r"},
     ("InvalidInstanceId.NotFound", 404)),
    ("AttachInstanceRamRole", {"InstanceIds": ["i-bpdoesnotexist000000"], "RamRoleName": "no spaces"},
     ("InvalidRamRole.NotFound", 404)),
    ("AttachInstanceRamRole", {"InstanceIds": ["i-bpdoesnotexist000000"]}, ("MissingParameter", 400)),
    ("DetachInstanceRamRole", {}, ("MissingParameter", 400)),
])
def test_ram_role_errors(ecs, action, params, expected):
    assert ecs.error(action, RegionId=REGION, **params) == expected


def test_a_refused_attach_changes_nothing(ecs):
    instance_id = ecs.run_instance()
    assert ecs.error("AttachInstanceRamRole", RegionId=REGION, RamRoleName="r",
                     InstanceIds=[instance_id, "i-bpdoesnotexist000000"]) == ("InvalidInstanceId.NotFound", 404)
    assert ecs.error("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.g7.large",
                     SecurityGroupId=ecs.security_group(),
                     VSwitchId=ecs.vswitch(), RamRoleName="bad name") == ("InvalidRamRole.NotFound", 404)
    assert ecs("DescribeInstanceRamRole", RegionId=REGION, InstanceIds=[instance_id])["InstanceRamRoleSets"][
        "InstanceRamRoleSet"] == [{"InstanceId": instance_id, "RamRoleName": ""}]


# --- maintenance -----------------------------------------------------------------------------------

def test_maintenance_attributes_are_read_back_as_set(ecs):
    first, second = ecs.run_instance(), ecs.run_instance()
    r(ecs, "ModifyInstanceMaintenanceAttributes", RegionId=REGION, **{
        "InstanceId.1": first, "InstanceId.2": second, "MaintenanceWindow.1.StartTime": "22:00:00",
        "MaintenanceWindow.1.EndTime": "02:00:00", "ActionOnMaintenance": "Stop", "NotifyOnMaintenance": True})
    answer = r(ecs, "DescribeInstanceMaintenanceAttributes", RegionId=REGION,
               **{"InstanceId.1": first, "InstanceId.2": second})
    assert answer["TotalCount"] == 2
    for entry in answer["MaintenanceAttributes"]["MaintenanceAttribute"]:
        assert entry["MaintenanceWindows"]["MaintenanceWindow"] == [{"StartTime": "22:00:00", "EndTime": "02:00:00"}]
        assert entry["ActionOnMaintenance"] == {"Value": "Stop", "DefaultValue": "AutoRecover",
                                                "SupportedValues": {"SupportedValue": ["Stop", "AutoRecover"]}}
        assert entry["NotifyOnMaintenance"] is True
    # Only what is given changes.
    r(ecs, "ModifyInstanceMaintenanceAttributes", RegionId=REGION, **{"InstanceId.1": first,
                                                                        "NotifyOnMaintenance": False})
    entry = r(ecs, "DescribeInstanceMaintenanceAttributes", RegionId=REGION, **{"InstanceId.1": first})[
        "MaintenanceAttributes"]["MaintenanceAttribute"][0]
    assert (entry["NotifyOnMaintenance"], entry["ActionOnMaintenance"]["Value"]) == (False, "Stop")
    assert entry["MaintenanceWindows"]["MaintenanceWindow"] == [{"StartTime": "22:00:00", "EndTime": "02:00:00"}]


def test_maintenance_of_every_instance_of_the_region_is_paged(ecs):
    ecs.run_instance()
    page = ecs("DescribeInstanceMaintenanceAttributes", RegionId=REGION, PageSize=1, PageNumber=1)
    assert len(page["MaintenanceAttributes"]["MaintenanceAttribute"]) == 1
    assert page["TotalCount"] == ecs("DescribeInstances", RegionId=REGION, PageSize=1)["TotalCount"]


@pytest.mark.parametrize("params", [
    {"MaintenanceWindow.1.StartTime": "02:30:00", "MaintenanceWindow.1.EndTime": "04:00:00"},
    {"MaintenanceWindow.1.StartTime": "02:00:00", "MaintenanceWindow.1.EndTime": "02:00:00"},
    {"MaintenanceWindow.1.StartTime": "02:00:00"},
    {"MaintenanceWindow.1.StartTime": "25:00:00", "MaintenanceWindow.1.EndTime": "02:00:00"},
    {"MaintenanceWindow.1.StartTime": "01:00:00", "MaintenanceWindow.1.EndTime": "02:00:00",
     "MaintenanceWindow.2.StartTime": "03:00:00", "MaintenanceWindow.2.EndTime": "04:00:00"},
    {"ActionOnMaintenance": "AutoRedeploy"},
])
def test_bad_maintenance_attributes_are_refused_and_change_nothing(ecs, params):
    instance_id = ecs.run_instance()
    before = ecs("DescribeInstanceMaintenanceAttributes", RegionId=REGION, **{"InstanceId.1": instance_id})
    assert ecs.error("ModifyInstanceMaintenanceAttributes", RegionId=REGION, NotifyOnMaintenance=True,
                     **{"InstanceId.1": instance_id}, **params) == ("InvalidParameter", 403)
    after = ecs("DescribeInstanceMaintenanceAttributes", RegionId=REGION, **{"InstanceId.1": instance_id})
    assert after["MaintenanceAttributes"] == before["MaintenanceAttributes"]


def test_maintenance_errors(ecs):
    instance_id = ecs.run_instance()
    unknown = {"InstanceId.1": instance_id, "InstanceId.2": "i-bpdoesnotexist000000"}
    assert ecs.error("DescribeInstanceMaintenanceAttributes", RegionId=REGION, **unknown) == \
        ("InvalidInstanceId.NotFound", 404)
    assert ecs.error("ModifyInstanceMaintenanceAttributes", RegionId=REGION, ActionOnMaintenance="Stop",
                     **unknown) == ("InvalidInstanceId.NotFound", 404)
    assert ecs("DescribeInstanceMaintenanceAttributes", RegionId=REGION, **{"InstanceId.1": instance_id})[
        "MaintenanceAttributes"]["MaintenanceAttribute"][0]["ActionOnMaintenance"]["Value"] == "AutoRecover"
    many = {f"InstanceId.{n}": instance_id for n in range(1, 102)}
    assert ecs.error("DescribeInstanceMaintenanceAttributes", RegionId=REGION, **many) == \
        ("InstanceIdLimitExceeded", 403)
    assert ecs.error("ModifyInstanceMaintenanceAttributes", RegionId=REGION, ActionOnMaintenance="Stop") == \
        ("MissingParameter", 400)
    assert ecs.error("ModifyInstanceMaintenanceAttributes", RegionId=REGION, ActionOnMaintenance="Reboot",
                     **{"InstanceId.1": instance_id}) == ("InvalidParameter", 403)


# --- attachment and renewal attributes ---------------------------------------------------------------

def test_attachment_attributes(ecs):
    first, second = ecs.run_instance(), ecs.run_instance()
    answer = ecs("DescribeInstanceAttachmentAttributes", RegionId=REGION, InstanceIds=[first, second], PageSize=1)
    assert answer["TotalCount"] == 2 and len(answer["Instances"]["Instance"]) == 1
    assert ecs.error("DescribeInstanceAttachmentAttributes", RegionId=REGION,
                     InstanceIds=[first, "i-bpdoesnotexist000000"]) == ("InvalidInstanceIds.NotFound", 404)
    assert ecs.error("DescribeInstanceAttachmentAttributes", RegionId=REGION) == ("MissingParameter", 400)


def test_private_pool_match_criteria_given_at_launch_and_changed(ecs):
    instance_id = ecs.run_instance(**{"PrivatePoolOptions.MatchCriteria": "Open"})

    def criteria() -> str:
        return ecs("DescribeInstanceAttachmentAttributes", RegionId=REGION, InstanceIds=[instance_id])[
            "Instances"]["Instance"][0]["PrivatePoolOptionsMatchCriteria"]

    assert criteria() == "Open"
    r(ecs, "ModifyInstanceAttachmentAttributes", RegionId=REGION, InstanceId=instance_id,
      **{"PrivatePoolOptions.MatchCriteria": "None"})
    assert criteria() == "None"
    for params, expected in [
        ({"PrivatePoolOptions.MatchCriteria": "Target"}, ("MissingParameter.PrivatePoolOptionsId", 400)),
        ({"PrivatePoolOptions.MatchCriteria": "Target", "PrivatePoolOptions.Id": "eap-bp1"},
         ("Invalid.PrivatePoolOptionsId", 400)),
        ({"PrivatePoolOptions.MatchCriteria": "Open", "PrivatePoolOptions.Id": "eap-bp1"},
         ("Invalid.PrivatePoolOptionsId", 400)),
        ({"PrivatePoolOptions.MatchCriteria": "Sometimes"}, ("InvalidParameter", 400)),
        ({}, ("MissingParameter", 400)),
    ]:
        assert ecs.error("ModifyInstanceAttachmentAttributes", RegionId=REGION, InstanceId=instance_id,
                         **params) == expected
        if params:
            assert ecs.error("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.g7.large",
                             SecurityGroupId=ecs.security_group(), VSwitchId=ecs.vswitch(), **params) == expected
    assert criteria() == "None"
    assert ecs.error("ModifyInstanceAttachmentAttributes", RegionId=REGION, InstanceId="i-bpdoesnotexist000000",
                     **{"PrivatePoolOptions.MatchCriteria": "Open"}) == ("InvalidInstanceId.NotFound", 404)


def test_auto_renew_attribute_of_subscription_instances(ecs):
    renewing = ecs.run_instance(InstanceChargeType="PrePaid", AutoRenew=True, AutoRenewPeriod=3)
    normal = ecs.run_instance(InstanceChargeType="PrePaid")
    postpaid = ecs.run_instance()
    answer = ecs("DescribeInstanceAutoRenewAttribute", RegionId=REGION, InstanceId=f"{renewing},{normal}")
    assert answer["InstanceRenewAttributes"]["InstanceRenewAttribute"] == [
        {"InstanceId": renewing, "AutoRenewEnabled": True, "RenewalStatus": "AutoRenewal", "Duration": 3,
         "PeriodUnit": "Month"},
        {"InstanceId": normal, "AutoRenewEnabled": False, "RenewalStatus": "Normal", "Duration": 0,
         "PeriodUnit": "Month"}]
    by_status = ecs("DescribeInstanceAutoRenewAttribute", RegionId=REGION, RenewalStatus="AutoRenewal", PageSize=100)
    ids = [x["InstanceId"] for x in by_status["InstanceRenewAttributes"]["InstanceRenewAttribute"]]
    assert renewing in ids and normal not in ids

    assert ecs.error("DescribeInstanceAutoRenewAttribute", RegionId=REGION, InstanceId=postpaid) == \
        ("ChargeTypeViolation", 403)
    assert ecs.error("DescribeInstanceAutoRenewAttribute", RegionId=REGION) == \
        ("InvalidParameter.RenewalStatusInstanceId", 403)
    assert ecs.error("DescribeInstanceAutoRenewAttribute", RegionId=REGION, RenewalStatus="Sometimes") == \
        ("InvalidParameter.RenewalStatus", 403)
    assert ecs.error("DescribeInstanceAutoRenewAttribute", RegionId=REGION, InstanceId="i-bpdoesnotexist000000") == \
        ("InvalidParameter.InvalidInstanceId", 403)
    assert ecs.error("DescribeInstanceAutoRenewAttribute", RegionId=REGION,
                     InstanceId=",".join(f"i-{n}" for n in range(101))) == ("InvalidParameter.ToManyInstanceIds", 403)


# --- DescribeNetworkInterfaces -------------------------------------------------------------------------

def test_network_interfaces_filters(ecs):
    instance_id = ecs.run_instance()
    instance = ecs.instance(instance_id)
    eni_id = instance["NetworkInterfaces"]["NetworkInterface"][0]["NetworkInterfaceId"]
    vpc = instance["VpcAttributes"]

    def listed(**params) -> list[str]:
        answer = ecs("DescribeNetworkInterfaces", RegionId=REGION, PageSize=100, **params)
        return [eni["NetworkInterfaceId"] for eni in answer["NetworkInterfaceSets"]["NetworkInterfaceSet"]]

    assert listed(InstanceId=instance_id) == [eni_id]
    assert listed(**{"NetworkInterfaceId.1": eni_id, "NetworkInterfaceId.2": "eni-bpdoesnotexist000000"}) == [eni_id]
    assert listed(**{"NetworkInterfaceId.1": "eni-bpdoesnotexist000000"}) == []
    assert listed(**{"NetworkInterfaceId.1": "not-an-eni"}) == []
    assert eni_id in listed(VpcId=vpc["VpcId"]) and eni_id in listed(VSwitchId=vpc["VSwitchId"])
    assert listed(InstanceId=instance_id, VpcId="vpc-bpother0000000000000") == []
    assert listed(InstanceId=instance_id, Type="Primary") == [eni_id]
    assert listed(InstanceId=instance_id, Type="Secondary") == []
    assert listed(InstanceId=instance_id, Status="InUse") == [eni_id]
    assert listed(InstanceId=instance_id, Status="Available") == []
    assert listed(PrimaryIpAddress=vpc["PrivateIpAddress"]["IpAddress"][0]) == [eni_id]
    assert listed(**{"PrivateIpAddress.1": vpc["PrivateIpAddress"]["IpAddress"][0]}) == [eni_id]
    assert listed(InstanceId=instance_id, NetworkInterfaceName="x") == []
    assert ecs.error("DescribeNetworkInterfaces", RegionId=REGION, Type="Tertiary") == ("InvalidParameter", 400)
    assert ecs.error("DescribeNetworkInterfaces", RegionId="moon-1") == ("InvalidRegionId.NotFound", 404)


def test_network_interfaces_token_paging_visits_each_once(ecs):
    made = {ecs.run_instance() for _ in range(3)}
    seen, token = [], None
    while True:
        page = ecs("DescribeNetworkInterfaces", RegionId=REGION, MaxResults=2, NextToken=token)
        sets = page["NetworkInterfaceSets"]["NetworkInterfaceSet"]
        assert len(sets) <= 2
        seen += [eni["InstanceId"] for eni in sets]
        token = page["NextToken"]
        if not token:
            break
    assert len(seen) == len(set(seen)) and made <= set(seen)
    assert ecs.error("DescribeNetworkInterfaces", RegionId=REGION, MaxResults=501) == ("InvalidParameter", 400)
    assert ecs.error("DescribeNetworkInterfaces", RegionId=REGION, NextToken="garbage!") == ("InvalidParameter", 400)


def test_network_interfaces_of_another_account_are_not_listed(ecs, other):
    instance_id = ecs.run_instance()
    assert other("DescribeNetworkInterfaces", RegionId=REGION, InstanceId=instance_id)[
        "NetworkInterfaceSets"]["NetworkInterfaceSet"] == []


def test_a_deleted_instance_takes_its_eni(ecs):
    instance_id = ecs.run_instance()
    ecs("DeleteInstance", InstanceId=instance_id, Force=True)
    assert ecs("DescribeNetworkInterfaces", RegionId=REGION, InstanceId=instance_id)[
        "NetworkInterfaceSets"]["NetworkInterfaceSet"] == []


# --- the official SDKs' own request and response models --------------------------------------------------

def test_the_tea_sdk_models_read_every_answer(ecs):
    from alibabacloud_ecs20140526 import models
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi import models as openapi_models

    from ecsemu.accounts import DEVELOPMENT_KEY
    client = Client(openapi_models.Config(access_key_id=DEVELOPMENT_KEY.key_id,
                                          access_key_secret=DEVELOPMENT_KEY.secret, region_id=REGION,
                                          endpoint=ecs.server.endpoint, protocol="http"))
    instance_id = terraform_run_instances(ecs, RamRoleName="role-a")

    eni = client.describe_network_interfaces(models.DescribeNetworkInterfacesRequest(
        region_id=REGION, instance_id=instance_id)).body.network_interface_sets.network_interface_set[0]
    assert eni.private_ip_sets.private_ip_set[0].primary is True and eni.attachment.instance_id == instance_id
    maintenance = client.describe_instance_maintenance_attributes(models.DescribeInstanceMaintenanceAttributesRequest(
        region_id=REGION, instance_id=[instance_id])).body.maintenance_attributes.maintenance_attribute[0]
    assert maintenance.action_on_maintenance.value == "AutoRecover"
    client.modify_instance_maintenance_attributes(models.ModifyInstanceMaintenanceAttributesRequest(
        region_id=REGION, instance_id=[instance_id], action_on_maintenance="Stop",
        maintenance_window=[models.ModifyInstanceMaintenanceAttributesRequestMaintenanceWindow(
            start_time="01:00:00", end_time="05:00:00")]))
    maintenance = client.describe_instance_maintenance_attributes(models.DescribeInstanceMaintenanceAttributesRequest(
        region_id=REGION, instance_id=[instance_id])).body.maintenance_attributes.maintenance_attribute[0]
    window = maintenance.maintenance_windows.maintenance_window[0]
    assert (maintenance.action_on_maintenance.value, window.start_time, window.end_time) == (
        "Stop", "01:00:00", "05:00:00")
    role = client.describe_instance_ram_role(models.DescribeInstanceRamRoleRequest(
        region_id=REGION, instance_ids=json.dumps([instance_id]))).body.instance_ram_role_sets
    assert role.instance_ram_role_set[0].ram_role_name == "role-a"
    user_data = client.describe_user_data(models.DescribeUserDataRequest(region_id=REGION, instance_id=instance_id))
    assert user_data.body.user_data == USER_DATA
    attribute = client.describe_instance_attribute(models.DescribeInstanceAttributeRequest(instance_id=instance_id))
    assert attribute.body.vpc_attributes.private_ip_address.ip_address and attribute.body.instance_id == instance_id
    attachment = client.describe_instance_attachment_attributes(models.DescribeInstanceAttachmentAttributesRequest(
        region_id=REGION, instance_ids=json.dumps([instance_id]))).body.instances.instance[0]
    assert attachment.private_pool_options_match_criteria == "None"
    detached = client.detach_instance_ram_role(models.DetachInstanceRamRoleRequest(
        region_id=REGION, instance_ids=json.dumps([instance_id]))).body
    assert detached.detach_instance_ram_role_results.detach_instance_ram_role_result[0].success is True


def test_the_old_sdk_request_classes(ecs):
    from aliyunsdkecs.request.v20140526.DescribeInstanceAttributeRequest import DescribeInstanceAttributeRequest
    from aliyunsdkecs.request.v20140526.DescribeUserDataRequest import DescribeUserDataRequest
    instance_id = terraform_run_instances(ecs)
    request = DescribeUserDataRequest()
    request.set_InstanceId(instance_id)
    assert json.loads(ecs.client.do_action_with_exception(request))["UserData"] == USER_DATA
    request = DescribeInstanceAttributeRequest()
    request.set_InstanceId(instance_id)
    assert json.loads(ecs.client.do_action_with_exception(request))["InstanceId"] == instance_id
