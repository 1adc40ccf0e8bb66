"""Fixtures of the control plane tests."""

from __future__ import annotations

import pytest

from ecsemu.config import Config
from ecsemu.testing import EmulatorServer

TOKEN = "s3cret-token"


@pytest.fixture(scope="session")
def token_server():
    """An emulator with --control-token."""
    with EmulatorServer(Config(in_memory=True, transitions="instant", control_token=TOKEN)) as running:
        yield running


@pytest.fixture(scope="session")
def manual_server():
    """An emulator whose clock moves only when told (instant transitions otherwise do not
    apply): for the clock and snapshot dating tests."""
    with EmulatorServer(Config(in_memory=True, transitions="manual")) as running:
        yield running
