"""Who goes first on a busy CPU, so that a read keeps its idle latency whatever else runs
(bench/contention.py):

- reads (Describe*, List*: cheap, and what wait loops poll) at the server's priority;
- changes (every other call) lower: on a saturated CPU they get what reads leave;
- CPU-heavy steps (password hashing, key generation: ``HeavyWork``) and the storage tools
  (storage/base.py) lower still, from the change that runs them. scrypt and
  cryptography's RSA release the GIL, so the priority is all that decides.

The price, measured: a client reading in a tight loop on one CPU keeps its idle p99
within 2 times, and the changes of 4 other clients (key pairs, resets with passwords,
snapshots) slow from about 9 to about 0.5 a second each; with lower nicenesses the
changes ran faster and the read's p99 was 5 times its idle one.

On Linux a thread has a niceness of its own, and a thread starts with its creator's;
elsewhere these threads keep the process's.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

NICENESS = 10          # heavy steps, tools: added to their caller's (weight 1/9 of it)
CHANGES_NICENESS = 8   # changes: added to the server's (weight 1/7 of a read's)

T = TypeVar("T")


class HeavyWork:
    def __init__(self, threads: int) -> None:
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="ecsemu-heavy", initializer=lower_priority,
                                        initargs=(NICENESS,))

    def run(self, step: Callable[..., T], *args) -> T:
        """``step(*args)`` in a low-priority thread; the caller waits (its thread idle)."""
        return self._pool.submit(step, *args).result()

    def close(self) -> None:
        self._pool.shutdown(wait=False)


def lower_priority(by: int) -> None:
    """This thread (or, in a child before exec, this process) at ``by`` more niceness."""
    with contextlib.suppress(OSError, AttributeError):  # no per-thread priority here: as it is
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + by)
