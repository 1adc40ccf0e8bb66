"""The token buckets of throttle.py on a clock the test moves: refill, burst, several
limits on one call, and the bound on how many buckets are kept."""

from __future__ import annotations

from ecsemu import errors, throttle
from ecsemu.domain.throttling import parse_flag, parse_limit
from ecsemu.throttle import Throttle

ACCOUNT = "1234567890123456"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_refills_at_its_rate_up_to_its_burst():
    clock = Clock()
    limits = Throttle([parse_flag("DescribeDisks=2:3")], now=clock)
    assert [limits.admit(ACCOUNT, "DescribeDisks") for _ in range(4)] == [None, None, None, errors.THROTTLING]
    clock.now += 0.5   # one token
    assert [limits.admit(ACCOUNT, "DescribeDisks") for _ in range(2)] == [None, errors.THROTTLING]
    clock.now += 60    # full again, never more than the burst
    assert [limits.admit(ACCOUNT, "DescribeDisks") for _ in range(4)] == [None, None, None, errors.THROTTLING]


def test_a_call_takes_a_token_of_every_limit_or_of_none():
    clock = Clock()
    limits = Throttle([parse_flag("Describe*=0.001:3"), parse_flag("DescribeDisks=0.001:1")], now=clock)
    assert limits.admit(ACCOUNT, "DescribeDisks") is None
    assert limits.admit(ACCOUNT, "DescribeDisks") == errors.THROTTLING   # the second limit has none left
    # The refused call took nothing from Describe*'s bucket of DescribeDisks: two are left.
    limits.replace([parse_flag("Describe*=0.001:3")])
    assert [limits.admit(ACCOUNT, "DescribeDisks") for _ in range(4)] == [None, None, None, errors.THROTTLING]


def test_the_first_exhausted_limit_gives_the_code():
    limits = Throttle([parse_limit({"Rate": 0.001, "Burst": 1}), parse_flag("DescribeDisks=0.001:5")],
                      now=Clock())
    assert limits.admit(ACCOUNT, "DescribeDisks") is None
    assert limits.admit(ACCOUNT, "DescribeRegions") == errors.THROTTLING_USER


def test_buckets_are_bounded_by_dropping_the_idle_ones(monkeypatch):
    monkeypatch.setattr(throttle, "MAX_BUCKETS", 10)
    clock = Clock()
    limits = Throttle([parse_flag("DescribeDisks=0.001:2")], now=clock)
    assert [limits.admit("1", "DescribeDisks") for _ in range(2)] == [None, None]   # busy: none left
    for account in range(2, 11):
        assert limits.admit(str(account), "DescribeDisks") is None                   # one left each
    clock.now += 1500   # 1.5 tokens more: accounts 2-10 are full again (idle), account 1 is not
    assert limits.admit("11", "DescribeDisks") is None   # the 11th bucket: the idle ones go
    assert len(limits._buckets) == 2
    # Account 1 kept its count (1.5 tokens), as a fresh bucket (2) would not have.
    assert [limits.admit("1", "DescribeDisks") for _ in range(2)] == [None, errors.THROTTLING]
