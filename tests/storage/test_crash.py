"""A kill -9 at each step of ReInitDisk and CreateSnapshot leaves each disk with its old
content or its new one, never a mix, and no file nobody owns after the next start.

The server dies at a named step (``--crash-at``, a test-only option): after the new file
is written, after it is swapped in, after the database recorded it.
"""

import shutil
import sqlite3

import pytest
from aliyunsdkcore.acs_exception.exceptions import ClientException

from ecsemu.storage import CephSettings, open_storage, qemu_img_available
from ecsemu.storage.base import public_image_content
from ecsemu.storage.rbd import parse_name
from tests.ecsclient import LINUX_IMAGE, REGION, ZONE, Ecs
from tests.processes import serve
from tests.storage.disk_bytes import read, write

MARKER = b"WRITTEN-BEFORE-THE-CRASH"
OFFSET = 65536


@pytest.fixture(params=["qcow2", "raw", "rbd"])
def backend(request):
    if request.param == "qcow2" and not qemu_img_available():
        pytest.skip("qemu-img and qemu-io are needed (Debian: apt-get install qemu-utils)")
    if request.param == "rbd":
        request.getfixturevalue("ceph")
    return request.param


def server_args(data_dir, backend, ceph=None):
    storage = ceph.serve_args() if backend == "rbd" else ["--storage", backend]
    return ["--data-dir", str(data_dir), "--transitions", "instant", *storage, "--log-level", "warning"]


@pytest.fixture(scope="module")
def templates(tmp_path_factory, request):
    """Per backend, made once: a data dir with a stopped instance whose system disk and
    data disk carry the marker; each test works on a copy. Not for rbd, whose bytes are in
    the pool, not in the data dir: a copy would share them, so each rbd test makes its own."""
    made = {}

    def template(backend):
        if backend not in made or backend == "rbd":
            root = tmp_path_factory.mktemp(f"template-{backend}")
            ceph = request.getfixturevalue("ceph") if backend == "rbd" else None
            with serve(root, *server_args(root / "data", backend, ceph)) as server:
                ecs = Ecs(server)
                instance_id = ecs.run_instance(**{"DataDisk.1.Size": 20})
                ecs("StopInstance", InstanceId=instance_id)
                disks = {d["Type"]: d["DiskId"] for d in ecs.disks_of(instance_id)}
                for disk_id in disks.values():
                    write(server, disk_id, OFFSET, MARKER)
            made[backend] = (root / "data", disks, ceph)
        return made[backend]
    return template


def prepared(tmp_path, templates, backend):
    source, disks, ceph = templates(backend)
    shutil.copytree(source, tmp_path / "data", symlinks=True)
    return server_args(tmp_path / "data", backend, ceph), disks, ceph


def die_during(tmp_path, args, step, action, **params):
    with serve(tmp_path, *args, "--crash-at", step) as server:
        with pytest.raises(ClientException):  # the connection drops: the server is gone
            Ecs(server)(action, **params)
        assert server.process.wait(timeout=15) == -9


def leftovers(data_dir, ceph=None):
    """Files (or RBD objects) of the storage that no database row owns."""
    storage = data_dir / "storage"
    db = sqlite3.connect(data_dir / "ecsemu.db")
    disks = {row[0] for row in db.execute("select id from disks")}
    layers = {row[0] for row in db.execute("select id from layers")}
    namespace = db.execute("select rbd_namespace from storage_identity").fetchone()[0] if ceph else None
    db.close()
    if ceph is not None:
        return rbd_leftovers(ceph, namespace, disks, layers)
    found = []
    for path in (storage / "disks").iterdir():
        owner = path.name.split(".")[0]
        if owner not in disks or path.name.endswith((".new", ".tmp", ".link")):
            found.append(path.name)
    volumes = {p.resolve().name for p in (storage / "disks").iterdir() if p.is_symlink()}
    found += [p.name for p in (storage / "disks").iterdir() if p.is_dir() and not p.is_symlink()
              and p.name not in volumes]
    for path in (storage / "layers").iterdir():
        name = path.name.removesuffix(".qcow2")
        if not (name in layers or name.startswith("public-")):
            found.append(path.name)
    return found


def rbd_leftovers(ceph, namespace, disks, layers):
    rbd = open_storage(ceph.root / "unused", "rbd", ceph=CephSettings(conf=ceph.conf), namespace=namespace)
    found = []
    for name in rbd._rbd.RBD().list(rbd._io()):
        kind, object_id, temporary = parse_name(name)
        owned = object_id in (disks if kind == "disk" else layers) or object_id.startswith("public-")
        if temporary or not owned:
            found.append(name)
    return found


@pytest.mark.parametrize("step, kept", [("reset:written", "old"), ("reset:swapped", "new"),
                                        ("reset:recorded", "new")])
def test_killed_during_reinitdisk(tmp_path, templates, backend, step, kept):
    args, disks, ceph = prepared(tmp_path, templates, backend)
    die_during(tmp_path, args, step, "ReInitDisk", DiskId=disks["system"])
    with serve(tmp_path, *args) as server:
        content = read(server, disks["system"], OFFSET, len(MARKER))
        image = public_image_content(LINUX_IMAGE)[OFFSET:OFFSET + len(MARKER)]
        assert content == (MARKER if kept == "old" else image)
        assert Ecs(server).disk(disks["system"])["Status"] == "In_use"
        assert read(server, disks["data"], OFFSET, len(MARKER)) == MARKER  # the other disk untouched
        Ecs(server)("ReInitDisk", DiskId=disks["system"])                   # and it works again
        assert read(server, disks["system"], OFFSET, len(MARKER)) == image
    assert leftovers(tmp_path / "data", ceph) == []


@pytest.mark.parametrize("step, kept", [("snapshot:written", False), ("snapshot:renamed", False),
                                        ("snapshot:recorded", True)])
def test_killed_during_create_snapshot(tmp_path, templates, backend, step, kept):
    args, disks, ceph = prepared(tmp_path, templates, backend)
    die_during(tmp_path, args, step, "CreateSnapshot", DiskId=disks["data"])
    with serve(tmp_path, *args) as server:
        ecs = Ecs(server)
        snapshots = ecs("DescribeSnapshots", RegionId=REGION, DiskId=disks["data"])["Snapshots"]["Snapshot"]
        assert len(snapshots) == (1 if kept else 0)
        if kept:
            copy = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=snapshots[0]["SnapshotId"])["DiskId"]
            assert read(server, copy, OFFSET, len(MARKER)) == MARKER
        assert read(server, disks["data"], OFFSET, len(MARKER)) == MARKER
    assert leftovers(tmp_path / "data", ceph) == []
