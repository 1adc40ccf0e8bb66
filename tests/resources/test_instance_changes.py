"""ModifyInstanceSpec, ModifyPrepayInstanceSpec, ModifyInstanceChargeType and
AllocatePublicIpAddress through the official SDKs, each change read back by
DescribeInstances, every precondition refused; and the Terraform provider's instance_type
update and delete sequences, request for request, on each store."""

from __future__ import annotations

import calendar
import ipaddress
import json
import time

import pytest

from tests.ecsclient import LINUX_IMAGE, REGION, advance, control, flat

MISSING = "i-bpdoesnotexist000000"


def stopped(ecs, **params) -> str:
    instance_id = ecs.run_instance(**params)
    ecs("StopInstance", InstanceId=instance_id)
    return instance_id


def created(ecs, **params) -> str:
    """A Stopped instance from CreateInstance, which gives no public IP whatever the bandwidth."""
    return ecs("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.g7.large",
               SecurityGroupId=ecs.security_group(), VSwitchId=ecs.vswitch(), **params)["InstanceId"]


def disks_by_id(ecs, instance_id: str) -> dict[str, dict]:
    return {d["DiskId"]: d for d in ecs.disks_of(instance_id)}


# --- ModifyInstanceSpec --------------------------------------------------------------------------

def test_type_change_of_a_stopped_instance_keeps_its_disks(ecs):
    instance_id = stopped(ecs, **flat("DataDisk", [{"Size": 30}]))
    before = disks_by_id(ecs, instance_id)
    ecs("ModifyInstanceSpec", InstanceId=instance_id, InstanceType="ecs.c7.xlarge", ClientToken="t-1")
    instance = ecs.instance(instance_id)
    assert (instance["InstanceType"], instance["InstanceTypeFamily"], instance["Cpu"], instance["Memory"]) == \
        ("ecs.c7.xlarge", "ecs.c7", 4, 8192)
    assert instance["Status"] == "Stopped"
    after = disks_by_id(ecs, instance_id)
    assert after.keys() == before.keys()
    assert [(d["Device"], d["Status"], d["Size"]) for d in after.values()] == \
        [(d["Device"], d["Status"], d["Size"]) for d in before.values()]
    ecs("StartInstance", InstanceId=instance_id)
    assert ecs.instance(instance_id)["Status"] == "Running"


def test_bandwidth_change_running_or_stopped(ecs):
    instance_id = ecs.run_instance()
    assert ecs.instance(instance_id)["InternetMaxBandwidthIn"] == -1
    ecs("ModifyInstanceSpec", InstanceId=instance_id, InternetMaxBandwidthOut=20, InternetMaxBandwidthIn=15)
    instance = ecs.instance(instance_id)
    assert (instance["InternetMaxBandwidthOut"], instance["InternetMaxBandwidthIn"], instance["Status"]) == \
        (20, 15, "Running")
    ecs("StopInstance", InstanceId=instance_id)
    ecs("ModifyInstanceSpec", InstanceId=instance_id, InternetMaxBandwidthOut=0)
    assert ecs.instance(instance_id)["InternetMaxBandwidthOut"] == 0


@pytest.mark.parametrize("params, expected", [
    ({"InstanceType": "ecs.g9.huge"}, ("InvalidInstanceType.ValueUnauthorized", 400)),
    ({"InstanceType": "ecs.g7.large"}, ("DependencyViolation.InstanceType", 400)),
    ({"InstanceType": "ecs.c7.large", "InternetMaxBandwidthOut": 5}, ("InvalidParameter.Mismatch", 400)),
    ({}, ("MissingParameter", 400)),
    ({"InternetMaxBandwidthOut": 101}, ("InvalidParameter", 400)),
    ({"InternetMaxBandwidthOut": -1}, ("InvalidParameter", 400)),
    ({"InternetMaxBandwidthOut": 5, "InternetMaxBandwidthIn": 11}, ("InvalidParameter.Bandwidth", 400)),
    ({"InternetMaxBandwidthOut": 50, "InternetMaxBandwidthIn": 0}, ("InvalidParameter.Bandwidth", 400)),
    ({"InstanceType": "ecs.c7.large", "DryRun": True}, ("DryRunOperation", 400)),
])
def test_modify_instance_spec_refuses(ecs, params, expected):
    instance_id = stopped(ecs)
    assert ecs.error("ModifyInstanceSpec", InstanceId=instance_id, **params) == expected
    instance = ecs.instance(instance_id)
    assert (instance["InstanceType"], instance["InternetMaxBandwidthOut"], instance["InternetMaxBandwidthIn"]) == \
        ("ecs.g7.large", 0, -1)


def test_modify_instance_spec_preconditions(ecs):
    assert ecs.error("ModifyInstanceSpec", InstanceId=MISSING, InstanceType="ecs.c7.large") == \
        ("InvalidInstanceId.NotFound", 404)
    running = ecs.run_instance()
    assert ecs.error("ModifyInstanceSpec", InstanceId=running, InstanceType="ecs.c7.large") == \
        ("InvalidInstanceStatus.NotStopped", 400)
    subscription = stopped(ecs, InstanceChargeType="PrePaid")
    assert ecs.error("ModifyInstanceSpec", InstanceId=subscription, InstanceType="ecs.c7.large") == \
        ("ChargeTypeViolation", 403)
    # A zone that no longer sells the 6th generation.
    newest_zone = stopped(ecs, ZoneId="cn-hangzhou-k")
    assert ecs.error("ModifyInstanceSpec", InstanceId=newest_zone, InstanceType="ecs.g6.large") == \
        ("InvalidInstanceType.ValueNotSupported", 403)
    ecs("ModifyInstanceSpec", InstanceId=newest_zone, InstanceType="ecs.r7.large")
    locked = stopped(ecs)
    control(ecs.server, "POST", f"/instances/{locked}/locks", {"LockReason": "security"})
    assert ecs.error("ModifyInstanceSpec", InstanceId=locked, InstanceType="ecs.c7.large") == \
        ("InstanceLockedForSecurity", 403)
    control(ecs.server, "DELETE", f"/instances/{locked}/locks/security")
    control(ecs.server, "POST", f"/instances/{locked}/locks", {"LockReason": "financial"})
    assert ecs.error("ModifyInstanceSpec", InstanceId=locked, InstanceType="ecs.c7.large") == \
        ("InstanceExpiredOrInArrears", 403)
    assert [ecs.instance(i)["InstanceType"] for i in (running, subscription, locked)] == ["ecs.g7.large"] * 3


def test_bandwidth_needs_running_or_stopped(manual):
    instance_id = manual.run_instance()
    advance(manual, 10)
    manual("StopInstance", InstanceId=instance_id)
    assert manual.error("ModifyInstanceSpec", InstanceId=instance_id, InternetMaxBandwidthOut=5) == \
        ("InvalidStatus.ValueNotSupported", 403)
    advance(manual, 10)
    manual("ModifyInstanceSpec", InstanceId=instance_id, InternetMaxBandwidthOut=5)
    assert manual.instance(instance_id)["InternetMaxBandwidthOut"] == 5


# --- ModifyPrepayInstanceSpec ---------------------------------------------------------------------

def test_prepay_upgrade_running_with_reboot(manual):
    instance_id = manual.run_instance(InstanceChargeType="PrePaid")
    advance(manual, 10)
    order = manual("ModifyPrepayInstanceSpec", RegionId=REGION, InstanceId=instance_id,
                   InstanceType="ecs.g7.xlarge", RebootWhenFinished=True)["OrderId"]
    assert order.isdigit() and len(order) == 15
    instance = manual.instance(instance_id)
    assert (instance["InstanceType"], instance["Status"]) == ("ecs.g7.xlarge", "Starting")
    advance(manual, 10)
    assert manual.instance(instance_id)["Status"] == "Running"


def test_prepay_downgrade_stopped_three_times_at_most(ecs):
    instance_id = stopped(ecs, InstanceChargeType="PrePaid", InstanceType="ecs.g7.4xlarge")
    running = ecs.run_instance(InstanceChargeType="PrePaid", InstanceType="ecs.g7.xlarge")
    assert ecs.error("ModifyPrepayInstanceSpec", RegionId=REGION, InstanceId=running, InstanceType="ecs.g7.large") \
        == ("InvalidStatus.NotStopped", 400)
    for smaller in ("ecs.g7.2xlarge", "ecs.g7.xlarge", "ecs.g7.large"):
        ecs("ModifyPrepayInstanceSpec", RegionId=REGION, InstanceId=instance_id, InstanceType=smaller,
            OperatorType="downgrade")
        assert ecs.instance(instance_id)["InstanceType"] == smaller
    ecs("ModifyPrepayInstanceSpec", RegionId=REGION, InstanceId=instance_id, InstanceType="ecs.g7.xlarge")
    assert ecs.error("ModifyPrepayInstanceSpec", RegionId=REGION, InstanceId=instance_id,
                     InstanceType="ecs.c7.xlarge") == ("InstanceDowngrade.QuotaExceed", 400)
    assert ecs.instance(instance_id)["InstanceType"] == "ecs.g7.xlarge"


@pytest.mark.parametrize("params, expected", [
    ({"InstanceType": "ecs.g9.huge"}, ("InvalidInstanceType.ValueNotSupported", 400)),
    ({"InstanceType": "ecs.g7.xlarge"}, ("DependencyViolation.InstanceType", 400)),
    ({"InstanceType": "ecs.g7.2xlarge", "OperatorType": "downgrade"}, ("InvalidParameter", 400)),
    ({"InstanceType": "ecs.g7.large", "OperatorType": "upgrade"}, ("InvalidParameter", 400)),
    ({"InstanceType": "ecs.g7.2xlarge", "OperatorType": "sideways"}, ("InvalidParameter", 400)),
    ({"InstanceType": "ecs.g7.2xlarge", "RegionId": "cn-shanghai"}, ("InvalidInstanceId.NotFound", 404)),
    ({}, ("MissingParameter", 400)),
])
def test_prepay_spec_refuses(ecs, params, expected):
    instance_id = stopped(ecs, InstanceChargeType="PrePaid", InstanceType="ecs.g7.xlarge")
    assert ecs.error("ModifyPrepayInstanceSpec", **{"RegionId": REGION, "InstanceId": instance_id, **params}) == \
        expected
    assert ecs.instance(instance_id)["InstanceType"] == "ecs.g7.xlarge"


def test_prepay_spec_preconditions(ecs):
    pay_as_you_go = stopped(ecs)
    assert ecs.error("ModifyPrepayInstanceSpec", RegionId=REGION, InstanceId=pay_as_you_go,
                     InstanceType="ecs.g7.xlarge") == ("InvalidBillingMethod.ValueNotSupported", 400)
    newest_zone = stopped(ecs, InstanceChargeType="PrePaid", ZoneId="cn-hangzhou-k")
    assert ecs.error("ModifyPrepayInstanceSpec", RegionId=REGION, InstanceId=newest_zone,
                     InstanceType="ecs.g6.xlarge") == ("OperationDenied.NoStock", 403)
    unpaid = stopped(ecs, InstanceChargeType="PrePaid")
    ecs("ModifyPrepayInstanceSpec", RegionId=REGION, InstanceId=unpaid, InstanceType="ecs.g7.xlarge", AutoPay=False)
    assert ecs.instance(unpaid)["InstanceType"] == "ecs.g7.large"   # the order waits for payment
    control(ecs.server, "POST", f"/instances/{unpaid}/locks", {"LockReason": "financial"})
    assert ecs.error("ModifyPrepayInstanceSpec", RegionId=REGION, InstanceId=unpaid,
                     InstanceType="ecs.g7.xlarge") == ("InstanceExpiredOrInArrears", 403)


# --- ModifyInstanceChargeType ----------------------------------------------------------------------

def _expiry(text: str) -> float:
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%MZ"))


def test_to_subscription_and_back(ecs):
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 20}]))
    other = stopped(ecs)
    assert ecs.instance(instance_id)["ExpiredTime"] == "2099-12-31T15:59Z"
    body = ecs("ModifyInstanceChargeType", RegionId=REGION, InstanceIds=[instance_id, other],
               InstanceChargeType="PrePaid", Period=2, PeriodUnit="Month", IncludeDataDisks=True, IsDetailFee=True)
    assert body["OrderId"].isdigit()
    assert [f["InstanceId"] for f in body["FeeOfInstances"]["FeeOfInstance"]] == [instance_id, other]
    for described in (ecs.instance(instance_id), ecs.instance(other)):
        assert described["InstanceChargeType"] == "PrePaid"
        expiry = _expiry(described["ExpiredTime"])
        assert described["ExpiredTime"].endswith("T16:00Z")
        assert 59 * 86400 < expiry - time.time() < 63 * 86400
    assert {d["Type"]: d["DiskChargeType"] for d in ecs.disks_of(instance_id)} == \
        {"system": "PrePaid", "data": "PrePaid"}
    assert {d["DiskChargeType"] for d in ecs.disks_of(other)} == {"PrePaid"}

    ecs("ModifyInstanceChargeType", RegionId=REGION, InstanceIds=[instance_id], InstanceChargeType="PostPaid")
    described = ecs.instance(instance_id)
    assert (described["InstanceChargeType"], described["ExpiredTime"]) == ("PostPaid", "2099-12-31T15:59Z")
    assert {d["Type"]: d["DiskChargeType"] for d in ecs.disks_of(instance_id)} == \
        {"system": "PostPaid", "data": "PrePaid"}   # the data disk stays: IncludeDataDisks was not sent
    assert ecs("DescribeInstances", RegionId=REGION, InstanceChargeType="PrePaid",
               InstanceIds=[instance_id, other])["Instances"]["Instance"][0]["InstanceId"] == other


def test_a_subscription_bought_at_launch_expires_after_its_period(ecs):
    monthly = ecs.run_instance(InstanceChargeType="PrePaid")
    weekly = ecs.run_instance(InstanceChargeType="PrePaid", Period=2, PeriodUnit="Week")
    assert 28 * 86400 <= _expiry(ecs.instance(monthly)["ExpiredTime"]) - time.time() <= 32 * 86400
    assert 14 * 86400 <= _expiry(ecs.instance(weekly)["ExpiredTime"]) - time.time() <= 15 * 86400
    assert ecs.error("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.g7.large",
                     SecurityGroupId=ecs.security_group(),
                     VSwitchId=ecs.vswitch(), InstanceChargeType="PrePaid", Period=7,
                     PeriodUnit="Week") == ("InvalidPeriod.UnitMismatch", 400)
    assert ecs.error("RunInstances", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.g7.large",
                     SecurityGroupId=ecs.security_group(),
                     VSwitchId=ecs.vswitch(), InstanceChargeType="PrePaid", Period=0) == \
        ("InvalidPeriod", 400)


def test_week_and_year_terms(ecs):
    weekly, yearly = ecs.run_instance(), ecs.run_instance()
    ecs("ModifyInstanceChargeType", RegionId=REGION, InstanceIds=[weekly], Period=1, PeriodUnit="Week")
    ecs("ModifyInstanceChargeType", RegionId=REGION, InstanceIds=[yearly], Period=1, PeriodUnit="Year")
    assert 7 * 86400 <= _expiry(ecs.instance(weekly)["ExpiredTime"]) - time.time() <= 8 * 86400
    assert 365 * 86400 <= _expiry(ecs.instance(yearly)["ExpiredTime"]) - time.time() <= 367 * 86400


@pytest.mark.parametrize("params, expected", [
    ({"InstanceIds": "not json"}, ("InvalidParameter.InstanceIds", 400)),
    ({"InstanceIds": "[]"}, ("InvalidParameter.InstanceIds", 400)),
    ({"InstanceIds": json.dumps([f"i-bp{n:018d}" for n in range(21)])}, ("InstancesIdQuotaExceed", 400)),
    ({"Period": 10}, ("InvalidPeriod", 400)),
    ({"Period": 5, "PeriodUnit": "Week"}, ("InvalidPeriod.UnitMismatch", 400)),
    ({"PeriodUnit": "Day"}, ("InvalidPeriod.UnitMismatch", 400)),
    ({"InstanceChargeType": "Spot"}, ("InvalidInstanceChargeType.NotFound", 404)),
    ({"InstanceChargeType": "PostPaid"}, ("InvalidInstanceChargeType.ValueNotSupported", 400)),
    ({"DryRun": True}, ("DryRunOperation", 400)),
])
def test_charge_type_refuses(ecs, params, expected):
    instance_id = ecs.run_instance()
    params = {"InstanceIds": json.dumps([instance_id]), **params}
    assert ecs.error("ModifyInstanceChargeType", RegionId=REGION, **params) == expected
    assert ecs.instance(instance_id)["InstanceChargeType"] == "PostPaid"


def test_charge_type_all_or_nothing(ecs, manual):
    good, locked = ecs.run_instance(), ecs.run_instance()
    control(ecs.server, "POST", f"/instances/{locked}/locks", {"LockReason": "security"})
    assert ecs.error("ModifyInstanceChargeType", RegionId=REGION, InstanceIds=[good, locked]) == \
        ("InstanceLockedForSecurity", 403)
    assert ecs.error("ModifyInstanceChargeType", RegionId=REGION, InstanceIds=[good, MISSING]) == \
        ("InvalidInstanceId.NotFound", 404)
    assert ecs.instance(good)["InstanceChargeType"] == "PostPaid"
    ecs("ModifyInstanceChargeType", RegionId=REGION, InstanceIds=[good], AutoPay=False)
    assert ecs.instance(good)["InstanceChargeType"] == "PostPaid"   # the order waits for payment

    pending = manual.run_instance()
    assert manual.error("ModifyInstanceChargeType", RegionId=REGION, InstanceIds=[pending]) == \
        ("InvalidStatus.ValueNotSupported", 400)


# --- AllocatePublicIpAddress -------------------------------------------------------------------------

def test_allocate_public_ip(ecs):
    instance_id = ecs.run_instance(InternetMaxBandwidthOut=5, InstanceChargeType="PostPaid")
    already = ecs.instance(instance_id)["PublicIpAddress"]["IpAddress"]
    assert ecs.error("AllocatePublicIpAddress", InstanceId=instance_id) == ("AllocatedAlready", 403)

    fresh = stopped(ecs)
    assert ecs.error("AllocatePublicIpAddress", InstanceId=fresh) == ("AllocateIpInvalidInstanceBandwidth", 400)
    ecs("ModifyInstanceSpec", InstanceId=fresh, InternetMaxBandwidthOut=10)
    ip = ecs("AllocatePublicIpAddress", InstanceId=fresh)["IpAddress"]
    assert ipaddress.ip_address(ip) in ipaddress.ip_network("47.96.0.0/16") and ip not in already
    assert ecs.instance(fresh)["PublicIpAddress"]["IpAddress"] == [ip]
    found = ecs("DescribeInstances", RegionId=REGION, PublicIpAddresses=[ip])["Instances"]["Instance"]
    assert [i["InstanceId"] for i in found] == [fresh]
    assert ecs.error("AllocatePublicIpAddress", InstanceId=fresh) == ("AllocatedAlready", 403)


def test_allocate_a_chosen_public_ip(ecs):
    taken = created(ecs, InternetMaxBandwidthOut=1)
    ecs("AllocatePublicIpAddress", InstanceId=taken, IpAddress="47.96.200.7")
    assert ecs.instance(taken)["PublicIpAddress"]["IpAddress"] == ["47.96.200.7"]
    other = created(ecs, InternetMaxBandwidthOut=1)
    assert ecs.error("AllocatePublicIpAddress", InstanceId=other, IpAddress="47.96.200.7") == ("IpInUse", 403)
    for bad in ("47.96.200", "10.0.0.1", "::1"):
        assert ecs.error("AllocatePublicIpAddress", InstanceId=other, IpAddress=bad) == \
            ("InvalidIpAddress.Malformed", 400)
    assert ecs.instance(other)["PublicIpAddress"]["IpAddress"] == []


def test_allocate_public_ip_preconditions(ecs, manual):
    assert ecs.error("AllocatePublicIpAddress", InstanceId=MISSING) == ("InvalidInstanceId.NotFound", 404)
    locked = created(ecs, InternetMaxBandwidthOut=1)
    for reason, expected in (("security", "InstanceLockedForSecurity"), ("financial", "InstanceExpiredOrInArrears")):
        control(ecs.server, "POST", f"/instances/{locked}/locks", {"LockReason": reason})
        assert ecs.error("AllocatePublicIpAddress", InstanceId=locked) == (expected, 403)
        control(ecs.server, "DELETE", f"/instances/{locked}/locks/{reason}")
    pending = created(manual, InternetMaxBandwidthOut=1)
    assert manual.error("AllocatePublicIpAddress", InstanceId=pending) == ("IncorrectInstanceStatus", 403)
    assert ecs.instance(locked)["PublicIpAddress"]["IpAddress"] == []


# --- the Terraform provider's sequences (typed requests of the legacy SDK, as its L calls) ------------

def _legacy(ecs, request_class, **params):
    request = request_class()
    request.set_accept_format("JSON")
    for name, value in params.items():
        getattr(request, f"set_{name}")(value)
    return json.loads(ecs.client.do_action_with_exception(request))


def _described(ecs, instance_id):
    from aliyunsdkecs.request.v20140526.DescribeInstancesRequest import DescribeInstancesRequest
    return _legacy(ecs, DescribeInstancesRequest, InstanceIds=json.dumps([instance_id]))["Instances"]["Instance"]


def test_terraform_instance_type_update(ecs):
    from aliyunsdkecs.request.v20140526.ModifyInstanceSpecRequest import ModifyInstanceSpecRequest
    from aliyunsdkecs.request.v20140526.StartInstanceRequest import StartInstanceRequest
    from aliyunsdkecs.request.v20140526.StopInstanceRequest import StopInstanceRequest

    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 20}]))
    disks = sorted(disks_by_id(ecs, instance_id))
    _legacy(ecs, StopInstanceRequest, InstanceId=instance_id, ForceStop=False)
    ecs.wait(lambda: _described(ecs, instance_id)[0]["Status"], "Stopped")
    _legacy(ecs, ModifyInstanceSpecRequest, InstanceId=instance_id, InstanceType="ecs.g7.xlarge",
            ClientToken="terraform-1")
    ecs.wait(lambda: _described(ecs, instance_id)[0]["InstanceType"], "ecs.g7.xlarge")
    _legacy(ecs, StartInstanceRequest, InstanceId=instance_id)
    ecs.wait(lambda: _described(ecs, instance_id)[0]["Status"], "Running")
    assert sorted(disks_by_id(ecs, instance_id)) == disks


def test_terraform_delete_of_a_running_instance(ecs):
    from aliyunsdkecs.request.v20140526.DeleteInstanceRequest import DeleteInstanceRequest

    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 20, "DeleteWithInstance": False}]))
    kept = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "data")
    assert _described(ecs, instance_id)[0]["Status"] == "Running"
    _legacy(ecs, DeleteInstanceRequest, InstanceId=instance_id, Force=True)   # no StopInstance first
    ecs.wait(lambda: _described(ecs, instance_id), [])
    assert ecs.disk(kept)["Status"] == "Available"


def test_terraform_delete_of_a_subscription_instance(ecs):
    """force_delete: ModifyInstanceChargeType to PostPaid, poll until it shows, then delete."""
    from aliyunsdkecs.request.v20140526.DeleteInstanceRequest import DeleteInstanceRequest
    from aliyunsdkecs.request.v20140526.ModifyInstanceChargeTypeRequest import ModifyInstanceChargeTypeRequest

    instance_id = ecs.run_instance(InstanceChargeType="PrePaid")
    assert ecs.error("DeleteInstance", InstanceId=instance_id, Force=True) == ("ChargeTypeViolation", 403)
    _legacy(ecs, ModifyInstanceChargeTypeRequest, InstanceIds=json.dumps([instance_id]), IncludeDataDisks=True,
            AutoPay=True, DryRun=False, ClientToken="terraform-2", InstanceChargeType="PostPaid")
    ecs.wait(lambda: _described(ecs, instance_id)[0]["InstanceChargeType"], "PostPaid")
    _legacy(ecs, DeleteInstanceRequest, InstanceId=instance_id, Force=True)
    ecs.wait(lambda: _described(ecs, instance_id), [])


def test_realistic_delete_of_a_running_instance(server):
    """In realistic mode too the instance is gone at once: Terraform's wait accepts no
    status but Pending, Running, Stopped and Stopping while it polls."""
    from tests.ecsclient import Ecs

    ecs = Ecs(server)
    instance_id = ecs.run_instance()
    ecs.wait(lambda: ecs.instance(instance_id)["Status"], "Running")
    ecs("DeleteInstance", InstanceId=instance_id, Force=True)
    assert ecs("DescribeInstances", RegionId=REGION, InstanceIds=[instance_id])["Instances"]["Instance"] == []


def test_delete_while_the_instance_is_still_being_made(manual):
    """Pending: IncorrectInstanceStatus.Initializing, which the provider's delete retries."""
    instance_id = manual.run_instance()
    assert manual.instance(instance_id)["Status"] == "Pending"
    assert manual.error("DeleteInstance", InstanceId=instance_id, Force=True) == \
        ("IncorrectInstanceStatus.Initializing", 403)
    assert manual.error("DeleteInstances", RegionId=REGION, **{"InstanceId.1": instance_id}, Force=True) == \
        ("IncorrectInstanceStatus.Initializing", 403)
    advance(manual, 10)
    manual("DeleteInstance", InstanceId=instance_id, Force=True)
    assert manual("DescribeInstances", RegionId=REGION, InstanceIds=[instance_id])["Instances"]["Instance"] == []
