"""What happens to an instance, as the emulator tells it: its system events
(DescribeInstanceHistoryEvents, DescribeInstancesFullStatus) and its boot log
(GetInstanceConsoleOutput).

The emulator's own operations are the only happenings: each start, stop, reboot and disk
rebuild is recorded once, when asked for (store/instance_events.py). Those the API has a
system event type for are system events, of the type that fits (docs/decisions.md); every
one is a line of the boot log. An event's lifecycle follows from its times and the clock:
Scheduled before it begins, Executing while its transition runs, Executed after.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import Enum
from typing import NamedTuple


class Happening(Enum):
    """What the emulator did to an instance."""

    LAUNCH = "launch"      # RunInstances' first boot, once Pending is over
    START = "start"        # StartInstance(s), AutoStartInstance
    STOP = "stop"          # StopInstance(s)
    REBOOT = "reboot"      # RebootInstance(s), ModifyPrepayInstanceSpec's reboot
    REINIT = "reinit"      # ReInitDisk
    RESET = "reset"        # ResetDisk
    REPLACE = "replace"    # ReplaceSystemDisk


def start_or_reboot(expect: str) -> Happening:
    """A start from Running is a reboot."""
    return Happening.REBOOT if expect == "Running" else Happening.START


class Coded(NamedTuple):
    name: str
    code: int


# --- system event types ---------------------------------------------------------------------

# The instance event types the API lists (EventType / InstanceEventType.N), with their codes.
# The codes of SystemMaintenance.Reboot (1), InstanceExpiration.Stop (34) and
# SystemFailure.Reboot (65) are the API reference's; the others are not published
# (docs/decisions.md).
EVENT_TYPES: dict[str, int] = {
    "SystemMaintenance.Reboot": 1,
    "SystemMaintenance.Redeploy": 2,
    "SystemFailure.Reboot": 65,
    "SystemFailure.Redeploy": 66,
    "SystemFailure.Delete": 67,
    "InstanceFailure.Reboot": 68,
    "InstanceExpiration.Stop": 34,
    "InstanceExpiration.Delete": 35,
    "AccountUnbalanced.Stop": 36,
    "AccountUnbalanced.Delete": 37,
}


def event_type(happening: Happening, charge_type: str) -> str | None:
    """The system event type the emulator reports a happening as; None: not a system event
    (a start is only a line of the boot log). A stop is reported as the stop the API has for
    the instance's billing method; a disk rebuilt as a redeployment, the closest the API has."""
    if happening is Happening.REBOOT:
        return "SystemMaintenance.Reboot"
    if happening is Happening.STOP:
        return "InstanceExpiration.Stop" if charge_type == "PrePaid" else "AccountUnbalanced.Stop"
    if happening in (Happening.REINIT, Happening.RESET, Happening.REPLACE):
        return "SystemMaintenance.Redeploy"
    return None


REASONS = {
    Happening.STOP: "The instance was stopped by StopInstance.",
    Happening.REBOOT: "The instance was restarted by RebootInstance or a change that restarts it.",
    Happening.REINIT: "The disk was re-initialised by ReInitDisk.",
    Happening.RESET: "The disk was rolled back by ResetDisk.",
    Happening.REPLACE: "The system disk was replaced by ReplaceSystemDisk.",
}


# --- lifecycle ------------------------------------------------------------------------------

class Cycle(Enum):
    SCHEDULED = "Scheduled"
    EXECUTING = "Executing"
    EXECUTED = "Executed"


# Every status the API names (EventCycleStatus, InstanceEventCycleStatus.N). Codes: Executed
# 0, Avoided 8 and Scheduled 24 are the API reference's; Executing's is not published.
CYCLE_STATUSES = ("Scheduled", "Avoided", "Executing", "Executed", "Canceled", "Failed", "Inquiring")
CYCLE_CODES = {"Executed": 0, "Avoided": 8, "Executing": 16, "Scheduled": 24}
# What is listed when no status is asked for: the finished ones.
FINISHED = ("Avoided", "Executed", "Canceled", "Failed")
# Finished events are listed for this long after they finish.
HISTORY_SECONDS = 30 * 86400


def cycle(not_before: float, finished_at: float, now: float) -> Cycle:
    if now < not_before:
        return Cycle.SCHEDULED
    if now < finished_at:
        return Cycle.EXECUTING
    return Cycle.EXECUTED


def cycle_status(not_before: float, finished_at: float, now: float) -> Coded:
    name = cycle(not_before, finished_at, now).value
    return Coded(name, CYCLE_CODES[name])


# --- full status ----------------------------------------------------------------------------

# The instance statuses DescribeInstancesFullStatus filters by, and each status's code
# (Running's, 1, is the API reference's; the others are not published).
FULL_STATUS_FILTER = ("Starting", "Running", "Stopped")
INSTANCE_STATUS_CODES = {"Pending": 0, "Running": 1, "Starting": 2, "Stopping": 3, "Stopped": 4}
# Health statuses: Ok 0 and Warning 64 are the API reference's codes.
HEALTH_CODES = {"Ok": 0, "Impaired": 1, "Warning": 64, "Maintaining": 65, "Initializing": 128,
                "InsufficientData": 129, "NotApplicable": 130}
HEALTH_FILTER = ("Ok", "Impaired", "Warning", "Maintaining", "Initializing", "InsufficientData", "NotApplicable")


def health(status: str, pending: list[Cycle]) -> Coded:
    """An instance's health: Maintaining while an event of it executes, Warning while one
    is scheduled; else Ok when it runs, Initializing while it boots, NotApplicable stopped."""
    if Cycle.EXECUTING in pending:
        name = "Maintaining"
    elif Cycle.SCHEDULED in pending:
        name = "Warning"
    elif status == "Running":
        name = "Ok"
    elif status in ("Pending", "Starting"):
        name = "Initializing"
    else:
        name = "NotApplicable"
    return Coded(name, HEALTH_CODES[name])


# --- boot log -------------------------------------------------------------------------------

BOOTS = (Happening.LAUNCH, Happening.START, Happening.REBOOT)   # the instance has started once one begins


def console_lines(happening: Happening, at: str, disk_id: str | None, host_name: str) -> list[str]:
    """The boot log's lines for one happening at ``at`` (a UTC time), in the style of a
    kernel and systemd console."""
    if happening in BOOTS:
        lines = [f"[{at}] Rebooting." if happening is Happening.REBOOT else f"[{at}] Powering on.",
                 f"[{at}] Linux version (ecsemu) booting",
                 f"[{at}] \x1b[0;32m  OK  \x1b[0m] Reached target Multi-User System.",
                 f"[{at}] {host_name} login:"]
        return lines
    if happening is Happening.STOP:
        return [f"[{at}] \x1b[0;32m  OK  \x1b[0m] Stopped target Multi-User System.",
                f"[{at}] reboot: Power down"]
    verb = {Happening.REINIT: "re-initialised", Happening.RESET: "rolled back to a snapshot",
            Happening.REPLACE: "replaced"}[happening]
    return [f"[{at}] Disk {disk_id} {verb}."]


_SYMBOLS = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]")


def remove_symbols(text: str) -> str:
    """RemoveSymbols=true: the text without its formatting (terminal colour sequences and
    control characters), lines kept."""
    return _SYMBOLS.sub("", text)


# --- times ------------------------------------------------------------------------------------

TIME_FORMATS = ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%MZ")  # the documented one; minutes as elsewhere


def utc_time(text: str) -> float | None:
    """A ``NotBefore.Start``-style time (UTC) in seconds since the epoch; None if not one."""
    for layout in TIME_FORMATS:
        try:
            return datetime.strptime(text, layout).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    return None


BEIJING = 8 * 3600  # LastUpdateTime is Beijing time (UTC+8), as the API reference says


def beijing_time(seconds: float) -> str:
    """``yyyy-MM-dd HH:mm:ss`` in UTC+8."""
    return datetime.fromtimestamp(seconds + BEIJING, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")
