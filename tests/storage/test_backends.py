"""Both storage backends, directly: bytes in, bytes out, layers frozen, resets real."""

import subprocess

import pytest

from ecsemu.storage.base import GIB, HEADER, PUBLIC_CONTENT_BYTES, public_image_content

IMAGE = "ubuntu_22_04_x64_20G_alibase_20240926.vhd"
TIB = 1024 * GIB


def test_public_image_layer_has_its_content(storage):
    layer = storage.ensure_public_layer(IMAGE)
    assert storage.read("d-new", layer, 0, len(HEADER)) == HEADER
    content = public_image_content(IMAGE)
    assert storage.read("d-new", layer, 0, len(content)) == content
    assert storage.read("d-new", layer, 5 * GIB, 16) == bytes(16)  # past the content: zeros
    assert public_image_content("another.vhd")[len(HEADER) + 30:][:64] != content[len(HEADER) + 30:][:64]
    assert storage.ensure_public_layer(IMAGE) == layer  # made once


def test_marker_written_then_reset_away(storage):
    base = storage.ensure_public_layer(IMAGE)
    assert not storage.has_file("d-1")
    storage.write("d-1", base, 40 * GIB, 1000, b"MARKER")
    assert storage.has_file("d-1")
    assert storage.read("d-1", base, 1000, 6) == b"MARKER"
    assert storage.read("d-1", base, 0, len(HEADER)) == HEADER  # the rest is still the image
    storage.reset("d-1", base, 40 * GIB)
    assert storage.read("d-1", base, 1000, 6) == public_image_content(IMAGE)[1000:1006]


def test_empty_disk_is_zeros_and_resets_to_zeros(storage):
    assert storage.read("d-2", None, 0, 4096) == bytes(4096)
    storage.write("d-2", None, 20 * GIB, 19 * GIB, b"deep")
    assert storage.read("d-2", None, 19 * GIB - 2, 8) == b"\0\0deep\0\0"
    storage.reset("d-2", None, 20 * GIB)
    assert storage.read("d-2", None, 19 * GIB, 4) == bytes(4)


def test_frozen_layer_never_changes(storage):
    base = storage.ensure_public_layer(IMAGE)
    storage.write("d-3", base, 40 * GIB, 0, b"BEFORE")
    frozen = storage.freeze("d-3", base, "s-3")
    assert frozen.new and frozen.layer_id == "s-3"
    storage.write("d-3", base, 40 * GIB, 0, b"AFTER!")
    assert storage.read("d-3", base, 0, 6) == b"AFTER!"
    assert storage.read("d-view", "s-3", 0, 6) == b"BEFORE"       # the snapshot's bytes
    assert storage.read("d-view", "s-3", 6, 10) == public_image_content(IMAGE)[6:16]
    storage.reset("d-3", "s-3", 40 * GIB)                           # ResetDisk to the snapshot
    assert storage.read("d-3", "s-3", 0, 6) == b"BEFORE"


def test_freezing_an_unwritten_disk_shares_its_base(storage):
    base = storage.ensure_public_layer(IMAGE)
    frozen = storage.freeze("d-4", base, "s-4")
    assert (frozen.layer_id, frozen.new) == (base, False)
    assert storage.freeze("d-5", None, "s-5").layer_id is None


def test_huge_disks_hold_bytes_at_their_end(storage):
    for size in (2 * TIB, 32 * TIB):
        disk = f"d-{size}"
        storage.write(disk, None, size, size - 5, b"tail!")
        assert storage.read(disk, None, size - 5, 5) == b"tail!"
        assert storage.allocated_bytes(disk) < 64 * 1024**2


def test_export_raw_and_qcow2(storage, tmp_path, backend):
    base = storage.ensure_public_layer(IMAGE)
    storage.write("d-6", base, 1 * GIB, 4096, b"EXPORTED")
    raw = tmp_path / "disk.raw"
    storage.export("d-6", base, 1 * GIB, raw, "raw")
    assert raw.stat().st_size == GIB
    with raw.open("rb") as handle:
        assert handle.read(len(HEADER)) == HEADER
        handle.seek(4096)
        assert handle.read(8) == b"EXPORTED"
    if backend == "qcow2" or subprocess.run(["which", "qemu-img"], capture_output=True).returncode == 0:
        qcow2 = tmp_path / "disk.qcow2"
        storage.export("d-6", base, 1 * GIB, qcow2, "qcow2")
        info = subprocess.run(["qemu-img", "info", "--output", "json", str(qcow2)], capture_output=True, text=True)
        assert '"virtual-size": 1073741824' in info.stdout and "backing" not in info.stdout


def test_import_a_users_file(storage, tmp_path):
    image = tmp_path / "mine.raw"
    with image.open("wb") as handle:
        handle.write(b"MY OWN IMAGE")
        handle.truncate(3 * GIB)
    assert storage.import_file("m-mine", image) == 3 * GIB
    assert storage.read("d-7", "m-mine", 0, 12) == b"MY OWN IMAGE"


def test_reconcile_removes_what_nothing_owns(storage, backend):
    base = storage.ensure_public_layer(IMAGE)
    storage.write("d-keep", base, GIB, 0, b"x")
    storage.write("d-orphan", base, GIB, 0, b"y")
    storage.freeze("d-keep", base, "s-keep")
    storage.freeze("d-orphan", base, "s-orphan")
    if backend == "rbd":  # what a kill leaves in the pool: objects under temporary names
        leftovers = {"disk.d-crashed.1a2b3c4d.new", "layer.s-crashed.5e6f7a8b.new"}
        for name in leftovers:
            storage._rbd.RBD().create(storage._io(), name, GIB)
    else:
        leftovers = {"d-crashed.qcow2.new", "s-crashed.tmp"}
        (storage.disks_dir / "d-crashed.qcow2.new").write_bytes(b"half")
        (storage.layers_dir / "s-crashed.tmp").mkdir()
    removed = {p.name for p in storage.reconcile({"d-keep"}, {"s-keep"})}
    assert any(name.startswith(("d-orphan", "disk.d-orphan")) for name in removed)
    assert leftovers <= removed
    assert storage.read("d-keep", base, 0, 1) == b"x" and storage.read("d-x", "s-keep", 0, 1) == b"x"
    assert storage.has_layer(base)  # public layers stay
    assert not storage.has_file("d-orphan") and not storage.has_layer("s-orphan")


def test_content_beyond_a_smaller_base_reads_as_zeros(storage):
    base = storage.ensure_public_layer(IMAGE)
    assert storage.read("d-8", base, PUBLIC_CONTENT_BYTES + 2 * len(HEADER) + 100, 32) == bytes(32)
    storage.write("d-8", base, 40 * GIB, 30 * GIB, b"far")
    assert storage.read("d-8", base, 30 * GIB - 1, 5) == b"\0far\0"


@pytest.mark.parametrize("offset, length", [(0, 1), (511, 2), (513, 1000), (65535, 65537)])
def test_unaligned_reads_and_writes(storage, offset, length):
    data = bytes(range(256)) * (length // 256 + 1)
    storage.write("d-9", None, GIB, offset, data[:length])
    assert storage.read("d-9", None, offset, length) == data[:length]
    assert storage.read("d-9", None, offset + length, 3) == bytes(3)
