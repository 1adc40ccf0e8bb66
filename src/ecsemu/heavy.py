"""CPU-heavy steps of a call (password hashing, key generation) run in a few threads of
lower scheduling priority: while the CPU is busy with them, the kernel still runs the cheap
calls first, so a read keeps its idle latency (bench/contention.py). Both release the GIL
(hashlib.scrypt, cryptography's RSA), so the priority is all that decides. The storage
tools run at the same lower priority (storage/base.py).

On Linux a thread has a niceness of its own; elsewhere these threads keep the process's.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

NICENESS = 10  # added to the server's: about a tenth of its share of a busy CPU

T = TypeVar("T")


class HeavyWork:
    def __init__(self, threads: int) -> None:
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="ecsemu-heavy", initializer=lower_priority)

    def run(self, step: Callable[..., T], *args) -> T:
        """``step(*args)`` in a low-priority thread; the caller waits (its thread idle)."""
        return self._pool.submit(step, *args).result()

    def close(self) -> None:
        self._pool.shutdown(wait=False)


def lower_priority() -> None:
    """This thread (or, in a child before exec, this process) at NICENESS more."""
    with contextlib.suppress(OSError, AttributeError):  # no per-thread priority here: as it is
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + NICENESS)
