"""What the emulator did to each instance (domain/instance_events.py): recorded where it is
done, read back as system events and as the instance's boot log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, Row, and_, exists, false, or_, select

from ..domain.ids import new_id
from ..domain.instance_events import BOOTS, HISTORY_SECONDS, Happening, event_type
from ..timing import Delays
from . import tags as tag_store
from .schema import disks, instance_events, instances

# The delay each happening's transition takes: its event executes for as long.
_LASTS = {Happening.LAUNCH: "instance_starting", Happening.START: "instance_starting",
          Happening.REBOOT: "instance_starting", Happening.STOP: "instance_stopping",
          Happening.REINIT: "disk_reiniting", Happening.RESET: "disk_reiniting", Happening.REPLACE: "disk_reiniting"}

# How much of an instance's past is kept (its events, its boot log): the newest so many. The
# real console keeps a bounded tail too; this bounds what a busy instance costs.
KEPT_PER_INSTANCE = 200
# The instance columns DescribeInstancesFullStatus lists.
FULL_STATUS_COLUMNS = (instances.c.id, instances.c.status, instances.c.created_at)


def record(conn: Connection, instance_id: str, happening: Happening, now: float, delays: Delays, *,
           after: float = 0.0, disk_id: str | None = None) -> None:
    """Records, in the transaction that asks for it, that ``happening`` begins ``after``
    seconds from ``now`` for the instance (and its disk; a launch once Pending is over): one
    call where each operation is made. It executes for as long as its transition's delay;
    the instance keeps its newest KEPT_PER_INSTANCE happenings."""
    e = instances.c
    instance = conn.execute(select(e.account_id, e.region_id, e.charge_type).where(e.id == instance_id)).one()
    device = conn.execute(select(disks.c.device).where(disks.c.id == disk_id)).scalar() if disk_id else None
    begins = now + after + (delays.instance_pending if happening is Happening.LAUNCH else 0.0)
    conn.execute(instance_events.insert().values(
        id=new_id("e", instance.region_id), account_id=instance.account_id, region_id=instance.region_id,
        created_at=now, instance_id=instance_id, happening=happening.value,
        event_type=event_type(happening, instance.charge_type), not_before=begins,
        finished_at=begins + getattr(delays, _LASTS[happening]), disk_id=disk_id, device=device))
    t = instance_events.c
    older = (select(t.id).where(t.instance_id == instance_id)
             .order_by(t.not_before.desc(), t.created_at.desc(), t.id.desc()).offset(KEPT_PER_INSTANCE))
    conn.execute(instance_events.delete().where(t.id.in_(older.scalar_subquery())))


# --- system events ----------------------------------------------------------------------------

class TimeRange(NamedTuple):
    """A ``.Start``/``.End`` pair of times (seconds since the epoch; None: open)."""

    start: float | None
    end: float | None

    def within(self, column: Any) -> list[Any]:
        bounds = []
        if self.start is not None:
            bounds.append(column >= self.start)
        if self.end is not None:
            bounds.append(column <= self.end)
        return bounds


def event_filters(now: float, *, event_ids: Sequence[str] | None = None, types: Sequence[str] | None = None,
                  statuses: Sequence[str] | None = None, not_before: TimeRange | None = None,
                  published: TimeRange | None = None) -> list[Any]:
    """Conditions on system events: only system events; each filter when given. A status is
    told by the event's times and ``now``; a finished one only for HISTORY_SECONDS."""
    t = instance_events.c
    conditions: list[Any] = [t.event_type.is_not(None)]
    if event_ids is not None:
        conditions.append(t.id.in_(list(event_ids)))
    if types is not None:
        conditions.append(t.event_type.in_(list(types)))
    if statuses is not None:
        conditions.append(or_(false(), *(_in_status(name, now) for name in statuses)))
    for window, column in ((not_before, t.not_before), (published, t.created_at)):
        if window is not None:
            conditions.extend(window.within(column))
    return conditions


def _in_status(name: str, now: float) -> Any:
    t = instance_events.c
    if name == "Scheduled":
        return t.not_before > now
    if name == "Executing":
        return and_(t.not_before <= now, t.finished_at > now)
    if name == "Executed":
        return and_(t.finished_at <= now, t.finished_at > now - HISTORY_SECONDS)
    return false()   # Avoided, Canceled, Failed, Inquiring: no emulated event ends so


def of_instances(instance_ids: Sequence[str] | None, *, account_id: str, tags: Sequence[dict] | None,
                 resource_group_id: str | None, resource_type: str = "instance") -> list[Any]:
    """Conditions: the events of those instances (when given), of instances with those tags,
    in that resource group (when given). Only instances have events here: none of the other
    resource types (dedicated hosts, managed hosts) exists."""
    t = instance_events.c
    if resource_type != "instance":
        return [false()]
    conditions: list[Any] = []
    if instance_ids is not None:
        conditions.append(t.instance_id.in_(list(instance_ids)))
    if tags:
        conditions.append(tag_store.tag_filter(t.instance_id, tags))
    if resource_group_id is not None:
        conditions.append(t.instance_id.in_(select(instances.c.id).where(
            instances.c.account_id == account_id, instances.c.resource_group_id == resource_group_id)))
    return conditions


def unfinished_of(conn: Connection, instance_ids: Sequence[str], now: float, filters: Sequence[Any]) -> list[Row]:
    """The instances' system events that have not finished (Scheduled or Executing) and meet
    ``filters``, oldest first."""
    if not instance_ids:
        return []
    t = instance_events.c
    return list(conn.execute(select(instance_events).where(
        t.instance_id.in_(list(instance_ids)), t.finished_at > now, *filters).order_by(t.created_at, t.id)).all())


# --- full status: instances by their events ----------------------------------------------------

def full_status_filters(now: float, *, status: str | None, health: str | None,
                        event_filters_given: Sequence[Any] | None) -> list[Any]:
    """Conditions on instances: in ``status``, of ``health`` (domain's ``health``, told in
    SQL), with an unfinished system event meeting ``event_filters_given`` (when given)."""
    i = instances.c
    conditions: list[Any] = []
    if status is not None:
        conditions.append(i.status == status)
    executing = _has_event(now, instance_events.c.not_before <= now)
    scheduled = _has_event(now, instance_events.c.not_before > now)
    if health is not None:
        none_pending = and_(~executing, ~scheduled)
        conditions.append({
            "Maintaining": executing,
            "Warning": and_(~executing, scheduled),
            "Ok": and_(none_pending, i.status == "Running"),
            "Initializing": and_(none_pending, i.status.in_(("Pending", "Starting"))),
            "NotApplicable": and_(none_pending, i.status.in_(("Stopping", "Stopped"))),
        }.get(health, false()))
    if event_filters_given is not None:
        conditions.append(_has_event(now, *event_filters_given))
    return conditions


def _has_event(now: float, *conditions: Any) -> Any:
    """EXISTS: an unfinished system event of the instance meeting ``conditions``."""
    t = instance_events.c
    return exists().where(t.instance_id == instances.c.id, t.event_type.is_not(None), t.finished_at > now,
                          *conditions)


# --- boot log ----------------------------------------------------------------------------------

def boot_log(conn: Connection, instance_id: str, now: float) -> list[Row]:
    """What has begun for the instance so far (of what is kept), in order."""
    t = instance_events.c
    return list(conn.execute(select(instance_events).where(t.instance_id == instance_id, t.not_before <= now)
                             .order_by(t.not_before, t.created_at, t.id)).all())


def ever_started(conn: Connection, instance_id: str, now: float) -> bool:
    """Whether the instance has begun a start or a reboot."""
    t = instance_events.c
    return conn.execute(select(t.id).where(
        t.instance_id == instance_id, t.not_before <= now,
        t.happening.in_([boot.value for boot in BOOTS])).limit(1)).first() is not None
