"""DescribeDiskMonitorData: a disk's I/O figures over time. The emulator measures no I/O,
so every figure is zero; the points are those of the periods the disk was attached
(domain/disk_monitor.py, docs/decisions.md)."""

from __future__ import annotations

from typing import Any

from .. import errors
from ..clock import utc_iso
from ..domain import disk_monitor as monitor
from ..store.rows import find
from ..store.schema import disks
from .declaration import Action, Args, CallContext
from .params import Param, Type

FAMILY = "Disks"


def describe_disk_monitor_data(ctx: CallContext, args: Args) -> dict[str, Any]:
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        disk = find(conn, disks, ctx.account_id, args["DiskId"])
        if disk is None:
            raise errors.DISK_ID_NOT_FOUND()
        now = ctx.now()
        start, end = monitor.window(args["StartTime"], args["EndTime"], args["Period"], now)
        attached = monitor.attachment(disk.status, disk.attached_at, disk.detached_at, now)
    times = monitor.points(start, end, args["Period"], attached)
    return {"TotalCount": len(times),
            "MonitorData": {"DiskMonitorData": [
                {"DiskId": disk.id, "TimeStamp": utc_iso(at), **dict.fromkeys(monitor.FIGURES, 0)}
                for at in times]}}


ACTIONS = (
    Action("DescribeDiskMonitorData", FAMILY, "A disk's I/O figures, a point a Period while it was attached "
                                              "(all zero: no I/O is measured).",
           params=(Param("DiskId", required=True, description="The disk."),
                   Param("StartTime", required=True,
                         description="yyyy-MM-ddTHH:mm:ssZ (UTC), within the last 30 days; seconds round up "
                                     "to the next minute."),
                   Param("EndTime", required=True, description="yyyy-MM-ddTHH:mm:ssZ (UTC), not before StartTime."),
                   Param("Period", type=Type.INTEGER, default=monitor.DEFAULT_PERIOD,
                         description="Seconds between points: 60 (default), 600 or 3600; 400 points at most.")),
           handler=describe_disk_monitor_data,
           raises=(errors.DISK_ID_NOT_FOUND, errors.MONITOR_PERIOD, errors.MONITOR_START_MALFORMED,
                   errors.MONITOR_END_MALFORMED, errors.MONITOR_END_BEFORE_START, errors.MONITOR_START_TOO_EARLY,
                   errors.MONITOR_TOO_MANY_POINTS)),
)
