"""A hold: the call runs, and the moves it schedules wait longer. In manual mode a wait
loop sees StopInstance's Stopping last the hold's 30 seconds more on the emulator's clock."""

from __future__ import annotations

import pytest

from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from ecsemu.testing.faults import FaultRules
from ecsemu.timing import Delays
from tests.ecsclient import Ecs, advance


@pytest.fixture(scope="module")
def manual():
    with EmulatorServer(Config(in_memory=True, transitions="manual")) as server:
        yield Ecs(server)


def status(ecs: Ecs, instance_id: str) -> str:
    return ecs.instance(instance_id)["Status"]


def test_a_hold_keeps_stopping_30_seconds_more_for_a_wait_loop(manual):
    instance_id = manual.run_instance()
    advance(manual, 600)
    assert status(manual, instance_id) == "Running"
    faults = FaultRules(manual.server.url)
    rule = faults.add(Action="StopInstance", ResourceId=instance_id, HoldSeconds=30, Count=1)
    try:
        manual("StopInstance", InstanceId=instance_id)
        stopped_after = Delays().instance_stopping + 30
        waited, seen = 0.0, []
        while (current := status(manual, instance_id)) != "Stopped":  # the client's wait loop
            seen.append((waited, current))
            assert waited < 120, seen
            advance(manual, 1)
            waited += 1
        assert seen == [(float(second), "Stopping") for second in range(int(stopped_after))]
        assert faults.get(rule["RuleId"])["Injected"] == 1
        # Used up: the next stop takes its usual time.
        manual("StartInstance", InstanceId=instance_id)
        advance(manual, 600)
        manual("StopInstance", InstanceId=instance_id)
        advance(manual, Delays().instance_stopping)
        assert status(manual, instance_id) == "Stopped"
    finally:
        faults.clear()


def test_rules_are_tried_in_the_order_added_while_the_manual_clock_stands_still(manual):
    faults = FaultRules(manual.server.url)
    try:
        added = [faults.add(Action="DescribeRegions", Error=code, Count=1)
                 for code in ("InternalError", "ServiceUnavailable", "InvalidAction.NotFound")]
        assert [rule["RuleId"] for rule in faults.list()] == [rule["RuleId"] for rule in added]
        assert [manual.error("DescribeRegions")[0] for _ in added] == [
            "InternalError", "ServiceUnavailable", "InvalidAction.NotFound"]
    finally:
        faults.clear()
