"""The ``qemu`` instance driver: a started instance is a ``qemu-system-x86_64`` process
(TCG: no KVM needed), a child of the server, booting the public image's kernel and
initramfs (guest/image.py) on the instance's disks: the qcow2 overlays of the storage,
attached as virtio disks whose serials are the disk IDs without ``d-`` (as ECS's,
/dev/disk/by-id/virtio-<serial>).

The instance's status follows the VM. An action schedules its moves as it always does,
with the boot and stop delays made a ceiling (``delays``); the driver brings the move
forward when the VM does what it waits for: the guest's boot record on the serial console
(``ecsemu-guest: up …``) makes a Starting instance Running, the process's end makes a
Stopping one Stopped. StopInstance presses the ACPI power button (QMP
``system_powerdown``) and kills the VM after ``STOP_TIMEOUT`` (ForceStop: at once);
RebootInstance powers the VM down the same way and boots a new one. A guest that powers
itself off makes its instance Stopped.

Each VM's user-mode network forwards 100.100.100.200:80 (``guestfwd``, through busybox
``nc``) to a listener of this process that answers with the metadata responder
(guest/metadata.py) for that instance; a virtio-serial port ``org.ecsemu.agent`` is a unix
socket the Cloud Assistant's host side connects to (``agent_socket``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from pathlib import Path

from sqlalchemy import Connection
from starlette.datastructures import Headers

from ..catalog.instance_types import INSTANCE_TYPES_BY_ID
from ..domain.network_interfaces import mac_address
from ..domain.status import INSTANCE
from ..lifetime import CAN_DIE_WITH_PARENT, die_with_parent
from ..store import instances as instance_store
from ..store.disks import disks_of_instance
from ..store.rows import move
from ..store.schema import instances
from ..timing import Delays
from .driver import InstanceDriver, InstanceDriverError
from .image import GuestImageMissing, boot_files, image_dir, static_busybox
from .metadata import respond

log = logging.getLogger("ecsemu.instances")

QEMU = "qemu-system-x86_64"
GIB = 1024**3
STOP_TIMEOUT = 120.0        # seconds an ACPI power-off may take before the VM is killed
BOOT_CEILING = 600.0        # Starting -> Running at the latest, whatever the guest does
MEMORY_CAP_MIB = 128        # what one VM gets at most, whatever its instance type says
TB_CACHE_MIB = 32           # TCG's translated code (QEMU's default, 1 GiB, is most of a VM's memory)
CONSOLE_BYTES = 64 * 1024   # what GetInstanceConsoleOutput returns: the last 64 KiB
BOOT_RECORD = b"ecsemu-guest: up "
METADATA_ADDRESS = "100.100.100.200"
# The guest's network: 100.64.0.0/10 holds 100.100.100.200, which user-mode networking
# only forwards when it lies in the guest's own network.
GUEST_NETWORK = "100.64.0.0/10"
AGENT_PORT = "org.ecsemu.agent"
HEAD_BYTES = 16 * 1024      # a metadata request's head, at most
RUNTIME_PREFIX = "ecsemu-vms-"

Responder = Callable[..., Awaitable[tuple[int, list[tuple[str, str]], bytes]]]


def vm_size(cpu_cores: int, memory_gib: float, host_cpus: int) -> tuple[int, int]:
    """(vCPUs, MiB) of an instance type's VM: no more vCPUs than the host has, no more
    memory than MEMORY_CAP_MIB (docs/instances.md)."""
    return max(1, min(cpu_cores, host_cpus)), max(64, min(int(memory_gib * 1024), MEMORY_CAP_MIB))


class QemuDriver(InstanceDriver):
    name = "qemu"

    def __init__(self, emulator) -> None:
        if emulator.storage.name != "qcow2":
            raise InstanceDriverError(f"--instances qemu boots the disks' qcow2 files, not --storage "
                                      f"{emulator.storage.name}: use --storage qcow2 (or auto, with qemu-img)")
        qemu = shutil.which(QEMU)
        if qemu is None:
            raise InstanceDriverError(f"{QEMU} is needed to boot instances: install the Debian package "
                                      "qemu-system-x86")
        try:
            self._busybox = static_busybox()
        except GuestImageMissing as exc:
            raise InstanceDriverError(str(exc)) from None
        self._qemu = qemu
        self._emulator = emulator
        self._image_dir = image_dir(emulator.storage.root)
        self._console_dir = emulator.storage.root / "guest" / "consoles"
        self._console_dir.mkdir(parents=True, exist_ok=True)
        # Unix socket paths must stay short (108 bytes): a directory of their own in /tmp,
        # named for this process, so that a later start removes what a killed one left.
        _sweep_runtime_dirs()
        self._runtime = Path(tempfile.mkdtemp(prefix=f"{RUNTIME_PREFIX}{os.getpid()}-"))
        self._lock = threading.Lock()
        self._vms: dict[str, _Vm] = {}
        self._loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(target=self._loop.run_forever, name="ecsemu-vm-metadata", daemon=True)
        self._loop_thread.start()
        self.respond: Responder = respond       # the metadata responder (tests give a stand-in)
        self.stop_timeout = STOP_TIMEOUT        # tests of the hard stop shorten it

    # --- what the actions tell -------------------------------------------------------------

    def delays(self, delays: Delays) -> Delays:
        return dataclasses.replace(delays, instance_starting=BOOT_CEILING, instance_stopping=STOP_TIMEOUT + 30)

    def starting(self, conn: Connection, instance_id: str, *, force: bool = False) -> None:
        self._emulator.after_commit(conn, lambda: self._start(instance_id, force=force))

    def stopping(self, conn: Connection, instance_id: str, *, force: bool) -> None:
        self._emulator.after_commit(conn, lambda: self._end(instance_id, "stop", force=force))

    def released(self, conn: Connection, instance_id: str) -> None:
        def release() -> None:
            self._end(instance_id, "gone", force=True)
            self._console_path(instance_id).unlink(missing_ok=True)  # its writer, if any, is being killed
        self._emulator.after_commit(conn, release)

    # --- what is asked of a running guest --------------------------------------------------

    def console(self, instance_id: str) -> bytes | None:
        path = self._console_path(instance_id)
        try:
            with path.open("rb") as file:
                file.seek(max(0, path.stat().st_size - CONSOLE_BYTES))
                return file.read()
        except FileNotFoundError:
            return None

    def agent_socket(self, instance_id: str) -> Path | None:
        with self._lock:
            vm = self._vms.get(instance_id)
        return vm.agent_path if vm is not None and vm.running() and vm.agent_path.exists() else None

    def running(self) -> dict[str, int]:
        """Instance ID -> the pid of its QEMU process (the benchmark's memory figure)."""
        with self._lock:
            return {iid: vm.pid for iid, vm in self._vms.items() if vm.running() and vm.pid}

    # --- start-up and shut-down ------------------------------------------------------------

    def reconcile(self) -> None:
        """At start no VM runs: instances that were up boot again (as after a host's
        restart, their status unchanged), Stopping ones are Stopped."""
        with self._emulator.db.transaction(read_only=True) as conn:
            found = instance_store.ids_by_status(conn, ("Pending", "Starting", "Running", "Stopping"))
        for instance_id, status in found:
            if status == "Stopping":
                self._bring_forward(instance_id, ("Stopped",))
            else:
                self._start(instance_id)

    def close(self) -> None:
        with self._lock:
            vms = list(self._vms.values())
        for vm in vms:
            vm.end("gone", force=True)
        for vm in vms:
            vm.thread.join(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._loop_thread.join(timeout=5)
        if not self._loop_thread.is_alive():
            self._loop.close()
        shutil.rmtree(self._runtime, ignore_errors=True)

    # --- VMs -------------------------------------------------------------------------------

    def _start(self, instance_id: str, *, force: bool = False) -> None:
        with self._lock:
            vm = self._vms.get(instance_id)
            if vm is None:
                vm = self._vms[instance_id] = _Vm(self, instance_id)
                vm.thread.start()
                return
        vm.end("reboot", force=force)  # RebootInstance: powered down, then booted again

    def _end(self, instance_id: str, wanted: str, *, force: bool) -> None:
        with self._lock:
            vm = self._vms.get(instance_id)
        if vm is not None:
            vm.end(wanted, force=force)
        elif wanted == "stop":  # no VM to wait for (it could not start): Stopped now
            self._bring_forward(instance_id, ("Stopped",))

    def _exited(self, vm: _Vm, wanted: str) -> None:
        with self._lock:
            if self._vms.get(vm.instance_id) is vm:
                del self._vms[vm.instance_id]
        if wanted == "stop":
            self._bring_forward(vm.instance_id, ("Stopped",))
        elif wanted == "run" and vm.returncode == 0:  # the guest powered itself off: the instance stops
            with self._emulator.db.transaction() as conn:
                if move(conn, instances, INSTANCE, vm.instance_id, "Running", "Stopping"):
                    move(conn, instances, INSTANCE, vm.instance_id, "Stopping", "Stopped", stopped_mode="KeepCharging")

    def _booted(self, instance_id: str) -> None:
        self._bring_forward(instance_id, ("Starting", "Running"))

    def _bring_forward(self, instance_id: str, targets: tuple[str, ...]) -> None:
        """The scheduled moves to ``targets`` are made now (with what they assign)."""
        emulator = self._emulator
        with emulator.db.transaction() as conn:
            emulator.scheduler.hasten(conn, instance_id, targets)
        emulator.apply_due()

    def _console_path(self, instance_id: str) -> Path:
        return self._console_dir / f"{instance_id}.log"

    def _command(self, vm: _Vm) -> list[str]:
        """The QEMU command line of the instance's VM, from its row and its disks."""
        files = boot_files(self._image_dir)
        storage = self._emulator.storage
        with self._emulator.db.transaction(read_only=True) as conn:
            row = instance_store.find_any(conn, vm.instance_id)
            disks = sorted(disks_of_instance(conn, vm.instance_id),
                           key=lambda disk: (disk.disk_type != "system", disk.device or ""))
        if row is None:
            raise InstanceDriverError(f"{vm.instance_id}: no such instance")
        instance_type = INSTANCE_TYPES_BY_ID[row.instance_type]
        cpus, memory = vm_size(instance_type.cpu_cores, instance_type.memory_gib, os.cpu_count() or 1)
        command = [self._qemu, "-accel", f"tcg,tb-size={TB_CACHE_MIB}", "-name", vm.instance_id,
                   "-m", str(memory), "-smp", str(cpus),
                   "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio",
                   "-kernel", str(files.kernel), "-initrd", str(files.initrd),
                   "-append", "console=ttyS0 root=/dev/vda quiet",
                   "-qmp", f"unix:{_option(vm.qmp_path)},server=on,wait=off"]
        for index, disk in enumerate(disks):
            # A disk's file exists once written: the VM writes to it, so it is made now.
            storage.write(disk.id, disk.base_layer_id, disk.size * GIB, 0, b"")
            command += ["-drive", f"file={_option(storage.disk_path(disk.id))},if=none,id=disk{index},format=qcow2",
                        "-device", f"virtio-blk-pci,drive=disk{index},serial={disk.id.removeprefix('d-')[:20]}"]
        forward = f"{self._busybox} nc 127.0.0.1 {vm.metadata_port}"
        network = f"user,id=net0,net={GUEST_NETWORK},guestfwd=tcp:{METADATA_ADDRESS}:80-cmd:{_option(forward)}"
        command += ["-netdev", network,
                    "-device", f"virtio-net-pci,netdev=net0,mac={mac_address(vm.instance_id)}",
                    "-device", "virtio-serial-pci",
                    "-chardev", f"socket,id=agent,path={_option(vm.agent_path)},server=on,wait=off",
                    "-device", f"virtserialport,chardev=agent,name={AGENT_PORT}"]
        return command

    # --- the metadata service of each VM ---------------------------------------------------

    def _listen(self, instance_id: str) -> tuple[asyncio.base_events.Server, int]:
        async def serve() -> asyncio.base_events.Server:
            return await asyncio.start_server(functools.partial(self._answer, instance_id), "127.0.0.1", 0,
                                              limit=HEAD_BYTES)
        server = asyncio.run_coroutine_threadsafe(serve(), self._loop).result(timeout=10)
        return server, server.sockets[0].getsockname()[1]

    def _unlisten(self, server: asyncio.base_events.Server) -> None:
        self._loop.call_soon_threadsafe(server.close)

    async def _answer(self, instance_id: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """One HTTP request of the guest to 100.100.100.200, answered and the connection closed."""
        try:
            try:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
                method, target, headers = _request_head(head)
            except (ValueError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                status, answer_headers, body = 400, [("Content-Type", "text/plain")], b"Bad Request\n"
            else:
                status, answer_headers, body = await self.respond(self._emulator, instance_id, method, target, headers)
            lines = [f"HTTP/1.0 {status} {HTTPStatus(status).phrase}",
                     *(f"{name}: {value}" for name, value in answer_headers
                       if name.lower() not in ("content-length", "connection")),
                     f"Content-Length: {len(body)}", "Connection: close", "", ""]
            writer.write("\r\n".join(lines).encode("latin-1") + body)
            await writer.drain()
        except Exception:  # a guest's request never takes the server down
            log.exception("metadata request of %s failed", instance_id)
        finally:
            writer.close()


class _Vm:
    """One instance's VM: its thread starts QEMU, reads the serial console until QEMU
    exits, and boots it again after a reboot."""

    def __init__(self, driver: QemuDriver, instance_id: str) -> None:
        self.driver = driver
        self.instance_id = instance_id
        runtime = driver._runtime / instance_id
        runtime.mkdir(exist_ok=True)
        self.qmp_path = runtime / "qmp.sock"
        self.agent_path = runtime / "agent.sock"
        self.pid = 0
        self.returncode: int | None = None  # QEMU's last exit: 0 when the guest powered off
        self.metadata_port = 0
        self._process: subprocess.Popen | None = None
        self._wanted = "run"        # run | stop | reboot | gone
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self.thread = threading.Thread(target=self._life, name=f"ecsemu-vm-{instance_id}", daemon=True)

    def running(self) -> bool:
        process = self._process
        return process is not None and process.poll() is None

    def end(self, wanted: str, *, force: bool) -> None:
        """Power off (ACPI; killed after the driver's stop timeout) or kill at once; then ``wanted``."""
        with self._lock:
            if self._wanted == "gone":
                return
            self._wanted = wanted
            process = self._process
        if process is None or process.poll() is not None:
            return
        if force:
            process.kill()
            return
        try:
            _qmp(self.qmp_path, "system_powerdown")
        except OSError:
            process.kill()
            return
        timer = threading.Timer(self.driver.stop_timeout, _kill_if_alive, (process,))
        timer.daemon = True
        timer.start()
        with self._lock:
            self._timer = timer

    def _life(self) -> None:
        driver = self.driver
        wanted = "run"
        server: asyncio.base_events.Server | None = None
        try:
            server, self.metadata_port = driver._listen(self.instance_id)
            console = driver._console_path(self.instance_id)
            console.write_bytes(b"")  # a new start: a new console
            while True:
                with self._lock:
                    if self._wanted == "reboot":
                        self._wanted = "run"
                    wanted = self._wanted
                if wanted != "run":  # stopped or released before it booted (again)
                    break
                try:
                    self._boot(console)
                except Exception:
                    log.exception("the VM of %s could not start", self.instance_id)
                with self._lock:
                    wanted, timer = self._wanted, self._timer
                    self._timer = None
                if timer is not None:
                    timer.cancel()
                if wanted != "reboot":
                    break
        except Exception:
            log.exception("the VM of %s could not be set up", self.instance_id)
        finally:
            if server is not None:
                driver._unlisten(server)
            driver._exited(self, wanted)

    def _boot(self, console: Path) -> None:
        command = self.driver._command(self)
        for path in (self.qmp_path, self.agent_path):
            path.unlink(missing_ok=True)
        errors_path = self.qmp_path.with_name("qemu.err")
        with errors_path.open("wb") as errors_file:
            process = subprocess.Popen([*_launcher(), *command], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=errors_file, preexec_fn=_child_setup(os.getpid()))
        with self._lock:
            self._process, self.pid = process, process.pid
            wanted = self._wanted
        if wanted != "run":  # ended while it was being started
            process.kill()
        seen = b""
        up = False
        assert process.stdout is not None
        with console.open("ab") as out:
            while chunk := os.read(process.stdout.fileno(), 4096):
                out.write(chunk)
                out.flush()
                if not up:
                    seen = (seen + chunk)[-4096:]
                    if BOOT_RECORD in seen:
                        up = True
                        self.driver._booted(self.instance_id)
        process.wait()
        process.stdout.close()
        self.returncode = process.returncode
        said = errors_path.read_text(errors="replace").strip()
        if process.returncode not in (0, -9) and said:
            log.warning("the VM of %s exited with %s: %s", self.instance_id, process.returncode, said[-2000:])


def _sweep_runtime_dirs() -> None:
    """Removes the socket directories of servers that are gone (killed: no clean-up)."""
    for path in Path(tempfile.gettempdir()).glob(f"{RUNTIME_PREFIX}*-*"):
        pid = path.name.removeprefix(RUNTIME_PREFIX).split("-", 1)[0]
        try:
            mine = path.stat().st_uid == os.getuid()
        except OSError:
            continue
        if mine and pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(path, ignore_errors=True)


def _qmp(path: Path, command: str) -> None:
    """One QMP command, its answer awaited."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(5)
        sock.connect(str(path))
        stream = sock.makefile("rw")
        stream.readline()  # the greeting
        for execute in ("qmp_capabilities", command):
            stream.write(json.dumps({"execute": execute}) + "\n")
            stream.flush()
            while True:  # events may come before the answer
                line = json.loads(stream.readline() or "{}")
                if "return" in line or "error" in line or not line:
                    break


def _kill_if_alive(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()


@functools.cache
def _launcher() -> tuple[str, ...]:
    """A VM dies with the server, kill -9 included (setpriv after the exec, no fork of Python)."""
    setpriv = shutil.which("setpriv")
    return (setpriv, "--pdeathsig", "KILL") if CAN_DIE_WITH_PARENT and setpriv else ()


def _child_setup(parent_pid: int):
    if _launcher() or not CAN_DIE_WITH_PARENT:
        return None
    return functools.partial(die_with_parent, parent_pid, 9)


def _option(value: object) -> str:
    """A value inside a QEMU option list, where a comma is written twice."""
    return str(value).replace(",", ",,")


def _request_head(head: bytes) -> tuple[str, str, Mapping[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    raw = []
    for line in lines[1:]:
        if line:
            name, sep, value = line.partition(":")
            if not sep:
                raise ValueError(line)
            raw.append((name.strip().lower().encode("latin-1"), value.strip().encode("latin-1")))
    return method, target, Headers(raw=raw)


