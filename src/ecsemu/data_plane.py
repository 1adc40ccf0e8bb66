"""Disk bytes as the actions see them: which layer a disk, snapshot or image sits on, and
the storage operations that go with each API change.

Files are written before the transaction commits (write new, swap, then record) and
removed after it commits (record, then delete): a crash in between leaves a file nobody
owns, which ``reconcile`` removes at the next start.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Row, select

from .domain.ids import new_id
from .storage.files import sweep_exports
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
            return self.storage.ensure_public_layer(image.image_id)
        return conn.execute(select(images.c.layer_id).where(images.c.id == image.image_id)).scalar()

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
