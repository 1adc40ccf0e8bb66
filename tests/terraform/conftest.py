"""One emulator for the replays, in instant mode (the provider's waits then end on their
first refresh, as terraform-calls.md §6 advises), and a fresh wire per test."""

from __future__ import annotations

import pytest

from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from tests.ecsclient import REGION, Ecs

from .transports import Wire


@pytest.fixture(scope="package")
def emulator():
    with EmulatorServer(Config(in_memory=True, transitions="instant")) as server:
        yield server


@pytest.fixture
def wire(emulator) -> Wire:
    """The provider's connection: ``endpoints { ecs = "127.0.0.1:<port>" }``, ``protocol = "HTTP"``."""
    return Wire("127.0.0.1", emulator.port, REGION)


@pytest.fixture
def ecs(emulator) -> Ecs:
    """The old Python SDK, for what a configuration's other resources would have made."""
    return Ecs(emulator)
