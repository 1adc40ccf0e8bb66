"""Child processes that do not outlive the server: on Linux, PR_SET_PDEATHSIG asks the
kernel to signal a child when its parent dies, kill -9 included. Used for the storage
tools (qemu-img, qemu-io) and for the workers of ``ecsemu serve --workers``.

Linux delivers the signal when the *thread* that forked exits, not the process. The
storage tools are run synchronously (``subprocess.run``) by the thread that waits for
them, and the workers are forked by the server's main thread, which waits for them: in
both cases that thread outlives the child.
"""

from __future__ import annotations

import ctypes
import os
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _load_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


_PRCTL = _load_prctl()  # looked up once, at import: a child between fork and exec only calls it
CAN_DIE_WITH_PARENT = _PRCTL is not None


def die_with_parent(parent_pid: int, signum: int) -> None:
    """In a child: ``signum`` when the parent ``parent_pid`` dies. If it died before this
    call, the child is already orphaned and gets the signal at once. Kept to one foreign
    call and two system calls, so that it may run as a ``preexec_fn`` in a threaded server
    (no imports, no locks); it survives the exec of a tool that is not set-user-ID."""
    if _PRCTL is None:
        return
    _PRCTL(PR_SET_PDEATHSIG, signum, 0, 0, 0)
    if os.getppid() != parent_pid:
        os.kill(os.getpid(), signum)
