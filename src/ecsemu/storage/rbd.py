"""Ceph RBD storage: disk bytes in a pool several emulators share (docs/scaling-out.md).

Names, in this database's RBD namespace (store/storage_identity.py), derived from IDs so
that every emulator on the same database finds the same object:

- a layer is the image ``layer.<layer ID>`` with one protected snapshot ``layer``; a snapshot
  of a disk is a deep copy of the disk's clone (what was written, still a child of the disk's
  base: the layer's parent, which the database keeps while it is needed);
- a written disk is ``disk.<disk ID>``, a clone of its base's snapshot (or a plain image
  over no base); an unwritten disk has no image, its bytes are its base's.

Crash safety as in the file backends: new objects are made under a temporary name
(``….<token>.new``) and renamed into place. A reset is one step: the disk's image moves to
the namespace's trash, and the disk reads as its base until its next write clones it again.
The trash is emptied in the background once resets have gone quiet (``TrashPurge``):
removing a clone is the slowest step. ``reconcile`` removes
what a kill left under a temporary name and empties the trash. Clones use 32 MiB objects:
an object map of a 32 TiB disk is then small enough to make in a few tens of ms.
"""

from __future__ import annotations

import functools
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .base import (
    PUBLIC_PREFIX,
    Frozen,
    Storage,
    StorageError,
    allocated_blocks,
    exporting,
    probe_importable,
    pwrite_all,
    raw_to_qcow2,
    run_tool,
    storage_full_on_enospc,
    tool_source,
)
from .ceph import CephSettings, CephUnavailable, Connection, bindings

SNAP = "layer"        # the one snapshot of a layer image, which clones hang on
CLONE_ORDER = 25      # 2**25 = 32 MiB objects for disks (see above)
LAYER_ORDER = 22      # 4 MiB objects for layers (Ceph's default)
IO_BLOCK = 8 * 1024**2


def _layer(layer_id: str) -> str:
    return f"layer.{layer_id}"


def _disk(disk_id: str) -> str:
    return f"disk.{disk_id}"


def _temporary(name: str) -> str:
    return f"{name}.{secrets.token_hex(4)}.new"


def parse_name(name: str) -> tuple[str, str, bool] | None:
    """(kind, ID, temporary) of an object this backend names; None for anything else."""
    kind, _, rest = name.partition(".")
    if kind not in ("layer", "disk") or not rest:
        return None
    temporary = rest.endswith(".new")
    if temporary:
        rest = rest.removesuffix(".new").rpartition(".")[0]
    return kind, rest, temporary


def ceph_errors(function):
    """A failure of the cluster or the bindings is a StorageError (a clean internal error)."""
    @functools.wraps(function)
    def step(self, *args, **kwargs):
        try:
            return function(self, *args, **kwargs)
        except StorageError:
            raise
        except CephUnavailable as exc:
            raise StorageError(str(exc)) from exc
        except Exception as exc:
            rados, rbd = bindings()
            if isinstance(exc, (rados.Error, rbd.Error)):
                raise StorageError(f"rbd: {function.__name__}: {exc}") from exc
            raise
    return step


class RbdStorage(Storage):
    name = "rbd"

    def __init__(self, root: Path, settings: CephSettings, namespace: str, *, crash_at: str | None = None) -> None:
        super().__init__(root, crash_at=crash_at)
        self.settings = settings
        self.namespace = namespace
        self._connection = Connection(settings)
        self._rados, self._rbd = bindings()
        self._purge = TrashPurge(self._empty_trash)

    def _io(self) -> Any:
        return self._connection.ioctx(self.namespace)

    @contextmanager
    def _image(self, name: str, snapshot: str | None = None, read_only: bool = False) -> Iterator[Any]:
        image = self._rbd.Image(self._io(), name, snapshot=snapshot, read_only=read_only)
        try:
            yield image
        finally:
            image.close()

    def _exists(self, name: str) -> bool:
        try:
            self._rbd.Image(self._io(), name, read_only=True).close()
        except self._rbd.ImageNotFound:
            return False
        return True

    def _remove(self, name: str) -> None:
        """An image and its snapshots (unprotected first); nothing if it is gone."""
        try:
            with self._image(name) as image:
                for snap in list(image.list_snaps()):
                    if image.is_protected_snap(snap["name"]):
                        image.unprotect_snap(snap["name"])
                    image.remove_snap(snap["name"])
            self._rbd.RBD().remove(self._io(), name)
        except self._rbd.ImageNotFound:
            pass

    def _seal_layer(self, temporary: str, layer_id: str) -> None:
        """A layer made under ``temporary`` gets its protected snapshot and its name; if
        another process made the same layer first (a public image), ours goes."""
        with self._image(temporary) as image:
            image.create_snap(SNAP)
            image.protect_snap(SNAP)
        try:
            self._rbd.RBD().rename(self._io(), temporary, _layer(layer_id))
        except self._rbd.ImageExists:
            self._remove(temporary)

    # --- layers ----------------------------------------------------------------------------

    @ceph_errors
    def has_layer(self, layer_id: str) -> bool:
        return self._exists(_layer(layer_id))

    @ceph_errors
    def import_bytes(self, layer_id: str, content: bytes) -> None:
        temporary = _temporary(_layer(layer_id))
        try:
            self._rbd.RBD().create(self._io(), temporary, len(content), order=LAYER_ORDER)
            with self._image(temporary) as image:
                image.write(content, 0)
                image.flush()
            self._seal_layer(temporary, layer_id)
        except BaseException:
            self._remove(temporary)
            raise

    @ceph_errors
    @storage_full_on_enospc
    def import_fd(self, layer_id: str, fd: int) -> int:
        fmt, virtual = probe_importable(fd)
        with self.scratch() as scratch:
            if fmt == "raw":
                source = fd
            else:  # qcow2 → a sparse raw file in scratch space, then its extents
                raw = Path(scratch) / "import.raw"
                run_tool("qemu-img", "convert", "-q", *tool_source(fd, fmt), "-O", "raw", str(raw), pass_fds=(fd,))
                source = os.open(raw, os.O_RDONLY | os.O_CLOEXEC)
            temporary = _temporary(_layer(layer_id))
            try:
                self._rbd.RBD().create(self._io(), temporary, virtual, order=LAYER_ORDER)
                with self._image(temporary) as image:
                    for offset, block in allocated_blocks(source):
                        if block.count(0) != len(block):
                            image.write(block, offset)
                    image.flush()
                self._seal_layer(temporary, layer_id)
            except BaseException:
                self._remove(temporary)
                raise
            finally:
                if source != fd:
                    os.close(source)
        return virtual

    @ceph_errors
    def delete_layer(self, layer_id: str) -> None:
        try:
            self._remove(_layer(layer_id))
        except self._rbd.ImageBusy:
            self._empty_trash()  # a reset's old clone may still hold it from the trash
            try:
                self._remove(_layer(layer_id))
            except self._rbd.ImageBusy:  # still a parent of a clone: reconcile takes it once free
                pass

    @ceph_errors
    def copy_layer(self, source_id: str, layer_id: str) -> None:
        temporary = _temporary(_layer(layer_id))
        try:
            with self._image(_layer(source_id), snapshot=SNAP, read_only=True) as source:
                # A plain copy reads through the parent: the copy stands alone.
                source.copy(self._io(), temporary)
            self._seal_layer(temporary, layer_id)
        except BaseException:
            self._remove(temporary)
            raise

    @ceph_errors
    def layer_bytes(self, layer_id: str) -> int:
        try:
            with self._image(_layer(layer_id), snapshot=SNAP, read_only=True) as image:
                return _own_bytes(image)
        except self._rbd.ImageNotFound:
            return 0

    # --- disks -----------------------------------------------------------------------------

    @ceph_errors
    def has_file(self, disk_id: str) -> bool:
        return self._exists(_disk(disk_id))

    @ceph_errors
    def read(self, disk_id: str, base: str | None, offset: int, length: int) -> bytes:
        if length == 0:
            return b""
        try:
            with self._image(_disk(disk_id), read_only=True) as image:
                return _read(image, offset, length)
        except self._rbd.ImageNotFound:
            pass
        if base is None:
            return bytes(length)
        with self._image(_layer(base), snapshot=SNAP, read_only=True) as image:
            return _read(image, offset, length)

    @ceph_errors
    def write(self, disk_id: str, base: str | None, size: int, offset: int, data: bytes) -> None:
        if not self._exists(_disk(disk_id)):
            self._first_clone(disk_id, base, size)
        if data:
            with self._image(_disk(disk_id)) as image:
                image.write(data, offset)
                image.flush()

    def _first_clone(self, disk_id: str, base: str | None, size: int) -> None:
        """The image of a disk's first write: an empty clone of ``base`` at ``size`` (a plain
        image over no base), made under a temporary name and renamed into place."""
        io, final = self._io(), _disk(disk_id)
        temporary = _temporary(final)
        try:
            if base is None:
                self._rbd.RBD().create(io, temporary, size, order=CLONE_ORDER)
            else:
                self._rbd.RBD().clone(io, _layer(base), SNAP, io, temporary, order=CLONE_ORDER)
                with self._image(temporary) as image:
                    if image.size() != size:
                        image.resize(size)
            self._rbd.RBD().rename(io, temporary, final)
        except BaseException:
            self._remove(temporary)
            raise

    def _empty_trash(self) -> None:
        """Removes what resets moved to this namespace's trash (in the background after a
        reset; at once before a layer goes, since a clone in the trash still holds its parent)."""
        io = self._io()
        for entry in list(self._rbd.RBD().trash_list(io)):
            try:
                self._rbd.RBD().trash_remove(io, entry["id"], True)
            except (self._rbd.ImageNotFound, self._rbd.ImageBusy):  # another process took it, or in use
                pass

    @ceph_errors
    def reset(self, disk_id: str, base: str | None, size: int) -> None:
        """The disk's image goes to the trash, one O(1) step whatever the size: a disk with
        no image reads as its base, as one never written does, and its next write clones
        the base again. Killed before the move, the old content; after it, the new."""
        self.crash_point("reset:written")  # nothing to write: the base is the new content
        try:
            self._rbd.RBD().trash_move(self._io(), _disk(disk_id), 0)
        except self._rbd.ImageNotFound:
            return  # never written: the new base is simply recorded
        self.crash_point("reset:swapped")
        self._purge.soon()

    @ceph_errors
    def freeze(self, disk_id: str, base: str | None, layer_id: str) -> Frozen:
        try:
            image = self._rbd.Image(self._io(), _disk(disk_id), read_only=True)
        except self._rbd.ImageNotFound:
            return Frozen(base)  # never written: the base is the content
        temporary = _temporary(_layer(layer_id))
        try:
            try:
                parent: str | None = image.parent_info()[1].removeprefix("layer.")
            except self._rbd.ImageNotFound:  # a disk over no base
                parent = None
            # What was written, still over the same parent (no copy of the base's bytes).
            image.deep_copy(self._io(), temporary, order=CLONE_ORDER)
            with self._image(temporary) as copy:
                copy.create_snap(SNAP)
                copy.protect_snap(SNAP)
            self.crash_point("snapshot:written")
            self._rbd.RBD().rename(self._io(), temporary, _layer(layer_id))
        except BaseException:
            self._remove(temporary)
            raise
        finally:
            image.close()
        self.crash_point("snapshot:renamed")
        return Frozen(layer_id, parent_id=parent, new=True)

    @ceph_errors
    def resize(self, disk_id: str, size: int) -> None:
        try:
            with self._image(_disk(disk_id)) as image:
                image.resize(size)
        except self._rbd.ImageNotFound:
            pass

    @ceph_errors
    def delete_disk(self, disk_id: str) -> None:
        self._remove(_disk(disk_id))

    @ceph_errors
    @storage_full_on_enospc
    def export(self, disk_id: str, base: str | None, size: int, dest: Path, fmt: str) -> None:
        with exporting(dest, fmt), self.scratch() as scratch:
            raw = dest if fmt == "raw" else Path(scratch) / "export.raw"
            fd = os.open(raw, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
            try:
                os.ftruncate(fd, size)
                self._copy_out(disk_id, base, size, fd)
                os.fsync(fd)
            finally:
                os.close(fd)
            if fmt == "qcow2":
                raw_to_qcow2(raw, dest)

    def _copy_out(self, disk_id: str, base: str | None, size: int, fd: int) -> None:
        """The disk's allocated extents (its own and its parents') into a sparse file."""
        if self._exists(_disk(disk_id)):
            name, snapshot = _disk(disk_id), None
        elif base is not None:
            name, snapshot = _layer(base), SNAP
        else:
            return
        with self._image(name, snapshot=snapshot, read_only=True) as image:
            end = min(size, image.size())
            for offset, length in _extents(image, end, include_parent=True):
                for start in range(offset, offset + length, IO_BLOCK):
                    pwrite_all(fd, image.read(start, min(IO_BLOCK, offset + length - start)), start)

    @ceph_errors
    def allocated_bytes(self, disk_id: str) -> int:
        try:
            with self._image(_disk(disk_id), read_only=True) as image:
                return _own_bytes(image)
        except self._rbd.ImageNotFound:
            return 0

    # --- housekeeping ----------------------------------------------------------------------

    @ceph_errors
    def reconcile(self, disk_ids: set[str], layer_ids: set[str]) -> list[Path]:
        """Only this database's namespace is looked at: other emulators' objects in the same
        pool are never touched. What a kill left under a temporary name (a first write's
        clone, a layer not yet sealed) goes: the step it belonged to never completed."""
        removed = self.sweep_scratch()
        self._empty_trash()
        io = self._io()
        names = set(self._rbd.RBD().list(io))
        gone: list[str] = []
        for name in sorted(names):
            parsed = parse_name(name)
            if parsed is None:
                continue
            kind, object_id, temporary = parsed
            owned = (disk_ids if kind == "disk" else layer_ids)
            if temporary or not (object_id in owned or object_id.startswith(PUBLIC_PREFIX)):
                gone.append(name)
        # Children before parents: a layer goes once no clone or copy hangs on it.
        gone.sort(key=lambda name: not name.startswith("disk."))
        while gone:
            left = []
            for name in gone:
                try:
                    self._remove(name)
                    removed.append(Path(f"rbd:{self.settings.pool}/{self.namespace}/{name}"))
                except self._rbd.ImageBusy:
                    left.append(name)
            if len(left) == len(gone):
                break
            gone = left
        return removed


class TrashPurge:
    """Empties the trash off the requests' path, once resets have gone quiet for ``quiet``
    seconds (or ``ceiling`` seconds after the first one waiting, so a steady stream of
    resets cannot grow it without end). Removing a clone costs more than trashing it
    (32 TiB: some 165 ms against 20 ms on the throwaway cluster), and run at once it
    competes for the cluster with the calls that follow the reset; a burst of resets is
    then emptied in one go. Thread-safe; one thread."""

    def __init__(self, purge: Callable[[], None], *, quiet: float = 1.0, ceiling: float = 30.0) -> None:
        self._purge = purge
        self._quiet, self._ceiling = quiet, ceiling
        self._lock = threading.Lock()
        self._first: float | None = None   # when the oldest reset waiting for a purge asked
        self._due = 0.0
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rbd-trash")

    def soon(self) -> None:
        now = time.monotonic()
        with self._lock:
            waiting = self._first is not None
            first = self._first = self._first if self._first is not None else now
            self._due = min(now + self._quiet, first + self._ceiling)
        if not waiting:
            self._worker.submit(self._when_quiet)

    def _when_quiet(self) -> None:
        while True:
            with self._lock:
                wait = self._due - time.monotonic()
                if wait <= 0:
                    self._first = None  # a reset from now on asks for a purge of its own
                    break
            time.sleep(wait)
        self._purge()


def _read(image: Any, offset: int, length: int) -> bytes:
    """Bytes past the end of a smaller image (a base under a larger disk) read as zeros."""
    size = image.size()
    data = image.read(offset, min(length, size - offset)) if offset < size else b""
    return data + bytes(length - len(data))


def _extents(image: Any, end: int, *, include_parent: bool) -> list[tuple[int, int]]:
    """Where the image holds data, in whole objects: the object map answers, without a
    request for each of a 32 TiB disk's million objects."""
    found: list[tuple[int, int]] = []
    image.diff_iterate(0, end, None, lambda offset, length, exists: found.append((offset, length)) if exists else None,
                       include_parent=include_parent, whole_object=True)
    return found


def _own_bytes(image: Any) -> int:
    """What the image's own objects span: RBD knows what it holds object by object (32 MiB
    for a disk), not which bytes of an object were written."""
    return sum(length for _, length in _extents(image, image.size(), include_parent=False))
