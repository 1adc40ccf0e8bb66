"""A slow call does not hold up the others: RPC calls run in worker threads, the event loop
only reads requests and writes answers."""

import dataclasses
import threading

from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from tests.rawhttp import get, v1_params


def test_a_blocked_call_does_not_stall_the_others():
    with EmulatorServer(Config(in_memory=True, transitions="instant")) as server:
        actions = server.emulator.actions
        release, entered = threading.Event(), threading.Event()
        original = actions["DescribeZones"]

        def slow(ctx, args):  # as a call stuck on a slow disk, a key generation, a lock
            entered.set()
            release.wait(30)
            return original.handler(ctx, args)

        actions["DescribeZones"] = dataclasses.replace(original, handler=slow)
        answers: list[int] = []
        stuck = threading.Thread(target=lambda: answers.append(
            get(server.port, v1_params("DescribeZones", RegionId="cn-hangzhou")).status))
        stuck.start()
        try:
            assert entered.wait(10)
            # While it is stuck: other calls, and the control plane, are answered.
            for _ in range(5):
                assert get(server.port, v1_params("DescribeRegions")).status == 200
            assert get(server.port, v1_params("DescribeDisks", RegionId="cn-hangzhou")).status == 200
            assert not answers
        finally:
            release.set()
            stuck.join(30)
        assert answers == [200]
