"""What the emulator counts, for ``GET /_ecsemu/metrics`` (Prometheus text) and the
console's chart: counts.py keeps this process's counts, shared.py hands them between the
processes of ``serve --workers``, exposition.py turns them (and what the store holds)
into metric families at scrape time."""

from .counts import Metrics

__all__ = ["Metrics"]
