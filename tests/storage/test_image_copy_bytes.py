"""The bytes of copied and shared images, on each storage backend (the data-plane marker
pattern): a copy run in another region and re-initialised gives back the source image's
bytes; an image shared with a second account gives that account the owner's bytes, on
launch and on ReInitDisk, until it is unshared."""

import pytest

from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from tests.ceph import storage_options
from tests.conftest import OTHER_KEY
from tests.ecsclient import REGION, Ecs
from tests.storage.test_data_plane import MIB, read, stopped_instance, write

DESTINATION = "cn-shanghai"
MARKER = b"IMAGE-MARKER-0123"


@pytest.fixture(scope="module", params=["qcow2", "raw", "rbd"])
def ecs(request):
    if request.param == "qcow2":
        from ecsemu.storage import qemu_img_available
        if not qemu_img_available():
            pytest.skip("qemu-img and qemu-io are needed (Debian: apt-get install qemu-utils)")
    config = Config(in_memory=True, transitions="instant", **storage_options(request, request.param),
                    access_keys=(OTHER_KEY,))
    with EmulatorServer(config) as server:
        yield Ecs(server)


def marked_image(ecs, name):
    """A custom image whose system disk carries MARKER at 3 MiB."""
    instance_id, disk_id, _ = stopped_instance(ecs)
    write(ecs, disk_id, 3 * MIB, MARKER)
    return ecs("CreateImage", RegionId=REGION, InstanceId=instance_id, ImageName=name)["ImageId"]


def test_a_copy_in_another_region_has_the_source_bytes(ecs):
    source = marked_image(ecs, "marked-source")
    copy_id = ecs("CopyImage", RegionId=REGION, ImageId=source, DestinationRegionId=DESTINATION)["ImageId"]
    there = Ecs(ecs.server, region=DESTINATION)
    instance_id, disk_id, _ = stopped_instance(there, ImageId=copy_id)
    assert read(ecs, disk_id, 3 * MIB, len(MARKER)) == MARKER
    write(ecs, disk_id, 3 * MIB, b"OVERWRITTEN-THERE")
    there("ReInitDisk", DiskId=disk_id)
    assert read(ecs, disk_id, 3 * MIB, len(MARKER)) == MARKER
    # The source going does not take the copy's bytes with it.
    ecs("DeleteImage", RegionId=REGION, ImageId=source, Force="true")
    write(ecs, disk_id, 3 * MIB, b"OVERWRITTEN-AGAIN")
    there("ReInitDisk", DiskId=disk_id)
    assert read(ecs, disk_id, 3 * MIB, len(MARKER)) == MARKER
    assert there.instance(instance_id)["ImageId"] == copy_id


def test_a_shared_image_gives_the_other_account_its_bytes_until_unshared(ecs):
    image_id = marked_image(ecs, "marked-shared")
    other = Ecs(ecs.server, key=OTHER_KEY)
    ecs("ModifyImageSharePermission", RegionId=REGION, ImageId=image_id, **{"AddAccount.1": OTHER_KEY.account_id})
    _, disk_id, _ = stopped_instance(other, ImageId=image_id)
    assert read(ecs, disk_id, 3 * MIB, len(MARKER)) == MARKER
    write(ecs, disk_id, 3 * MIB, b"THE-OTHER-ACCOUNT")
    other("ReInitDisk", DiskId=disk_id)
    assert read(ecs, disk_id, 3 * MIB, len(MARKER)) == MARKER
    ecs("ModifyImageSharePermission", RegionId=REGION, ImageId=image_id, **{"RemoveAccount.1": OTHER_KEY.account_id})
    write(ecs, disk_id, 3 * MIB, b"THE-OTHER-ACCOUNT")
    assert other.error("ReInitDisk", DiskId=disk_id) == ("InvalidDiskId.OperationNotSupported", 404)
    assert read(ecs, disk_id, 3 * MIB, len(MARKER)) == b"THE-OTHER-ACCOUNT"   # refused: nothing changed
