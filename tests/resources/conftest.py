"""Resource suites run on each store: a SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import pytest

from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from tests.conftest import OTHER_KEY
from tests.ecsclient import Ecs
from tests.vpcclient import Vpc


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request, tmp_path_factory):
    """Config fields that pick the store; a new database for each module."""
    if request.param == "sqlite":
        return lambda: {"data_dir": tmp_path_factory.mktemp("data")}
    cluster = request.getfixturevalue("postgres")
    return lambda: {"database_url": cluster.new_database()}


@pytest.fixture(scope="module")
def ecs(store):
    """An emulator in instant mode, and the old SDK on it."""
    with EmulatorServer(Config(transitions="instant", access_keys=(OTHER_KEY,), **store())) as server:
        yield Ecs(server)


@pytest.fixture(scope="module")
def other(ecs):
    """The same emulator, as a second account."""
    return Ecs(ecs.server, key=OTHER_KEY)


@pytest.fixture(scope="module")
def manual(store):
    """An emulator whose clock moves only when a test says so."""
    with EmulatorServer(Config(transitions="manual", **store())) as server:
        yield Ecs(server)


@pytest.fixture(scope="module")
def vpc(ecs):
    """The VPC product's client on the same emulator."""
    return Vpc(ecs)


@pytest.fixture(scope="module")
def other_vpc(other):
    """The VPC product, as the second account."""
    return Vpc(other)
