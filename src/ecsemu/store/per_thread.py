"""A connection per thread, kept between uses (opening one, or checking one out of a pool,
costs more than a short read), and closed at the end without being pulled from under a
thread still using it: closing a SQLite connection another thread is in crashes the
process."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Generic, TypeVar

C = TypeVar("C")
CLOSE_WAIT = 10.0  # seconds close() waits for a thread to finish with its connection


@dataclass
class _Held(Generic[C]):
    conn: C
    lock: threading.RLock = field(default_factory=threading.RLock)  # held while in use
    closed: bool = False


class PerThread(Generic[C]):
    def __init__(self, open_: Callable[[], C], close: Callable[[C], None],
                 usable: Callable[[C], bool] = lambda conn: True) -> None:
        self._open, self._close, self._usable = open_, close, usable
        self._local = threading.local()
        self._all: list[_Held[C]] = []
        self._guard = threading.Lock()
        self._closed = False

    @contextmanager
    def use(self) -> Iterator[C]:
        """This thread's connection, opened at its first use (or when no longer usable),
        held for the block; a use inside another on the same thread gets it again."""
        held: _Held[C] | None = getattr(self._local, "held", None)
        if held is None or held.closed or not self._usable(held.conn):
            held = self._local.held = self._new()
        with held.lock:
            if held.closed:
                raise RuntimeError("the connections were closed")
            yield held.conn

    def _new(self) -> _Held[C]:
        with self._guard:
            if self._closed:
                raise RuntimeError("the connections were closed")
            held = _Held(self._open())
            self._all.append(held)
            return held

    def close(self) -> None:
        """Closes every thread's connection once that thread is done with it (a thread
        still in one after CLOSE_WAIT seconds keeps it, to be closed when collected)."""
        with self._guard:
            self._closed = True
            every = list(self._all)
        for held in every:
            if held.lock.acquire(timeout=CLOSE_WAIT):
                try:
                    if not held.closed:
                        held.closed = True
                        self._close(held.conn)
                finally:
                    held.lock.release()
