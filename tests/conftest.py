"""Shared test setup.

In CI (``CI`` set in the environment) a skipped test fails: a missing tool or client must
not let a feature silently drop out of the run.
"""

from __future__ import annotations

import os

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
def strict_server():
    with EmulatorServer(Config(in_memory=True, strict_auth=True)) as running:
        yield running
