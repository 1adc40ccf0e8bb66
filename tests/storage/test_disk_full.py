"""A full data dir (a small tmpfs) gives a clean error: StorageFull from every storage step,
507 InsufficientStorage from the control plane, no traceback, no half-written file, the
data already there intact; and all works again once space is freed.

Mounting a tmpfs needs root, as this machine and CI have (in CI a skip is a failure)."""

import json
import os
import subprocess
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest

from ecsemu.storage import open_storage, qemu_img_available
from ecsemu.storage.base import GIB, StorageFull
from tests.ecsclient import REGION, WINDOWS_IMAGE, ZONE, Ecs
from tests.processes import serve

MIB = 1024**2
CHUNK = 4 * MIB


@pytest.fixture(params=["qcow2", "raw"])
def backend(request):
    if request.param == "qcow2" and not qemu_img_available():
        pytest.skip("qemu-img and qemu-io are needed (Debian: apt-get install qemu-utils)")
    return request.param


@contextmanager
def small_tmpfs(path, size_mib):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    path.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mib}m", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def fill(directory):
    """A ballast file that takes every free byte; removing it frees the space."""
    ballast = directory / "ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for size in (MIB, 4096, 1):
            try:
                while os.write(fd, b"\xff" * size):
                    pass
            except OSError:
                pass
    finally:
        os.close(fd)
    return ballast


def scratch_and_temporaries(root):
    return sorted(str(p) for p in root.rglob("*")
                  if p.name.startswith("tmp") or p.name.endswith((".tmp", ".new", ".link", ".import.raw"))
                  or p.name.startswith(".ecsemu-export-"))


def listing(root):
    return sorted((str(p), p.stat().st_size if p.is_file() else 0) for p in root.rglob("*")
                  if p.name != "ballast")


def test_every_storage_step_raises_storage_full_and_leaves_nothing(tmp_path, backend):
    with small_tmpfs(tmp_path / "full", 24) as mount:
        storage = open_storage(mount / "storage", backend)
        image = mount / "image.raw"
        with image.open("wb") as handle:
            handle.write(os.urandom(2 * MIB))
        storage.write("d-old", None, GIB, 0, b"OLD DATA")
        ballast = fill(mount)
        before = listing(mount)
        steps = {
            "public layer": lambda: storage.ensure_public_layer("ubuntu_22_04_x64_20G_alibase_20240926.vhd"),
            "import": lambda: storage.import_file("m-new", image),
            "write": lambda: storage.write("d-old", None, GIB, MIB, os.urandom(8 * MIB)),
            "first write": lambda: storage.write("d-new", None, GIB, 0, os.urandom(8 * MIB)),
            "export": lambda: storage.export("d-old", None, GIB, mount / "out.qcow2", "qcow2"),
            "snapshot": lambda: storage.freeze("d-old", None, "s-new"),
        }
        for name, step in steps.items():
            with pytest.raises(StorageFull):
                step()
            assert scratch_and_temporaries(mount) == [], name
        after = listing(mount)
        assert [p for p in after if p not in before and "d-new" not in p[0] and "d-old" not in p[0]] == []
        assert not storage.has_layer("s-new") and not storage.has_layer("m-new")
        assert not (mount / "out.qcow2").exists()
        assert storage.read("d-old", None, 0, 8) == b"OLD DATA"  # a read needs no room
        ballast.unlink()
        storage.ensure_public_layer("ubuntu_22_04_x64_20G_alibase_20240926.vhd")
        storage.write("d-old", None, GIB, MIB, b"NEW DATA")
        assert storage.read("d-old", None, 0, 8) == b"OLD DATA"
        assert storage.read("d-old", None, MIB, 8) == b"NEW DATA"


def put(server, disk_id, offset, data):
    request = urllib.request.Request(f"{server.url}/_ecsemu/disks/{disk_id}/data?offset={offset}", data=data,
                                     method="PUT", headers={"Content-Type": "application/octet-stream"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def get(server, disk_id, offset, length):
    with urllib.request.urlopen(f"{server.url}/_ecsemu/disks/{disk_id}/data?offset={offset}&length={length}") as r:
        return r.read()


def test_a_full_data_dir_answers_507_and_recovers(tmp_path, backend):
    with small_tmpfs(tmp_path / "full", 48) as mount:
        data_dir = mount / "data"
        args = ["--data-dir", str(data_dir), "--storage", backend, "--transitions", "instant"]
        with serve(tmp_path, *args) as server:
            ecs = Ecs(server)
            disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
            instance_id = ecs.run_instance()
            system_disk = ecs("DescribeDisks", RegionId=REGION, InstanceId=instance_id)["Disks"]["Disk"][0]["DiskId"]
            assert put(server, system_disk, 0, os.urandom(MIB))[0] == 200  # a snapshot of it copies this MiB
            group, vswitch = ecs.security_group(), ecs.vswitch()
            ecs("DescribeDisks", RegionId=REGION)  # any pending transition applied while there is room
            ballast = mount / "ballast"
            ballast.write_bytes(bytes(8 * MIB))  # freed later, so the data dir can recover

            written = {}
            for index in range(64):
                chunk = os.urandom(CHUNK)
                status, answer = put(server, disk_id, index * CHUNK, chunk)
                if status != 200:
                    break
                written[index * CHUNK] = chunk
            else:
                raise AssertionError("the data dir never filled up")
            assert (status, answer["Code"]) == (507, "InsufficientStorage"), answer
            assert written, "not one write fitted"
            failed_offset = index * CHUNK

            for offset, chunk in written.items():  # intact, and readable while full
                assert get(server, disk_id, offset, CHUNK) == chunk
            status, answer = json_post(server, f"/disks/{disk_id}/export", {"Path": "disk.qcow2", "Format": "qcow2"})
            assert (status, answer["Code"]) == (507, "InsufficientStorage"), answer
            # Through the RPC API, a change that needs room is refused whole: 503
            # ServiceUnavailable (retryable), never a 500, and nothing is recorded; reads go on.
            assert ecs.error("CreateSnapshot", DiskId=system_disk) == ("ServiceUnavailable", 503)
            assert ecs("DescribeSnapshots", RegionId=REGION)["TotalCount"] == 0
            assert ecs.error("RunInstances", RegionId=REGION, ImageId=WINDOWS_IMAGE, InstanceType="ecs.g7.large",
                             SecurityGroupId=group, VSwitchId=vswitch) == ("ServiceUnavailable", 503)  # image's 1st use
            assert ecs("DescribeInstances", RegionId=REGION)["TotalCount"] == 1
            assert scratch_and_temporaries(data_dir) == []
            assert not (data_dir / "files" / "disk.qcow2").exists()

            ballast.unlink()
            chunk = os.urandom(CHUNK)
            assert put(server, disk_id, failed_offset, chunk)[0] == 200
            assert get(server, disk_id, failed_offset, CHUNK) == chunk
            assert ecs.disk(disk_id)["Status"] == "Available"
        log = server.log.read_text()
        assert "Traceback" not in log and "OSError" not in log, log[-3000:]


def json_post(server, path, body):
    request = urllib.request.Request(f"{server.url}/_ecsemu{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())
