"""DescribeInstanceHistoryEvents, DescribeInstancesFullStatus and GetInstanceConsoleOutput
through the official SDKs, on each store: the emulator's own reboots, stops and disk
rebuilds read back as system events of the real types, every filter and paging style, the
lifecycle on the manual clock, and the boot log."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.ecsclient import LINUX_IMAGE, REGION, advance
from tests.rawhttp import get, v1_params

DAY = 86400.0


def listed(name: str, values: list[str]) -> dict[str, str]:
    """``Name.N``, as the SDKs send a RepeatList."""
    return {f"{name}.{n}": value for n, value in enumerate(values, start=1)}


def history(ecs, **params: Any) -> list[dict]:
    return ecs("DescribeInstanceHistoryEvents", RegionId=REGION, PageSize=100,
               **params)["InstanceSystemEventSet"]["InstanceSystemEventType"]


def kinds(events: list[dict]) -> list[tuple[str, int, str, int]]:
    return [(e["EventType"]["Name"], e["EventType"]["Code"], e["EventCycleStatus"]["Name"],
             e["EventCycleStatus"]["Code"]) for e in events]


def full_status(ecs, **params: Any) -> dict:
    return ecs("DescribeInstancesFullStatus", RegionId=REGION, **params)


def console(ecs, instance_id: str, **params: Any) -> tuple[str, dict]:
    body = ecs("GetInstanceConsoleOutput", RegionId=REGION, InstanceId=instance_id, **params)
    return base64.b64decode(body["ConsoleOutput"]).decode(), body


def system_disk(ecs, instance_id: str) -> str:
    return next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")


def lived(ecs) -> tuple[str, str, str]:
    """An instance rebooted, stopped, its system disk re-initialised then replaced, started
    again: (instance, the disk re-initialised, the disk that replaced it)."""
    instance_id = ecs.run_instance()
    ecs("RebootInstance", InstanceId=instance_id)
    ecs("StopInstance", InstanceId=instance_id)
    reinit = system_disk(ecs, instance_id)
    ecs("ReInitDisk", DiskId=reinit)
    replaced = ecs("ReplaceSystemDisk", InstanceId=instance_id, ImageId=LINUX_IMAGE)["DiskId"]
    ecs("StartInstance", InstanceId=instance_id)
    return instance_id, reinit, replaced


# --- DescribeInstanceHistoryEvents ---------------------------------------------------------------

def test_what_the_emulator_did_is_history_of_the_real_types(ecs):
    instance_id, reinit, replaced = lived(ecs)
    events = history(ecs, InstanceId=instance_id)
    assert kinds(events) == [("SystemMaintenance.Reboot", 1, "Executed", 0),
                             ("AccountUnbalanced.Stop", 36, "Executed", 0),
                             ("SystemMaintenance.Redeploy", 2, "Executed", 0),
                             ("SystemMaintenance.Redeploy", 2, "Executed", 0)]
    assert [e["ExtendedAttribute"] for e in events] == [
        {}, {}, {"DiskId": reinit, "Device": "/dev/xvda"}, {"DiskId": replaced, "Device": "/dev/xvda"}]
    for event in events:
        assert event["InstanceId"] == instance_id and event["EventId"].startswith("e-bp")
        assert event["ResourceType"] == "instance" and event["Reason"]
        assert event["EventPublishTime"].endswith("Z") and event["NotBefore"] <= event["EventFinishTime"]
    assert "ReInitDisk" in events[2]["Reason"] and "ReplaceSystemDisk" in events[3]["Reason"]


def test_a_subscription_instance_stops_as_its_term_would(ecs):
    instance_id = ecs.run_instance(InstanceChargeType="PrePaid", Period=1, PeriodUnit="Month")
    ecs("StopInstance", InstanceId=instance_id)
    assert kinds(history(ecs, InstanceId=instance_id)) == [("InstanceExpiration.Stop", 34, "Executed", 0)]


def test_batches_record_each_instance(ecs):
    a, b = ecs.run_instance(), ecs.run_instance()
    ecs("RebootInstances", **listed("InstanceId", [a, b]))
    ecs("StopInstances", **listed("InstanceId", [a, b]))
    events = history(ecs, **listed("ResourceId", [a, b]))
    assert sorted((e["InstanceId"], e["EventType"]["Name"]) for e in events) == sorted(
        [(a, "SystemMaintenance.Reboot"), (b, "SystemMaintenance.Reboot"),
         (a, "AccountUnbalanced.Stop"), (b, "AccountUnbalanced.Stop")])


def test_every_filter(ecs):
    instance_id, _reinit, _replaced = lived(ecs)
    other = ecs.run_instance(ResourceGroupId="rg-acfmzw2jz2z2xyz", **{"Tag.1.Key": "team", "Tag.1.Value": "a"})
    ecs("RebootInstance", InstanceId=other)
    mine = history(ecs, InstanceId=instance_id)
    first = mine[0]["EventId"]

    def names(**params: Any) -> list[str]:
        return [e["EventType"]["Name"] for e in history(ecs, InstanceId=instance_id, **params)]

    assert names(EventType="SystemMaintenance.Reboot") == ["SystemMaintenance.Reboot"]
    # InstanceEventType.N wins over EventType.
    assert names(EventType="SystemMaintenance.Reboot",
                 **listed("InstanceEventType", ["AccountUnbalanced.Stop", "SystemMaintenance.Redeploy"])) == [
        "AccountUnbalanced.Stop", "SystemMaintenance.Redeploy", "SystemMaintenance.Redeploy"]
    assert names(EventType="InstanceFailure.Reboot") == []
    assert [e["EventId"] for e in history(ecs, **listed("EventId", [first, "e-bpnotthere"]))] == [first]
    # Lifecycle: finished ones by default; asked for by either parameter.
    assert len(names(EventCycleStatus="Executed")) == 4
    assert names(EventCycleStatus="Scheduled") == [] and names(EventCycleStatus="Canceled") == []
    assert len(names(EventCycleStatus="Scheduled", **listed("InstanceEventCycleStatus", ["Avoided", "Executed"]))) == 4
    # Times: a window around now holds them all, one in the past none.
    around = {"NotBefore.Start": "2020-01-01T00:00:00Z", "NotBefore.End": "2999-01-01T00:00:00Z"}
    assert len(names(**around)) == 4
    assert names(**{"EventPublishTime.End": "2020-01-01T00:00:00Z"}) == []
    assert names(**{"EventPublishTime.Start": "2999-01-01T00:00Z"}) == []
    assert len(names(**{"EventPublishTime.Start": mine[0]["EventPublishTime"]})) == 4
    # ResourceId.N wins over InstanceId; tags and resource groups are the instance's.
    assert {e["InstanceId"] for e in history(ecs, InstanceId=instance_id, **listed("ResourceId", [other]))} == {other}
    assert {e["InstanceId"] for e in history(ecs, **{"Tag.1.Key": "team", "Tag.1.Value": "a"})} == {other}
    assert {e["InstanceId"] for e in history(ecs, ResourceGroupId="rg-acfmzw2jz2z2xyz")} == {other}
    assert history(ecs, InstanceId=instance_id, ResourceType="ddh") == []


def test_both_paging_styles(ecs):
    instance_id, _reinit, _replaced = lived(ecs)
    body = ecs("DescribeInstanceHistoryEvents", RegionId=REGION, InstanceId=instance_id, PageSize=3, PageNumber=2)
    assert (body["TotalCount"], body["PageNumber"], body["PageSize"]) == (4, 2, 3)
    assert len(body["InstanceSystemEventSet"]["InstanceSystemEventType"]) == 1
    seen, token = [], None
    for _ in range(3):
        body = ecs("DescribeInstanceHistoryEvents", RegionId=REGION, MaxResults=10, NextToken=token,
                   **listed("ResourceId", [instance_id]))
        seen += [e["EventId"] for e in body["InstanceSystemEventSet"]["InstanceSystemEventType"]]
        token = body["NextToken"]
        if not token:
            break
    assert seen == [e["EventId"] for e in history(ecs, InstanceId=instance_id)]


@pytest.mark.parametrize("params, expected", [
    ({"RegionId": "xx-nowhere-1"}, ("InvalidRegionId.NotFound", 404)),
    ({"EventType": "Reboot"}, ("InvalidParameter", 403)),
    ({"InstanceEventCycleStatus.1": "Done"}, ("InvalidParameter", 403)),
    ({"NotBefore.Start": "2024-01-01"}, ("InvalidParameter", 403)),
    ({"NotBefore.Start": "2024-01-02T00:00:00Z", "NotBefore.End": "2024-01-01T00:00:00Z"},
     ("InvalidParameter.TimeEndBeforeStart", 403)),
    ({"EventPublishTime.Start": "2024-01-02T00:00:00Z", "EventPublishTime.End": "2024-01-01T00:00:00Z"},
     ("InvalidParameter.TimeEndBeforeStart", 403)),
    (listed("EventId", [f"e-bp{n:018d}" for n in range(101)]), ("EventIdLimitExceeded", 403)),
    ({"PageNumber": 0}, ("InvalidParameter", 400)),
    ({"NextToken": "not-a-token"}, ("InvalidParameter", 400)),
])
def test_history_refuses(ecs, params, expected):
    assert ecs.error("DescribeInstanceHistoryEvents", **{"RegionId": REGION, **params}) == expected


@pytest.mark.parametrize("action", ["DescribeInstanceHistoryEvents", "DescribeInstancesFullStatus",
                                    "GetInstanceConsoleOutput"])
def test_region_is_required(ecs, action):
    """(The SDKs add the client's region: sent as a client that does not would.)"""
    reply = get(ecs.server.port, v1_params(action, InstanceId="i-bpdoesnotexist000000"))
    assert (reply.status, reply.json()["Code"]) == (400, "MissingParameter")


# --- the lifecycle, on the manual clock -----------------------------------------------------------

def test_an_event_executes_while_its_transition_runs(manual):
    instance_id = manual.run_instance()
    advance(manual, 3)                          # Pending, Starting: Running
    manual("RebootInstance", InstanceId=instance_id)
    assert history(manual, InstanceId=instance_id) == []      # not finished: not history yet
    executing = history(manual, InstanceId=instance_id, EventCycleStatus="Executing")
    assert kinds(executing) == [("SystemMaintenance.Reboot", 1, "Executing", 16)]
    assert executing[0]["EventFinishTime"] == ""
    body = full_status(manual, **listed("InstanceId", [instance_id]))
    [status] = body["InstanceFullStatusSet"]["InstanceFullStatusType"]
    assert status["Status"] == {"Code": 2, "Name": "Starting"}
    assert status["HealthStatus"] == {"Code": 65, "Name": "Maintaining"}
    [event] = status["ScheduledSystemEventSet"]["ScheduledSystemEventType"]
    assert event["EventId"] == executing[0]["EventId"]
    assert event["EventCycleStatus"] == {"Code": 16, "Name": "Executing"}
    assert full_status(manual, HealthStatus="Maintaining", **listed("InstanceId", [instance_id]))["TotalCount"] == 1
    assert full_status(manual, EventType="SystemMaintenance.Reboot",
                       **listed("InstanceId", [instance_id]))["TotalCount"] == 1

    advance(manual, 2)
    [done] = history(manual, InstanceId=instance_id)
    assert kinds([done]) == [("SystemMaintenance.Reboot", 1, "Executed", 0)] and done["EventFinishTime"]
    [status] = full_status(manual, **listed("InstanceId", [instance_id]))["InstanceFullStatusSet"][
        "InstanceFullStatusType"]
    assert status["HealthStatus"] == {"Code": 0, "Name": "Ok"}
    assert status["ScheduledSystemEventSet"]["ScheduledSystemEventType"] == []
    assert full_status(manual, EventType="SystemMaintenance.Reboot",
                       **listed("InstanceId", [instance_id]))["TotalCount"] == 0

    # Finished events are history for 30 days.
    advance(manual, 29 * DAY)
    assert len(history(manual, InstanceId=instance_id)) == 1
    advance(manual, 2 * DAY)
    assert history(manual, InstanceId=instance_id) == []


def test_an_instance_not_yet_booted_has_no_console_output(manual):
    made = manual("CreateInstance", RegionId=REGION, ImageId=LINUX_IMAGE, InstanceType="ecs.g7.large",
                  SecurityGroupId=manual.security_group(), VSwitchId=manual.vswitch())["InstanceId"]
    advance(manual, 1)
    assert manual.error("GetInstanceConsoleOutput", RegionId=REGION, InstanceId=made) == (
        "IncorrectInstanceStatus", 405)
    running = manual.run_instance()               # boots once Pending is over
    assert manual.error("GetInstanceConsoleOutput", RegionId=REGION, InstanceId=running) == (
        "IncorrectInstanceStatus", 405)
    advance(manual, 1)
    text, _body = console(manual, running)
    assert "Powering on." in text


# --- DescribeInstancesFullStatus ------------------------------------------------------------------

def test_full_status_of_instances(ecs):
    running, stopped = ecs.run_instance(), ecs.run_instance()
    ecs("StopInstance", InstanceId=stopped)
    ids = listed("InstanceId", [running, stopped])
    body = full_status(ecs, **ids)
    assert body["TotalCount"] == 2 and (body["PageNumber"], body["PageSize"]) == (1, 10)
    by_id = {s["InstanceId"]: s for s in body["InstanceFullStatusSet"]["InstanceFullStatusType"]}
    assert by_id[running]["Status"] == {"Code": 1, "Name": "Running"}
    assert by_id[running]["HealthStatus"] == {"Code": 0, "Name": "Ok"}
    assert by_id[stopped]["Status"] == {"Code": 4, "Name": "Stopped"}
    assert by_id[stopped]["HealthStatus"] == {"Code": 130, "Name": "NotApplicable"}
    assert all(s["ScheduledSystemEventSet"] == {"ScheduledSystemEventType": []} for s in by_id.values())

    def found(**params: Any) -> list[str]:
        return [s["InstanceId"] for s in full_status(ecs, **ids, **params)["InstanceFullStatusSet"][
            "InstanceFullStatusType"]]

    assert found(Status="Running") == [running] and found(Status="Stopped") == [stopped]
    assert found(Status="Starting") == []
    assert found(HealthStatus="Ok") == [running] and found(HealthStatus="NotApplicable") == [stopped]
    assert found(HealthStatus="Impaired") == []
    assert found(PageSize=1, PageNumber=2) == [stopped]
    assert found(**listed("EventId", ["e-bpnotthere"])) == []


@pytest.mark.parametrize("params, expected", [
    ({"RegionId": "xx-nowhere-1"}, ("InvalidRegionId.NotFound", 404)),
    ({"Status": "Stopping"}, ("InvalidParameter", 403)),
    ({"HealthStatus": "Fine"}, ("InvalidParameter", 403)),
    ({"EventPublishTime.End": "yesterday"}, ("InvalidParameter", 403)),
    ({"NotBefore.Start": "2024-01-02T00:00:00Z", "NotBefore.End": "2024-01-01T00:00:00Z"},
     ("InvalidParameter.TimeEndBeforeStart", 403)),
    (listed("InstanceId", [f"i-bp{n:018d}" for n in range(101)]), ("InstanceIdLimitExceeded", 403)),
    (listed("EventId", [f"e-bp{n:018d}" for n in range(101)]), ("EventIdLimitExceeded", 403)),
    ({"PageSize": 101}, ("InvalidParameter", 400)),
])
def test_full_status_refuses(ecs, params, expected):
    assert ecs.error("DescribeInstancesFullStatus", **{"RegionId": REGION, **params}) == expected


# --- GetInstanceConsoleOutput ---------------------------------------------------------------------

def test_the_boot_log_has_a_line_for_each_thing_done(ecs):
    instance_id, reinit, replaced = lived(ecs)
    text, body = console(ecs, instance_id)
    assert body["InstanceId"] == instance_id
    lines = text.splitlines()
    said = [line for line in lines if any(word in line for word in (
        "Powering on.", "Rebooting.", "reboot: Power down", "re-initialised", "replaced"))]
    assert [line.split("] ", 1)[1] for line in said] == [
        "Powering on.", "Rebooting.", "reboot: Power down", f"Disk {reinit} re-initialised.",
        f"Disk {replaced} replaced.", "Powering on."]
    assert all(line.startswith("[20") and "Z] " in line for line in lines)
    assert "\x1b[" in text and lines[-1].endswith("login:")
    # LastUpdateTime: Beijing time of the last line.
    assert len(body["LastUpdateTime"]) == 19 and body["LastUpdateTime"][10] == " "

    plain, _body = console(ecs, instance_id, RemoveSymbols=True)
    assert "\x1b" not in plain and "OK" in plain
    assert [line.split("] ", 1)[1] for line in plain.splitlines() if "Power" in line] == [
        "Powering on.", "reboot: Power down", "Powering on."]


@pytest.mark.parametrize("params, expected", [
    ({"InstanceId": None}, ("MissingParameter", 400)),
    ({"RegionId": "xx-nowhere-1"}, ("InvalidRegionId.NotFound", 404)),
    ({"InstanceId": "i-bpdoesnotexist000000"}, ("InvalidInstanceId.NotFound", 404)),
    ({"RegionId": "cn-shanghai"}, ("InvalidInstanceId.NotFound", 404)),
    ({"RemoveSymbols": "maybe"}, ("InvalidParameter", 400)),
])
def test_console_output_refuses(ecs, params, expected):
    instance_id = ecs.run_instance()
    assert ecs.error("GetInstanceConsoleOutput", **{"RegionId": REGION, "InstanceId": instance_id,
                                                    **params}) == expected


# --- the other official clients -------------------------------------------------------------------

def test_the_old_sdk_request_classes(ecs):
    from aliyunsdkecs.request.v20140526.DescribeInstanceHistoryEventsRequest import (
        DescribeInstanceHistoryEventsRequest,
    )
    from aliyunsdkecs.request.v20140526.DescribeInstancesFullStatusRequest import DescribeInstancesFullStatusRequest
    from aliyunsdkecs.request.v20140526.GetInstanceConsoleOutputRequest import GetInstanceConsoleOutputRequest
    instance_id, _reinit, _replaced = lived(ecs)

    request = DescribeInstanceHistoryEventsRequest()
    request.set_ResourceIds([instance_id])
    request.set_InstanceEventCycleStatuss(["Executed"])
    request.set_InstanceEventTypes(["SystemMaintenance.Reboot", "AccountUnbalanced.Stop"])
    request.set_NotBeforeStart("2020-01-01T00:00:00Z")
    request.set_EventPublishTimeEnd("2999-01-01T00:00:00Z")
    request.set_PageSize(1)
    body = ecs.send(request)
    assert body["TotalCount"] == 2
    [event] = body["InstanceSystemEventSet"]["InstanceSystemEventType"]
    assert event["EventType"]["Name"] == "SystemMaintenance.Reboot"

    request = DescribeInstancesFullStatusRequest()
    request.set_InstanceIds([instance_id])
    request.set_Status("Running")
    [status] = ecs.send(request)["InstanceFullStatusSet"]["InstanceFullStatusType"]
    assert status["HealthStatus"]["Name"] == "Ok"

    request = GetInstanceConsoleOutputRequest()
    request.set_InstanceId(instance_id)
    request.set_RemoveSymbols(True)
    assert b"Rebooting." in base64.b64decode(ecs.send(request)["ConsoleOutput"])


def test_the_tea_sdk(ecs):
    from alibabacloud_ecs20140526 import models
    from Tea.exceptions import TeaException
    instance_id, reinit, _replaced = lived(ecs)
    client = ecs.tea()

    answer = client.describe_instance_history_events(models.DescribeInstanceHistoryEventsRequest(
        region_id=REGION, instance_id=instance_id, event_type="SystemMaintenance.Redeploy",
        not_before=models.DescribeInstanceHistoryEventsRequestNotBefore(start="2020-01-01T00:00:00Z"),
        event_publish_time=models.DescribeInstanceHistoryEventsRequestEventPublishTime(end="2999-01-01T00:00:00Z"),
        max_results=10)).body
    events = answer.instance_system_event_set.instance_system_event_type
    assert [(e.event_type.name, e.event_type.code, e.event_cycle_status.name) for e in events] == [
        ("SystemMaintenance.Redeploy", 2, "Executed")] * 2
    assert events[0].extended_attribute.disk_id == reinit and answer.next_token == ""

    full = client.describe_instances_full_status(models.DescribeInstancesFullStatusRequest(
        region_id=REGION, instance_id=[instance_id], health_status="Ok")).body
    [status] = full.instance_full_status_set.instance_full_status_type
    assert (status.instance_id, status.status.name, status.health_status.code) == (instance_id, "Running", 0)

    output = client.get_instance_console_output(models.GetInstanceConsoleOutputRequest(
        region_id=REGION, instance_id=instance_id, remove_symbols=False)).body
    assert output.instance_id == instance_id and b"Powering on." in base64.b64decode(output.console_output)

    with pytest.raises(TeaException) as raised:
        client.describe_instance_history_events(models.DescribeInstanceHistoryEventsRequest(
            region_id=REGION, event_id=[f"e-bp{n:018d}" for n in range(101)]))
    assert raised.value.code == "EventIdLimitExceeded"


def test_an_instance_keeps_its_newest_happenings(ecs, monkeypatch):
    monkeypatch.setattr("ecsemu.store.instance_events.KEPT_PER_INSTANCE", 3)
    instance_id = ecs.run_instance()
    for _ in range(3):
        ecs("RebootInstance", InstanceId=instance_id)
    ecs("StopInstance", InstanceId=instance_id)
    assert [e["EventType"]["Name"] for e in history(ecs, InstanceId=instance_id)] == [
        "SystemMaintenance.Reboot", "SystemMaintenance.Reboot", "AccountUnbalanced.Stop"]
    text, _body = console(ecs, instance_id)
    assert "Powering on." not in text and text.count("Rebooting.") == 2
