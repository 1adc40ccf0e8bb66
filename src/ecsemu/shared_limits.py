"""The rate limits set at run time, passed to every process of one server (``--workers``)
through a file in the data dir: ``PUT /_ecsemu/throttle`` writes it whole (a new file
renamed over the old), and each process looks at it at most every ``LOOK_EVERY`` seconds,
while it answers calls. A look is one ``stat``; the file is read only when it changed.

The file is the server's, not the state's: the start-up clean-up removes it, so that a
restart begins with the limits of its flags, as a single process does.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from .domain.throttling import Limit, as_document, parse_document

LOOK_EVERY = 0.2  # seconds between looks: a change reaches every process within this
FILE_NAME = "throttle.json"

log = logging.getLogger("ecsemu.throttle")

_Signature = tuple[int, int, int]  # inode, size, modification time: which version of the file


class LimitsFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: _Signature | None = None

    def clear(self) -> None:
        """Forgets what an earlier run set (at start, before the workers)."""
        self.path.unlink(missing_ok=True)

    def publish(self, limits: tuple[Limit, ...]) -> None:
        temporary = self.path.with_name(f".{FILE_NAME}.{os.getpid()}")
        temporary.write_text(json.dumps(as_document(limits)))
        os.replace(temporary, self.path)
        self._seen = self._signature()

    def changed(self) -> tuple[Limit, ...] | None:
        """The limits another process published since the last look, else None."""
        signature = self._signature()
        if signature is None or signature == self._seen:
            return None
        self._seen = signature
        try:
            return parse_document(json.loads(self.path.read_bytes()), str(self.path))
        except OSError as exc:  # gone or replaced again while read: the next look reads that
            self._seen = None
            log.info("rate limits not read from %s: %s", self.path, exc)
        except ValueError as exc:  # not as publish writes it: said once, the limits kept
            log.warning("rate limits not read from %s: %s", self.path, exc)
        return None

    def _signature(self) -> _Signature | None:
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return None
        return found.st_ino, found.st_size, found.st_mtime_ns
