"""One emulator for the replays, in instant mode (the provider's waits then end on their
first refresh, as terraform-calls.md §6 advises), and a fresh wire per test."""

from __future__ import annotations

import pytest

from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from tests.ecsclient import REGION, ZONE, Ecs

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


@pytest.fixture
def instance_id(ecs) -> str:
    """A running instance in ZONE, as ``alicloud_instance`` leaves it."""
    made = ecs.run_instance(ZoneId=ZONE)
    ecs.wait(lambda: ecs.instance(made)["Status"], "Running")
    return made


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
