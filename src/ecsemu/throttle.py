"""The rate limits in force in this process and the calls each has let through.

The gateway asks ``admit`` after authentication (the account is known) and before the
parameters and the handler: a refused call changes nothing and does no database work.
With no limit set, ``admit`` is one test of an empty tuple (with ``--workers``, and a
clock reading: the limits set at run time are looked for every LOOK_EVERY seconds).
Counts are this process's own (docs/decisions.md, Throttling): with ``--workers N`` each
process lets RATE through.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .config import Config
from .domain.throttling import Limit, parse_document
from .errors import ErrorCode
from .shared_limits import FILE_NAME, LOOK_EVERY, LimitsFile

# Buckets kept at most: one per (limit, account, action) seen. Loose auth makes an account
# of every unknown key, so a client could make them without end; past this, the full
# buckets (idle long enough to have refilled) are dropped, which changes no answer.
MAX_BUCKETS = 100_000

_BucketKey = tuple[int, str, str | None]   # limit's index, account, action (None: the account's one bucket)


class Throttle:
    """``shared``: the file through which the processes of one server (``--workers``) pass
    on the limits set at run time (shared_limits.py); None: this process alone."""

    def __init__(self, limits: Iterable[Limit] = (), now: Callable[[], float] = time.monotonic,
                 shared: LimitsFile | None = None) -> None:
        self._now = now
        self._lock = threading.Lock()
        self._limits: tuple[Limit, ...] = ()
        self._matching: dict[str, tuple[tuple[int, Limit], ...]] = {}   # action -> the limits naming it
        self._buckets: dict[_BucketKey, list[float]] = {}               # -> [tokens, when last counted]
        self.shared = shared
        self._next_look = 0.0
        self.replace(limits)

    @classmethod
    def for_server(cls, config: Config, *, start_up: bool) -> Throttle:
        """The flags' limits; with ``--workers``, passed on in the data dir's file, which the
        start-up (``start_up``, before any worker) clears of an earlier run's."""
        shared = LimitsFile(config.data_dir / FILE_NAME) if config.workers > 1 else None
        if shared is not None and start_up:
            shared.clear()
        return cls(config.throttle, shared=shared)

    @property
    def limits(self) -> tuple[Limit, ...]:
        """The limits in force (with ``--workers``, those last published)."""
        if self.shared is not None:
            self._follow()
        return self._limits

    def replace(self, limits: Iterable[Limit]) -> None:
        """These limits from now on in this process, every bucket full."""
        with self._lock:
            self._limits = tuple(limits)
            self._matching = {}
            self._buckets = {}

    def publish(self, limits: tuple[Limit, ...]) -> None:
        """These limits from now on in every process of the server: here at once, in the
        others within LOOK_EVERY seconds."""
        with self._lock:  # one publisher at a time, so that the file and this process agree
            if self.shared is not None:
                self.shared.publish(limits)
            self._limits, self._matching, self._buckets = limits, {}, {}

    def _follow(self) -> None:
        """Takes the limits another process published, looking at most every LOOK_EVERY s."""
        now = self._now()
        if now < self._next_look:
            return
        with self._lock:
            if now < self._next_look:  # another thread looked meanwhile
                return
            self._next_look = now + LOOK_EVERY
            assert self.shared is not None
            published = self.shared.changed()
            if published is not None:
                self._limits, self._matching, self._buckets = published, {}, {}

    def admit(self, account_id: str, action: str) -> ErrorCode | None:
        """None: the call may go on, and has taken a token of every limit it falls under;
        else the error of the first limit with none left (and it took no token)."""
        if self.shared is not None:
            self._follow()
        if not self._limits:
            return None
        with self._lock:
            matching = self._matching.get(action)
            if matching is None:
                matching = self._matching[action] = tuple(
                    (index, limit) for index, limit in enumerate(self._limits) if limit.counts(action))
            now = self._now()
            taken = []
            for index, limit in matching:
                if limit.account is not None and limit.account != account_id:
                    continue
                bucket = self._bucket((index, account_id, None if limit.action is None else action), limit, now)
                bucket[0] = min(float(limit.burst), bucket[0] + (now - bucket[1]) * limit.rate)
                bucket[1] = now
                if bucket[0] < 1:
                    return limit.error
                taken.append(bucket)
            for bucket in taken:
                bucket[0] -= 1
        return None

    def _bucket(self, key: _BucketKey, limit: Limit, now: float) -> list[float]:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._drop_full(now)
            bucket = self._buckets[key] = [float(limit.burst), now]
        return bucket

    def _drop_full(self, now: float) -> None:
        limits = self._limits
        self._buckets = {key: bucket for key, bucket in self._buckets.items()
                         if bucket[0] + (now - bucket[1]) * limits[key[0]].rate < limits[key[0]].burst}
        if len(self._buckets) >= MAX_BUCKETS:  # all busy: start them afresh rather than grow
            self._buckets = {}


def limits_from_file(path: Path) -> tuple[Limit, ...]:
    """The limits of a ``--throttle-config`` file: TOML if its name ends in ``.toml``, else
    JSON (domain/throttling.py); ValueError says what is wrong."""
    import tomllib  # here: only a --throttle-config file needs it

    where = f"--throttle-config {str(path)[:200]}"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{where}: cannot read it ({exc.strerror or exc})") from None
    try:
        document = tomllib.loads(raw.decode()) if path.suffix.lower() == ".toml" else json.loads(raw)
    except (ValueError, RecursionError) as exc:  # also UnicodeDecodeError, TOMLDecodeError
        raise ValueError(f"{where}: not valid {'TOML' if path.suffix.lower() == '.toml' else 'JSON'} "
                         f"({str(exc)[:200]})") from None
    return parse_document(document, where)
