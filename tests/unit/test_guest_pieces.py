"""The pure pieces of the qemu instance driver: the initramfs archive, a metadata request's
head as the per-VM listener reads it, the VM's size, what makes a busybox usable."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from ecsemu.guest.cpio import Initramfs
from ecsemu.guest.image import _has_interpreter
from ecsemu.guest.qemu import _request_head, vm_size


def entries(archive: bytes) -> dict[str, tuple[int, bytes]]:
    """name -> (mode, data) of a gzipped newc archive."""
    data, found, at = gzip.decompress(archive), {}, 0
    while True:
        assert data[at:at + 6] == b"070701"
        fields = [int(data[at + 6 + 8 * i: at + 14 + 8 * i], 16) for i in range(13)]
        mode, size, name_size = fields[1], fields[6], fields[11]
        name_at = at + 110
        name = data[name_at:name_at + name_size - 1].decode()
        body_at = name_at + name_size + (-(110 + name_size) % 4)
        if name == "TRAILER!!!":
            return found
        found[name] = (mode, data[body_at:body_at + size])
        at = body_at + size + (-size % 4)


def test_the_initramfs_is_a_newc_archive_the_kernel_reads():
    archive = Initramfs()
    archive.directory("bin")
    archive.file("bin/busybox", b"\x7fELF...", 0o755)
    archive.symlink("bin/sh", "busybox")
    archive.file("init", b"#!/bin/sh\n", 0o755)
    found = entries(archive.bytes())
    assert found["bin/busybox"] == (0o100755, b"\x7fELF...")
    assert found["bin/sh"] == (0o120777, b"busybox")
    assert found["bin"][0] == 0o40755 and found["init"][1] == b"#!/bin/sh\n"


def test_a_metadata_request_head():
    method, target, headers = _request_head(
        b"PUT /latest/api/token HTTP/1.0\r\nHost: 100.100.100.200\r\n"
        b"X-Aliyun-Ecs-Metadata-Token-Ttl-Seconds: 300\r\n\r\n")
    assert (method, target) == ("PUT", "/latest/api/token")
    assert headers["x-aliyun-ecs-metadata-token-ttl-seconds"] == "300"  # any case
    assert headers["X-aliyun-ecs-metadata-token-ttl-seconds"] == "300"


@pytest.mark.parametrize("head", [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.0\r\nno colon here\r\n\r\n"])
def test_a_malformed_head_is_refused(head):
    with pytest.raises(ValueError):
        _request_head(head)


def test_vm_size_scales_the_type_down_to_the_host():
    assert vm_size(2, 8, host_cpus=2) == (2, 128)
    assert vm_size(64, 256, host_cpus=2) == (2, 128)
    assert vm_size(1, 0.0625, host_cpus=8) == (1, 64)


def test_only_a_static_busybox_will_do():
    assert _has_interpreter(Path(shutil.which("python3") or "/bin/sh"))
    assert not _has_interpreter(Path("/bin/busybox"))  # busybox-static (the CI installs it)
