"""CopySnapshot copies bytes: a disk made from the copy in another region reads what the
source snapshot held (markers, as in the data-plane tests), re-initialises to it, and keeps
it when the source is gone; on each storage backend, directly and through the official SDK."""

import pytest

from ecsemu.config import Config
from ecsemu.storage.base import GIB, HEADER, public_image_content
from ecsemu.testing import EmulatorServer
from ecsemu.timing import Delays
from tests.ceph import storage_options
from tests.ecsclient import LINUX_IMAGE, REGION, Ecs, flat
from tests.storage.test_data_plane import read, write

MIB = 1024**2
DESTINATION, DESTINATION_ZONE = "cn-shanghai", "cn-shanghai-b"


# --- the backends directly ---------------------------------------------------------------------

def test_a_copied_layer_stands_alone(storage):
    base = storage.ensure_public_layer(LINUX_IMAGE)
    storage.write("d-1", base, 40 * GIB, MIB, b"MARKER")
    storage.freeze("d-1", base, "layer-snap")
    storage.copy_layer("layer-snap", "layer-copy")
    storage.delete_layer("layer-snap")                     # the source's chain may go: the copy holds all
    assert storage.read("d-view", "layer-copy", MIB, 6) == b"MARKER"
    assert storage.read("d-view", "layer-copy", 0, len(HEADER)) == HEADER
    image = public_image_content(LINUX_IMAGE)
    assert storage.read("d-view", "layer-copy", 2 * MIB, 64) == image[2 * MIB:2 * MIB + 64]
    assert storage.layer_bytes("layer-copy") > 0
    assert storage.layer_bytes("layer-gone") == 0


# --- through the API -------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=["qcow2", "raw", "rbd"])
def ecs(request):
    if request.param == "qcow2":
        from ecsemu.storage import qemu_img_available
        if not qemu_img_available():
            pytest.skip("qemu-img and qemu-io are needed (Debian: apt-get install qemu-utils)")
    config = Config(in_memory=True, transitions="instant", **storage_options(request, request.param))
    with EmulatorServer(config) as server:
        yield Ecs(server)


def disk_from_copy(ecs, snapshot_id) -> tuple[Ecs, str]:
    """The snapshot copied to Shanghai, a disk made there from the copy and attached to a
    Stopped instance there: (the Shanghai client, the disk)."""
    copy_id = ecs("CopySnapshot", RegionId=REGION, SnapshotId=snapshot_id,
                  DestinationRegionId=DESTINATION)["SnapshotId"]
    shanghai = Ecs(ecs.server, region=DESTINATION)
    instance_id = shanghai.run_instance(ZoneId=DESTINATION_ZONE)
    shanghai("StopInstance", InstanceId=instance_id)
    disk_id = shanghai("CreateDisk", RegionId=DESTINATION, ZoneId=DESTINATION_ZONE, SnapshotId=copy_id)["DiskId"]
    shanghai("AttachDisk", DiskId=disk_id, InstanceId=instance_id)
    return shanghai, disk_id


def test_a_data_disk_made_from_a_copy_has_the_snapshots_bytes(ecs):
    instance_id = ecs.run_instance(**flat("DataDisk", [{"Size": 20}]))
    source_disk = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "data")
    write(ecs, source_disk, 5 * GIB, b"MARKER-SNAPSHOT")
    snapshot_id = ecs("CreateSnapshot", DiskId=source_disk)["SnapshotId"]
    write(ecs, source_disk, 5 * GIB, b"MARKER-LATER!!!")            # after the snapshot: not in it
    shanghai, disk_id = disk_from_copy(ecs, snapshot_id)
    ecs("DeleteSnapshot", SnapshotId=snapshot_id)                   # the copy needs nothing of its source
    assert read(ecs, disk_id, 5 * GIB, 15) == b"MARKER-SNAPSHOT"
    write(ecs, disk_id, 5 * GIB, b"MARKER-SHANGHAI")
    shanghai("ReInitDisk", DiskId=disk_id)
    assert read(ecs, disk_id, 5 * GIB, 15) == b"MARKER-SNAPSHOT"
    assert read(ecs, source_disk, 5 * GIB, 15) == b"MARKER-LATER!!!"  # the source disk is its own


def test_a_system_disk_copy_carries_its_image_and_what_was_written(ecs):
    instance_id = ecs.run_instance()
    system_disk = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")
    write(ecs, system_disk, MIB, b"MARKER-SYSTEM")
    snapshot_id = ecs("CreateSnapshot", DiskId=system_disk)["SnapshotId"]
    _, disk_id = disk_from_copy(ecs, snapshot_id)
    image = public_image_content(LINUX_IMAGE)
    assert read(ecs, disk_id, 0, len(HEADER)) == HEADER
    assert read(ecs, disk_id, MIB, 13) == b"MARKER-SYSTEM"
    assert read(ecs, disk_id, 2 * MIB, 64) == image[2 * MIB:2 * MIB + 64]


def test_an_image_made_from_a_copy_launches_the_copied_bytes(ecs):
    instance_id = ecs.run_instance()
    system_disk = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")
    write(ecs, system_disk, MIB, b"MARKER-IMAGE")
    snapshot_id = ecs("CreateSnapshot", DiskId=system_disk)["SnapshotId"]
    copy_id = ecs("CopySnapshot", RegionId=REGION, SnapshotId=snapshot_id,
                  DestinationRegionId=DESTINATION)["SnapshotId"]
    shanghai = Ecs(ecs.server, region=DESTINATION)
    image_id = shanghai("CreateImage", RegionId=DESTINATION, SnapshotId=copy_id, ImageName="from-a-copy")["ImageId"]
    launched = shanghai.run_instance(ImageId=image_id, ZoneId=DESTINATION_ZONE)
    disk_id = next(d["DiskId"] for d in shanghai.disks_of(launched) if d["Type"] == "system")
    assert read(ecs, disk_id, MIB, 12) == b"MARKER-IMAGE"
    assert read(ecs, disk_id, 0, len(HEADER)) == HEADER


def test_in_realistic_mode_a_copy_is_seen_progressing_then_accomplished():
    delays = Delays().with_overrides({"snapshot": 1.0})
    with EmulatorServer(Config(in_memory=True, delays=delays)) as server:
        ecs = Ecs(server)
        instance_id = ecs.run_instance()
        ecs.wait(lambda: ecs.instance(instance_id)["Status"], "Running")
        system_disk = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")
        snapshot_id = ecs("CreateSnapshot", DiskId=system_disk)["SnapshotId"]

        def status(region, snapshot):
            return ecs("DescribeSnapshots", RegionId=region, SnapshotIds=[snapshot])["Snapshots"]["Snapshot"][0][
                "Status"]

        ecs.wait(lambda: status(REGION, snapshot_id), "accomplished")
        copy_id = ecs("CopySnapshot", RegionId=REGION, SnapshotId=snapshot_id,
                      DestinationRegionId=DESTINATION)["SnapshotId"]
        seen = [status(DESTINATION, copy_id)]
        ecs.wait(lambda: status(DESTINATION, copy_id), "accomplished")
        assert seen == ["progressing"]
