"""Disk bytes as the actions see them: which layer a disk, snapshot or image sits on, and
the storage operations that go with each API change.

Files are written before the transaction commits (write new, swap, then record) and
removed after it commits (record, then delete): a crash in between leaves a file nobody
owns, which ``reconcile`` removes at the next start.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Row, select

from .domain.ids import new_id
from .guest.image import BOOTABLE_IMAGE_ID, bootable_root_fs
from .storage.base import PUBLIC_PREFIX
from .storage.files import export_to, open_for_import, sweep_exports
from .store import auto_snapshot_policies as policy_store
from .store import layers as layer_store
from .store import tags as tag_store
from .store.images import ImageInfo
from .store.rows import assign
from .store.schema import disks, images

GIB = 1024**3


class DataPlane:
    def __init__(self, emulator) -> None:
        self._emulator = emulator
        self.storage = emulator.storage

    # --- where bytes come from -------------------------------------------------------------

    def image_layer(self, conn: Connection, image: ImageInfo) -> str | None:
        if image.public:
            if image.image_id == BOOTABLE_IMAGE_ID:  # an ext4 system disk that boots (guest/image.py)
                return self.storage.ensure_public_layer(image.image_id, lambda: bootable_root_fs(self.storage.root))
            return self.storage.ensure_public_layer(image.image_id)
        return conn.execute(select(images.c.layer_id).where(images.c.id == image.image_id)).scalar()

    # --- the files dir: what import reads and export writes (control plane and API alike) ---

    def import_file(self, path: object, layer_id: str) -> tuple[int, str]:
        """The raw or qcow2 file ``path`` names in the files dir, read into the new layer
        ``layer_id`` (not yet recorded: ``record_import`` does, in the caller's transaction;
        ``drop_import`` removes it if that never commits). Returns (virtual size in bytes,
        file name). Raises PathRefused or ImageRefused (storage.files, storage.base)."""
        fd, file_name = open_for_import(self._emulator.files_dir, path)
        try:
            return self.storage.import_fd(layer_id, fd), file_name
        finally:
            os.close(fd)

    def has_directory(self, name: str) -> bool:
        """Whether the files dir has a directory of that one name (an OSS bucket, for the
        image import and export actions)."""
        return name not in ("", ".", "..") and "/" not in name and "\0" not in name \
            and (self._emulator.files_dir / name).is_dir() and not (self._emulator.files_dir / name).is_symlink()

    def record_import(self, conn: Connection, layer_id: str) -> None:
        layer_store.add_layer(conn, layer_id, None, self._emulator.clock.now())

    def drop_import(self, layer_id: str) -> None:
        """An imported layer no row came to own: removed now, not left for the next start."""
        self.storage.delete_layer(layer_id)

    def export_file(self, owner_id: str, layer: str | None, size_gib: int, path: object, fmt: str,
                    overwrite: bool) -> str:
        """The bytes of ``owner_id`` (a disk's own file if it has one, else ``layer``), ``size_gib``
        long, written as one raw or qcow2 file at ``path`` in the files dir; returns that path
        relative to it. Raises PathRefused or DestinationExists (storage.files)."""
        return export_to(self._emulator.files_dir, path, overwrite, lambda temporary: self.storage.export(
            owner_id, layer, size_gib * GIB, temporary, fmt))

    # --- changes ---------------------------------------------------------------------------

    def reset(self, conn: Connection, disk: Row, base: str | None) -> None:
        """The disk's bytes become ``base``'s (ReInitDisk, ResetDisk)."""
        self.storage.reset(disk.id, base, disk.size * GIB)
        assign(conn, disks, disk.id, base_layer_id=base)
        self.release(conn, [disk.base_layer_id])
        self.after_commit(conn, lambda: self.storage.crash_point("reset:recorded"))

    def freeze(self, conn: Connection, disk: Row, region_id: str) -> str | None:
        """A snapshot's layer: the disk's bytes as they are now."""
        frozen = self.storage.freeze(disk.id, disk.base_layer_id, new_id("layer", region_id))
        if frozen.new:
            layer_store.add_layer(conn, frozen.layer_id, frozen.parent_id, self._emulator.clock.now())
            self.after_commit(conn, lambda: self.storage.crash_point("snapshot:recorded"))
        return frozen.layer_id

    def copy(self, conn: Connection, layer_id: str | None, region_id: str) -> str | None:
        """A standalone copy of a snapshot's layer for another region (CopySnapshot): the
        same bytes, none of the source's chain; None stays None (all zeros)."""
        if layer_id is None:
            return None
        copy_id = new_id("layer", region_id)
        self.storage.copy_layer(layer_id, copy_id)
        layer_store.add_layer(conn, copy_id, None, self._emulator.clock.now())
        return copy_id

    def held_bytes(self, layer_ids: Iterable[str | None]) -> int:
        """What the layers take on the host, each counted once; a public image's layer is
        the catalogue's, not the account's, and counts for nothing."""
        held = {layer_id for layer_id in layer_ids if layer_id and not layer_id.startswith(PUBLIC_PREFIX)}
        return sum(self.storage.layer_bytes(layer_id) for layer_id in sorted(held))

    def resize(self, disk: Row, size_gib: int) -> None:
        self.storage.resize(disk.id, size_gib * GIB)

    def remove_disk(self, conn: Connection, disk: Row, *, expect: str | Sequence[str]) -> bool:
        """The disk and all that hangs on it: its row, pending transitions and tags now, its
        file once that is committed; only while the disk is still in ``expect`` (one status
        or several: compare-and-swap). Returns whether it went."""
        expected = (expect,) if isinstance(expect, str) else tuple(expect)
        query = disks.delete().where(disks.c.id == disk.id, disks.c.status.in_(expected))
        if not conn.execute(query).rowcount:
            return False
        self._emulator.scheduler.cancel(conn, disk.id)
        tag_store.forget(conn, disk.id)
        self.after_commit(conn, lambda: self.storage.delete_disk(disk.id))
        automatic = policy_store.release_automatic(conn, disk.id, self._emulator.clock.now()) \
            if disk.delete_auto_snapshot else []
        self.release(conn, [disk.base_layer_id, *(snapshot.layer_id for snapshot in automatic)])
        return True

    def release(self, conn: Connection, candidates: Iterable[str | None]) -> None:
        """Layers that may have lost their last reference: collected now, files removed
        after the commit."""
        for layer_id in layer_store.collect(conn, candidates):
            self.after_commit(conn, lambda layer_id=layer_id: self.storage.delete_layer(layer_id))

    def after_commit(self, conn: Connection, action) -> None:
        self._emulator.after_commit(conn, action)

    # --- start-up --------------------------------------------------------------------------

    def reconcile(self) -> int:
        """Removes files no row owns (a crash's leftovers: scratch directories, half-written
        layers and overlays, an export's temporary file in the files dir); returns how many."""
        with self._emulator.db.transaction() as conn:
            disk_ids = {disk_id for (disk_id,) in conn.execute(select(disks.c.id))}
            layer_ids = layer_store.all_layer_ids(conn)
        removed = self.storage.reconcile(disk_ids, layer_ids)
        files_dir = self._emulator.config.default_files_path  # None: a fresh temporary directory
        if files_dir is not None:
            removed += sweep_exports(files_dir)
        return len(removed)
