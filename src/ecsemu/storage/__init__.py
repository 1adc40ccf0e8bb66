"""The data plane: the bytes of disks, snapshots and images.

Images and snapshots are immutable *layers*; a disk is a writable file over the layer it
was made from (its *base*). A disk nobody has written to has no file at all: its bytes
are its base's (or zeros), so making, resetting and snapshotting an unwritten disk costs
nothing. Two backends implement one small interface:

- ``qcow2`` (``qemu-img``): a disk is a qcow2 overlay whose backing file is its base;
  a reset is a fresh empty overlay over the same base, O(1) whatever the disk's size;
  a snapshot copies the overlay (what was written), not the disk.
- ``rbd`` (Ceph, rbd.py): layers are RBD images with a protected snapshot, a disk is a
  clone of its base's, in a pool several emulators on one database share.
- ``raw`` (pure Python): files are sparse, split in chunks so that a 32 TiB disk fits a
  file system whose files stop at 16 TiB; copies move only allocated extents
  (SEEK_DATA/SEEK_HOLE) and leave holes as holes.

Every change is crash-safe in the same order: write the new file next to the old one,
fsync, swap it in with one rename, and only then record it in the database. A kill at
any point leaves the old content or the new, never a mix; ``reconcile`` removes what a
crash left behind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .base import Storage, StorageError
from .ceph import CephSettings
from .qcow2 import Qcow2Storage
from .raw import RawStorage

BACKENDS = ("auto", "qcow2", "raw", "rbd")

__all__ = ["BACKENDS", "CephSettings", "Storage", "StorageError", "open_storage", "qemu_img_available"]


def qemu_img_available() -> bool:
    return shutil.which("qemu-img") is not None and shutil.which("qemu-io") is not None


def open_storage(root: Path, backend: str = "auto", *, crash_at: str | None = None,
                 ceph: CephSettings | None = None, namespace: str | None = None) -> Storage:
    """``auto`` takes qcow2 where qemu-img is installed, else raw. ``rbd`` puts disk bytes in
    the pool ``ceph`` names, in the RBD namespace ``namespace`` (this database's)."""
    if backend == "auto":
        backend = "qcow2" if qemu_img_available() else "raw"
    if backend == "qcow2":
        if not qemu_img_available():
            raise StorageError("the qcow2 storage needs qemu-img and qemu-io (Debian: apt-get install qemu-utils)")
        return Qcow2Storage(root, crash_at=crash_at)
    if backend == "raw":
        return RawStorage(root, crash_at=crash_at)
    if backend == "rbd":
        from .ceph import CephUnavailable
        from .rbd import RbdStorage  # here: the Ceph bindings load only for this backend
        if namespace is None:
            raise StorageError("the rbd storage needs the database's namespace")
        try:
            return RbdStorage(root, ceph or CephSettings(), namespace, crash_at=crash_at)
        except CephUnavailable as exc:
            raise StorageError(str(exc)) from None
    raise StorageError(f"unknown storage backend {backend!r}; one of {', '.join(BACKENDS)}")
