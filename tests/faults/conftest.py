"""Fixtures of the fault rule tests: one emulator in instant mode for the module, its fault
rules cleared after each test, and the access lines it wrote during a test."""

from __future__ import annotations

import json
import logging
import time

import pytest

from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from ecsemu.testing.faults import FaultRules
from tests.conftest import OTHER_KEY
from tests.ecsclient import Ecs


@pytest.fixture(scope="module")
def ecs():
    with EmulatorServer(Config(in_memory=True, transitions="instant", access_keys=(OTHER_KEY,))) as server:
        yield Ecs(server)


@pytest.fixture
def faults(ecs):
    rules = FaultRules(ecs.server.url)
    yield rules
    rules.clear()


class AccessLines(logging.Handler):
    """The JSON access lines written while it is installed."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(record.getMessage()))

    def of(self, action: str, count: int) -> list[dict]:
        """The lines of ``action``, once there are ``count`` (a line is written just after
        its answer is sent), and no more."""
        deadline = time.monotonic() + 5
        while len(found := [line for line in self.lines if line["Action"] == action]) < count \
                and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)  # a line too many would be written by now
        found = [line for line in self.lines if line["Action"] == action]
        assert len(found) == count, found
        return found


@pytest.fixture
def access():
    logger = logging.getLogger("ecsemu.access")
    handler, level = AccessLines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)
