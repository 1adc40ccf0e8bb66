"""The rbd backend's trash is emptied once resets go quiet, a burst in one go, and never
later than the ceiling after the first reset waiting (storage/rbd.py, TrashPurge)."""

from __future__ import annotations

import threading
import time

from ecsemu.storage.rbd import TrashPurge


class Purges:
    def __init__(self) -> None:
        self.times: list[float] = []
        self.done = threading.Event()

    def __call__(self) -> None:
        self.times.append(time.monotonic())
        self.done.set()


def test_a_burst_of_resets_is_purged_once_after_it_goes_quiet() -> None:
    purges = Purges()
    purge = TrashPurge(purges, quiet=0.2, ceiling=10.0)
    started = time.monotonic()
    for _ in range(5):  # 0.4 s of resets, each sooner than the quiet time after the last
        last = time.monotonic()
        purge.soon()
        time.sleep(0.08)
    assert purges.times == []  # nothing while they keep coming
    assert purges.done.wait(5)
    time.sleep(0.3)
    assert len(purges.times) == 1
    assert purges.times[0] >= last + 0.2 and purges.times[0] > started + 0.4


def test_a_steady_stream_is_purged_at_the_ceiling() -> None:
    purges = Purges()
    purge = TrashPurge(purges, quiet=0.2, ceiling=0.5)
    started = time.monotonic()
    while time.monotonic() < started + 1.2:  # never quiet for 0.2 s
        purge.soon()
        time.sleep(0.05)
    assert purges.done.wait(5)
    assert started + 0.5 <= purges.times[0] < started + 0.9
    assert len(purges.times) >= 2  # the stream went on past the first purge: another came


def test_a_reset_after_a_purge_asks_for_one_of_its_own() -> None:
    purges = Purges()
    purge = TrashPurge(purges, quiet=0.05, ceiling=10.0)
    purge.soon()
    assert purges.done.wait(5)
    purges.done.clear()
    purge.soon()
    assert purges.done.wait(5)
    assert len(purges.times) == 2
