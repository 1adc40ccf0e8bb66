"""One emulator for the replays in each timing mode, and a fresh wire per test."""

from __future__ import annotations

import dataclasses
import ssl

import pytest

from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from ecsemu.timing import Delays
from tests.ecsclient import REGION, ZONE, Ecs

from .transports import VPC_VERSION, Wire


@pytest.fixture(scope="package", params=["instant", "realistic"])
def emulator(request):
    """Instant: every wait ends on its first refresh. Realistic: the waits see Pending,
    Starting, Attaching, progressing, Creating (for a fifth of the usual time), and the
    provider's Pending lists must hold every state they see."""
    delays = Delays()
    fast = delays.with_overrides({f.name: getattr(delays, f.name) / 5 for f in dataclasses.fields(delays)})
    with EmulatorServer(Config(in_memory=True, transitions=request.param, delays=fast)) as server:
        yield server


@pytest.fixture
def wire(emulator) -> Wire:
    """The provider's connection: ``endpoints { ecs = "127.0.0.1:<port>" }``, ``protocol = "HTTP"``;
    its C calls go over HTTPS to that same port, trusting the emulator's local CA (as the
    provider does with ``SSL_CERT_FILE``)."""
    trusted = ssl.create_default_context(cafile=str(emulator.ca_cert))
    return Wire("127.0.0.1", emulator.port, REGION, tls=trusted)


@pytest.fixture
def vpc_wire(emulator) -> Wire:
    """The provider's VPC connection: ``endpoints { vpc = "127.0.0.1:<port>" }``, every call R
    with Version 2016-04-28 (terraform-calls.md §3)."""
    return Wire("127.0.0.1", emulator.port, REGION, version=VPC_VERSION)


@pytest.fixture
def ecs(emulator) -> Ecs:
    """The old Python SDK, for what a configuration's other resources would have made."""
    return Ecs(emulator)


def running(ecs: Ecs, **params) -> str:
    """An instance in ZONE, Running, as ``alicloud_instance`` leaves it."""
    made = ecs.run_instance(ZoneId=ZONE, **params)
    ecs.wait(lambda: ecs.instance(made)["Status"], "Running")
    return made


def available_disk(ecs: Ecs, **params) -> str:
    """A data disk in ZONE, Available, as ``alicloud_ecs_disk`` leaves it."""
    made = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, **params)["DiskId"]
    ecs.wait(lambda: ecs.disk(made)["Status"], "Available")
    return made


@pytest.fixture
def instance_id(ecs) -> str:
    return running(ecs)


@pytest.fixture
def system_disk_id(ecs, instance_id) -> str:
    return next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")


@pytest.fixture
def snapshot_id(ecs, system_disk_id) -> str:
    """An accomplished snapshot of a system disk."""
    made = ecs("CreateSnapshot", DiskId=system_disk_id)["SnapshotId"]
    status = lambda: ecs("DescribeSnapshots", RegionId=REGION, SnapshotIds=[made])["Snapshots"]["Snapshot"][0]  # noqa: E731
    ecs.wait(lambda: status()["Status"], "accomplished")
    return made
