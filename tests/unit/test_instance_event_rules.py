"""The rules of instance events, as a table: which system event each operation is, an
event's lifecycle from its times, an instance's health, the boot log's symbols."""

from __future__ import annotations

import pytest

from ecsemu.domain.instance_events import (
    CYCLE_CODES,
    EVENT_TYPES,
    Cycle,
    Happening,
    beijing_time,
    cycle,
    event_type,
    health,
    remove_symbols,
    start_or_reboot,
    utc_time,
)


@pytest.mark.parametrize("happening, charge_type, expected", [
    (Happening.REBOOT, "PostPaid", "SystemMaintenance.Reboot"),
    (Happening.STOP, "PostPaid", "AccountUnbalanced.Stop"),
    (Happening.STOP, "PrePaid", "InstanceExpiration.Stop"),
    (Happening.REINIT, "PostPaid", "SystemMaintenance.Redeploy"),
    (Happening.RESET, "PrePaid", "SystemMaintenance.Redeploy"),
    (Happening.REPLACE, "PostPaid", "SystemMaintenance.Redeploy"),
    (Happening.START, "PostPaid", None),
    (Happening.LAUNCH, "PrePaid", None),
])
def test_each_operation_is_the_event_type_that_fits(happening, charge_type, expected):
    assert event_type(happening, charge_type) == expected
    assert expected is None or expected in EVENT_TYPES


def test_a_start_from_running_is_a_reboot():
    assert (start_or_reboot("Running"), start_or_reboot("Stopped")) == (Happening.REBOOT, Happening.START)


def test_the_published_codes():
    assert (EVENT_TYPES["SystemMaintenance.Reboot"], EVENT_TYPES["InstanceExpiration.Stop"],
            EVENT_TYPES["SystemFailure.Reboot"]) == (1, 34, 65)
    assert (CYCLE_CODES["Executed"], CYCLE_CODES["Avoided"], CYCLE_CODES["Scheduled"]) == (0, 8, 24)
    assert len(set(EVENT_TYPES.values())) == len(EVENT_TYPES)


@pytest.mark.parametrize("now, expected", [(9.0, Cycle.SCHEDULED), (10.0, Cycle.EXECUTING),
                                           (11.9, Cycle.EXECUTING), (12.0, Cycle.EXECUTED)])
def test_a_lifecycle_follows_the_clock(now, expected):
    assert cycle(10.0, 12.0, now) is expected


@pytest.mark.parametrize("status, pending, expected", [
    ("Running", [], ("Ok", 0)),
    ("Running", [Cycle.SCHEDULED], ("Warning", 64)),
    ("Starting", [Cycle.SCHEDULED, Cycle.EXECUTING], ("Maintaining", 65)),
    ("Pending", [], ("Initializing", 128)),
    ("Starting", [], ("Initializing", 128)),
    ("Stopping", [], ("NotApplicable", 130)),
    ("Stopped", [], ("NotApplicable", 130)),
])
def test_health(status, pending, expected):
    assert tuple(health(status, pending)) == expected


def test_removing_symbols_keeps_the_text_and_its_lines():
    assert remove_symbols("[t] \x1b[0;32m  OK  \x1b[0m] Reached.\r\nnext\tline\x07\n") == \
        "[t]   OK  ] Reached.\nnext\tline\n"


def test_times():
    assert utc_time("2024-01-02T03:04:05Z") == utc_time("2024-01-02T03:04Z") + 5
    assert utc_time("2024-01-02") is None and utc_time("2024-01-02T03:04:05+08:00") is None
    assert beijing_time(utc_time("2024-01-02T20:00:00Z")) == "2024-01-03 04:00:00"
