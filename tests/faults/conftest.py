"""Fixtures of the fault rule tests: one emulator in instant mode for the module, its fault
rules cleared after each test, and the access lines it wrote during a test."""

from __future__ import annotations

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
