"""The counts of ``serve --workers N``'s processes, put together.

A scrape reaches one worker. Each worker writes its counts to a file of its own in the
data dir (``metrics/worker-N.json``, replaced whole by a rename) at most every
``PUBLISH_SECONDS`` while they change, and once more when it stops; the one scraped adds
the others' files to its own live counts. Nothing is added to a request's path: the
counts another worker made show up within ``PUBLISH_SECONDS``."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
from pathlib import Path

import orjson

from .counts import Counts, Metrics

PUBLISH_SECONDS = 1.0
_PREFIX = "worker-"

log = logging.getLogger("ecsemu.metrics")


def start_afresh(directory: Path) -> None:
    """Before the workers start: the counts of a previous run are gone."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True, exist_ok=True)


class WorkerShare:
    """Publishes one worker's counts and reads the others'."""

    def __init__(self, metrics: Metrics, directory: Path, number: int) -> None:
        self._metrics = metrics
        self._directory = directory
        self._file = directory / f"{_PREFIX}{number}.json"
        self._published = -1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ecsemu-metrics", daemon=True)
        self._thread.start()
        metrics.share = self

    def _run(self) -> None:
        while not self._stop.wait(PUBLISH_SECONDS):
            self.publish()

    def publish(self) -> None:
        recorded = self._metrics.recorded
        if recorded == self._published:
            return
        scratch = self._file.with_suffix(".tmp")
        try:
            scratch.write_bytes(orjson.dumps(self._metrics.snapshot().to_json()))
            os.replace(scratch, self._file)
        except OSError as exc:  # a full disk: the next round tries again
            log.warning("cannot publish this worker's metrics to %s: %s", self._file, exc)
            return
        self._published = recorded

    def others(self) -> Counts:
        """The sum of the other workers' last published counts."""
        total = Counts()
        for path in self._directory.glob(f"{_PREFIX}*.json"):
            if path == self._file:
                continue
            with contextlib.suppress(OSError, orjson.JSONDecodeError, KeyError, ValueError, TypeError):
                total.add(Counts.from_json(orjson.loads(path.read_bytes())))
        return total

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.publish()
