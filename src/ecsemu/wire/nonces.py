"""Replay protection: a signature nonce may be used once within the timestamp window."""

from __future__ import annotations

import threading
from collections import OrderedDict

from ..clock import Clock


class NonceCache:
    """Remembers each nonce for ``window`` seconds; one cache per emulator process.

    Entries are kept in the order they were claimed, which is also their expiry order, so
    dropping the expired ones costs only the entries dropped. ``capacity`` bounds memory
    under sustained load (the oldest go first).
    """

    def __init__(self, clock: Clock, window: float, capacity: int = 2_000_000) -> None:
        self._clock = clock
        self._window = window
        self._capacity = capacity
        self._expiry: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, account_id: str, nonce: str) -> bool:
        """True when the nonce is fresh for this account (and now taken), False on reuse."""
        now = self._clock.now()
        key = (account_id, nonce)
        with self._lock:
            expiry = self._expiry
            while expiry:
                oldest_key, oldest_expiry = next(iter(expiry.items()))
                if oldest_expiry > now and len(expiry) < self._capacity:
                    break
                del expiry[oldest_key]
            if key in expiry:
                return False
            expiry[key] = now + self._window
            return True
