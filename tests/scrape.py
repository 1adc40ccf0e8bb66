"""``GET /_ecsemu/metrics`` read as Prometheus does (prometheus_client's own parser), and
sums over its samples."""

from __future__ import annotations

import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from ecsemu.metrics.exposition import CONTENT_TYPE


class Scrape:
    def __init__(self, text: str) -> None:
        self.families = {family.name: family for family in text_string_to_metric_families(text)}
        self.samples = [sample for family in self.families.values() for sample in family.samples]

    def total(self, name: str, **labels: str) -> float:
        """The sum of ``name``'s samples whose labels include ``labels``."""
        return sum(sample.value for sample in self.samples
                   if sample.name == name and labels.items() <= sample.labels.items())

    def by(self, name: str, label: str, **labels: str) -> dict[str, float]:
        """``name``'s samples matching ``labels``, summed by the value of ``label``."""
        found: dict[str, float] = {}
        for sample in self.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                key = sample.labels[label]
                found[key] = found.get(key, 0) + sample.value
        return found


def scrape(url: str) -> Scrape:
    """``url``: the server's base URL."""
    with urllib.request.urlopen(f"{url}/_ecsemu/metrics", timeout=10) as response:
        assert response.status == 200 and response.headers["Content-Type"] == CONTENT_TYPE
        return Scrape(response.read().decode())
