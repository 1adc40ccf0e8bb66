"""qcow2 storage with qemu-img and qemu-io: layers are qcow2 files, a disk is an overlay
whose backing file is its base layer (a relative path, so the data dir can move)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from .base import (
    PUBLIC_PREFIX,
    Frozen,
    Storage,
    exporting,
    fsync_path,
    probe_importable,
    pwrite_all,
    remove_path,
    run_tool,
    storage_full_on_enospc,
    tool_source,
)

SECTOR = 512


class Qcow2Storage(Storage):
    name = "qcow2"

    # --- paths -----------------------------------------------------------------------------

    def _layer(self, layer_id: str) -> Path:
        return self.layers_dir / f"{layer_id}.qcow2"

    def _disk(self, disk_id: str) -> Path:
        return self.disks_dir / f"{disk_id}.qcow2"

    @staticmethod
    def _backing_option(base: str | None) -> list[str]:
        # Relative to the overlay's own directory; "../layers/X" works from disks/ and layers/.
        return ["-b", f"../layers/{base}.qcow2", "-F", "qcow2"] if base else []

    # --- layers ----------------------------------------------------------------------------

    def has_layer(self, layer_id: str) -> bool:
        return self._layer(layer_id).exists()

    @storage_full_on_enospc
    def import_bytes(self, layer_id: str, content: bytes) -> None:
        with self.memory_file(len(content)) as (fd, path):
            pwrite_all(fd, content, 0)
            self._install_layer(layer_id, ["-f", "raw", path], pass_fds=(fd,))

    @storage_full_on_enospc
    def import_fd(self, layer_id: str, fd: int) -> int:
        fmt, virtual = probe_importable(fd)
        self._install_layer(layer_id, tool_source(fd, fmt), pass_fds=(fd,))
        return virtual

    def _install_layer(self, layer_id: str, source: list[str], pass_fds: tuple[int, ...] = ()) -> None:
        """Converts into ``<id>.qcow2.<token>.tmp``, fsyncs, renames: a layer appears whole or
        not at all (and two threads making the same public layer never share a file)."""
        final = self._layer(layer_id)
        self._swap_in(final, final.with_name(f"{final.name}.{secrets.token_hex(4)}.tmp"), lambda temporary: run_tool(
            "qemu-img", "convert", "-q", *source, "-O", "qcow2", str(temporary), pass_fds=pass_fds))
        fsync_path(self.layers_dir)

    def _swap_in(self, final: Path, temporary: Path, write: Callable[[Path], object],
                 crash_step: str | None = None) -> None:
        """``write(temporary)``, fsync it, rename it over ``final``: the file is old or new,
        never half of either; the temporary is removed if any step fails."""
        try:
            write(temporary)
            fsync_path(temporary)
            if crash_step:
                self.crash_point(crash_step)
            os.replace(temporary, final)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def delete_layer(self, layer_id: str) -> None:
        self._layer(layer_id).unlink(missing_ok=True)

    @storage_full_on_enospc
    def copy_layer(self, source_id: str, layer_id: str) -> None:
        # qemu-img convert reads through the backing chain: the copy stands alone.
        self._install_layer(layer_id, ["-f", "qcow2", str(self._layer(source_id))])

    def layer_bytes(self, layer_id: str) -> int:
        try:
            return self._layer(layer_id).stat().st_blocks * 512
        except FileNotFoundError:  # none, or collected since it was named
            return 0

    # --- disks -----------------------------------------------------------------------------

    def disk_path(self, disk_id: str) -> Path:
        """The disk's overlay (an instance driver boots it)."""
        return self._disk(disk_id)

    def has_file(self, disk_id: str) -> bool:
        return self._disk(disk_id).exists()

    def _source(self, disk_id: str, base: str | None) -> Path | None:
        """The file holding the disk's bytes: its overlay, else its base layer."""
        if self.has_file(disk_id):
            return self._disk(disk_id)
        return self._layer(base) if base else None

    @storage_full_on_enospc
    def read(self, disk_id: str, base: str | None, offset: int, length: int) -> bytes:
        source = self._source(disk_id, base)
        if source is None or length == 0:
            return bytes(length)
        start = offset - offset % SECTOR
        end = -(-(offset + length) // SECTOR) * SECTOR
        # Bytes past the end of a smaller backing file read as zeros, as they do in a disk.
        available = int(_info(source)["virtual-size"])
        window_end = min(end, available)
        data = b""
        if window_end > start:
            # Into a file in memory (-n: it exists): a read takes no room in the data dir.
            with self.memory_file(window_end - start) as (fd, out):
                options = (f"driver=raw,offset={start},size={window_end - start},file.driver=qcow2,"
                           f"file.file.driver=file,file.file.filename={_escape(source)}")
                run_tool("qemu-img", "convert", "-q", "-U", "-n", "-O", "raw", "--image-opts", options, out,
                         pass_fds=(fd,))
                data = os.pread(fd, window_end - start, 0)
        data += bytes(end - start - len(data))
        return data[offset - start: offset - start + length]

    @storage_full_on_enospc
    def write(self, disk_id: str, base: str | None, size: int, offset: int, data: bytes) -> None:
        if not self.has_file(disk_id):
            self._new_overlay(disk_id, base, size)
        if not data:
            return
        # The bytes go through qemu-io's stdin: no scratch copy on disk (none to leave
        # behind, none to fill a nearly full data dir).
        run_tool("qemu-io", "-f", "qcow2", "-c", f"write -q -s /dev/stdin {offset} {len(data)}", "-c", "flush",
                 str(self._disk(disk_id)), input=data)

    def _new_overlay(self, disk_id: str, base: str | None, size: int) -> None:
        """An empty overlay over ``base``, written beside the disk and renamed over it."""
        final = self._disk(disk_id)
        self._swap_in(final, final.with_suffix(".qcow2.new"), lambda temporary: run_tool(
            "qemu-img", "create", "-q", "-f", "qcow2", *self._backing_option(base), str(temporary), str(size)),
            crash_step="reset:written")
        fsync_path(self.disks_dir)
        self.crash_point("reset:swapped")

    @storage_full_on_enospc
    def reset(self, disk_id: str, base: str | None, size: int) -> None:
        if self.has_file(disk_id):
            self._new_overlay(disk_id, base, size)

    @storage_full_on_enospc
    def freeze(self, disk_id: str, base: str | None, layer_id: str) -> Frozen:
        if not self.has_file(disk_id):
            return Frozen(base)  # never written: the base is the content
        disk = self._disk(disk_id)
        parent = _backing_layer(disk)
        final = self._layer(layer_id)
        # The overlay only: what was written, not the disk.
        self._swap_in(final, final.with_suffix(".qcow2.tmp"), lambda temporary: shutil.copyfile(disk, temporary),
                      crash_step="snapshot:written")
        fsync_path(self.layers_dir)
        self.crash_point("snapshot:renamed")
        return Frozen(layer_id, parent_id=parent, new=True)

    @storage_full_on_enospc
    def resize(self, disk_id: str, size: int) -> None:
        if self.has_file(disk_id):
            run_tool("qemu-img", "resize", "-q", str(self._disk(disk_id)), str(size))

    def delete_disk(self, disk_id: str) -> None:
        self._disk(disk_id).unlink(missing_ok=True)

    @storage_full_on_enospc
    def export(self, disk_id: str, base: str | None, size: int, dest: Path, fmt: str) -> None:
        with exporting(dest, fmt), self.scratch() as scratch:
            source = self._disk(disk_id)
            if not source.exists():  # a view of the base at the disk's size
                source = Path(scratch) / "view.qcow2"
                backing = ["-b", str(self._layer(base).resolve()), "-F", "qcow2"] if base else []
                run_tool("qemu-img", "create", "-q", "-f", "qcow2", *backing, str(source), str(size))
            run_tool("qemu-img", "convert", "-q", "-U", "-O", fmt, str(source), str(dest))

    def allocated_bytes(self, disk_id: str) -> int:
        return self._disk(disk_id).stat().st_blocks * 512 if self.has_file(disk_id) else 0

    def reconcile(self, disk_ids: set[str], layer_ids: set[str]) -> list[Path]:
        removed = self.sweep_scratch()
        swept = len(removed)
        for path in self.disks_dir.iterdir():
            if path.suffix != ".qcow2" or path.stem not in disk_ids:
                removed.append(path)
        for path in self.layers_dir.iterdir():
            keep = path.suffix == ".qcow2" and (path.stem in layer_ids or path.stem.startswith(PUBLIC_PREFIX))
            if not keep:
                removed.append(path)
        for path in removed[swept:]:
            remove_path(path)
        return removed


def _info(path: Path) -> dict:
    return json.loads(run_tool("qemu-img", "info", "-U", "--output", "json", str(path)))


def _backing_layer(disk: Path) -> str | None:
    backing = _info(disk).get("backing-filename")
    return Path(backing).name.removesuffix(".qcow2") if backing else None


def _escape(path: Path) -> str:
    """A file name inside --image-opts, where a comma is written twice."""
    return str(path).replace(",", ",,")
