"""Subscription terms: the periods ModifyInstanceChargeType accepts and when a term ends."""

from __future__ import annotations

import calendar
import math
import secrets
from datetime import UTC, datetime, timedelta

from .. import errors

# Period values per PeriodUnit (the API reference: Week 1-4; Month 1-9, 12, 24, 36, 48, 60;
# Year 1-5 on the China site).
PERIODS: dict[str, tuple[int, ...]] = {
    "Week": (1, 2, 3, 4),
    "Month": (1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60),
    "Year": (1, 2, 3, 4, 5),
}
# A term ends at midnight, China Standard Time (UTC+8): ExpiredTime reads ...T16:00Z.
_END_HOUR_UTC = 16
# ModifyDiskChargeType: a disk's billing method changes at most once in this many seconds.
DISK_CHARGE_TYPE_COOLING = 300.0
# What DescribeInstances shows as the ExpiredTime of a pay-as-you-go instance.
NO_EXPIRY = "2099-12-31T15:59Z"


def valid_period(period: int, unit: str) -> bool:
    return period in PERIODS.get(unit, ())


def subscription_end(now: float, period: int | None, unit: str) -> float:
    """When a subscription bought now ends (``period`` absent: one ``unit``); a period the
    unit does not offer is refused (InvalidPeriod.UnitMismatch if another unit offers it)."""
    period = 1 if period is None else period
    if not valid_period(period, unit):
        if any(valid_period(period, other) for other in PERIODS):
            raise errors.PERIOD_UNIT_MISMATCH()
        raise errors.INVALID_PERIOD()
    return term_end(now, period, unit)


def term_end(start: float, period: int, unit: str) -> float:
    """When a subscription bought at ``start`` for ``period`` ``unit``s ends: the same
    calendar day that many weeks, months or years later (the month's last day when it is
    shorter), then the next midnight China time."""
    begun = datetime.fromtimestamp(start, UTC)
    if unit == "Week":
        ended = begun + timedelta(weeks=period)
    else:
        months = begun.month - 1 + period * (12 if unit == "Year" else 1)
        year, month = begun.year + months // 12, months % 12 + 1
        ended = begun.replace(year=year, month=month, day=min(begun.day, calendar.monthrange(year, month)[1]))
    midnight = ended.replace(hour=_END_HOUR_UTC, minute=0, second=0, microsecond=0)
    if midnight < ended:
        midnight += timedelta(days=1)
    return math.floor(midnight.timestamp())


def disk_charge_type_changeable(changed_at: float | None, now: float) -> bool:
    """Whether a disk whose billing method last changed at ``changed_at`` may change again."""
    return changed_at is None or now - changed_at >= DISK_CHARGE_TYPE_COOLING


def new_order_id() -> str:
    """An order number as the billing system gives them: 15 digits."""
    return str(10**14 + secrets.randbelow(9 * 10**14))
