"""This process's counts: requests, their latency, transitions applied, faults injected.

Counted in plain dicts, not prometheus_client's labelled metrics: a request's count is a
dict update and a bisect (about 0.5 µs), where a labelled ``inc()`` and
``observe()`` cost some 5 µs; the Prometheus families are built from these only when
scraped (exposition.py)."""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

# Upper bounds of the latency buckets, in seconds (+Inf follows): a DescribeRegions takes
# well under a millisecond, a copy of a large snapshot seconds.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SUCCESS = "Success"     # the code label of a call that succeeded
UNKNOWN = "(unknown)"   # the action label of a call naming no action of its product: what a
                        # client sends must not make label values without bound

RequestKey = tuple[str, str, str, int]   # product, action, code, HTTP status
ActionKey = tuple[str, str]              # product, action
K = TypeVar("K")


@dataclass
class Counts:
    """Counters by their labels. ``latency``: per (product, action), the count of each
    bucket (not cumulative; the last is +Inf), then the sum of the seconds."""

    requests: dict[RequestKey, int] = field(default_factory=dict)
    latency: dict[ActionKey, list[float]] = field(default_factory=dict)
    transitions: dict[tuple[str, str], int] = field(default_factory=dict)   # resource, target status
    faults: dict[tuple[str, str], int] = field(default_factory=dict)        # action, effect

    def copy(self) -> Counts:
        # Each copy is one C call, atomic under the GIL, so a copy taken while requests are
        # counted is a consistent dict (a count may be a request ahead of another's).
        return Counts(self.requests.copy(), {key: list(value) for key, value in self.latency.copy().items()},
                      self.transitions.copy(), self.faults.copy())

    def add(self, other: Counts) -> None:
        _add_into(self.requests, other.requests)
        _add_into(self.transitions, other.transitions)
        _add_into(self.faults, other.faults)
        for key, values in other.latency.items():
            kept = self.latency.get(key)
            self.latency[key] = list(values) if kept is None else [a + b for a, b in zip(kept, values, strict=True)]

    def to_json(self) -> dict:
        return {"requests": [[*key, n] for key, n in self.requests.items()],
                "latency": [[*key, values] for key, values in self.latency.items()],
                "transitions": [[*key, n] for key, n in self.transitions.items()],
                "faults": [[*key, n] for key, n in self.faults.items()]}

    @classmethod
    def from_json(cls, data: dict) -> Counts:
        return cls({(p, a, c, int(s)): n for p, a, c, s, n in data["requests"]},
                   {(p, a): list(values) for p, a, values in data["latency"]},
                   {(r, t): n for r, t, n in data["transitions"]},
                   {(a, e): n for a, e, n in data["faults"]})


def _add_into(mine: dict[K, int], theirs: dict[K, int]) -> None:
    for key, n in theirs.items():
        mine[key] = mine.get(key, 0) + n


@dataclass(frozen=True)
class StoredCount:
    """A gauge of rows the store holds, counted when scraped."""
    name: str
    documentation: str
    count: Callable[[], int]


class OtherProcesses(Protocol):
    """The counts of the other processes serving the same data dir (shared.py)."""

    def others(self) -> Counts: ...

    def close(self) -> None: ...


class Metrics:
    """The counts of one process. ``request`` runs on the event loop only (the gateway
    calls it once the answer is sent), so it takes no lock; transitions and faults are
    counted in worker threads, under one."""

    def __init__(self) -> None:
        self.counts = Counts()
        self.stored: list[StoredCount] = []   # gauges of the store: nonces, ClientTokens, …
        self.recorded = 0                      # grows with every count: whether to publish again
        self.share: OtherProcesses | None = None  # serve --workers: the other workers' counts
        self._lock = threading.Lock()

    def request(self, product: str, action: str, code: str | None, status: int, seconds: float) -> None:
        counts = self.counts
        key = (product, action, code or SUCCESS, status)
        counts.requests[key] = counts.requests.get(key, 0) + 1
        histogram = counts.latency.get((product, action))
        if histogram is None:
            histogram = counts.latency[(product, action)] = [0.0] * (len(LATENCY_BUCKETS) + 2)
        histogram[bisect_left(LATENCY_BUCKETS, seconds)] += 1
        histogram[-1] += seconds
        self.recorded += 1

    def transitions_applied(self, resource: str, target: str, n: int = 1) -> None:
        """``n`` moves of ``resource`` (a status machine's name) to ``target`` were made."""
        with self._lock:
            key = (resource, target)
            self.counts.transitions[key] = self.counts.transitions.get(key, 0) + n
            self.recorded += 1

    def fault_injected(self, action: str, effect: str) -> None:
        """A fault rule changed a call of ``action`` (``effect``: error, latency, hold, drop)."""
        with self._lock:
            key = (action, effect)
            self.counts.faults[key] = self.counts.faults.get(key, 0) + 1
            self.recorded += 1

    def count_stored(self, name: str, documentation: str, count: Callable[[], int]) -> None:
        """Exports ``count()`` as the gauge ``name`` at every scrape."""
        self.stored.append(StoredCount(name, documentation, count))

    def snapshot(self) -> Counts:
        with self._lock:
            return self.counts.copy()

    def all_processes(self) -> Counts:
        """This process's counts, plus the other workers' with ``serve --workers``."""
        counts = self.snapshot()
        if self.share is not None:
            counts.add(self.share.others())
        return counts

    def close(self) -> None:
        if self.share is not None:
            self.share.close()
