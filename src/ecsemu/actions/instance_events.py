"""What happened to instances: DescribeInstanceHistoryEvents, DescribeInstancesFullStatus
and GetInstanceConsoleOutput.

The happenings are the emulator's own operations, recorded where each is made
(store/instance_events.py); those the API has a system event type for are the system
events, the rest only lines of the boot log (domain/instance_events.py, docs/decisions.md).
The console output is the VM's serial console when the instance ran in one (``--instances
qemu``, guest/qemu.py), else the emulator's own boot log of the instance.
"""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import Row

from .. import errors
from ..clock import utc_iso
from ..domain import instance_events as rules
from ..domain.instance_events import Happening
from ..store import instance_events as event_store
from ..store.instance_events import FULL_STATUS_COLUMNS, TimeRange
from ..store.schema import instance_events, instances
from .common import (
    NEXT_TOKEN,
    PAGE_NUMBER,
    REGION_ID,
    RESOURCE_GROUP_FILTER,
    TAG,
    Listing,
    max_results,
    page_size,
    paginate,
)
from .declaration import Action, Args, CallContext
from .instances import FAMILY, find_instance
from .params import Kind, Param, Type

MAX_IDS = 100
EVENTS = Listing(instance_events)
FULL_STATUSES = Listing(instances, FULL_STATUS_COLUMNS)


# --- the parameters both Describes share ------------------------------------------------------

def _counted(values: list[str] | None, limit_error: errors.ErrorCode) -> list[str] | None:
    """An ID list (EventId.N, InstanceId.N), each once; more than MAX_IDS is refused."""
    if values is None:
        return None
    if len(values) > MAX_IDS:
        raise limit_error()
    return list(dict.fromkeys(values))


def _window(args: Args, name: str) -> TimeRange | None:
    """``<name>.Start`` / ``<name>.End``, UTC times, the end not before the start."""
    given = args[name]
    if given is None:
        return None
    bounds = []
    for field in ("Start", "End"):
        text = given[field]
        at = None if text is None else rules.utc_time(text)
        if text is not None and at is None:
            raise errors.MAINTENANCE_INVALID_PARAMETER(name=f"{name}.{field}")
        bounds.append(at)
    start, end = bounds
    if start is not None and end is not None and end < start:
        raise errors.EVENTS_TIME_END_BEFORE_START(name=name)
    return TimeRange(start, end)


def _types(args: Args) -> list[str] | None:
    """InstanceEventType.N, else EventType, else every type."""
    if args["InstanceEventType"] is not None:
        return args["InstanceEventType"]
    return [args["EventType"]] if args["EventType"] is not None else None


def _coded(name: str, code: int) -> dict[str, Any]:
    return {"Code": code, "Name": name}


def _event_view(row: Row, now: float) -> dict[str, Any]:
    """One system event, in the API's shape (ExtendedAttribute: the disk rebuilt)."""
    status = rules.cycle_status(row.not_before, row.finished_at, now)
    finished = status.name == rules.Cycle.EXECUTED.value
    extended = {"DiskId": row.disk_id, "Device": row.device or ""} if row.disk_id else {}
    return {
        "InstanceId": row.instance_id,
        "EventId": row.id,
        "EventType": _coded(row.event_type, rules.EVENT_TYPES[row.event_type]),
        "EventCycleStatus": _coded(status.name, status.code),
        "EventPublishTime": utc_iso(row.created_at),
        "NotBefore": utc_iso(row.not_before),
        "EventFinishTime": utc_iso(row.finished_at) if finished else "",
        "ResourceType": "instance",
        "ImpactLevel": "",
        "Reason": rules.REASONS[Happening(row.happening)],
        "ReasonCode": "",
        "ExtendedAttribute": extended,
    }


# --- DescribeInstanceHistoryEvents -----------------------------------------------------------------

def describe_instance_history_events(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Finished events by default; InstanceEventCycleStatus.N (else EventCycleStatus) asks
    for others. ResourceId.N wins over InstanceId."""
    event_ids = _counted(args["EventId"], errors.EVENT_ID_LIMIT)
    statuses = args["InstanceEventCycleStatus"] or (
        [args["EventCycleStatus"]] if args["EventCycleStatus"] is not None else list(rules.FINISHED))
    not_before, published = _window(args, "NotBefore"), _window(args, "EventPublishTime")
    resource_ids = args["ResourceId"] or ([args["InstanceId"]] if args["InstanceId"] else None)
    now = ctx.now()
    where = [*event_store.event_filters(now, event_ids=event_ids, types=_types(args), statuses=statuses,
                                        not_before=not_before, published=published),
             *event_store.of_instances(resource_ids, account_id=ctx.account_id, tags=args["Tag"],
                                       resource_group_id=args["ResourceGroupId"],
                                       resource_type=args["ResourceType"])]
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, paging = paginate(conn, EVENTS, args, ctx.account_id, where=where, token_max=100)
    return {"InstanceSystemEventSet": {"InstanceSystemEventType": [_event_view(row, now) for row in rows]},
            **paging}


# --- DescribeInstancesFullStatus ------------------------------------------------------------------

def describe_instances_full_status(ctx: CallContext, args: Args) -> dict[str, Any]:
    """Each instance's status and health, with its system events not yet finished. An event
    filter lists only the instances with such an event, and only those events."""
    instance_ids = _counted(args["InstanceId"], errors.EVENTS_INSTANCE_ID_LIMIT)
    event_ids = _counted(args["EventId"], errors.EVENT_ID_LIMIT)
    not_before, published = _window(args, "NotBefore"), _window(args, "EventPublishTime")
    types = _types(args)
    now = ctx.now()
    filters = event_store.event_filters(now, event_ids=event_ids, types=types, not_before=not_before,
                                        published=published)
    narrowed = any(given is not None for given in (event_ids, types, not_before, published))
    where = event_store.full_status_filters(now, status=args["Status"], health=args["HealthStatus"],
                                            event_filters_given=filters if narrowed else None)
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        rows, paging = paginate(conn, FULL_STATUSES, args, ctx.account_id, ids=instance_ids, where=where)
        pending = event_store.unfinished_of(conn, [row.id for row in rows], now, filters)
    by_instance: dict[str, list[Row]] = {}
    for event in pending:
        by_instance.setdefault(event.instance_id, []).append(event)
    return {"InstanceFullStatusSet": {"InstanceFullStatusType": [
        _full_status_view(row, by_instance.get(row.id, []), now) for row in rows]}, **paging}


# What ScheduledSystemEventType shows of an event (the response model's fields).
_SCHEDULED_FIELDS = ("EventId", "EventType", "EventCycleStatus", "EventPublishTime", "NotBefore", "Reason",
                     "ImpactLevel", "ExtendedAttribute")


def _full_status_view(row: Row, events: list[Row], now: float) -> dict[str, Any]:
    health = rules.health(row.status, [rules.cycle(e.not_before, e.finished_at, now) for e in events])
    return {
        "InstanceId": row.id,
        "Status": _coded(row.status, rules.INSTANCE_STATUS_CODES[row.status]),
        "HealthStatus": _coded(health.name, health.code),
        "ScheduledSystemEventSet": {"ScheduledSystemEventType": [
            {key: value for key, value in _event_view(event, now).items() if key in _SCHEDULED_FIELDS}
            for event in events]},
    }


# --- GetInstanceConsoleOutput ---------------------------------------------------------------------

def get_instance_console_output(ctx: CallContext, args: Args) -> dict[str, Any]:
    """The boot log: a few lines for each start, stop, reboot and disk rebuild, each with its
    time. An instance never started has none."""
    now = ctx.now()
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        instance = find_instance(conn, ctx, args["InstanceId"])
        if instance.region_id != args["RegionId"]:
            raise errors.INSTANCE_NOT_FOUND()
        if not event_store.ever_started(conn, instance.id, now):
            raise errors.DIAGNOSIS_INCORRECT_INSTANCE_STATUS()
        happened = event_store.boot_log(conn, instance.id, now)
    console = ctx.emulator.instances.console(instance.id)
    if console is not None:  # a guest that really ran: its serial console (the last 64 KiB)
        text = console.decode(errors="replace")
        if args["RemoveSymbols"]:
            text = rules.remove_symbols(text)
        return {"InstanceId": instance.id, "ConsoleOutput": base64.b64encode(text.encode()).decode(),
                "LastUpdateTime": rules.beijing_time(now)}
    lines = [line for row in happened for line in rules.console_lines(
        Happening(row.happening), utc_iso(row.not_before), row.disk_id, instance.host_name)]
    text = "\n".join(lines) + "\n"
    if args["RemoveSymbols"]:
        text = rules.remove_symbols(text)
    return {"InstanceId": instance.id, "ConsoleOutput": base64.b64encode(text.encode()).decode(),
            "LastUpdateTime": rules.beijing_time(happened[-1].not_before) if happened else ""}


# --- GetInstanceScreenshot --------------------------------------------------------------------------

def get_instance_screenshot(ctx: CallContext, args: Args) -> dict[str, Any]:
    """No instance has a screen to show: a Running one answers NotSupported."""
    with ctx.emulator.unit_of_work(read_only=True) as conn:
        instance = find_instance(conn, ctx, args["InstanceId"])
    if instance.region_id != args["RegionId"]:
        raise errors.INSTANCE_NOT_FOUND()
    if instance.status != "Running":
        raise errors.DIAGNOSIS_INCORRECT_INSTANCE_STATUS()
    raise errors.SCREENSHOT_NOT_SUPPORTED()


# --- declarations ----------------------------------------------------------------------------------

def _time_range(name: str, what: str) -> Param:
    return Param(name, kind=Kind.OBJECT, description=f"{what}: Start and End, yyyy-MM-ddTHH:mm:ssZ (UTC).",
                 fields=(Param("Start", description="From (UTC)."), Param("End", description="To (UTC).")))


_TYPES = tuple(rules.EVENT_TYPES)
_EVENT_FILTERS = (
    Param("EventId", kind=Kind.LIST, description=f"System event IDs (EventId.N), at most {MAX_IDS}."),
    Param("InstanceEventType", kind=Kind.LIST, max_items=30, enum=_TYPES, invalid=errors.MAINTENANCE_INVALID_PARAMETER,
          description="Event types, InstanceEventType.1 to .30."),
    Param("EventType", enum=_TYPES, invalid=errors.MAINTENANCE_INVALID_PARAMETER,
          description="Event type, when InstanceEventType.N is not given."),
    _time_range("NotBefore", "When the event is to begin"),
    _time_range("EventPublishTime", "When the event was published"),
)
_WINDOW_ERRORS = (errors.MAINTENANCE_INVALID_PARAMETER, errors.EVENTS_TIME_END_BEFORE_START, errors.EVENT_ID_LIMIT)

ACTIONS = (
    Action("DescribeInstanceHistoryEvents", FAMILY, "System events of instances: the emulator's reboots, stops "
                                                    "and disk rebuilds; finished ones unless asked.",
           params=(REGION_ID,
                   Param("InstanceId", description="One instance (ResourceId.N wins)."),
                   Param("ResourceId", kind=Kind.LIST, max_items=MAX_IDS, invalid=errors.MAINTENANCE_INVALID_PARAMETER,
                         description="Instances, ResourceId.1 to .100."),
                   Param("ResourceType", enum=("instance", "ddh", "managedhost"), default="instance",
                         invalid=errors.MAINTENANCE_INVALID_PARAMETER,
                         description="instance (ddh and managedhost: none here)."),
                   *_EVENT_FILTERS,
                   Param("EventCycleStatus", enum=rules.CYCLE_STATUSES, invalid=errors.MAINTENANCE_INVALID_PARAMETER,
                         description="Lifecycle status, when InstanceEventCycleStatus.N is not given."),
                   Param("InstanceEventCycleStatus", kind=Kind.LIST, max_items=len(rules.CYCLE_STATUSES),
                         enum=rules.CYCLE_STATUSES, invalid=errors.MAINTENANCE_INVALID_PARAMETER,
                         description="Lifecycle statuses, InstanceEventCycleStatus.1 to .7."),
                   RESOURCE_GROUP_FILTER, TAG, PAGE_NUMBER, page_size(100), NEXT_TOKEN, max_results(100)),
           handler=describe_instance_history_events, raises=(*_WINDOW_ERRORS, errors.INVALID_PARAMETER)),
    Action("DescribeInstancesFullStatus", FAMILY, "Instances' status and health, with their system events not "
                                                  "yet finished.",
           params=(REGION_ID,
                   Param("InstanceId", kind=Kind.LIST, description=f"Instances (InstanceId.N), at most {MAX_IDS}."),
                   Param("Status", enum=rules.FULL_STATUS_FILTER, invalid=errors.MAINTENANCE_INVALID_PARAMETER,
                         description="Starting, Running or Stopped."),
                   Param("HealthStatus", enum=rules.HEALTH_FILTER, invalid=errors.MAINTENANCE_INVALID_PARAMETER,
                         description="Health status."),
                   *_EVENT_FILTERS, PAGE_NUMBER, page_size(100)),
           handler=describe_instances_full_status,
           raises=(*_WINDOW_ERRORS, errors.EVENTS_INSTANCE_ID_LIMIT, errors.INVALID_PARAMETER)),
    Action("GetInstanceConsoleOutput", FAMILY, "The VM's serial console (--instances qemu), else the boot log "
                                               "(the emulator's own: a line for each start, stop, reboot and "
                                               "disk rebuild), base64.",
           params=(REGION_ID, Param("InstanceId", required=True, description="The instance."),
                   Param("RemoveSymbols", type=Type.BOOLEAN, default=False,
                         description="Without formatting symbols (colours, control characters).")),
           handler=get_instance_console_output,
           raises=(errors.INSTANCE_NOT_FOUND, errors.DIAGNOSIS_INCORRECT_INSTANCE_STATUS)),
    Action("GetInstanceScreenshot", FAMILY, "A Running instance's screenshot: none has a screen here "
                                            "(NotSupported; the serial console is GetInstanceConsoleOutput's).",
           params=(REGION_ID, Param("InstanceId", required=True, description="The instance."),
                   Param("WakeUp", type=Type.BOOLEAN, default=False,
                         description="Wake a hibernated instance (accepted).")),
           handler=get_instance_screenshot,
           raises=(errors.INSTANCE_NOT_FOUND, errors.DIAGNOSIS_INCORRECT_INSTANCE_STATUS,
                   errors.SCREENSHOT_NOT_SUPPORTED)),
)
