"""Resets are real: write a marker, reset, the marker is gone and the disk ID unchanged
(the data-plane pattern of OpenStack's Tempest), on each storage backend, through the
official SDK for the API and the control plane for the bytes."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from ecsemu.config import Config
from ecsemu.storage import CephSettings
from ecsemu.storage.base import HEADER, public_image_content
from ecsemu.testing import EmulatorServer
from tests.ecsclient import LINUX_IMAGE, REGION, ZONE, Ecs, advance, flat

MIB = 1024**2
GIB = 1024**3
UBUNTU_24 = "ubuntu_24_04_x64_20G_alibase_20240923.vhd"


@pytest.fixture(scope="module", params=["qcow2", "raw", "rbd"])
def ecs(request):
    if request.param == "qcow2":
        from ecsemu.storage import qemu_img_available
        if not qemu_img_available():
            pytest.skip("qemu-img and qemu-io are needed (Debian: apt-get install qemu-utils)")
    ceph = CephSettings(conf=request.getfixturevalue("ceph").conf) if request.param == "rbd" else CephSettings()
    with EmulatorServer(Config(in_memory=True, transitions="instant", storage=request.param, ceph=ceph)) as server:
        yield Ecs(server)


def read(ecs, disk_id, offset, length):
    url = f"{ecs.server.url}/_ecsemu/disks/{disk_id}/data?offset={offset}&length={length}"
    with urllib.request.urlopen(url) as response:
        return response.read()


def write(ecs, disk_id, offset, data):
    request = urllib.request.Request(f"{ecs.server.url}/_ecsemu/disks/{disk_id}/data?offset={offset}", data=data,
                                     method="PUT", headers={"Content-Type": "application/octet-stream"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def refused(call, *args):
    try:
        call(*args)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())["Code"]
    raise AssertionError("the call succeeded")


def stopped_instance(ecs, **params):
    instance_id = ecs.run_instance(**params)
    ecs("StopInstance", InstanceId=instance_id)
    disks = ecs.disks_of(instance_id)
    return instance_id, next(d["DiskId"] for d in disks if d["Type"] == "system"), disks


def test_system_disk_gets_its_image_back(ecs):
    _, disk_id, _ = stopped_instance(ecs)
    image = public_image_content(LINUX_IMAGE)
    assert read(ecs, disk_id, 0, len(HEADER)) == HEADER
    write(ecs, disk_id, MIB, b"MARKER-SYSTEM")
    assert read(ecs, disk_id, MIB, 13) == b"MARKER-SYSTEM"
    ecs("ReInitDisk", DiskId=disk_id)
    assert read(ecs, disk_id, MIB, 13) == image[MIB:MIB + 13]
    assert ecs.disk(disk_id)["DiskId"] == disk_id and ecs.disk(disk_id)["Status"] == "In_use"


def test_empty_data_disk_goes_back_to_zeros(ecs):
    _instance_id, _, disks = stopped_instance(ecs, **flat("DataDisk", [{"Size": 20}]))
    disk_id = next(d["DiskId"] for d in disks if d["Type"] == "data")
    assert read(ecs, disk_id, 0, 4096) == bytes(4096)
    write(ecs, disk_id, 10 * GIB, b"MARKER-DATA")
    ecs("ReInitDisk", DiskId=disk_id)
    assert read(ecs, disk_id, 10 * GIB, 11) == bytes(11)


def test_disk_from_snapshot_goes_back_to_the_snapshot(ecs):
    instance_id, _, disks = stopped_instance(ecs, **flat("DataDisk", [{"Size": 20}]))
    source = next(d["DiskId"] for d in disks if d["Type"] == "data")
    write(ecs, source, 0, b"AT-SNAPSHOT")
    snapshot_id = ecs("CreateSnapshot", DiskId=source)["SnapshotId"]
    write(ecs, source, 0, b"AFTERWARDS!")  # later writes never change the snapshot
    copy = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=snapshot_id)["DiskId"]
    assert read(ecs, copy, 0, 11) == b"AT-SNAPSHOT"
    ecs("AttachDisk", DiskId=copy, InstanceId=instance_id)
    write(ecs, copy, 0, b"OVERWRITTEN")
    ecs("ReInitDisk", DiskId=copy)
    assert read(ecs, copy, 0, 11) == b"AT-SNAPSHOT"
    assert read(ecs, source, 0, 11) == b"AFTERWARDS!"


def test_reset_disk_rolls_back_to_its_snapshot(ecs):
    _, disk_id, _ = stopped_instance(ecs)
    write(ecs, disk_id, 4096, b"GOOD-STATE")
    snapshot_id = ecs("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    write(ecs, disk_id, 4096, b"BAD-STATE!")
    ecs("ResetDisk", DiskId=disk_id, SnapshotId=snapshot_id)
    assert read(ecs, disk_id, 4096, 10) == b"GOOD-STATE"
    assert read(ecs, disk_id, 0, len(HEADER)) == HEADER


def test_replace_system_disk_brings_the_new_image(ecs):
    instance_id, old_disk, _ = stopped_instance(ecs)
    new_disk = ecs("ReplaceSystemDisk", InstanceId=instance_id, ImageId=UBUNTU_24)["DiskId"]
    assert new_disk != old_disk
    expected = public_image_content(UBUNTU_24)
    assert read(ecs, new_disk, 0, 4096) == expected[:4096]
    assert refused(read, ecs, old_disk, 0, 1) == (404, "InvalidDiskId.NotFound")


def test_custom_image_carries_the_bytes(ecs):
    instance_id, disk_id, _ = stopped_instance(ecs)
    write(ecs, disk_id, 2 * MIB, b"BAKED-INTO-IMAGE")
    image_id = ecs("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName="baked")["ImageId"]
    _, from_image, _ = stopped_instance(ecs, ImageId=image_id)
    assert read(ecs, from_image, 2 * MIB, 16) == b"BAKED-INTO-IMAGE"
    write(ecs, from_image, 2 * MIB, b"CHANGED-ON-DISK!")
    ecs("ReInitDisk", DiskId=from_image)
    assert read(ecs, from_image, 2 * MIB, 16) == b"BAKED-INTO-IMAGE"


def test_bytes_outlive_their_snapshot_while_a_disk_reads_them(ecs):
    instance_id, _, disks = stopped_instance(ecs, **flat("DataDisk", [{"Size": 20}]))
    source = next(d["DiskId"] for d in disks if d["Type"] == "data")
    write(ecs, source, 0, b"KEEP-ME")
    snapshot_id = ecs("CreateSnapshot", DiskId=source)["SnapshotId"]
    copy = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=snapshot_id)["DiskId"]
    ecs("DeleteSnapshot", SnapshotId=snapshot_id, Force=True)
    assert read(ecs, copy, 0, 7) == b"KEEP-ME"          # the layer stays while the disk sits on it
    ecs("AttachDisk", DiskId=copy, InstanceId=instance_id)
    assert ecs.error("ReInitDisk", DiskId=copy) == ("InvalidSourceSnapshot", 403)


def test_released_layers_are_collected(ecs):
    _, disk_id, _ = stopped_instance(ecs)
    storage = ecs.server.emulator.storage
    write(ecs, disk_id, 0, b"x")
    snapshot_id = ecs("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    with ecs.server.emulator.db.transaction() as conn:
        layer_id = conn.exec_driver_sql(f"select layer_id from snapshots where id = '{snapshot_id}'").scalar()
    assert storage.has_layer(layer_id)
    ecs("DeleteSnapshot", SnapshotId=snapshot_id)
    assert not storage.has_layer(layer_id)
    assert storage.has_file(disk_id)
    ecs("DetachDisk", DiskId=disk_id, InstanceId=ecs.disk(disk_id)["InstanceId"])
    ecs("DeleteDisk", DiskId=disk_id)
    assert not storage.has_file(disk_id)


def test_large_disks_use_only_what_was_written(ecs):
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=32768, DiskCategory="cloud_essd")["DiskId"]
    end = 32768 * GIB
    answer = write(ecs, disk_id, end - 9, b"LAST-BYTE")
    assert read(ecs, disk_id, end - 9, 9) == b"LAST-BYTE"
    # RBD counts what it holds object by object: one 32 MiB object of a disk's clone.
    assert answer["AllocatedBytes"] <= (32 * MIB if ecs.server.emulator.storage.name == "rbd" else 8 * MIB)


def test_bounds_and_errors(ecs):
    disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    assert refused(read, ecs, disk_id, 20 * GIB - 1, 2) == (400, "InvalidRange")
    assert refused(write, ecs, disk_id, 20 * GIB, b"x") == (400, "InvalidRange")
    assert refused(read, ecs, disk_id, 0, 65 * MIB) == (400, "InvalidRange")
    assert refused(read, ecs, "d-bpnothing0000000000", 0, 1) == (404, "InvalidDiskId.NotFound")
    url = f"{ecs.server.url}/_ecsemu/disks/{disk_id}/data?offset=-1&length=1"
    assert refused(urllib.request.urlopen, url) == (400, "InvalidRange")
    assert read(ecs, disk_id, 20 * GIB - 1, 1) == b"\0"


def test_no_writes_while_reiniting(tmp_path):
    with EmulatorServer(Config(in_memory=True, transitions="manual")) as server:
        ecs = Ecs(server)
        instance_id = ecs.run_instance()
        advance(ecs, 10)
        ecs("StopInstance", InstanceId=instance_id)
        advance(ecs, 10)
        disk_id = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")
        ecs("ReInitDisk", DiskId=disk_id)
        assert refused(write, ecs, disk_id, 0, b"x") == (409, "IncorrectDiskStatus")
        advance(ecs, 5)
        write(ecs, disk_id, 0, b"x")


def test_cli_read_write_export_and_import(ecs, tmp_path):
    def cli(*args, **kwargs):
        return subprocess.run([sys.executable, "-m", "ecsemu", *args, "--url", ecs.server.url],
                              capture_output=True, timeout=120, **kwargs)

    _, disk_id, _ = stopped_instance(ecs)
    assert cli("disk", "write", disk_id, "--offset", "8192", "--data", "FROM-THE-CLI").returncode == 0
    done = cli("disk", "read", disk_id, "--offset", "8192", "--length", "12")
    assert done.returncode == 0 and done.stdout == b"FROM-THE-CLI"
    exported = tmp_path / "disk.raw"
    assert cli("disk", "export", disk_id, str(exported), "--format", "raw").returncode == 0
    assert exported.stat().st_size == 40 * GIB
    with exported.open("rb") as handle:
        assert handle.read(len(HEADER)) == HEADER
        handle.seek(8192)
        assert handle.read(12) == b"FROM-THE-CLI"

    mine = tmp_path / "mine.raw"
    with mine.open("wb") as handle:
        handle.write(b"A USER'S OWN IMAGE")
        handle.truncate(2 * GIB)
    done = cli("image", "import", str(mine), "--name", "imported-one")
    assert done.returncode == 0, done.stderr
    image_id = json.loads(done.stdout)["ImageId"]
    image = ecs("DescribeImages", RegionId=REGION, ImageId=image_id)["Images"]["Image"][0]
    assert (image["ImageOwnerAlias"], image["Status"], image["Size"]) == ("self", "Available", 2)
    _, from_import, _ = stopped_instance(ecs, ImageId=image_id)
    assert read(ecs, from_import, 0, 18) == b"A USER'S OWN IMAGE"
    bad = cli("image", "import", str(tmp_path / "missing.raw"), "--name", "nothing")
    assert bad.returncode == 1 and b"InvalidPath" in bad.stderr


@pytest.mark.parametrize("how", ["offline", "online"])
def test_resize_grows_the_bytes_and_keeps_the_data(ecs, how):
    """ResizeDisk: what was written stays where it was, the new end reads as zeros and
    takes writes, and the old end no longer limits a read."""
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 20, "Category": "cloud_essd"}]))
    disk_id = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "data")
    system = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")
    write(ecs, disk_id, 0, b"MARKER-FIRST")
    write(ecs, disk_id, 20 * GIB - 11, b"MARKER-LAST")
    assert refused(read, ecs, disk_id, 20 * GIB, 1) == (400, "InvalidRange")
    ecs("ResizeDisk", DiskId=disk_id, NewSize=30, Type=how)
    assert read(ecs, disk_id, 0, 12) == b"MARKER-FIRST"
    assert read(ecs, disk_id, 20 * GIB - 11, 11) == b"MARKER-LAST"
    assert read(ecs, disk_id, 20 * GIB, 4096) == bytes(4096)
    write(ecs, disk_id, 30 * GIB - 10, b"MARKER-NEW")
    assert read(ecs, disk_id, 30 * GIB - 10, 10) == b"MARKER-NEW"
    assert refused(read, ecs, disk_id, 30 * GIB, 1) == (400, "InvalidRange")
    image = public_image_content(LINUX_IMAGE)                       # a system disk keeps its image's bytes
    ecs("ResizeDisk", DiskId=system, NewSize=60, Type=how)
    assert read(ecs, system, MIB, 64) == image[MIB:MIB + 64]
    assert read(ecs, system, 59 * GIB, 16) == bytes(16)


def test_a_resized_disk_snapshot_and_reset_keep_the_size(ecs):
    """A snapshot taken after a resize holds the grown disk: a disk made from it has the new
    size and the data past the old end."""
    _, _, disks = stopped_instance(ecs, **flat("DataDisk", [{"Size": 20}]))
    disk_id = next(d["DiskId"] for d in disks if d["Type"] == "data")
    ecs("ResizeDisk", DiskId=disk_id, NewSize=40)
    write(ecs, disk_id, 35 * GIB, b"PAST-THE-OLD-END")
    snapshot_id = ecs("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    copy = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=snapshot_id)["DiskId"]
    assert ecs.disk(copy)["Size"] == 40
    assert read(ecs, copy, 35 * GIB, 16) == b"PAST-THE-OLD-END"
    write(ecs, disk_id, 35 * GIB, b"OVERWRITTEN-LATE")
    ecs("ResetDisk", DiskId=disk_id, SnapshotId=snapshot_id)
    assert read(ecs, disk_id, 35 * GIB, 16) == b"PAST-THE-OLD-END"
