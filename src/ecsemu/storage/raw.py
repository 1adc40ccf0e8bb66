"""Raw storage in pure Python, for machines without qemu-img.

A volume (a layer, or a disk's current content) is a directory of sparse chunk files,
``c0``, ``c1``, … of ``CHUNK`` bytes each, made only when written: ext4 stops a single
file at 16 TiB, and a disk may be 32 TiB. Copies move allocated extents only
(SEEK_DATA/SEEK_HOLE); holes stay holes. Volumes are flattened: a disk's files hold its
base's bytes too (copied when it is first written or reset), so nothing chains.

A disk ``disks/<id>`` is a symbolic link to its current volume ``disks/<id>.<token>``:
a reset builds the new volume beside it and swaps the link with one rename.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from .base import (
    PUBLIC_PREFIX,
    Frozen,
    Storage,
    StorageError,
    allocated_blocks,
    exporting,
    fsync_path,
    probe_importable,
    pwrite_all,
    qemu_img_path,
    raw_to_qcow2,
    remove_path,
    run_tool,
    storage_full_on_enospc,
    tool_source,
)

CHUNK = 256 * 1024**3       # bytes per chunk file


class Volume:
    """Sparse chunk files under one directory, read and written as one address space."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _chunk(self, index: int) -> Path:
        return self.path / f"c{index}"

    def chunks(self) -> list[tuple[int, Path]]:
        return sorted((int(p.name[1:]), p) for p in self.path.iterdir() if p.name.startswith("c"))

    def read(self, offset: int, length: int) -> bytes:
        out = bytearray(length)
        position = offset
        while position < offset + length:
            index, within = divmod(position, CHUNK)
            span = min(CHUNK - within, offset + length - position)
            chunk = self._chunk(index)
            if chunk.exists():
                with chunk.open("rb") as handle:
                    handle.seek(within)
                    data = handle.read(span)
                out[position - offset: position - offset + len(data)] = data
            position += span
        return bytes(out)

    def write(self, offset: int, data: bytes) -> None:
        position = 0
        while position < len(data):
            index, within = divmod(offset + position, CHUNK)
            span = min(CHUNK - within, len(data) - position)
            chunk = self._chunk(index)
            flags = os.O_WRONLY | os.O_CREAT
            fd = os.open(chunk, flags, 0o600)
            try:
                pwrite_all(fd, memoryview(data)[position: position + span], within)
                os.fsync(fd)
            finally:
                os.close(fd)
            position += span

    def copy_to(self, target: Volume) -> None:
        """Allocated extents only, into ``target`` (holes stay holes)."""
        for index, chunk in self.chunks():
            destination = target._chunk(index)
            with chunk.open("rb") as source, destination.open("wb") as sink:
                for position, block in allocated_blocks(source.fileno()):
                    pwrite_all(sink.fileno(), block, position)
                sink.truncate(os.fstat(source.fileno()).st_size)
                os.fsync(sink.fileno())

    def allocated_bytes(self) -> int:
        return sum(chunk.stat().st_blocks * 512 for _, chunk in self.chunks())

    def fsync(self) -> None:
        fsync_path(self.path)


class RawStorage(Storage):
    name = "raw"

    def _layer(self, layer_id: str) -> Path:
        return self.layers_dir / layer_id

    def _link(self, disk_id: str) -> Path:
        return self.disks_dir / disk_id

    def _volume_of(self, disk_id: str, base: str | None) -> Volume | None:
        link = self._link(disk_id)
        if link.is_symlink():
            return Volume(link.resolve())
        return Volume(self._layer(base)) if base else None

    # --- layers ----------------------------------------------------------------------------

    def has_layer(self, layer_id: str) -> bool:
        return self._layer(layer_id).is_dir()

    def _install_layer(self, layer_id: str, fill) -> None:
        """Builds ``<id>.<token>.tmp/`` and renames it to ``<id>/``: a layer appears whole or
        not at all (and two threads making the same public layer never share a directory)."""
        temporary = self.layers_dir / f"{layer_id}.{secrets.token_hex(4)}.tmp"
        temporary.mkdir()
        try:
            fill(Volume(temporary))
            fsync_path(temporary)
            os.replace(temporary, self._layer(layer_id))
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        fsync_path(self.layers_dir)

    @storage_full_on_enospc
    def import_bytes(self, layer_id: str, content: bytes) -> None:
        self._install_layer(layer_id, lambda volume: volume.write(0, content))

    @storage_full_on_enospc
    def import_fd(self, layer_id: str, fd: int) -> int:
        # The same rules as the qcow2 backend: raw, or a qcow2 with no backing or data file.
        fmt, virtual = probe_importable(fd)
        if fmt == "qcow2":
            with self.scratch() as scratch:
                converted = Path(scratch) / "converted.raw"
                run_tool("qemu-img", "convert", "-q", *tool_source(fd, fmt), "-O", "raw", str(converted),
                         pass_fds=(fd,))
                source = os.open(converted, os.O_RDONLY | os.O_CLOEXEC)
                try:
                    self._install_layer(layer_id, lambda volume: _copy_extents(source, volume))
                finally:
                    os.close(source)
            return virtual
        self._install_layer(layer_id, lambda volume: _copy_extents(fd, volume))
        return virtual

    def delete_layer(self, layer_id: str) -> None:
        shutil.rmtree(self._layer(layer_id), ignore_errors=True)

    @storage_full_on_enospc
    def copy_layer(self, source_id: str, layer_id: str) -> None:
        # Volumes are flattened already: the allocated extents are the whole content.
        self._install_layer(layer_id, Volume(self._layer(source_id)).copy_to)

    def layer_bytes(self, layer_id: str) -> int:
        try:
            return Volume(self._layer(layer_id)).allocated_bytes()
        except FileNotFoundError:  # none, or collected since it was named
            return 0

    # --- disks -----------------------------------------------------------------------------

    def has_file(self, disk_id: str) -> bool:
        return self._link(disk_id).is_symlink()

    def read(self, disk_id: str, base: str | None, offset: int, length: int) -> bytes:
        volume = self._volume_of(disk_id, base)
        return volume.read(offset, length) if volume else bytes(length)

    @storage_full_on_enospc
    def write(self, disk_id: str, base: str | None, size: int, offset: int, data: bytes) -> None:
        if not self.has_file(disk_id):
            self._swap_in(disk_id, base)
        Volume(self._link(disk_id).resolve()).write(offset, data)

    def _swap_in(self, disk_id: str, base: str | None) -> None:
        """A new volume holding ``base``'s bytes, swapped in by renaming a link over the old."""
        link = self._link(disk_id)
        old = link.resolve() if link.is_symlink() else None
        target = self.disks_dir / f"{disk_id}.{secrets.token_hex(4)}"
        temporary = self.disks_dir / f"{disk_id}.link"
        target.mkdir()
        try:
            if base:
                Volume(self._layer(base)).copy_to(Volume(target))
            fsync_path(target)
            self.crash_point("reset:written")
            temporary.unlink(missing_ok=True)
            temporary.symlink_to(target.name)
            os.replace(temporary, link)
        except BaseException:
            temporary.unlink(missing_ok=True)
            shutil.rmtree(target, ignore_errors=True)
            raise
        fsync_path(self.disks_dir)
        self.crash_point("reset:swapped")
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    @storage_full_on_enospc
    def reset(self, disk_id: str, base: str | None, size: int) -> None:
        if self.has_file(disk_id):
            self._swap_in(disk_id, base)

    @storage_full_on_enospc
    def freeze(self, disk_id: str, base: str | None, layer_id: str) -> Frozen:
        if not self.has_file(disk_id):
            return Frozen(base)
        source = Volume(self._link(disk_id).resolve())
        temporary = self.layers_dir / f"{layer_id}.tmp"
        shutil.rmtree(temporary, ignore_errors=True)
        temporary.mkdir()
        try:
            source.copy_to(Volume(temporary))
            fsync_path(temporary)
            self.crash_point("snapshot:written")
            os.replace(temporary, self._layer(layer_id))
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        fsync_path(self.layers_dir)
        self.crash_point("snapshot:renamed")
        return Frozen(layer_id, new=True)

    def resize(self, disk_id: str, size: int) -> None:
        """Nothing to do: chunks beyond the old end read as zeros until written."""

    def delete_disk(self, disk_id: str) -> None:
        link = self._link(disk_id)
        if link.is_symlink():
            target = link.resolve()
            link.unlink()
            shutil.rmtree(target, ignore_errors=True)

    @storage_full_on_enospc
    def export(self, disk_id: str, base: str | None, size: int, dest: Path, fmt: str) -> None:
        with exporting(dest, fmt):
            if fmt == "qcow2" and qemu_img_path() is None:
                raise StorageError("exporting qcow2 needs qemu-img (Debian: apt-get install qemu-utils)")
            volume = self._volume_of(disk_id, base)
            with self.scratch() as scratch:
                raw = dest if fmt == "raw" else Path(scratch) / "disk.raw"
                with raw.open("wb") as sink:
                    for index, chunk in (volume.chunks() if volume else []):
                        with chunk.open("rb") as source:
                            for position, block in allocated_blocks(source.fileno()):
                                pwrite_all(sink.fileno(), block, index * CHUNK + position)
                    sink.truncate(size)
                if fmt == "qcow2":
                    raw_to_qcow2(raw, dest)

    def allocated_bytes(self, disk_id: str) -> int:
        return Volume(self._link(disk_id).resolve()).allocated_bytes() if self.has_file(disk_id) else 0

    def reconcile(self, disk_ids: set[str], layer_ids: set[str]) -> list[Path]:
        removed = self.sweep_scratch()
        swept = len(removed)
        live_volumes = set()
        for path in self.disks_dir.iterdir():
            if path.is_symlink() and path.name in disk_ids:
                live_volumes.add(path.resolve().name)
        for path in self.disks_dir.iterdir():
            keep = (path.is_symlink() and path.name in disk_ids) or (path.is_dir() and path.name in live_volumes)
            if not keep:
                removed.append(path)
        for path in self.layers_dir.iterdir():
            if not (path.name in layer_ids or path.name.startswith(PUBLIC_PREFIX)) or path.name.endswith(".tmp"):
                removed.append(path)
        for path in removed[swept:]:
            remove_path(path)
        return removed


def _copy_extents(fd: int, volume: Volume) -> None:
    """The allocated extents of an open file into ``volume``, a block at a time."""
    for position, block in allocated_blocks(fd):
        volume.write(position, block)
