"""A gzipped cpio archive in the "newc" format, the one the kernel unpacks as an initramfs:
written here so that building the guest's initramfs needs no cpio tool."""

from __future__ import annotations

import gzip
import stat

TRAILER = "TRAILER!!!"


class Initramfs:
    """Entries in the order added; ``bytes()`` is the gzipped archive."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._inode = 0

    def directory(self, name: str) -> None:
        self._entry(name, stat.S_IFDIR | 0o755, b"")

    def file(self, name: str, data: bytes, mode: int = 0o644) -> None:
        self._entry(name, stat.S_IFREG | mode, data)

    def symlink(self, name: str, target: str) -> None:
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def _entry(self, name: str, mode: int, data: bytes) -> None:
        self._inode += 1
        encoded = name.encode() + b"\0"
        fields = (self._inode, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(encoded), 0)
        header = b"070701" + b"".join(b"%08X" % value for value in fields)
        self._parts += [header, encoded, _pad(len(header) + len(encoded)), data, _pad(len(data))]

    def bytes(self) -> bytes:
        self._entry(TRAILER, 0, b"")
        return gzip.compress(b"".join(self._parts), compresslevel=6, mtime=0)


def _pad(length: int) -> bytes:
    return b"\0" * (-length % 4)
