"""A disk's changes through both official Python SDKs: ModifyDiskSpec (category and ESSD
level), ModifyDiskChargeType (data disks of a subscription instance), ResizeDisk offline and
online, each rule and error code, each change read back by DescribeDisks."""

from __future__ import annotations

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from Tea.exceptions import TeaException

from tests.ecsclient import REGION, ZONE, advance, control, flat

MISSING_DISK = "d-bpnothing0000000000"
MISSING_INSTANCE = "i-bpnothing0000000000"


def new_disk(ecs, **params):
    params = {"RegionId": REGION, "ZoneId": ZONE, "Size": 40, "DiskCategory": "cloud_essd", **params}
    return ecs("CreateDisk", **params)["DiskId"]


def spec_of(ecs, disk_id):
    disk = ecs.disk(disk_id)
    return disk["Category"], disk["PerformanceLevel"]


def system_disk(ecs, instance_id):
    return next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")


def data_disks(ecs, instance_id):
    return [d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "data"]


# --- ModifyDiskSpec ----------------------------------------------------------------------------

def test_performance_level_needs_its_size(ecs):
    disk_id = new_disk(ecs, Size=40)
    assert spec_of(ecs, disk_id) == ("cloud_essd", "PL1")
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, PerformanceLevel="PL2") == \
        ("OperationDenied.PerformanceLevelNotMatch", 403)
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, PerformanceLevel="PL3") == \
        ("OperationDenied.PerformanceLevelNotMatch", 403)
    ecs("ResizeDisk", DiskId=disk_id, NewSize=500)
    ecs("ModifyDiskSpec", DiskId=disk_id, PerformanceLevel="PL2")
    assert spec_of(ecs, disk_id) == ("cloud_essd", "PL2")
    assert ecs("DescribeDisks", RegionId=REGION, PerformanceLevel="PL2", DiskIds=[disk_id])["TotalCount"] == 1


def test_pay_as_you_go_essd_goes_down_but_not_to_pl0(ecs):
    disk_id = new_disk(ecs, Size=500, PerformanceLevel="PL2")
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, PerformanceLevel="PL0") == ("OperationDenied", 403)
    ecs("ModifyDiskSpec", DiskId=disk_id, PerformanceLevel="PL1")
    assert spec_of(ecs, disk_id) == ("cloud_essd", "PL1")
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, PerformanceLevel="PL1") == \
        ("NoChangeInDiskCategoryAndPerformanceLevel", 400)
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id) == ("NoChangeInDiskCategoryAndPerformanceLevel", 400)


def test_category_changes_the_matrix_allows(ecs):
    disk_id = new_disk(ecs, DiskCategory="cloud_efficiency", Size=100)
    ecs("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_essd")
    assert spec_of(ecs, disk_id) == ("cloud_essd", "PL1")           # an ESSD's default level
    ecs("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_auto")
    assert spec_of(ecs, disk_id) == ("cloud_auto", "")
    ecs("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_ssd")
    assert spec_of(ecs, disk_id) == ("cloud_ssd", "")
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_essd_entry", PerformanceLevel="PL1") == \
        ("OperationDenied", 403)                                     # levels are an ESSD's
    entry = new_disk(ecs, DiskCategory="cloud_essd_entry", Size=40)
    assert ecs.error("ModifyDiskSpec", DiskId=entry, DiskCategory="cloud_ssd") == \
        ("InvalidDiskCategory.NotSupported", 403)                    # ESSD Entry only goes to ESSD or AutoPL
    ecs("ModifyDiskSpec", DiskId=entry, DiskCategory="cloud_essd", PerformanceLevel="PL0")
    assert spec_of(ecs, entry) == ("cloud_essd", "PL0")
    basic = new_disk(ecs, DiskCategory="cloud", Size=40)
    assert ecs.error("ModifyDiskSpec", DiskId=basic, DiskCategory="cloud_ssd") == ("OperationDenied", 403)
    small = new_disk(ecs, DiskCategory="cloud_auto", Size=10)
    assert ecs.error("ModifyDiskSpec", DiskId=small, DiskCategory="cloud_ssd") == \
        ("InvalidDiskSize.NotSupported", 400)
    assert ecs.error("ModifyDiskSpec", DiskId=small, DiskCategory="cloud_essd") == \
        ("OperationDenied.PerformanceLevelNotMatch", 403)
    assert spec_of(ecs, small) == ("cloud_auto", "")


def test_bursting_goes_with_the_autopl_category(ecs):
    disk_id = new_disk(ecs, DiskCategory="cloud_auto", Size=40, BurstingEnabled=True)
    assert ecs.disk(disk_id)["BurstingEnabled"] is True
    ecs("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_essd")
    assert ecs.disk(disk_id)["BurstingEnabled"] is False


def test_subscription_disk_only_goes_up(ecs):
    instance_id = ecs.run_instance(InstanceChargeType="PrePaid")
    disk_id = new_disk(ecs, ZoneId=None, InstanceId=instance_id, DiskCategory="cloud_ssd", Size=100)
    assert ecs.disk(disk_id)["DiskChargeType"] == "PrePaid"
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_efficiency") == ("OperationDenied", 403)
    ecs("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_essd", PerformanceLevel="PL0")
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_auto") == ("OperationDenied", 403)
    ecs("ModifyDiskSpec", DiskId=disk_id, PerformanceLevel="PL1")
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, PerformanceLevel="PL0") == ("OperationDenied", 403)
    assert spec_of(ecs, disk_id) == ("cloud_essd", "PL1")


def test_spec_refusals_change_nothing(ecs):
    disk_id = new_disk(ecs, Size=40)
    assert ecs.error("ModifyDiskSpec", DiskId=MISSING_DISK, PerformanceLevel="PL0") == ("InvalidDiskId.NotFound", 404)
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud") == \
        ("InvalidDiskCategory.ValueNotSupported", 400)
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, PerformanceLevel="PL9") == \
        ("InvalidPerformanceLevel.Malformed", 400)
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_auto", ProvisionedIops=5000) == \
        ("UnsupportedParameter", 400)
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, PerformanceLevel="PL0",
                     **{"PerformanceControlOptions.IOPS": 1000}) == ("UnsupportedParameter", 400)
    assert ecs.error("ModifyDiskSpec", PerformanceLevel="PL0") == ("MissingParameter", 400)
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_auto", DryRun=True) == \
        ("DryRunOperation", 400)
    assert spec_of(ecs, disk_id) == ("cloud_essd", "PL1")


def test_spec_of_an_attached_disk_follows_its_instance(ecs):
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 500, "Category": "cloud_essd"}]))
    disk_id = data_disks(ecs, instance_id)[0]
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "security"})
    ecs("ModifyDiskSpec", DiskId=disk_id, PerformanceLevel="PL2")    # a security lock does not stop it
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "financial"})
    assert ecs.error("ModifyDiskSpec", DiskId=disk_id, PerformanceLevel="PL1") == \
        ("InstanceExpiredOrInArrears", 403)
    assert spec_of(ecs, disk_id) == ("cloud_essd", "PL2")


def test_spec_needs_settled_disk_and_instance(manual):
    instance_id = manual.run_instance()
    disk_id = system_disk(manual, instance_id)                       # In_use while the instance is Pending
    assert manual.error("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_essd") == \
        ("IncorrectInstanceStatus", 403)
    advance(manual, 10)
    manual("CreateSnapshot", DiskId=disk_id)                         # progressing
    assert manual.error("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_essd") == \
        ("DiskCreatingSnapshot", 403)
    advance(manual, 10)
    manual("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_essd")
    advance(manual, 10)
    assert spec_of(manual, disk_id) == ("cloud_essd", "PL1")
    creating = new_disk(manual)
    assert manual.error("ModifyDiskSpec", DiskId=creating, PerformanceLevel="PL0") == ("IncorrectDiskStatus", 403)


def test_modifying_then_the_new_spec(manual):
    """The disk is Modifying while its data moves, still showing its old spec; then it is
    back in the status it had, with the new one."""
    instance_id = manual.run_instance(**flat("DataDisk", [{"Size": 40, "Category": "cloud_ssd"}]))
    advance(manual, 10)
    disk_id = data_disks(manual, instance_id)[0]
    manual("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_essd")
    disk = manual.disk(disk_id)
    assert (disk["Status"], disk["Category"], disk["PerformanceLevel"]) == ("Modifying", "cloud_ssd", "")
    assert manual("DescribeDisks", RegionId=REGION, Status="Modifying", DiskIds=[disk_id])["TotalCount"] == 1
    assert manual.error("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_auto") == ("IncorrectDiskStatus", 403)
    assert manual.error("ResizeDisk", DiskId=disk_id, NewSize=50) == ("IncorrectDiskStatus", 403)
    manual("ModifyDiskAttribute", DiskId=disk_id, DiskName="moving")   # its attributes still change
    advance(manual, 10)
    disk = manual.disk(disk_id)
    assert (disk["Status"], disk["Category"], disk["PerformanceLevel"], disk["DiskName"]) == \
        ("In_use", "cloud_essd", "PL1", "moving")
    loose = new_disk(manual, DiskCategory="cloud_efficiency")
    advance(manual, 10)
    manual("ModifyDiskSpec", DiskId=loose, DiskCategory="cloud_ssd")
    assert manual.disk(loose)["Status"] == "Modifying"
    advance(manual, 10)
    assert (manual.disk(loose)["Status"], manual.disk(loose)["Category"]) == ("Available", "cloud_ssd")


def test_an_instance_starts_and_goes_while_its_disk_is_modifying(manual):
    instance_id = manual.run_instance(**flat("DataDisk", [{"Size": 40, "Category": "cloud_ssd",
                                                           "DeleteWithInstance": False}]))
    advance(manual, 10)
    manual("StopInstance", InstanceId=instance_id)
    advance(manual, 10)
    disk_id = data_disks(manual, instance_id)[0]
    manual("ModifyDiskSpec", DiskId=system_disk(manual, instance_id), DiskCategory="cloud_essd")
    manual("StartInstance", InstanceId=instance_id)                   # a disk changing spec is still in use
    advance(manual, 10)
    assert manual.instance(instance_id)["Status"] == "Running"
    manual("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_essd")
    manual("DeleteInstance", InstanceId=instance_id, Force=True)      # the kept disk is detached at once
    disk = manual.disk(disk_id)
    assert (disk["Status"], disk["InstanceId"], disk["Category"]) == ("Available", "", "cloud_ssd")
    advance(manual, 10)
    assert (manual.disk(disk_id)["Status"], manual.disk(disk_id)["Category"]) == ("Available", "cloud_ssd")


def test_modify_disk_spec_with_the_tea_sdk(ecs):
    disk_id = new_disk(ecs, DiskCategory="cloud_ssd", Size=60)
    client = ecs.tea()
    body = client.modify_disk_spec(ecs_models.ModifyDiskSpecRequest(
        disk_id=disk_id, disk_category="cloud_essd", performance_level="PL0")).body
    assert body.request_id and body.order_id == ""
    found = client.describe_disks(ecs_models.DescribeDisksRequest(region_id=REGION, disk_ids=f'["{disk_id}"]')).body
    assert (found.disks.disk[0].category, found.disks.disk[0].performance_level) == ("cloud_essd", "PL0")
    with pytest.raises(TeaException) as raised:
        client.modify_disk_spec(ecs_models.ModifyDiskSpecRequest(disk_id=disk_id, performance_level="PL0"))
    assert (raised.value.code, raised.value.status_code) == ("NoChangeInDiskCategoryAndPerformanceLevel", 400)


# --- ModifyDiskChargeType ----------------------------------------------------------------------

def charge_of(ecs, disk_id):
    disk = ecs.disk(disk_id)
    return disk["DiskChargeType"], disk["Portable"]


def test_data_disks_of_a_subscription_instance_change_billing(manual):
    instance_id = manual.run_instance(InstanceChargeType="PrePaid", **flat("DataDisk", [{"Size": 20}] * 2))
    first, second = data_disks(manual, instance_id)
    assert charge_of(manual, first) == ("PostPaid", True)
    order = manual("ModifyDiskChargeType", RegionId=REGION, InstanceId=instance_id, DiskIds=[first, second],
                   DiskChargeType="PrePaid")["OrderId"]
    assert order.isdigit()
    assert charge_of(manual, first) == charge_of(manual, second) == ("PrePaid", False)
    assert manual("DescribeDisks", RegionId=REGION, InstanceId=instance_id, DiskChargeType="PrePaid")["TotalCount"] == 2
    assert manual.error("ModifyDiskChargeType", RegionId=REGION, InstanceId=instance_id, DiskIds=[first],
                        DiskChargeType="PostPaid") == ("LastOrderProcessing", 400)   # within five minutes
    advance(manual, 300)
    manual("ModifyDiskChargeType", RegionId=REGION, InstanceId=instance_id, DiskIds=[first],
           DiskChargeType="PostPaid")
    assert charge_of(manual, first) == ("PostPaid", True)
    assert charge_of(manual, second) == ("PrePaid", False)


def test_charge_type_refusals_change_nothing(ecs):
    subscription = ecs.run_instance(InstanceChargeType="PrePaid", **flat("DataDisk", [{"Size": 20}]))
    disk_id = data_disks(ecs, subscription)[0]
    elsewhere = data_disks(ecs, ecs.run_instance(InstanceChargeType="PrePaid", **flat("DataDisk", [{"Size": 20}])))[0]
    pay_as_you_go = ecs.run_instance(**flat("DataDisk", [{"Size": 20}]))

    def change(**params):
        return ecs.error("ModifyDiskChargeType", **{"RegionId": REGION, "InstanceId": subscription,
                                                    "DiskIds": [disk_id], **params})

    assert change(InstanceId=pay_as_you_go, DiskIds=data_disks(ecs, pay_as_you_go)) == ("ChargeTypeViolation", 400)
    assert change(InstanceId=MISSING_INSTANCE) == ("InvalidInstanceId.NotFound", 404)
    assert change(DiskIds=[disk_id, elsewhere]) == ("InvalidDiskIds.NotFound", 404)
    assert change(DiskIds=[system_disk(ecs, subscription)]) == ("InvalidDiskIds.NotFound", 404)
    assert change(DiskIds=[MISSING_DISK]) == ("InvalidDiskIds.NotFound", 404)
    assert change(DiskIds=[]) == ("InvalidDiskIds.NotFound", 404)
    assert change(DiskIds=[f"d-bpmany{n:014d}" for n in range(17)]) == ("InvalidParameter", 400)
    assert change(DiskChargeType="Monthly") == ("InvalidDiskChargeType.NotFound", 404)
    assert change(DiskIds=None) == ("MissingParameter", 400)
    assert change(RegionId="mars-1") == ("InvalidRegionId.NotFound", 404)
    ecs("ModifyDiskChargeType", RegionId=REGION, InstanceId=subscription, DiskIds=[disk_id], AutoPay=False)
    assert charge_of(ecs, disk_id) == ("PostPaid", True)               # the order waits for payment
    control(ecs.server, "POST", f"/instances/{subscription}/locks", {"LockReason": "financial"})
    assert change() == ("InvalidInstanceStatus.NotSupported", 404)
    assert charge_of(ecs, disk_id) == ("PostPaid", True)


def test_modify_disk_charge_type_with_the_tea_sdk(ecs):
    instance_id = ecs.run_instance(InstanceChargeType="PrePaid", **flat("DataDisk", [{"Size": 20}]))
    disk_id = data_disks(ecs, instance_id)[0]
    body = ecs.tea().modify_disk_charge_type(ecs_models.ModifyDiskChargeTypeRequest(
        region_id=REGION, instance_id=instance_id, disk_ids=f'["{disk_id}"]', disk_charge_type="PrePaid",
        auto_pay=True, client_token="charge-1")).body
    assert body.order_id.isdigit()
    assert charge_of(ecs, disk_id) == ("PrePaid", False)


# --- ResizeDisk --------------------------------------------------------------------------------

def test_resize_offline_and_online(ecs):
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 40, "Category": "cloud_essd"}]))
    disk_id = data_disks(ecs, instance_id)[0]
    ecs("ResizeDisk", DiskId=disk_id, NewSize=60, Type="online")     # In_use on a Running instance
    ecs("ResizeDisk", DiskId=disk_id, NewSize=70)                    # offline: Running will do too
    assert ecs.disk(disk_id)["Size"] == 70
    ecs("StopInstance", InstanceId=instance_id)
    assert ecs.error("ResizeDisk", DiskId=disk_id, NewSize=80, Type="online") == \
        ("InvalidInstanceStatus.NotRunning", 403)
    ecs("ResizeDisk", DiskId=disk_id, NewSize=80, Type="offline")
    assert ecs.disk(disk_id)["Size"] == 80
    loose = new_disk(ecs, Size=40)
    assert ecs.error("ResizeDisk", DiskId=loose, NewSize=50, Type="online") == ("IncorrectDiskStatus", 403)
    ecs("ResizeDisk", DiskId=loose, NewSize=50)
    assert ecs.disk(loose)["Size"] == 50


def test_resize_online_refuses_basic_disks(ecs):
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 40, "Category": "cloud"}]))
    disk_id = data_disks(ecs, instance_id)[0]
    assert ecs.error("ResizeDisk", DiskId=disk_id, NewSize=50, Type="online") == \
        ("InvalidDiskCategory.NotSupported", 403)
    assert ecs.error("ResizeDisk", DiskId=disk_id, NewSize=50, Type="sideways") == ("InvalidParam.Type", 400)
    ecs("ResizeDisk", DiskId=disk_id, NewSize=50)
    assert ecs.disk(disk_id)["Size"] == 50


def test_resize_refusals(ecs):
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 40, "Category": "cloud_essd"}]))
    disk_id = data_disks(ecs, instance_id)[0]
    assert ecs.error("ResizeDisk", DiskId=MISSING_DISK, NewSize=50) == ("InvalidDiskId.NotFound", 404)
    assert ecs.error("ResizeDisk", DiskId=disk_id, NewSize=40) == ("InvalidDiskSize", 403)
    assert ecs.error("ResizeDisk", DiskId=disk_id, NewSize=70000) == ("InvalidDiskSize.TooLarge", 403)
    assert ecs.error("ResizeDisk", DiskId=disk_id) == ("MissingParameter", 400)
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "financial"})
    assert ecs.error("ResizeDisk", DiskId=disk_id, NewSize=50) == ("InstanceExpiredOrInArrears", 403)
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "security"})
    assert ecs.error("ResizeDisk", DiskId=disk_id, NewSize=50) == ("InstanceLockedForSecurity", 403)
    assert ecs.disk(disk_id)["Size"] == 40


def test_resize_waits_for_settled_states(manual):
    instance_id = manual.run_instance()
    disk_id = system_disk(manual, instance_id)
    assert manual.error("ResizeDisk", DiskId=disk_id, NewSize=60) == ("IncorrectInstanceStatus", 403)   # Pending
    advance(manual, 10)
    manual("CreateSnapshot", DiskId=disk_id)
    assert manual.error("ResizeDisk", DiskId=disk_id, NewSize=60, Type="online") == ("DiskCreatingSnapshot", 403)
    advance(manual, 10)
    manual("ResizeDisk", DiskId=disk_id, NewSize=60, Type="online")
    creating = new_disk(manual)
    assert manual.error("ResizeDisk", DiskId=creating, NewSize=60) == ("IncorrectDiskStatus", 403)
    assert manual.disk(disk_id)["Size"] == 60


def test_resize_with_the_tea_sdk(ecs):
    instance_id = ecs.run_instance()
    disk_id = system_disk(ecs, instance_id)
    ecs.tea().resize_disk(ecs_models.ResizeDiskRequest(disk_id=disk_id, new_size=80, type="online",
                                                       client_token="grow-1"))
    assert ecs.disk(disk_id)["Size"] == 80


def test_modifying_lasts_its_delay_in_realistic_mode():
    """With real time, a client's wait loop sees Modifying, then the disk back In_use with
    its new spec after the declared delay."""
    from ecsemu.config import Config
    from ecsemu.testing import EmulatorServer
    from ecsemu.timing import Delays
    from tests.ecsclient import Ecs

    delays = Delays().with_overrides({"disk_modifying": 1.0})
    with EmulatorServer(Config(in_memory=True, transitions="realistic", delays=delays)) as server:
        ecs = Ecs(server)
        instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 40, "Category": "cloud_ssd"}]))
        disk_id = data_disks(ecs, instance_id)[0]
        ecs.wait(lambda: ecs.instance(instance_id)["Status"], "Running")
        ecs("ModifyDiskSpec", DiskId=disk_id, DiskCategory="cloud_essd", PerformanceLevel="PL0")
        assert ecs.disk(disk_id)["Status"] == "Modifying"
        ecs.wait(lambda: (ecs.disk(disk_id)["Status"], *spec_of(ecs, disk_id)), ("In_use", "cloud_essd", "PL0"))
