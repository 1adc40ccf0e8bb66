"""pytest fixtures for code that talks to ECS: an emulator and official clients pointed at it.

- ``ecsemu_server``: one emulator per test session (an ``EmulatorServer``); its instances
  boot in QEMU with ``--ecsemu-instances qemu``.
- ``ecsemu_acs_client``: ``aliyunsdkcore.client.AcsClient`` on it (aliyun-python-sdk-core).
- ``ecsemu_ecs_client``: ``alibabacloud_ecs20140526.client.Client`` on it (V3 signatures).
- ``ecsemu_throttle``: sets rate limits on ``ecsemu_server`` for one test.
- ``ecsemu_faults``: fault rules on it (``.add(Action=…, Error=…, Count=…)``), the ones a
  test added cleared after it (testing/faults.py).

The client fixtures need their SDK installed; each is skipped where it is not.
"""

from __future__ import annotations

import pytest

from ..config import Config
from ..domain.throttling import parse_limit
from ..guest.driver import KINDS as INSTANCE_DRIVERS
from . import DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET, EmulatorServer
from .faults import FaultRules

REGION_ID = "cn-hangzhou"


def pytest_addoption(parser) -> None:
    parser.addoption("--ecsemu-instances", choices=INSTANCE_DRIVERS, default=None,
                     help="what runs behind ecsemu_server's instances: none (default) or qemu (they boot)")
    parser.addini("ecsemu_instances", "ecsemu_server's instance driver: none (default) or qemu", default="none")


@pytest.fixture(scope="session")
def ecsemu_server(request):
    """With ``--ecsemu-instances qemu`` (or ``ecsemu_instances = qemu`` in the ini file)
    its instances boot in QEMU (docs/instances.md)."""
    instances = request.config.getoption("--ecsemu-instances") or request.config.getini("ecsemu_instances")
    with EmulatorServer(Config(in_memory=True, instances=instances)) as server:
        yield server


@pytest.fixture
def ecsemu_acs_client(ecsemu_server):
    client_module = pytest.importorskip("aliyunsdkcore.client")
    client = client_module.AcsClient(DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET, REGION_ID)
    client.add_endpoint(REGION_ID, "Ecs", ecsemu_server.endpoint)
    return client


@pytest.fixture
def ecsemu_ecs_client(ecsemu_server):
    ecs_client = pytest.importorskip("alibabacloud_ecs20140526.client")
    openapi = pytest.importorskip("alibabacloud_tea_openapi.models")
    return ecs_client.Client(openapi.Config(
        access_key_id=DEVELOPMENT_KEY_ID, access_key_secret=DEVELOPMENT_KEY_SECRET,
        region_id=REGION_ID, endpoint=ecsemu_server.endpoint, protocol="http"))


@pytest.fixture
def ecsemu_throttle(ecsemu_server):
    """``ecsemu_throttle("DescribeDisks=1:2", {"Account": "…", "Rate": 5})`` puts these
    limits in force on ``ecsemu_server`` (each call replaces the last, counts afresh; see
    docs/unhappy-paths.md); the limits it found are back after the test."""
    throttle = ecsemu_server.emulator.throttle
    before = throttle.limits

    def put(*limits):
        throttle.replace(parse_limit(limit) for limit in limits)

    yield put
    throttle.replace(before)


@pytest.fixture
def ecsemu_faults(ecsemu_server):
    """Fault rules on ``ecsemu_server`` (``.add(Action=…, Error=…, Count=…)``); the ones
    the test added are cleared after it (docs/unhappy-paths.md)."""
    rules = FaultRules(ecsemu_server.url, ecsemu_server.config.control_token)
    yield rules
    rules.clear()
