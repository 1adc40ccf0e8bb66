"""The public image that boots (``ecsemu_busybox…``), built at first use from what Debian
packages put on the host, without the internet:

- the kernel, ``/boot/vmlinuz-<version>`` (``linux-image-amd64``), booted with QEMU's
  ``-kernel``; its modules for the virtual hardware go into
- an initramfs built here (busybox and ``initramfs.sh`` as ``/init``), which mounts the
  system disk and runs its ``/sbin/init``;
- the system disk: an ext4 file system made with ``mkfs.ext4 -d`` (e2fsprogs) holding the
  static busybox (``busybox-static``), ``init.sh`` as ``/sbin/init`` and, when the package
  has it, the Cloud Assistant agent ``agent.sh``.

The three files are cached under ``<storage>/guest/<key>/``, the key naming what they
were built from; the system disk's bytes become the image's public layer (data_plane.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

BOOTABLE_IMAGE_ID = "ecsemu_busybox_1_35_x64_20G_alibase_20261101.vhd"
ROOT_FS_BYTES = 64 * 1024 * 1024

BUSYBOX = Path("/bin/busybox")
BOOT_DIR = Path("/boot")
MODULES_DIR = Path("/lib/modules")
# What the guest's virtual hardware needs, dependencies first: virtio PCI, its disks,
# network and serial ports, ext4 (with crc32c for its checksums), the ACPI power button
# and the input events busybox acpid reads it from.
MODULES = ("virtio_ring", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev", "virtio_pci",
           "virtio_blk", "failover", "net_failover", "virtio_net", "virtio_console",
           "crc16", "mbcache", "jbd2", "crc32c_generic", "libcrc32c", "ext4", "button", "evdev")

UDHCPC_SCRIPT = """#!/bin/sh
# udhcpc's lease: the address, the default route, the DNS server.
case "$1" in
    bound|renew)
        ip addr flush dev "$interface"
        ip addr add "$ip/${mask:-24}" dev "$interface"
        for gateway in $router; do ip route add default via "$gateway" dev "$interface"; break; done
        : >/etc/resolv.conf
        for server in $dns; do echo "nameserver $server" >>/etc/resolv.conf; done
        ;;
esac
"""
POWER_BUTTON = "#!/bin/sh\n# busybox acpid runs this on the ACPI power button (StopInstance).\npoweroff\n"
PASSWD = "root:x:0:0:root:/root:/bin/sh\n"
SHADOW = "root:*:19000:0:99999:7:::\n"  # no password until the metadata gives a hash
GROUP = "root:x:0:\n"


class GuestImageMissing(Exception):
    """A host package the bootable image is built from is not installed: says which."""


@dataclass(frozen=True)
class BootFiles:
    kernel: Path
    initrd: Path
    root_fs: Path   # the ext4 system disk (raw)


def image_dir(storage_root: Path) -> Path:
    """Where the built files are cached: beside the disks, in the data dir."""
    return storage_root / "guest" / "image"


def bootable_root_fs(storage_root: Path) -> Path:
    """The system disk of the bootable public image, its public layer's content."""
    return boot_files(image_dir(storage_root)).root_fs


def boot_files(cache_root: Path) -> BootFiles:
    """The kernel, initramfs and system disk, built once per host kernel and guest scripts
    and then reused. Raises GuestImageMissing naming the Debian package to install."""
    kernel, version = _kernel()
    busybox = static_busybox()
    mkfs = shutil.which("mkfs.ext4") or shutil.which("mkfs.ext4", path="/sbin:/usr/sbin")
    if mkfs is None:
        raise GuestImageMissing("mkfs.ext4 is needed to build the guest image: install the Debian package e2fsprogs")
    scripts = _guest_scripts()
    key = hashlib.sha256("\0".join([version, str(busybox.stat().st_size), *sorted(
        f"{name}={text}" for name, text in scripts.items())]).encode()).hexdigest()[:16]
    target = cache_root / key
    files = BootFiles(target / "vmlinuz", target / "initrd.gz", target / "root.ext4")
    if all(path.exists() for path in (files.kernel, files.initrd, files.root_fs)):
        return files
    cache_root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="tmp", dir=cache_root))
    try:
        shutil.copyfile(kernel, building / "vmlinuz")
        (building / "initrd.gz").write_bytes(_initramfs(busybox, version, scripts["initramfs.sh"]))
        _root_fs(mkfs, busybox, scripts, building / "root.ext4")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return files


def _kernel() -> tuple[Path, str]:
    """The newest /boot/vmlinuz-<version> whose modules are installed."""
    found = []
    for kernel in BOOT_DIR.glob("vmlinuz-*"):
        version = kernel.name.removeprefix("vmlinuz-")
        if (MODULES_DIR / version / "modules.dep").exists() and os.access(kernel, os.R_OK):
            found.append((_version_key(version), kernel, version))
    if not found:
        raise GuestImageMissing("a Linux kernel is needed to boot instances: install the Debian package "
                                "linux-image-amd64")
    _, kernel, version = max(found)
    return kernel, version


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def static_busybox() -> Path:
    """/bin/busybox, statically linked (the guest has no C library)."""
    if not BUSYBOX.exists() or _has_interpreter(BUSYBOX):
        raise GuestImageMissing("a static busybox is needed for the guest image: install the Debian package "
                                "busybox-static")
    return BUSYBOX


def _has_interpreter(path: Path) -> bool:
    """Whether an ELF64 file names a dynamic loader (a PT_INTERP program header)."""
    with path.open("rb") as file:
        head = file.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2:
            return True
        phoff, = struct.unpack_from("<Q", head, 32)
        phentsize, phnum = struct.unpack_from("<HH", head, 54)
        file.seek(phoff)
        table = file.read(phentsize * phnum)
    return any(struct.unpack_from("<I", table, i * phentsize)[0] == 3 for i in range(phnum))


def _guest_scripts() -> dict[str, str]:
    """The scripts of this package that go into the guest (the agent only when present)."""
    package = resources.files(__package__)
    scripts = {name: package.joinpath(name).read_text() for name in ("initramfs.sh", "init.sh")}
    agent = package.joinpath("agent.sh")
    if agent.is_file():
        scripts["agent.sh"] = agent.read_text()
    return scripts


def _initramfs(busybox: Path, version: str, init: str) -> bytes:
    from .cpio import Initramfs
    archive = Initramfs()
    archive.directory("bin")
    archive.file("bin/busybox", busybox.read_bytes(), 0o755)
    archive.file("init", init.encode(), 0o755)
    archive.symlink("bin/sh", "busybox")
    archive.directory("modules")
    paths = _module_paths(version)
    order = []
    for module in MODULES:
        path = paths.get(module)
        if path is None:  # built into this kernel
            continue
        archive.file(f"modules/{module}.ko", _module_bytes(path))
        order.append(module)
    archive.file("modules/order", ("\n".join(order) + "\n").encode())
    return archive.bytes()


def _module_paths(version: str) -> dict[str, Path]:
    root = MODULES_DIR / version
    paths = {}
    for line in (root / "modules.dep").read_text().splitlines():
        relative = line.split(":", 1)[0]
        name = Path(relative).name.split(".ko")[0].replace("-", "_")
        paths[name] = root / relative
    return paths


def _module_bytes(path: Path) -> bytes:
    """A module as busybox insmod loads it: Debian may compress them (.ko.xz, .ko.zst)."""
    if path.suffix == ".xz":
        import lzma
        return lzma.decompress(path.read_bytes())
    if path.suffix == ".zst":
        return subprocess.run(["zstd", "-dc", str(path)], capture_output=True, check=True).stdout
    return path.read_bytes()


def _root_fs(mkfs: str, busybox: Path, scripts: dict[str, str], dest: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="tmp", dir=dest.parent) as tree_dir:
        tree = Path(tree_dir)
        for directory in ("bin", "sbin", "etc/ecsemu", "etc/acpi/PWRF", "root", "proc", "sys", "dev", "run",
                          "tmp", "var/lib/ecsemu"):
            (tree / directory).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(busybox, tree / "bin/busybox")
        (tree / "bin/busybox").chmod(0o755)
        (tree / "bin/sh").symlink_to("busybox")
        _write(tree / "sbin/init", scripts["init.sh"], 0o755)
        _write(tree / "etc/ecsemu/udhcpc.sh", UDHCPC_SCRIPT, 0o755)
        _write(tree / "etc/acpi/PWRF/00000080", POWER_BUTTON, 0o755)
        _write(tree / "etc/passwd", PASSWD, 0o644)
        _write(tree / "etc/group", GROUP, 0o644)
        _write(tree / "etc/shadow", SHADOW, 0o600)
        (tree / "tmp").chmod(0o1777)
        if "agent.sh" in scripts:
            _write(tree / "etc/ecsemu/agent.sh", scripts["agent.sh"], 0o755)
        # Every busybox applet as a link in /bin, so that the scripts call them by name.
        applets = subprocess.run([str(busybox), "--list"], capture_output=True, text=True, check=True).stdout.split()
        for applet in applets:
            link = tree / "bin" / applet
            if applet not in ("busybox", "sh") and not link.exists():
                link.symlink_to("busybox")
        subprocess.run([mkfs, "-q", "-F", "-L", "ecsemu-root", "-E", "root_owner=0:0", "-d", str(tree), str(dest),
                        str(ROOT_FS_BYTES // 1024) + "k"], capture_output=True, check=True)


def _write(path: Path, text: str, mode: int) -> None:
    path.write_text(text)
    path.chmod(mode)
