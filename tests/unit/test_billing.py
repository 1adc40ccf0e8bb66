"""When a subscription ends (domain/billing.py), as a table: no server."""

import calendar

import pytest

from ecsemu import errors
from ecsemu.domain import billing


def at(text: str) -> float:
    return calendar.timegm(tuple(int(part) for part in text.replace("T", "-").replace(":", "-").split("-"))
                           + (0, 0, 0))


@pytest.mark.parametrize("start, period, unit, end", [
    ("2026-01-10T03:00:00", 1, "Month", "2026-02-10T16:00:00"),   # that day, then midnight China time
    ("2026-01-10T17:00:00", 1, "Month", "2026-02-11T16:00:00"),   # past 16:00Z: the next midnight
    ("2026-01-31T03:00:00", 1, "Month", "2026-02-28T16:00:00"),   # a shorter month: its last day
    ("2026-11-15T03:00:00", 3, "Month", "2027-02-15T16:00:00"),   # across a year
    ("2026-01-10T16:00:00", 2, "Week", "2026-01-24T16:00:00"),    # at midnight already
    ("2024-02-29T03:00:00", 1, "Year", "2025-02-28T16:00:00"),
])
def test_term_end(start, period, unit, end):
    assert billing.term_end(at(start), period, unit) == at(end)


@pytest.mark.parametrize("period, unit, expected", [
    (10, "Month", errors.INVALID_PERIOD), (0, "Week", errors.INVALID_PERIOD),
    (5, "Week", errors.PERIOD_UNIT_MISMATCH), (6, "Year", errors.PERIOD_UNIT_MISMATCH),
])
def test_periods_a_unit_does_not_offer(period, unit, expected):
    with pytest.raises(errors.EcsError) as raised:
        billing.subscription_end(0.0, period, unit)
    assert raised.value.error is expected


def test_no_period_is_one_unit():
    assert billing.subscription_end(at("2026-01-10T03:00:00"), None, "Month") == at("2026-02-10T16:00:00")
