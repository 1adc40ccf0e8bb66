"""Fault rules shared by processes: two ``ecsemu serve`` processes on one PostgreSQL
database, and ``--workers 2`` on one SQLite file. A rule added through one applies at
once in the other, and "the next N calls" stays exact whichever answers them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ecsemu.testing.faults import FaultRules
from tests.ecsclient import Ecs
from tests.processes import serve


def strike_concurrently(clients: list[Ecs], calls: int) -> int:
    """How many of ``calls`` DescribeRegions, spread over the clients, failed."""
    def call(n: int) -> bool:
        try:
            Ecs(clients[n % len(clients)].server)("DescribeRegions")
            return False
        except Exception:
            return True
    with ThreadPoolExecutor(8) as pool:
        return sum(pool.map(call, range(calls)))


def test_a_rule_added_in_one_process_applies_in_the_other_exactly_n_times(two_servers):
    first, second = two_servers
    rules = FaultRules(first.server.url)
    rule = rules.add(Action="DescribeRegions", Error="ServiceUnavailable", Count=1)
    assert second.error("DescribeRegions") == ("ServiceUnavailable", 503)
    assert second("DescribeRegions") and first("DescribeRegions")
    rule = rules.add(Action="DescribeRegions", Error="ServiceUnavailable", Count=6)
    assert strike_concurrently([first, second], 40) == 6
    listed = FaultRules(second.server.url).get(rule["RuleId"])
    assert (listed["Matches"], listed["Injected"], listed["Remaining"]) == (6, 6, 0)
    rules.clear()
    assert FaultRules(second.server.url).list() == []


def test_workers_on_one_sqlite_file_share_the_rules(tmp_path):
    with serve(tmp_path, "--data-dir", str(tmp_path / "data"), "--workers", "2", "--transitions", "instant",
               "--log-level", "warning") as server:
        ecs = Ecs(server)
        rules = FaultRules(server.url)
        rule = rules.add(Action="DescribeRegions", Error="ServiceUnavailable", Count=5)
        assert strike_concurrently([ecs], 30) == 5
        assert rules.get(rule["RuleId"])["Injected"] == 5
        rules.clear()
        assert strike_concurrently([ecs], 10) == 0
