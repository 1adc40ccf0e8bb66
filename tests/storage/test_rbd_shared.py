"""Two emulators, two data dirs, one PostgreSQL database, one Ceph pool (--storage rbd)
behave as one ECS: a disk written through one is read through the other, a ReInitDisk
on one is seen by the other, and a start of either removes nothing the other made."""

import subprocess
import sys

import pytest

from ecsemu.storage.base import public_image_content
from tests.ecsclient import LINUX_IMAGE, REGION, ZONE, Ecs
from tests.processes import serve
from tests.storage.disk_bytes import read, write

MARKER = b"WRITTEN-THROUGH-THE-FIRST"
OFFSET = 1 << 20


@pytest.fixture(scope="module")
def two_on_rbd(postgres, ceph, tmp_path_factory):
    url = postgres.new_database()
    root = tmp_path_factory.mktemp("rbd-shared")
    common = ["--database-url", url, "--transitions", "instant", "--log-level", "warning", *ceph.serve_args()]
    # The first also forks workers (--workers 2): each makes its own cluster connection.
    with serve(root, "--data-dir", str(root / "one"), "--workers", "2", *common) as first, \
            serve(root, "--data-dir", str(root / "two"), *common) as second:
        yield first, second, common, root


def test_a_disk_written_through_one_is_read_through_the_other(two_on_rbd):
    first, second, _, _ = two_on_rbd
    instance_id = Ecs(first).run_instance()
    for n in range(4):  # through either worker of the first
        write(first, next(d["DiskId"] for d in Ecs(first).disks_of(instance_id)), n, b"w")
    Ecs(first)("StopInstance", InstanceId=instance_id)
    disk_id = next(d["DiskId"] for d in Ecs(second).disks_of(instance_id) if d["Type"] == "system")
    write(first, disk_id, OFFSET, MARKER)
    assert read(second, disk_id, OFFSET, len(MARKER)) == MARKER
    Ecs(second)("ReInitDisk", DiskId=disk_id)
    image = public_image_content(LINUX_IMAGE)[OFFSET:OFFSET + len(MARKER)]
    assert read(first, disk_id, OFFSET, len(MARKER)) == image
    assert read(second, disk_id, OFFSET, len(MARKER)) == image


def test_a_snapshot_made_through_one_makes_disks_through_the_other(two_on_rbd):
    first, second, _, _ = two_on_rbd
    instance_id = Ecs(first).run_instance(**{"DataDisk.1.Size": 20})
    disk_id = next(d["DiskId"] for d in Ecs(first).disks_of(instance_id) if d["Type"] == "data")
    write(second, disk_id, 0, b"SNAPPED")
    snapshot_id = Ecs(second)("CreateSnapshot", DiskId=disk_id)["SnapshotId"]
    copy = Ecs(first)("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=snapshot_id)["DiskId"]
    write(first, disk_id, 0, b"CHANGED")
    assert read(first, copy, 0, 7) == b"SNAPPED" and read(second, disk_id, 0, 7) == b"CHANGED"


def test_a_restart_of_one_keeps_what_the_other_wrote(two_on_rbd, tmp_path):
    first, second, common, root = two_on_rbd
    disk_id = Ecs(second)("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    write(second, disk_id, 0, b"STAYS")
    # A third process on the same database and pool starts (and reconciles): nothing goes.
    with serve(tmp_path, "--data-dir", str(root / "three"), *common) as third:
        assert read(third, disk_id, 0, 5) == b"STAYS"
    # An emulator on another database (its own SQLite) in the same pool: its own namespace,
    # whose start removes nothing of this database's.
    alone = [arg for arg in common if arg != "--database-url" and not arg.startswith("postgresql://")]
    with serve(tmp_path, "--data-dir", str(tmp_path / "alone"), *alone) as other:
        assert Ecs(other)("DescribeDisks", RegionId=REGION, DiskIds=f'["{disk_id}"]')["TotalCount"] == 0
    assert read(first, disk_id, 0, 5) == b"STAYS"


@pytest.mark.parametrize("args, said", [
    (["--storage", "raw", "--ceph-user", "me"], "go with --storage rbd"),
    (["--storage", "rbd", "--ceph-conf", "missing.conf"], "no such file"),
    (["--storage", "rbd", "--rbd-pool", "a/b"], "a pool name"),
    (["--storage", "rbd", "--rbd-pool", "no-such-pool"], "error opening pool"),
])
def test_bad_ceph_flags_are_refused_before_anything_changes(ceph, tmp_path, args, said):
    if "--ceph-conf" not in args and "rbd" in args:
        args = [*args, "--ceph-conf", str(ceph.conf)]
    done = subprocess.run([sys.executable, "-m", "ecsemu", "serve", "--in-memory", "--log-level", "warning", *args],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode != 0 and said in done.stderr and "Traceback" not in done.stderr
