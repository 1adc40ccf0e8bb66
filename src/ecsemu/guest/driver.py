"""The instance driver: what runs behind an instance (``ecsemu serve --instances``).

``none`` (the default) runs nothing: an instance is its row and its timed status moves,
and the driver costs nothing on any request. ``qemu`` (guest/qemu.py) boots a VM for each
started instance and makes the status follow it. The actions tell the driver what they
did, from inside their transaction (the driver acts once it has committed); nothing on
the hot path of a request asks it anything.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from ..timing import Delays

KINDS = ("none", "qemu")


class InstanceDriverError(Exception):
    """The driver cannot run here (a missing tool, an unfit storage): said at start-up."""


class InstanceDriver:
    """The ``none`` driver, and the interface every driver has."""

    name = "none"

    def delays(self, delays: Delays) -> Delays:
        """The delays the scheduler times moves with: a driver whose VMs decide when an
        instance is up or down makes the timed moves a ceiling."""
        return delays

    def starting(self, conn: Connection, instance_id: str, *, force: bool = False) -> None:
        """The instance was started, rebooted or its start scheduled (StartInstance,
        RebootInstance, RunInstances, ReInitDisk's AutoStartInstance); ``force``: a reboot
        powers off at once (RebootInstance's ForceStop)."""

    def stopping(self, conn: Connection, instance_id: str, *, force: bool) -> None:
        """StopInstance: ``force`` (ForceStop) powers off at once."""

    def released(self, conn: Connection, instance_id: str) -> None:
        """DeleteInstance: whatever runs goes."""

    def console(self, instance_id: str) -> bytes | None:
        """The guest's serial console, if this driver has one (None: the emulator's own boot log)."""
        return None

    def agent_socket(self, instance_id: str) -> Path | None:
        """The unix socket of the running guest's Cloud Assistant port (org.ecsemu.agent)."""
        return None

    def reconcile(self) -> None:
        """At start: instances whose VM is gone are made consistent."""

    def close(self) -> None:
        """The server stops: so does everything the driver runs."""


def open_driver(emulator) -> InstanceDriver:
    if emulator.config.instances == "qemu":
        from .qemu import QemuDriver
        return QemuDriver(emulator)
    return InstanceDriver()
