"""``ecsemu serve --instances qemu``: instances boot the public busybox image in QEMU and
their status follows the VM; the serial console is GetInstanceConsoleOutput's.

One VM boots and is snapshotted, stopped, started, rebooted and re-initialised, in this
order (each test leaves the instance as the next expects it); a few more instances show a
guest's own power-off, a guest deaf to ACPI, an imported image, and VMs dying with a
killed `ecsemu serve` and booting again at its next start. The in-process server's
metadata responder (guest/metadata.py) is replaced by a small stand-in answering from a
dict: these tests are about the VM, not what the metadata says.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ecsemu.catalog.images import PUBLIC_IMAGES_BY_ID
from ecsemu.cli import main
from ecsemu.config import Config
from ecsemu.guest.image import BOOTABLE_IMAGE_ID, bootable_root_fs
from ecsemu.guest.qemu import BOOT_RECORD, vm_size
from ecsemu.testing import EmulatorServer
from tests.ecsclient import Ecs
from tests.processes import serve

PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHc1Ljs0/mQ3BbfI16b1bL0n2yY2kR3HzWq4A8M9Z8cE "
              "tester@example")
NEW_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAVzvrpiDTn3vj8A17liqvpNsJ5tXsSX5cZkfgC/u4nb "
           "tester@example")
# The user data says so on the console, and keeps writing a line to the Cloud Assistant's
# port (the host end connects whenever it likes).
USER_DATA = """#!/bin/sh
echo user data ran >/dev/console
echo disks: $(ls /dev/disk/by-id) >/dev/console
(while :; do echo guest-port-ok >/dev/virtio-ports/org.ecsemu.agent; sleep 1; done) >/dev/null 2>&1 &
"""
BOOT_SECONDS = 90.0  # a boot takes ~8 s with TCG; a busy CI machine gets room


def fingerprint(key: str) -> str:
    digest = hashlib.sha256(base64.b64decode(key.split()[1])).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


class StandInMetadata:
    """What the guest's init reads, per instance; the token API answers a fixed token."""

    def __init__(self) -> None:
        self.seen: dict[str, dict[str, str]] = {}
        self.requests: list[tuple[str, str, str]] = []

    async def __call__(self, emulator, instance_id, method, path, headers):
        self.requests.append((instance_id, method, path))
        if method == "PUT" and path == "/latest/api/token":
            return 200, [("Content-Type", "text/plain")], b"stand-in-token"
        data = self.seen.get(instance_id, {})
        answer = {"/latest/meta-data/instance-id": instance_id,
                  "/latest/meta-data/hostname": data.get("hostname"),
                  "/latest/meta-data/public-keys/0/openssh-key": data.get("key"),
                  "/latest/user-data": data.get("user-data")}.get(path)
        if answer is None:
            return 404, [("Content-Type", "text/plain")], b"Not Found"
        return 200, [("Content-Type", "text/plain")], answer.encode()


class Cloud:
    """The server and the instance the tests share."""

    def __init__(self, config: Config, metadata: StandInMetadata) -> None:
        self.config, self.metadata = config, metadata
        self.server = self._start()
        self.instance_id = ""

    def _start(self) -> EmulatorServer:
        server = EmulatorServer(self.config)
        server.emulator.instances.respond = self.metadata
        return server.start()

    @property
    def ecs(self) -> Ecs:
        return Ecs(self.server)

    def status(self) -> str:
        return self.ecs.instance(self.instance_id)["Status"]

    def console(self) -> str:
        body = self.ecs("GetInstanceConsoleOutput", RegionId="cn-hangzhou", InstanceId=self.instance_id)
        return base64.b64decode(body["ConsoleOutput"]).decode()

    def boot_another(self, image_id: str, hostname: str, user_data: str) -> tuple[str, Callable[[], str]]:
        """An instance besides the shared one, Running, whose guest runs ``user_data``:
        its ID and a reader of its status."""
        ecs = self.ecs
        instance_id = ecs.run_instance(ImageId=image_id, InstanceType="ecs.g7.large")
        self.metadata.seen[instance_id] = {"hostname": hostname, "user-data": user_data}
        status = lambda: ecs.instance(instance_id)["Status"]  # noqa: E731
        ecs.wait(status, "Running", timeout=BOOT_SECONDS)
        return instance_id, status

    def wait_status(self, status: str, timeout: float = BOOT_SECONDS) -> float:
        started = time.monotonic()
        self.ecs.wait(self.status, status, timeout=timeout)
        return time.monotonic() - started


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    config = Config(data_dir=tmp_path_factory.mktemp("qemu-data"), instances="qemu", transitions="instant",
                    storage="qcow2")
    running = Cloud(config, StandInMetadata())
    yield running
    running.server.stop()


def test_an_instance_boots_to_running_with_its_metadata_applied(cloud):
    ecs = cloud.ecs
    ecs("ImportKeyPair", RegionId="cn-hangzhou", KeyPairName="boot-key", PublicKeyBody=PUBLIC_KEY)
    cloud.instance_id = instance_id = ecs.run_instance(ImageId=BOOTABLE_IMAGE_ID, InstanceType="ecs.g7.large",
                                                      KeyPairName="boot-key", HostName="guest-one",
                                                      **{"DataDisk.1.Size": 20, "DataDisk.1.Category": "cloud_essd"})
    cloud.metadata.seen[instance_id] = {"hostname": "guest-one", "key": PUBLIC_KEY,
                                        "user-data": USER_DATA}
    assert cloud.status() in ("Pending", "Starting")  # not Running until the guest is up
    cloud.wait_status("Running")
    console = cloud.console()
    assert f"ecsemu-guest: up guest-one {instance_id} key {fingerprint(PUBLIC_KEY)}" in console
    assert "user data ran" in console
    # Every disk by its ID without "d-", as ECS's guests see them.
    listed = next(line for line in console.splitlines() if line.startswith("disks:")).split()[1:]
    assert sorted(listed) == sorted(f"virtio-{disk['DiskId'][2:]}" for disk in ecs.disks_of(instance_id))
    # The guest asked the token API first, then its metadata, through 100.100.100.200.
    paths = [path for iid, _, path in cloud.metadata.requests if iid == instance_id]
    assert paths[0] == "/latest/api/token" and "/latest/meta-data/public-keys/0/openssh-key" in paths
    socket_path = cloud.server.emulator.instances.agent_socket(instance_id)
    assert socket_path is not None and socket_path.is_socket()
    with socket.socket(socket.AF_UNIX) as port:  # the guest's org.ecsemu.agent port
        port.settimeout(15)
        port.connect(str(socket_path))
        received = b""
        while b"guest-port-ok\n" not in received:
            chunk = port.recv(4096)
            assert chunk, received
            received += chunk
    plain = cloud.ecs("GetInstanceConsoleOutput", RegionId="cn-hangzhou", InstanceId=instance_id,
                      RemoveSymbols=True)["ConsoleOutput"]
    assert f"ecsemu-guest: up guest-one {instance_id}" in base64.b64decode(plain).decode()
    assert cloud.ecs.error("GetInstanceScreenshot", RegionId="cn-hangzhou", InstanceId=instance_id) \
        == ("NotSupported", 405)  # no screen: a serial console only


def test_a_running_instances_disk_can_be_snapshotted(cloud):
    system_disk = next(d for d in cloud.ecs.disks_of(cloud.instance_id) if d["Type"] == "system")
    snapshot = cloud.ecs("CreateSnapshot", DiskId=system_disk["DiskId"])["SnapshotId"]
    cloud.ecs.wait(lambda: cloud.ecs("DescribeSnapshots", RegionId="cn-hangzhou", SnapshotIds=[snapshot])
                   ["Snapshots"]["Snapshot"][0]["Status"], "accomplished", timeout=30)


def test_stop_powers_the_guest_off_through_acpi(cloud):
    cloud.ecs("StopInstance", InstanceId=cloud.instance_id)
    assert cloud.status() == "Stopping"
    cloud.wait_status("Stopped", timeout=60)
    assert "ecsemu-guest: powering off" in cloud.console()
    assert cloud.server.emulator.instances.agent_socket(cloud.instance_id) is None


def test_force_stop_powers_off_at_once(cloud):
    cloud.ecs("StartInstance", InstanceId=cloud.instance_id)
    cloud.wait_status("Running")
    cloud.ecs("StopInstance", InstanceId=cloud.instance_id, ForceStop=True)
    assert cloud.wait_status("Stopped", timeout=10) < 10
    assert "powering off" not in cloud.console()  # no ACPI: the guest had no say


def test_reboot_boots_the_guest_again(cloud):
    cloud.ecs("StartInstance", InstanceId=cloud.instance_id)
    cloud.wait_status("Running")
    cloud.ecs("RebootInstance", InstanceId=cloud.instance_id)
    assert cloud.status() == "Starting"
    cloud.wait_status("Running")
    console = cloud.console()
    assert console.count("ecsemu-guest: up guest-one") == 2 and "powering off" in console
    assert "user data ran" not in console  # it ran at the first boot only: the disk remembers


def test_after_reinit_disk_the_guest_boots_from_a_fresh_disk_with_the_new_key(cloud):
    ecs = cloud.ecs
    ecs("StopInstance", InstanceId=cloud.instance_id)
    cloud.wait_status("Stopped", timeout=60)
    ecs("ImportKeyPair", RegionId="cn-hangzhou", KeyPairName="new-key", PublicKeyBody=NEW_KEY)
    system_disk = next(d for d in ecs.disks_of(cloud.instance_id) if d["Type"] == "system")
    ecs("ReInitDisk", DiskId=system_disk["DiskId"], KeyPairName="new-key", AutoStartInstance=True)
    cloud.metadata.seen[cloud.instance_id]["key"] = NEW_KEY  # what the metadata service then says
    cloud.wait_status("Running")
    console = cloud.console()
    assert f"key {fingerprint(NEW_KEY)}" in console
    assert "user data ran" in console  # a fresh disk: the user data runs again


def qemu_children(pid: int) -> set[int]:
    """The QEMU processes whose parent is ``pid``."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
        except OSError:  # gone meanwhile
            continue
        if "qemu-system" in fields[0] and int(fields[1].split()[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def test_vms_die_with_the_server_even_killed_and_boot_again_at_its_next_start(tmp_path):
    data = ["--data-dir", str(tmp_path / "data"), "--instances", "qemu", "--transitions", "instant"]
    with serve(tmp_path, *data) as server:
        ecs = Ecs(server)
        instance_id = ecs.run_instance(ImageId=BOOTABLE_IMAGE_ID, InstanceType="ecs.g7.large")
        ecs.wait(lambda: ecs.instance(instance_id)["Status"], "Running", timeout=BOOT_SECONDS)
        vms = qemu_children(server.process.pid)
        assert len(vms) == 1
        sockets_dir = list(Path(tempfile.gettempdir()).glob(f"ecsemu-vms-{server.process.pid}-*"))
        assert len(sockets_dir) == 1
        server.kill()  # kill -9: no clean-up of its own
        deadline = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() for pid in vms):
            assert time.monotonic() < deadline, "a VM outlived its server"
            time.sleep(0.1)
    with serve(tmp_path, *data) as server:
        ecs = Ecs(server)
        assert ecs.instance(instance_id)["Status"] == "Running"  # as after a host's restart
        assert not sockets_dir[0].exists()  # the killed server's, removed by this one
        deadline = time.monotonic() + BOOT_SECONDS
        while BOOT_RECORD.decode() not in console_of(ecs, instance_id):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert len(qemu_children(server.process.pid)) == 1


def console_of(ecs: Ecs, instance_id: str) -> str:
    body = ecs("GetInstanceConsoleOutput", RegionId="cn-hangzhou", InstanceId=instance_id)
    return base64.b64decode(body["ConsoleOutput"]).decode()


def test_a_guest_that_powers_itself_off_is_stopped(cloud):
    ecs = cloud.ecs
    instance_id, status = cloud.boot_another(BOOTABLE_IMAGE_ID, "short-lived",
                                             "#!/bin/sh\n(sleep 3; poweroff) >/dev/null 2>&1 &\n")
    ecs.wait(status, "Stopped", timeout=60)
    assert ecs.instance(instance_id)["StoppedMode"] == "KeepCharging"
    ecs("DeleteInstance", InstanceId=instance_id)


def test_an_imported_image_boots_and_a_guest_deaf_to_acpi_is_killed_after_the_stop_timeout(cloud):
    # Your own image (docs/instances.md): here the public image's ext4 system disk, imported
    # with `ecsemu image import`.
    root_fs = bootable_root_fs(cloud.server.emulator.storage.root)
    done = subprocess.run([sys.executable, "-m", "ecsemu", "image", "import", str(root_fs), "--name", "own-image",
                           "--url", cloud.server.url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    image_id = json.loads(done.stdout)["ImageId"]
    ecs = cloud.ecs
    instance_id, status = cloud.boot_another(image_id, "deaf",
                                             "#!/bin/sh\n(sleep 1; killall acpid) >/dev/null 2>&1 &\n")
    time.sleep(2)  # acpid is gone: the power button does nothing
    cloud.server.emulator.instances.stop_timeout = 3.0
    try:
        started = time.monotonic()
        ecs("StopInstance", InstanceId=instance_id)
        ecs.wait(status, "Stopped", timeout=30)
        assert time.monotonic() - started >= 3.0
    finally:
        cloud.server.emulator.instances.stop_timeout = 120.0
    ecs("DeleteInstance", InstanceId=instance_id)


def test_the_bootable_image_is_public_and_the_vm_the_types_scaled_down():
    assert PUBLIC_IMAGES_BY_ID[BOOTABLE_IMAGE_ID].os_type == "linux"
    assert vm_size(2, 8, host_cpus=2) == (2, 128)  # ecs.g7.large on a 2-core machine


def test_without_qemu_serve_says_which_package_to_install(tmp_path):
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("qemu-img", "qemu-io", "setpriv", "nice"):  # the storage's, not QEMU
        found = shutil.which(tool)
        if found:
            (tools / tool).symlink_to(found)
    done = subprocess.run([sys.executable, "-m", "ecsemu", "serve", "--in-memory", "--port", "0",
                           "--storage", "qcow2", "--instances", "qemu"],
                          env={**os.environ, "PATH": str(tools)}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "install the Debian package qemu-system-x86" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("flags, said", [
    (["--storage", "raw"], "needs --storage qcow2"),
    (["--workers", "2"], "cannot be used with --workers > 1"),
    (["--instances", "kvm"], "invalid choice"),
])
def test_serve_refuses_what_qemu_instances_cannot_run_with(flags, said, capsys, tmp_path):
    argv = ["serve", "--data-dir", str(tmp_path), "--instances", "qemu", *flags]
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2 and said in capsys.readouterr().err
