"""The metric families of one scrape, built when scraped: the counts of every process
(counts.py, shared.py) and what the store holds now (resources by status, nonces, …)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric

from ..store.inventory import by_kind_and_status
from .counts import LATENCY_BUCKETS, SUCCESS, Counts

if TYPE_CHECKING:
    from ..emulator import Emulator

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_BOUNDS = [*(repr(bound) for bound in LATENCY_BUCKETS), "+Inf"]


class _Collector:
    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator

    def collect(self) -> Iterator[Metric]:
        emulator = self._emulator
        yield from families(emulator.metrics.all_processes())
        resources = GaugeMetricFamily("ecsemu_resources", "Resources by kind and status, in every account and region.",
                                      labels=["kind", "status"])
        with emulator.db.transaction(read_only=True) as conn:
            for kind, status, n in by_kind_and_status(conn):
                resources.add_metric([kind, status], n)
        yield resources
        for stored in emulator.metrics.stored:
            yield GaugeMetricFamily(stored.name, stored.documentation, value=stored.count())


def families(counts: Counts) -> Iterator[Metric]:
    """The counters and histograms of ``counts``."""
    requests = CounterMetricFamily("ecsemu_requests", "RPC calls answered, by product, action, code and HTTP status.",
                                   labels=["product", "action", "code", "status"])
    for (product, action, code, status), n in sorted(counts.requests.items()):
        requests.add_metric([product, action, code, str(status)], n)
    yield requests
    latency = HistogramMetricFamily("ecsemu_request_duration_seconds",
                                    "Time from a call's arrival to its answer sent, by product and action.",
                                    labels=["product", "action"])
    for (product, action), values in sorted(counts.latency.items()):
        cumulative, buckets = 0.0, []
        for bound, in_bucket in zip(_BOUNDS, values[:-1], strict=True):
            cumulative += in_bucket
            buckets.append((bound, cumulative))
        latency.add_metric([product, action], buckets, values[-1])
    yield latency
    transitions = CounterMetricFamily("ecsemu_transitions_applied", "Timed status changes made, by resource kind "
                                      "and the status reached.", labels=["kind", "status"])
    for (kind, reached), n in sorted(counts.transitions.items()):
        transitions.add_metric([kind, reached], n)
    yield transitions
    faults = CounterMetricFamily("ecsemu_faults_injected", "Calls a fault rule changed, by action and effect.",
                                 labels=["action", "effect"])
    for (action, effect), n in sorted(counts.faults.items()):
        faults.add_metric([action, effect], n)
    yield faults


def exposition(emulator: Emulator) -> bytes:
    """The Prometheus text of one scrape (database work: call it off the event loop)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(emulator))
    return generate_latest(registry)


def totals(emulator: Emulator) -> dict:
    """Calls answered and of them errors, in every process: the console's chart."""
    counts = emulator.metrics.all_processes()
    errors = sum(n for (_, _, code, _), n in counts.requests.items() if code != SUCCESS)
    return {"Requests": sum(counts.requests.values()), "Errors": errors}
