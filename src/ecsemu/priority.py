"""Who goes first on a busy CPU, so that a read keeps its idle latency whatever else runs
(bench/contention.py):

- reads (Describe*, List*: cheap, and what wait loops poll) at the server's priority;
- changes (every other call) a little lower: a flood of them shares the CPU with reads
  rather than queueing them;
- CPU-heavy steps (password hashing, key generation: ``HeavyWork``) and the storage tools
  (storage/base.py) lower still. scrypt and cryptography's RSA release the GIL, so the
  priority is all that decides.

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

NICENESS = 10          # heavy steps, tools: added to the server's, about a tenth of its share
CHANGES_NICENESS = 8    # changes: about a sixth of a read's share

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
