"""StartInstances, StopInstances, RebootInstances and DeleteInstances through the official
SDKs: both BatchOptimization modes with good and bad instances mixed, DryRun, and what
DescribeInstances reads back, on each store."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ecsclient import REGION, advance, control, flat

MISSING = "i-bpdoesnotexist000000"


def ids(*instance_ids: str) -> dict[str, Any]:
    """``InstanceId.N``, as the SDKs send a RepeatList."""
    return {f"InstanceId.{n}": instance_id for n, instance_id in enumerate(instance_ids, start=1)}


def statuses(ecs, *instance_ids: str) -> list[str]:
    return [ecs.instance(instance_id)["Status"] for instance_id in instance_ids]


def responses(body: dict) -> list[tuple[str, str, str, str]]:
    return [(r["InstanceId"], r["Code"], r["PreviousStatus"], r["CurrentStatus"])
            for r in body["InstanceResponses"]["InstanceResponse"]]


def stopped(ecs, count: int = 1) -> list[str]:
    made = [ecs.run_instance() for _ in range(count)]
    ecs("StopInstances", RegionId=REGION, **ids(*made))
    return made


# --- AllTogether: all or nothing ---------------------------------------------------------------

def test_stop_start_reboot_all_together(ecs):
    a, b = ecs.run_instance(), ecs.run_instance()
    body = ecs("StopInstances", RegionId=REGION, **ids(a, b), StoppedMode="StopCharging")
    assert responses(body) == [(a, "200", "Running", "Stopping"), (b, "200", "Running", "Stopping")]
    assert {r["Message"] for r in body["InstanceResponses"]["InstanceResponse"]} == {"success"}
    assert statuses(ecs, a, b) == ["Stopped", "Stopped"]
    assert ecs.instance(a)["StoppedMode"] == "StopCharging"

    body = ecs("StartInstances", RegionId=REGION, **ids(b, a), BatchOptimization="AllTogether")
    assert responses(body) == [(b, "200", "Stopped", "Starting"), (a, "200", "Stopped", "Starting")]
    assert statuses(ecs, a, b) == ["Running", "Running"]

    body = ecs("RebootInstances", RegionId=REGION, **ids(a, b), ForceReboot=True)
    assert responses(body) == [(a, "200", "Running", "Starting"), (b, "200", "Running", "Starting")]
    assert statuses(ecs, a, b) == ["Running", "Running"]


@pytest.mark.parametrize("action, expected", [("StopInstances", ["Running", "Stopped"]),
                                              ("StartInstances", ["Running", "Stopped"]),
                                              ("RebootInstances", ["Running", "Stopped"])])
def test_all_together_fails_whole_and_changes_nothing(ecs, action, expected):
    running, stopped_one = ecs.run_instance(), stopped(ecs)[0]
    assert ecs.error(action, RegionId=REGION, **ids(running, stopped_one)) == ("IncorrectInstanceStatus", 403)
    assert statuses(ecs, running, stopped_one) == expected
    assert ecs.error(action, RegionId=REGION, **ids(running, MISSING)) == ("InvalidInstanceId.NotFound", 404)
    assert statuses(ecs, running, stopped_one) == expected


def test_all_together_dry_run_checks_every_instance(ecs):
    a, b = ecs.run_instance(), ecs.run_instance()
    assert ecs.error("StopInstances", RegionId=REGION, **ids(a, b), DryRun=True) == ("DryRunOperation", 400)
    assert ecs.error("StopInstances", RegionId=REGION, **ids(a, MISSING), DryRun=True) == \
        ("InvalidInstanceId.NotFound", 404)
    assert ecs.error("StartInstances", RegionId=REGION, **ids(a), DryRun=True) == ("IncorrectInstanceStatus", 403)
    assert statuses(ecs, a, b) == ["Running", "Running"]


# --- SuccessFirst: each on its own --------------------------------------------------------------

def test_success_first_changes_what_it_can_and_answers_each(ecs):
    running, stopped_one = ecs.run_instance(), stopped(ecs)[0]
    body = ecs("StopInstances", RegionId=REGION, **ids(running, stopped_one, MISSING), BatchOptimization="SuccessFirst")
    assert responses(body) == [(running, "200", "Running", "Stopping"),
                               (stopped_one, "IncorrectInstanceStatus", "Stopped", "Stopped"),
                               (MISSING, "InvalidInstanceId.NotFound", "", "")]
    messages = [r["Message"] for r in body["InstanceResponses"]["InstanceResponse"]]
    assert messages == ["success", "The current status of the resource does not support this operation.",
                        "The specified InstanceId does not exist."]
    assert statuses(ecs, running, stopped_one) == ["Stopped", "Stopped"]


def test_success_first_locks_answer_per_instance(ecs):
    locked, free = stopped(ecs, 2)
    control(ecs.server, "POST", f"/instances/{locked}/locks", {"LockReason": "financial"})
    body = ecs("StartInstances", RegionId=REGION, **ids(locked, free), BatchOptimization="SuccessFirst")
    assert responses(body) == [(locked, "InstanceExpiredOrInArrears", "Stopped", "Stopped"),
                               (free, "200", "Stopped", "Starting")]
    assert statuses(ecs, locked, free) == ["Stopped", "Running"]
    control(ecs.server, "POST", f"/instances/{free}/locks", {"LockReason": "security"})
    assert ecs.error("RebootInstances", RegionId=REGION, **ids(free)) == ("InstanceLockedForSecurity", 403)


def test_success_first_dry_run_answers_dry_run_success_for_each(ecs):
    running, stopped_one = ecs.run_instance(), stopped(ecs)[0]
    body = ecs("StopInstances", RegionId=REGION, **ids(running, stopped_one), BatchOptimization="SuccessFirst",
               DryRun=True)
    assert responses(body) == [(running, "DRYRUN.SUCCESS", "Running", "Running"),
                               (stopped_one, "DRYRUN.SUCCESS", "Stopped", "Stopped")]
    assert statuses(ecs, running, stopped_one) == ["Running", "Stopped"]


def test_repeated_ids_count_once_and_other_regions_do_not_see_them(ecs):
    a = ecs.run_instance()
    body = ecs("StopInstances", RegionId=REGION, **ids(a, a))
    assert responses(body) == [(a, "200", "Running", "Stopping")]
    assert ecs.error("StartInstances", RegionId="cn-shanghai", **ids(a)) == ("InvalidInstanceId.NotFound", 404)


@pytest.mark.parametrize("params, expected", [
    ({}, ("MissingParameter", 400)),
    (ids(*[f"i-bp{n:018d}" for n in range(101)]), ("InvalidParameter", 400)),
    ({**ids(MISSING), "BatchOptimization": "Sometimes"}, ("InvalidParameter", 400)),
    ({**ids(MISSING), "RegionId": "xx-nowhere-1"}, ("InvalidRegionId.NotFound", 404)),
])
def test_bad_batch_parameters(ecs, params, expected):
    assert ecs.error("StopInstances", **{"RegionId": REGION, **params}) == expected


def test_realistic_delays_show_stopping_then_stopped(manual):
    a, b = manual.run_instance(), manual.run_instance()
    advance(manual, 10)
    manual("StopInstances", RegionId=REGION, **ids(a, b))
    assert statuses(manual, a, b) == ["Stopping", "Stopping"]
    advance(manual, 10)
    assert statuses(manual, a, b) == ["Stopped", "Stopped"]
    manual("StartInstances", RegionId=REGION, **ids(a, b))
    assert statuses(manual, a, b) == ["Starting", "Starting"]
    advance(manual, 10)
    assert statuses(manual, a, b) == ["Running", "Running"]


def test_the_new_sdk_sends_and_reads_the_batches(ecs):
    from alibabacloud_ecs20140526 import models
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi.models import Config as TeaConfig

    client = Client(TeaConfig(access_key_id="testid", access_key_secret="testsecret", region_id=REGION,
                              endpoint=ecs.server.endpoint, protocol="http"))
    a, b = ecs.run_instance(), ecs.run_instance()
    answer = client.stop_instances(models.StopInstancesRequest(
        region_id=REGION, instance_id=[a, b, MISSING], batch_optimization="SuccessFirst")).body
    assert [(r.instance_id, r.code, r.current_status) for r in answer.instance_responses.instance_response] == \
        [(a, "200", "Stopping"), (b, "200", "Stopping"), (MISSING, "InvalidInstanceId.NotFound", "")]
    client.start_instances(models.StartInstancesRequest(region_id=REGION, instance_id=[a]))
    client.delete_instances(models.DeleteInstancesRequest(region_id=REGION, instance_id=[a, b], force=True))
    assert ecs("DescribeInstances", RegionId=REGION, InstanceIds=[a, b])["Instances"]["Instance"] == []


# --- DeleteInstances -----------------------------------------------------------------------------

def test_delete_instances_all_or_nothing(ecs):
    running = ecs.run_instance(**flat("DataDisk", [{"Size": 20, "DeleteWithInstance": False}]))
    stopped_one = stopped(ecs)[0]
    kept = next(d["DiskId"] for d in ecs.disks_of(running) if d["Type"] == "data")
    assert ecs.error("DeleteInstances", RegionId=REGION, **ids(stopped_one, running)) == \
        ("IncorrectInstanceStatus", 403)
    assert ecs.error("DeleteInstances", RegionId=REGION, **ids(stopped_one, MISSING)) == \
        ("InvalidInstanceId.NotFound", 404)
    assert ecs.error("DeleteInstances", RegionId=REGION, **ids(stopped_one, running), Force=True, DryRun=True) == \
        ("DryRunOperation", 400)
    assert statuses(ecs, running, stopped_one) == ["Running", "Stopped"]

    ecs("DeleteInstances", RegionId=REGION, **ids(stopped_one, running), Force=True)
    assert ecs("DescribeInstances", RegionId=REGION, InstanceIds=[running, stopped_one])["Instances"]["Instance"] == []
    disk = ecs.disk(kept)
    assert (disk["Status"], disk["InstanceId"]) == ("Available", "")


def test_delete_instances_per_instance_rules(ecs):
    protected = ecs.run_instance(DeletionProtection=True)
    subscription = ecs.run_instance(InstanceChargeType="PrePaid")
    plain = stopped(ecs)[0]
    assert ecs.error("DeleteInstances", RegionId=REGION, **ids(plain, protected), Force=True) == \
        ("InvalidOperation.DeletionProtection", 403)
    assert ecs.error("DeleteInstances", RegionId=REGION, **ids(plain, subscription), Force=True) == \
        ("ChargeTypeViolation", 403)
    assert statuses(ecs, plain) == ["Stopped"]
    ecs("DeleteInstances", RegionId=REGION, **ids(plain, subscription), Force=True, TerminateSubscription=True)
    assert ecs("DescribeInstances", RegionId=REGION, InstanceIds=[plain, subscription])["Instances"]["Instance"] == []
