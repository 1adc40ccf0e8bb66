"""The emulator: one object holding everything a running ECS needs, built from a Config.

No module-level state: a test can build several emulators in one process.
"""

from __future__ import annotations

from .accounts import KeyRing
from .actions import all_actions
from .clock import Clock, SystemClock
from .config import Config
from .wire.auth import Authenticator
from .wire.nonces import NonceCache


class Emulator:
    def __init__(self, config: Config, clock: Clock | None = None) -> None:
        self.config = config
        self.clock = clock or SystemClock()
        self.actions = all_actions()
        self.keys = KeyRing(list(config.access_keys))
        self.authenticator = Authenticator(
            self.keys, NonceCache(self.clock, window=config.max_clock_skew), self.clock,
            strict=config.strict_auth, max_skew=config.max_clock_skew)
