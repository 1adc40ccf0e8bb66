"""ReInitDisk, every row of the seed document's error table and the codes the spec adds,
through the official SDKs; the happy paths for the three kinds of disk; the race.

Each test builds the condition the way a user would: with the public API, and with the
control plane for what the API cannot reach (locks, an old snapshot, a snapshot held in
progress).
"""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.ecsclient import LINUX_IMAGE, REGION, WINDOWS_IMAGE, ZONE, Ecs, advance, control, flat


def stopped_instance(ecs, **params):
    """A Linux instance that ran once and is now Stopped, with its system disk's ID."""
    instance_id = ecs.run_instance(**params)
    ecs("StopInstance", InstanceId=instance_id)
    disks = ecs.disks_of(instance_id)
    return instance_id, next(d["DiskId"] for d in disks if d["Type"] == "system"), disks


def data_disk_from_snapshot(ecs, instance_id, **snapshot_params):
    """A snapshot of a data disk, a new disk made from it and attached to the instance."""
    source = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    ecs("AttachDisk", DiskId=source, InstanceId=instance_id)
    snapshot_id = ecs("CreateSnapshot", DiskId=source, **snapshot_params)["SnapshotId"]
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=snapshot_id)["DiskId"]
    ecs("AttachDisk", DiskId=disk_id, InstanceId=instance_id)
    return disk_id, snapshot_id


# --- the seed's error table ------------------------------------------------------------------

def test_incorrect_instance_status_when_running(ecs):
    instance_id = ecs.run_instance()
    system_disk = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")
    assert ecs.error("ReInitDisk", DiskId=system_disk) == ("IncorrectInstanceStatus", 403)


def test_incorrect_instance_status_when_never_started(ecs):
    instance_id = ecs("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.g7.large",
                      SecurityGroupId=ecs.security_group(), VSwitchId=ecs.vswitch())["InstanceId"]
    system_disk = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")
    assert ecs.instance(instance_id)["Status"] == "Stopped"
    assert ecs.error("ReInitDisk", DiskId=system_disk) == ("IncorrectInstanceStatus", 403)


def test_instance_locked_for_security(ecs):
    instance_id, system_disk, _ = stopped_instance(ecs)
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "security"})
    assert ecs.error("ReInitDisk", DiskId=system_disk) == ("InstanceLockedForSecurity", 403)


def test_instance_expired_or_in_arrears(ecs):
    instance_id, system_disk, _ = stopped_instance(ecs)
    control(ecs.server, "POST", f"/instances/{instance_id}/locks", {"LockReason": "financial"})
    assert ecs.error("ReInitDisk", DiskId=system_disk) == ("InstanceExpiredOrInArrears", 403)


def test_snapshot_too_old(ecs):
    instance_id, _, _ = stopped_instance(ecs)
    disk_id, snapshot_id = data_disk_from_snapshot(ecs, instance_id)
    control(ecs.server, "PATCH", f"/snapshots/{snapshot_id}", {"CreationTime": "2013-07-01T00:00:00Z"})
    assert ecs.error("ReInitDisk", DiskId=disk_id) == ("InvalidSnapshot.TooOld", 403)


def test_source_snapshot_released_by_its_retention(ecs):
    instance_id, _, _ = stopped_instance(ecs)
    disk_id, snapshot_id = data_disk_from_snapshot(ecs, instance_id, RetentionDays=1)
    control(ecs.server, "PATCH", f"/snapshots/{snapshot_id}", {"CreationTime": "2020-01-01T00:00:00Z"})
    assert ecs("DescribeSnapshots", RegionId=REGION, SnapshotIds=[snapshot_id])["Snapshots"]["Snapshot"] == []
    assert ecs.error("ReInitDisk", DiskId=disk_id) == ("OperationDenied", 403)


def test_source_snapshot_deleted(ecs):
    instance_id, _, _ = stopped_instance(ecs)
    disk_id, snapshot_id = data_disk_from_snapshot(ecs, instance_id)
    assert ecs.error("DeleteSnapshot", SnapshotId=snapshot_id) == ("SnapshotCreatedDisk", 403)
    ecs("DeleteSnapshot", SnapshotId=snapshot_id, Force=True)
    assert ecs.error("ReInitDisk", DiskId=disk_id) == ("InvalidSourceSnapshot", 403)


def manual_stopped_instance(ecs, **params):
    instance_id = ecs.run_instance(**params)
    advance(ecs, 10)
    ecs("StopInstance", InstanceId=instance_id)
    advance(ecs, 10)
    return instance_id, next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")


def test_disk_creating_snapshot(manual):
    _, system_disk = manual_stopped_instance(manual)
    snapshot_id = manual("CreateSnapshot", DiskId=system_disk)["SnapshotId"]
    assert manual.error("ReInitDisk", DiskId=system_disk) == ("DiskCreatingSnapshot", 403)
    control(manual.server, "PATCH", f"/snapshots/{snapshot_id}", {"Hold": True})
    advance(manual, 3600)
    assert manual("DescribeSnapshots", RegionId=REGION, SnapshotIds=[snapshot_id])["Snapshots"]["Snapshot"][0][
        "Status"] == "progressing"
    assert manual.error("ReInitDisk", DiskId=system_disk) == ("DiskCreatingSnapshot", 403)
    control(manual.server, "PATCH", f"/snapshots/{snapshot_id}", {"Hold": False})
    advance(manual, 1)
    manual("ReInitDisk", DiskId=system_disk)


def test_system_disk_without_an_image(ecs):
    """A data disk attached as the system disk (AttachDisk Bootable=true) has no image to go back to."""
    instance_id, system_disk, _ = stopped_instance(ecs)
    ecs("DetachDisk", DiskId=system_disk, InstanceId=instance_id)
    blank = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=40, DiskCategory="cloud_efficiency")["DiskId"]
    ecs("AttachDisk", DiskId=blank, InstanceId=instance_id, Bootable=True)
    assert ecs.disk(blank)["Type"] == "system"
    assert ecs.error("ReInitDisk", DiskId=blank) == ("InvalidImageId.NotFound", 404)


def test_source_image_deleted(ecs):
    instance_id, _, _ = stopped_instance(ecs)
    image_id = ecs("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName="golden")["ImageId"]
    _from_image, system_disk, _ = stopped_instance(ecs, ImageId=image_id)
    ecs("DeleteImage", RegionId=REGION, ImageId=image_id, Force=True)
    assert ecs.error("ReInitDisk", DiskId=system_disk) == ("InvalidDiskId.OperationNotSupported", 404)


# --- the codes the spec adds -------------------------------------------------------------------

def test_unknown_disk_and_missing_parameter(ecs, other):
    assert ecs.error("ReInitDisk", DiskId="d-bpnothing0000000000") == ("InvalidDiskId.NotFound", 404)
    assert ecs.error("ReInitDisk") == ("MissingParameter", 400)
    _, system_disk, _ = stopped_instance(ecs)
    assert other.error("ReInitDisk", DiskId=system_disk) == ("InvalidDiskId.NotFound", 404)


def test_incorrect_disk_status(ecs):
    loose = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    assert ecs.error("ReInitDisk", DiskId=loose) == ("IncorrectDiskStatus", 403)


def test_password_and_key_pair_rules(ecs):
    _, system_disk, _ = stopped_instance(ecs)
    assert ecs.error("ReInitDisk", DiskId=system_disk, Password="short") == ("InvalidPassword.Malformed", 400)
    assert ecs.error("ReInitDisk", DiskId=system_disk, KeyPairName="nobody-has-this") == \
        ("InvalidKeyPairName.NotFound", 400)
    _windows_instance, windows_disk, _ = stopped_instance(ecs, ImageId=WINDOWS_IMAGE)
    assert ecs.error("ReInitDisk", DiskId=windows_disk, Password="/Abcd1234!") == ("InvalidPassword.Malformed", 400)
    ecs("CreateKeyPair", RegionId=REGION, KeyPairName="reinit-kp")
    assert ecs.error("ReInitDisk", DiskId=windows_disk, KeyPairName="reinit-kp") == \
        ("DependencyViolation.WindowsInstance", 403)
    ecs("ReInitDisk", DiskId=windows_disk, Password="Abcd1234!")


def test_security_enhancement_active_only_for_public_images(ecs):
    instance_id, system_disk, _ = stopped_instance(ecs)
    ecs("ReInitDisk", DiskId=system_disk, SecurityEnhancementStrategy="Active")
    image_id = ecs("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName="custom-one")["ImageId"]
    _, custom_disk, _ = stopped_instance(ecs, ImageId=image_id)
    assert ecs.error("ReInitDisk", DiskId=custom_disk, SecurityEnhancementStrategy="Active") == \
        ("InvalidParameter", 400)
    assert ecs.error("ReInitDisk", DiskId=custom_disk, SecurityEnhancementStrategy="Sometimes") == \
        ("InvalidParameter", 400)
    ecs("ReInitDisk", DiskId=custom_disk, SecurityEnhancementStrategy="Deactive")


def test_refusals_change_nothing(ecs):
    instance_id, system_disk, _ = stopped_instance(ecs)
    before = ecs.disk(system_disk)
    assert ecs.error("ReInitDisk", DiskId=system_disk, Password="short") == ("InvalidPassword.Malformed", 400)
    assert ecs.disk(system_disk) == before
    assert ecs.instance(instance_id)["Status"] == "Stopped"


# --- happy paths -----------------------------------------------------------------------------

def test_three_kinds_of_disk_in_manual_mode(manual):
    ecs = manual
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 20}]))
    control(ecs.server, "POST", "/clock/advance", {"seconds": 10})
    ecs("StopInstance", InstanceId=instance_id)
    control(ecs.server, "POST", "/clock/advance", {"seconds": 10})
    disks = ecs.disks_of(instance_id)
    system_disk = next(d["DiskId"] for d in disks if d["Type"] == "system")
    empty_disk = next(d["DiskId"] for d in disks if d["Type"] == "data")
    snapshot_id = ecs("CreateSnapshot", DiskId=empty_disk)["SnapshotId"]
    control(ecs.server, "POST", "/clock/advance", {"seconds": 60})
    from_snapshot = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=snapshot_id)["DiskId"]
    control(ecs.server, "POST", "/clock/advance", {"seconds": 10})
    ecs("AttachDisk", DiskId=from_snapshot, InstanceId=instance_id)
    control(ecs.server, "POST", "/clock/advance", {"seconds": 10})

    for disk_id in (system_disk, empty_disk, from_snapshot):
        before = ecs.disk(disk_id)
        ecs("ReInitDisk", DiskId=disk_id)
        during = ecs.disk(disk_id)
        assert during["Status"] == "ReIniting"
        assert (during["DiskId"], during["InstanceId"], during["Device"]) == \
            (before["DiskId"], before["InstanceId"], before["Device"])
        assert ecs.error("ReInitDisk", DiskId=disk_id) == ("IncorrectDiskStatus", 403)
        assert ecs.error("DetachDisk", DiskId=disk_id, InstanceId=instance_id) == ("IncorrectDiskStatus", 403)
        assert ecs.error("StartInstance", InstanceId=instance_id) == ("DiskError", 403)
        control(ecs.server, "POST", "/clock/advance", {"seconds": 5})
        after = ecs.disk(disk_id)
        assert after["Status"] == "In_use" and after["Device"] == before["Device"]
    assert ecs.instance(instance_id)["Status"] == "Stopped"


def test_auto_start_instance(manual):
    ecs = manual
    instance_id = ecs.run_instance()
    control(ecs.server, "POST", "/clock/advance", {"seconds": 10})
    ecs("StopInstance", InstanceId=instance_id)
    control(ecs.server, "POST", "/clock/advance", {"seconds": 10})
    system_disk = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")
    ecs("ReInitDisk", DiskId=system_disk, AutoStartInstance=True, Password="EcsV587!")
    assert (ecs.disk(system_disk)["Status"], ecs.instance(instance_id)["Status"]) == ("ReIniting", "Stopped")
    control(ecs.server, "POST", "/clock/advance", {"seconds": 2})
    assert (ecs.disk(system_disk)["Status"], ecs.instance(instance_id)["Status"]) == ("In_use", "Starting")
    control(ecs.server, "POST", "/clock/advance", {"seconds": 2})
    assert ecs.instance(instance_id)["Status"] == "Running"


def test_key_pair_binding_replaces_the_old_one(ecs):
    ecs("CreateKeyPair", RegionId=REGION, KeyPairName="first-kp")
    ecs("CreateKeyPair", RegionId=REGION, KeyPairName="second-kp")
    instance_id, system_disk, _ = stopped_instance(ecs, KeyPairName="first-kp")
    ecs("ReInitDisk", DiskId=system_disk)
    assert ecs.instance(instance_id)["KeyPairName"] == "first-kp"  # kept when none is given
    ecs("ReInitDisk", DiskId=system_disk, KeyPairName="second-kp")
    assert ecs.instance(instance_id)["KeyPairName"] == "second-kp"


def test_the_new_python_sdk(ecs):
    from alibabacloud_ecs20140526 import models
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi.exceptions import ClientException
    from alibabacloud_tea_openapi.models import Config as TeaConfig

    client = Client(TeaConfig(access_key_id="testid", access_key_secret="testsecret", region_id=REGION,
                              endpoint=ecs.server.endpoint, protocol="http"))
    instance_id, system_disk, _ = stopped_instance(ecs)
    response = client.re_init_disk(models.ReInitDiskRequest(disk_id=system_disk, password="EcsV587!",
                                                            auto_start_instance=True))
    assert response.status_code == 200 and list(response.body.to_map()) == ["RequestId"]
    assert ecs.instance(instance_id)["Status"] == "Running"
    with pytest.raises(ClientException) as raised:
        client.re_init_disk(models.ReInitDiskRequest(disk_id=system_disk))
    assert (raised.value.code, raised.value.status_code) == ("IncorrectInstanceStatus", 403)


def test_node_pop_core(ecs):
    from tests.sdk.test_node_popcore import popcore
    instance_id, system_disk, _ = stopped_instance(ecs)
    for method in ("GET", "POST"):
        outcome = popcore(ecs.server, "ReInitDisk", {"DiskId": system_disk, "RegionId": REGION}, method)
        assert outcome["ok"] and list(outcome["result"]) == ["RequestId"], outcome
    ecs("StartInstance", InstanceId=instance_id)
    outcome = popcore(ecs.server, "ReInitDisk", {"DiskId": system_disk})
    assert (outcome["name"], outcome["code"]) == ("IncorrectInstanceStatusError", "IncorrectInstanceStatus")


def test_xml_response_is_the_seed_example(ecs):
    from aliyunsdkcore.request import CommonRequest
    _, system_disk, _ = stopped_instance(ecs)
    request = CommonRequest(domain=ecs.server.endpoint, version="2014-05-26", action_name="ReInitDisk")
    request.set_accept_format("XML")
    request.add_query_param("DiskId", system_disk)
    with pytest.warns(DeprecationWarning):  # the old SDK's XML path is its deprecated one
        status, _headers, body = ecs.client.implementation_of_do_action(request)
    assert status == 200 and body.startswith(b"<?xml") and b"<ReInitDiskResponse><RequestId>" in body
    assert body.endswith(b"</RequestId></ReInitDiskResponse>")


def test_ten_at_once_exactly_one_wins(manual):
    from aliyunsdkcore.acs_exception.exceptions import ServerException
    _, system_disk = manual_stopped_instance(manual)

    def attempt(_):
        try:
            Ecs(manual.server)("ReInitDisk", DiskId=system_disk)
            return "ok"
        except ServerException as exc:
            return f"{exc.get_error_code()} {exc.get_http_status()}"

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(attempt, range(10)))
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) - {"ok"} == {"IncorrectDiskStatus 403"}
    assert manual.disk(system_disk)["Status"] == "ReIniting"


def reinit_through(client: str, ecs, disk_id: str) -> None:
    """ReInitDisk with one of the three official clients, unmodified."""
    if client == "aliyun-python-sdk-ecs":
        from aliyunsdkecs.request.v20140526.ReInitDiskRequest import ReInitDiskRequest
        request = ReInitDiskRequest()
        request.set_DiskId(disk_id)
        assert list(json.loads(ecs.client.do_action_with_exception(request))) == ["RequestId"]
    elif client == "alibabacloud-ecs20140526":
        from alibabacloud_ecs20140526 import models
        from alibabacloud_ecs20140526.client import Client
        from alibabacloud_tea_openapi.models import Config as TeaConfig
        tea = Client(TeaConfig(access_key_id="testid", access_key_secret="testsecret", region_id=REGION,
                               endpoint=ecs.server.endpoint, protocol="http"))
        assert tea.re_init_disk(models.ReInitDiskRequest(disk_id=disk_id)).status_code == 200
    else:
        from tests.sdk.test_node_popcore import popcore
        outcome = popcore(ecs.server, "ReInitDisk", {"DiskId": disk_id}, "POST")
        assert outcome["ok"], outcome


@pytest.mark.parametrize("client", ["aliyun-python-sdk-ecs", "alibabacloud-ecs20140526", "@alicloud/pop-core"])
@pytest.mark.parametrize("kind", ["system", "empty data", "data from snapshot"])
def test_each_kind_of_disk_through_each_client(ecs, client, kind):
    instance_id, system_disk, disks = stopped_instance(ecs, **flat("DataDisk", [{"Size": 20}]))
    if kind == "system":
        disk_id = system_disk
    elif kind == "empty data":
        disk_id = next(d["DiskId"] for d in disks if d["Type"] == "data")
    else:
        disk_id, _ = data_disk_from_snapshot(ecs, instance_id)
    before = ecs.disk(disk_id)
    reinit_through(client, ecs, disk_id)
    after = ecs.disk(disk_id)
    assert after["Status"] == "In_use"
    assert (after["DiskId"], after["InstanceId"], after["Device"]) == \
        (before["DiskId"], before["InstanceId"], before["Device"])
