"""Shared test setup.

In CI (``CI`` set in the environment) a skipped test fails: a missing tool or client must
not let a feature silently drop out of the run.
"""

from __future__ import annotations

import json
import logging
import os
import time

import pytest

from ecsemu.accounts import AccessKey
from ecsemu.config import Config
from ecsemu.testing import EmulatorServer

# A second declared account, to show isolation and declared keys.
OTHER_KEY = AccessKey("otherid", "othersecret", "2222333344445555")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _in_ci():
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run everything: {report.longrepr}"


@pytest.fixture(scope="session")
def server():
    """The shared emulator for tests that only read or that make their own resources."""
    with EmulatorServer(Config(in_memory=True, access_keys=(OTHER_KEY,))) as running:
        yield running


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL cluster for the session, started on first use."""
    from tests.pg import PostgresCluster, find_tool
    if not (find_tool("initdb") and find_tool("pg_ctl")):
        pytest.skip("PostgreSQL's initdb/pg_ctl are needed (Debian: apt-get install postgresql)")
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def ceph():
    """A single-node Ceph cluster for the session (scripts/ceph-dev), started on first use."""
    from tests.ceph import CephCluster, ceph_installed
    if not ceph_installed():
        pytest.skip("Ceph is needed (Debian: apt-get install ceph-mon ceph-osd ceph-common python3-rbd python3-rados)")
    cluster = CephCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def strict_server():
    with EmulatorServer(Config(in_memory=True, strict_auth=True)) as running:
        yield running


@pytest.fixture(scope="module")
def two_servers(postgres, tmp_path_factory):
    """Two `ecsemu serve` processes sharing one PostgreSQL database (a new one a module)."""
    from tests.ecsclient import Ecs
    from tests.processes import serve
    url = postgres.new_database()
    log_dir = tmp_path_factory.mktemp("logs")
    common = ["--database-url", url, "--transitions", "instant", "--log-level", "warning"]
    with serve(log_dir, *common) as first, serve(log_dir, *common) as second:
        yield Ecs(first), Ecs(second)


class AccessLines(logging.Handler):
    """The JSON access lines written (by emulators in this process) while it is installed."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(record.getMessage()))

    def of(self, action: str, count: int) -> list[dict]:
        """The lines of ``action``, once there are ``count`` (a line is written just after
        its answer is sent), and no more."""
        deadline = time.monotonic() + 5
        while len([line for line in self.lines if line["Action"] == action]) < count \
                and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)  # a line too many would be written by now
        found = [line for line in self.lines if line["Action"] == action]
        assert len(found) == count, found
        return found


@pytest.fixture
def access():
    """The access lines of the calls answered during the test."""
    logger = logging.getLogger("ecsemu.access")
    handler, level = AccessLines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)
