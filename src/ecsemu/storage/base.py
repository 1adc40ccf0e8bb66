"""What every storage backend offers, and what they share: the directory layout, fsync,
crash points, public image content."""

from __future__ import annotations

import os
import random
import shutil
import signal
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

GIB = 1024**3
PUBLIC_PREFIX = "public-"          # layer IDs of public images: made on first use, never collected
PUBLIC_CONTENT_BYTES = 4 * 1024**2  # the data a public image layer holds (after its header)
HEADER = b"ECSEMU PUBLIC IMAGE\n"


class StorageError(Exception):
    """A storage operation failed (a tool failed, a file is missing): an internal error."""


class StorageFull(StorageError):
    """No space left on the device that holds the data dir."""


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

    def ensure_public_layer(self, image_id: str) -> str:
        layer_id = public_layer_id(image_id)
        if not self.has_layer(layer_id):
            self.import_bytes(layer_id, public_image_content(image_id))
        return layer_id

    # --- layers --------------------------------------------------------------------------

    @abstractmethod
    def has_layer(self, layer_id: str) -> bool: ...

    @abstractmethod
    def import_bytes(self, layer_id: str, content: bytes) -> None:
        """A new layer holding ``content`` from offset 0."""

    @abstractmethod
    def import_file(self, layer_id: str, path: Path) -> int:
        """A new layer from a user's raw or qcow2 file; returns its virtual size in bytes."""

    @abstractmethod
    def delete_layer(self, layer_id: str) -> None: ...

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
        """The whole disk as one raw or qcow2 file a user can boot or inspect."""

    @abstractmethod
    def allocated_bytes(self, disk_id: str) -> int:
        """Bytes the disk's own file takes on the host (0 when it has none)."""

    # --- housekeeping --------------------------------------------------------------------

    @abstractmethod
    def reconcile(self, disk_ids: set[str], layer_ids: set[str]) -> list[Path]:
        """Removes what no database row owns (a crash's leftovers, released resources);
        returns what it removed."""
