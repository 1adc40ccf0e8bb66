"""What every storage backend offers, and what they share: the directory layout, fsync,
crash points, public image content, running qemu-img, a full disk, scratch space, and
what a user's file must be to become an image."""

from __future__ import annotations

import errno
import functools
import json
import os
import random
import shutil
import signal
import stat
import struct
import subprocess
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..lifetime import CAN_DIE_WITH_PARENT, die_with_parent
from ..priority import NICENESS, lower_priority

GIB = 1024**3
PUBLIC_PREFIX = "public-"          # layer IDs of public images: made on first use, never collected
PUBLIC_CONTENT_BYTES = 4 * 1024**2  # the data a public image layer holds (after its header)
HEADER = b"ECSEMU PUBLIC IMAGE\n"


class StorageError(Exception):
    """A storage operation failed (a tool failed, a file is missing): an internal error."""


class StorageFull(StorageError):
    """No space left on the device that holds the data dir."""


class ImageRefused(StorageError):
    """A user's file that may not become an image: not a regular file, not raw or qcow2, or
    a qcow2 that would read other files (a backing file, an external data file)."""


# --- exports ---------------------------------------------------------------------------------

EXPORT_FORMATS = ("raw", "qcow2")


@contextmanager
def exporting(dest: Path, fmt: str) -> Iterator[None]:
    """The frame of every backend's ``export``: the format checked first, and ``dest``
    removed again if the export fails half way."""
    if fmt not in EXPORT_FORMATS:
        raise StorageError(f"unknown export format {fmt!r}")
    try:
        yield
    except BaseException:
        dest.unlink(missing_ok=True)
        raise


def raw_to_qcow2(raw: Path, dest: Path) -> None:
    """A raw export written in scratch space, converted to the qcow2 file asked for."""
    run_tool("qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2", str(raw), str(dest))


# --- a full disk ---------------------------------------------------------------------------

NO_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
NO_SPACE_TEXTS = ("No space left on device", "Disk quota exceeded")  # strerror, as qemu-img prints it


def storage_full_on_enospc(function):
    """A storage step whose file system fills up raises StorageFull (a StorageError the
    callers map to a clean error), never a bare OSError. The step itself removes what it
    had half written."""
    @functools.wraps(function)
    def step(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except OSError as exc:
            if exc.errno in NO_SPACE_ERRNOS:
                raise StorageFull(f"no space left on the device: {exc.strerror}") from exc
            raise
    return step


def out_of_space(exc: BaseException) -> bool:
    """Whether ``exc``, or what caused it, says the disk is full: a storage step's
    StorageFull, an OSError ENOSPC/EDQUOT, or SQLite's "database or disk is full"."""
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in chain:
        chain.append(link)
        link = link.__cause__ or link.__context__
    return any(isinstance(link, StorageFull) or (isinstance(link, OSError) and link.errno in NO_SPACE_ERRNOS)
               or "database or disk is full" in str(link) for link in chain)


# --- running qemu-img and qemu-io ----------------------------------------------------------

def run_tool(*command: str, input: bytes | None = None, pass_fds: tuple[int, ...] = ()) -> str:
    """Runs qemu-img or qemu-io; its stdout. A failure is a StorageError, or StorageFull
    when the file system filled up (qemu-io reports errors on stdout, qemu-img on stderr)."""
    prefix = _launcher()
    preexec = None if prefix else functools.partial(_tool_child, os.getpid())
    try:
        done = subprocess.run((*prefix, *command), input=input, capture_output=True, timeout=600,
                              pass_fds=pass_fds, preexec_fn=preexec)
    except subprocess.TimeoutExpired as exc:  # run() has killed it
        raise StorageError(f"{' '.join(command[:2])} took more than {exc.timeout:.0f} s") from None
    except OSError as exc:
        raise StorageError(f"{command[0]}: {exc}") from exc
    out = done.stdout.decode(errors="replace")
    err = done.stderr.decode(errors="replace")
    # qemu-io says "write failed: …" on stdout (older versions even exit 0 after it).
    if done.returncode == 0 and not (command[0] == "qemu-io" and " failed: " in out):
        return out
    said = (err.strip() + "\n" + out.strip()).strip()
    if any(text in said for text in NO_SPACE_TEXTS):
        raise StorageFull(f"{' '.join(command[:2])}: no space left on the device")
    raise StorageError(f"{' '.join(command[:2])} failed: {said}")


@functools.cache
def _launcher() -> tuple[str, ...]:
    """What a tool is started through. The tool dies with the server (a kill -9 leaves no
    qemu-img or qemu-io behind) and runs at the priority of heavy work (priority.py: cheap
    calls go first on a busy CPU). ``setpriv`` and ``nice`` (util-linux, coreutils) do
    both after an exec, so the child runs no Python and Python spawns it without forking
    the server: copying a large server's page tables held up every thread for
    milliseconds. Where they are missing: () and a function run in a forked child."""
    setpriv, nice = shutil.which("setpriv"), shutil.which("nice")
    if not (CAN_DIE_WITH_PARENT and setpriv and nice):
        return ()
    return (setpriv, "--pdeathsig", "KILL", nice, "-n", str(NICENESS))


def _tool_child(parent_pid: int) -> None:
    """In the tool's process, before exec (no setpriv and nice: see ``_launcher``)."""
    if CAN_DIE_WITH_PARENT:
        die_with_parent(parent_pid, signal.SIGKILL)
    lower_priority(NICENESS)


def qemu_img_path() -> str | None:
    return shutil.which("qemu-img")


# --- a user's file as an image -------------------------------------------------------------

QCOW2_MAGIC = b"QFI\xfb"
QCOW2_INCOMPAT_DATA_FILE = 1 << 2
# What qemu-img recognises by its first bytes (offset, magic, format), besides qcow2; a
# file with none of them is raw to qemu-img too. Checked without running qemu-img at all.
OTHER_FORMATS = (
    (0, b"KDMV", "vmdk"), (0, b"COWD", "vmdk"), (0, b"# Disk DescriptorFile", "vmdk"),
    (0, b"conectix", "vpc"), (0, b"vhdxfile", "vhdx"), (0, b"QED\x00", "qed"),
    (64, b"\x7f\x10\xda\xbe", "vdi"), (0, b"LUKS\xba\xbe", "luks"),
    (0, b"WithoutFreeSpace", "parallels"), (0, b"WithouFreSpacExt", "parallels"),
    (0, b"Bochs Virtual HD Image", "bochs"), (0, b"#!/bin/sh\n#V2.0 Format", "cloop"),
)


def open_regular_file(path: Path) -> int:
    """A read-only descriptor of ``path``, which must be a regular file and not a symbolic
    link (O_NOFOLLOW; O_NONBLOCK so that a FIFO cannot hang the open)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ImageRefused(f"{path.name} is a symbolic link") from None
        raise ImageRefused(f"{path.name} cannot be opened: {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ImageRefused(f"{path.name} is not a regular file")
    return fd


def _sniff(fd: int) -> str:
    """raw or qcow2 from the file's first bytes; ImageRefused for any other format, for a
    qcow2 with a backing file or an external data file, or an encrypted one."""
    header = os.pread(fd, 4096, 0)
    if header.startswith(QCOW2_MAGIC):
        if len(header) < 72:
            raise ImageRefused("a truncated qcow2 header")
        _, version, backing_offset, _, _, _, crypt = struct.unpack_from(">4sIQIIQI", header, 0)
        if version not in (2, 3):
            raise ImageRefused(f"qcow version {version}: only qcow2 (versions 2 and 3) or raw")
        if backing_offset:
            raise ImageRefused("a qcow2 with a backing file: flatten it first "
                               "(qemu-img convert -O qcow2 FILE FLAT.qcow2)")
        if version == 3 and len(header) >= 80 and struct.unpack_from(">Q", header, 72)[0] & QCOW2_INCOMPAT_DATA_FILE:
            raise ImageRefused("a qcow2 with an external data file: convert it to a plain qcow2 first")
        if crypt:
            raise ImageRefused("an encrypted qcow2")
        return "qcow2"
    for offset, magic, name in OTHER_FORMATS:
        if header[offset:offset + len(magic)] == magic:
            raise ImageRefused(f"a {name} image: only raw or qcow2 (qemu-img convert -O qcow2 FILE OUT.qcow2)")
    return "raw"


def probe_importable(fd: int) -> tuple[str, int]:
    """(format, virtual size in bytes) of a user's open file, which must be raw or a
    self-contained qcow2 (see ``_sniff``). Where qemu-img is installed it must read the file
    the same way. Without it a qcow2 cannot be imported."""
    fmt = _sniff(fd)
    if qemu_img_path() is None:
        if fmt == "qcow2":
            raise StorageError("a qcow2 file needs qemu-img to import (Debian: apt-get install qemu-utils)")
        return fmt, os.fstat(fd).st_size
    try:
        info = json.loads(run_tool("qemu-img", "info", "--output", "json", f"/dev/fd/{fd}", pass_fds=(fd,)))
    except StorageFull:
        raise
    except StorageError as exc:
        raise ImageRefused(f"qemu-img cannot read it ({exc})") from None
    if info.get("format") != fmt:
        raise ImageRefused(f"qemu-img reads it as {info.get('format')}: only raw or qcow2")
    if info.get("backing-filename") or info.get("format-specific", {}).get("data", {}).get("data-file"):
        raise ImageRefused("a qcow2 that refers to other files (a backing file or a data file)")
    return fmt, int(info["virtual-size"])


def tool_source(fd: int, fmt: str) -> list[str]:
    """qemu-img convert's source arguments for a user's open file: the descriptor (so the
    file checked is the file read), and for qcow2 no backing file whatever its header says."""
    if fmt == "qcow2":
        spec = {"driver": "qcow2", "file": {"driver": "file", "filename": f"/dev/fd/{fd}"}, "backing": None}
        return ["json:" + json.dumps(spec)]
    return ["-f", "raw", f"/dev/fd/{fd}"]


# --- scratch space -------------------------------------------------------------------------


def is_scratch(name: str) -> bool:
    """What storage steps leave in the storage root only when killed mid-way: scratch
    directories (``tempfile``'s ``tmp…``), files being written (``….tmp``, ``….new``)."""
    return name.startswith("tmp") or name.endswith((".tmp", ".new", ".import.raw"))


@dataclass(frozen=True)
class Frozen:
    """What a snapshot of a disk holds: the layer with its content (None: all zeros),
    and whether that layer is new (else it is the disk's base, shared)."""

    layer_id: str | None
    parent_id: str | None = None
    new: bool = False


def public_layer_id(image_id: str) -> str:
    return PUBLIC_PREFIX + image_id


def public_image_content(image_id: str) -> bytes:
    """A recognisable header, then a few MiB of data distinct per image (and the same at
    every start: generated from the image ID)."""
    header = HEADER + image_id.encode() + b"\n"
    return header + random.Random(image_id).randbytes(PUBLIC_CONTENT_BYTES)


def pwrite_all(fd: int, data, offset: int) -> None:
    """All of ``data`` at ``offset``: a nearly full file system writes part and says how
    much (only the next call fails with ENOSPC), so one pwrite could lose the rest silently."""
    view = memoryview(data)
    done = 0
    while done < len(view):
        done += os.pwrite(fd, view[done:], offset + done)


COPY_BLOCK = 8 * 1024**2  # bytes read at a time while copying a sparse file (extents can be GiBs)


def allocated_blocks(fd: int) -> Iterator[tuple[int, bytes]]:
    """(offset, bytes) of what a sparse file holds, a block at a time, holes skipped
    (SEEK_DATA/SEEK_HOLE; where the file system cannot tell, all of the file)."""
    size = os.fstat(fd).st_size
    position = 0
    while position < size:
        try:
            start = os.lseek(fd, position, os.SEEK_DATA)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # nothing but a hole from here on
                return
            start = position  # no SEEK_DATA here: read it all
            end = size
        else:
            end = os.lseek(fd, start, os.SEEK_HOLE)
        while start < end:
            block = os.pread(fd, min(COPY_BLOCK, end - start), start)
            if not block:
                return
            yield start, block
            start += len(block)
        position = end


def fsync_path(path: Path) -> None:
    """fsync a file or a directory (so that a rename in it is durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_path(path: Path) -> None:
    """A file, a link or a directory tree, whichever it is."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


class Storage(ABC):
    """One backend's files under ``root``: ``layers/`` (immutable) and ``disks/``."""

    name: str

    def __init__(self, root: Path, *, crash_at: str | None = None) -> None:
        self.root = root
        self.layers_dir = root / "layers"
        self.disks_dir = root / "disks"
        self.layers_dir.mkdir(parents=True, exist_ok=True)
        self.disks_dir.mkdir(parents=True, exist_ok=True)
        self._crash_at = crash_at

    def crash_point(self, name: str) -> None:
        """Tests of crash safety name a step (``--crash-at reset:swapped``); the process
        dies there as a kill -9 would."""
        if self._crash_at == name:
            os.kill(os.getpid(), signal.SIGKILL)

    @storage_full_on_enospc
    def ensure_public_layer(self, image_id: str, content: Callable[[], Path] | None = None) -> str:
        """The public image's layer, made at first use: from the file ``content()`` gives
        (a raw disk, asked for only then), else from ``public_image_content``."""
        layer_id = public_layer_id(image_id)
        if not self.has_layer(layer_id):
            if content is not None:
                self.import_file(layer_id, content())
            else:
                self.import_bytes(layer_id, public_image_content(image_id))
        return layer_id

    # --- scratch space -------------------------------------------------------------------

    def scratch(self) -> tempfile.TemporaryDirectory:
        """A scratch directory in the storage root (``tmp…``): removed when the step ends,
        and by ``sweep_scratch`` at the next start if the process was killed first."""
        return tempfile.TemporaryDirectory(dir=self.root)

    @contextmanager
    def memory_file(self, size: int) -> Iterator[tuple[int, str]]:
        """A file of ``size`` zero bytes for a tool to write into and us to read back:
        (descriptor, the path a child process opens it by, passing the descriptor). In
        memory where the system has memfd (Linux), so reading a disk takes no space on a
        full data dir and leaves nothing behind; else a scratch file."""
        if hasattr(os, "memfd_create"):
            fd = os.memfd_create("ecsemu-window", os.MFD_CLOEXEC)
            try:
                os.ftruncate(fd, size)
                yield fd, f"/dev/fd/{fd}"
            finally:
                os.close(fd)
            return
        with self.scratch() as scratch:
            path = Path(scratch) / "window"
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            try:
                os.ftruncate(fd, size)
                yield fd, str(path)
            finally:
                os.close(fd)

    def sweep_scratch(self) -> list[Path]:
        """Removes what a killed process left in the storage root (its own ``layers/`` and
        ``disks/`` are the backends' to reconcile); returns what it removed."""
        removed = [path for path in self.root.iterdir()
                   if path not in (self.layers_dir, self.disks_dir) and is_scratch(path.name)]
        for path in removed:
            remove_path(path)
        return removed

    # --- layers --------------------------------------------------------------------------

    @abstractmethod
    def has_layer(self, layer_id: str) -> bool: ...

    @abstractmethod
    def import_bytes(self, layer_id: str, content: bytes) -> None:
        """A new layer holding ``content`` from offset 0."""

    def import_file(self, layer_id: str, path: Path) -> int:
        """A new layer from a user's raw or qcow2 file; returns its virtual size in bytes.
        ``path`` must be a regular file, not a symbolic link (else ImageRefused)."""
        fd = open_regular_file(path)
        try:
            return self.import_fd(layer_id, fd)
        finally:
            os.close(fd)

    @abstractmethod
    def import_fd(self, layer_id: str, fd: int) -> int:
        """A new layer from an open regular file, raw or a self-contained qcow2 (else
        ImageRefused, see ``probe_importable``); returns its virtual size in bytes."""

    @abstractmethod
    def delete_layer(self, layer_id: str) -> None: ...

    @abstractmethod
    def copy_layer(self, source_id: str, layer_id: str) -> None:
        """A new layer holding ``source_id``'s bytes on its own (nothing it backs onto):
        a snapshot copied to another region, which has none of the source's chain."""

    @abstractmethod
    def layer_bytes(self, layer_id: str) -> int:
        """Bytes the layer's own files take on the host (0 when there is no such layer)."""

    # --- disks ---------------------------------------------------------------------------

    @abstractmethod
    def has_file(self, disk_id: str) -> bool:
        """Whether the disk was written to (else its bytes are its base's)."""

    @abstractmethod
    def read(self, disk_id: str, base: str | None, offset: int, length: int) -> bytes: ...

    @abstractmethod
    def write(self, disk_id: str, base: str | None, size: int, offset: int, data: bytes) -> None: ...

    @abstractmethod
    def reset(self, disk_id: str, base: str | None, size: int) -> None:
        """The disk's bytes become ``base``'s again (crash-safe); nothing to do for a disk
        never written to, whose new base is simply recorded."""

    @abstractmethod
    def freeze(self, disk_id: str, base: str | None, layer_id: str) -> Frozen:
        """The disk's content as it is now, in a layer that later writes never change."""

    @abstractmethod
    def resize(self, disk_id: str, size: int) -> None: ...

    @abstractmethod
    def delete_disk(self, disk_id: str) -> None: ...

    @abstractmethod
    def export(self, disk_id: str, base: str | None, size: int, dest: Path, fmt: str) -> None:
        """The whole disk as one raw or qcow2 file a user can boot or inspect, written at
        ``dest`` (removed again if the export fails)."""

    @abstractmethod
    def allocated_bytes(self, disk_id: str) -> int:
        """Bytes the disk's own file takes on the host (0 when it has none)."""

    # --- housekeeping --------------------------------------------------------------------

    @abstractmethod
    def reconcile(self, disk_ids: set[str], layer_ids: set[str]) -> list[Path]:
        """Removes what no database row owns (a crash's leftovers: scratch directories,
        half-written files; released resources); returns what it removed."""
