"""docs/grafana/ecsemu-dashboard.json asks only for metrics the endpoint exports, and shows
each kind of them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.scrape import scrape

DASHBOARD = Path(__file__).resolve().parent.parent / "docs" / "grafana" / "ecsemu-dashboard.json"
_SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def exported(url: str) -> set[str]:
    """The sample names the endpoint exports: each family's, from its type, whether or not
    it has a sample yet."""
    return {family.name + suffix for family in scrape(url).families.values() for suffix in _SUFFIXES[family.type]}


def test_every_metric_the_dashboard_uses_is_exported(server):
    dashboard = json.loads(DASHBOARD.read_text())
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    expressions += [variable["query"] for variable in dashboard["templating"]["list"]]
    used = {name for expression in expressions for name in re.findall(r"\becsemu_[a-z_]+", expression)}
    names = exported(server.url)
    assert used and used <= names, used - names
    # requests/s by action, errors by code, latency p50/p99, resources, transitions, faults
    for name in ("ecsemu_requests_total", "ecsemu_request_duration_seconds_bucket", "ecsemu_resources",
                 "ecsemu_transitions_applied_total", "ecsemu_faults_injected_total"):
        assert name in used
    titles = " ".join(panel["title"] for panel in dashboard["panels"])
    for word in ("Requests", "Errors", "p50", "p99", "Resources", "Transitions", "Faults"):
        assert word in titles
