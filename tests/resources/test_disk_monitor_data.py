"""DescribeDiskMonitorData through both official Python SDKs: a point a Period for the time
the disk was attached, every figure zero (no I/O is measured), and the window's rules."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from Tea.exceptions import TeaException

from tests.ecsclient import REGION, ZONE, advance

FIGURES = ("IOPSRead", "IOPSWrite", "IOPSTotal", "BPSRead", "BPSWrite", "BPSTotal", "LatencyRead", "LatencyWrite")


def at(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def seconds_of(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()


def minute_after(seconds: float) -> float:
    return (int(seconds) // 60 + 1) * 60


def attached_disk(manual):
    """A system disk In_use, and when it was attached."""
    instance_id = manual.run_instance()
    disk = next(d for d in manual.disks_of(instance_id) if d["Type"] == "system")
    return disk["DiskId"], seconds_of(disk["AttachedTime"])


def test_points_while_attached_all_zero(manual):
    disk_id, attached = attached_disk(manual)
    advance(manual, 600)                                  # ten minutes of In_use
    start = minute_after(attached)
    answer = manual("DescribeDiskMonitorData", DiskId=disk_id, StartTime=at(start - 300),
                    EndTime=at(start + 1200), Period=60)
    points = answer["MonitorData"]["DiskMonitorData"]
    stamps = [seconds_of(p["TimeStamp"]) for p in points]
    # before the attachment and after now there is no data
    assert stamps == [start + 60 * n for n in range(len(stamps))] and start + 480 <= stamps[-1] <= attached + 600
    assert answer["TotalCount"] == len(points) >= 9
    assert all(p["DiskId"] == disk_id and all(p[name] == 0 for name in FIGURES) for p in points)
    hourly = manual("DescribeDiskMonitorData", DiskId=disk_id, StartTime=at(start), EndTime=at(start + 3600),
                    Period=600)["MonitorData"]["DiskMonitorData"]
    assert [seconds_of(p["TimeStamp"]) for p in hourly] == [start]   # start + 600 is still to come


def test_seconds_round_up_to_the_next_minute(manual):
    disk_id, attached = attached_disk(manual)
    advance(manual, 300)
    start = minute_after(attached)
    points = manual("DescribeDiskMonitorData", DiskId=disk_id, StartTime=at(start + 1),
                    EndTime=at(start + 61))["MonitorData"]["DiskMonitorData"]
    assert [p["TimeStamp"] for p in points] == [at(start + 60), at(start + 120)]


def test_a_disk_never_attached_has_no_data(ecs):
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    now = time.time()
    answer = ecs("DescribeDiskMonitorData", DiskId=disk_id, StartTime=at(now - 3600), EndTime=at(now))
    assert (answer["TotalCount"], answer["MonitorData"]["DiskMonitorData"]) == (0, [])


def test_a_detached_disk_keeps_the_points_of_its_attachment(manual):
    instance_id = manual.run_instance()
    advance(manual, 10)
    disk_id = manual("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    advance(manual, 5)
    manual("AttachDisk", DiskId=disk_id, InstanceId=instance_id)
    advance(manual, 300)
    manual("DetachDisk", DiskId=disk_id, InstanceId=instance_id)
    advance(manual, 600)
    disk = manual.disk(disk_id)
    attached, detached = seconds_of(disk["AttachedTime"]), seconds_of(disk["DetachedTime"])
    points = manual("DescribeDiskMonitorData", DiskId=disk_id, StartTime=at(attached - 600),
                    EndTime=at(detached + 600))["MonitorData"]["DiskMonitorData"]
    stamps = [seconds_of(p["TimeStamp"]) for p in points]
    assert stamps and all(attached <= t <= detached for t in stamps) and len(stamps) >= 4


@pytest.mark.parametrize("change, expected", [
    ({"Period": 30}, ("InvalidPeriod.ValueNotSupported", 400)),
    ({"StartTime": "yesterday"}, ("InvalidStartTime.Malformed", 400)),
    ({"StartTime": "2024-02-30T00:00:00Z"}, ("InvalidStartTime.Malformed", 400)),
    ({"EndTime": "2024-01-01 00:00:00"}, ("InvalidEndTime.Malformed", 400)),
    ({"EndTime": "before"}, ("InvalidEndTime.Malformed", 400)),
    ({"StartTime": None}, ("MissingParameter", 400)),
    ({"EndTime": None}, ("MissingParameter", 400)),
    ({"DiskId": "d-bpnothing0000000000"}, ("InvalidDiskId.NotFound", 404)),
])
def test_window_refusals(ecs, change, expected):
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    now = time.time()
    params = {"DiskId": disk_id, "StartTime": at(now - 3600), "EndTime": at(now), **change}
    assert ecs.error("DescribeDiskMonitorData", **params) == expected


def test_window_limits(ecs):
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    now = time.time()
    ask = {"DiskId": disk_id}
    assert ecs.error("DescribeDiskMonitorData", StartTime=at(now), EndTime=at(now - 3600), **ask) == \
        ("InvalidParameter.EndTime", 400)
    assert ecs.error("DescribeDiskMonitorData", StartTime=at(now - 31 * 86400), EndTime=at(now - 30 * 86400),
                     **ask) == ("InvalidStartTime.TooEarly", 400)
    assert ecs.error("DescribeDiskMonitorData", StartTime=at(now - 401 * 60 - 60), EndTime=at(now), **ask) == \
        ("InvalidParameter.TooManyDataQueried", 400)
    ecs("DescribeDiskMonitorData", StartTime=at(now - 400 * 600), EndTime=at(now), Period=600, **ask)
    assert ecs.error("DescribeDiskMonitorData", StartTime=at(now - 401 * 600 - 600), EndTime=at(now), Period=600,
                     **ask) == ("InvalidParameter.TooManyDataQueried", 400)


def test_monitor_data_with_the_tea_sdk(manual):
    disk_id, attached = attached_disk(manual)
    advance(manual, 180)
    start = minute_after(attached)
    client = manual.tea()
    body = client.describe_disk_monitor_data(ecs_models.DescribeDiskMonitorDataRequest(
        disk_id=disk_id, start_time=at(start), end_time=at(start + 120), period=60)).body
    assert body.total_count == len(body.monitor_data.disk_monitor_data) >= 2
    point = body.monitor_data.disk_monitor_data[0]
    assert (point.disk_id, point.time_stamp, point.iopsread, point.bpswrite, point.latency_read) == \
        (disk_id, at(start), 0, 0, 0)
    with pytest.raises(TeaException) as raised:
        client.describe_disk_monitor_data(ecs_models.DescribeDiskMonitorDataRequest(
            disk_id=disk_id, start_time=at(start), end_time=at(start + 120), period=61))
    assert (raised.value.code, raised.value.status_code) == ("InvalidPeriod.ValueNotSupported", 400)
