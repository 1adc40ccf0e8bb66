import pytest

from ecsemu.storage import CephSettings, open_storage, qemu_img_available

BACKENDS = ["qcow2", "raw", "rbd"]


@pytest.fixture(params=BACKENDS)
def backend(request):
    if request.param == "qcow2" and not qemu_img_available():
        pytest.skip("qemu-img and qemu-io are needed (Debian: apt-get install qemu-utils)")
    return request.param


@pytest.fixture
def storage(backend, tmp_path, request):
    if backend == "rbd":  # a namespace of its own in the session's cluster
        ceph = request.getfixturevalue("ceph")
        namespace = ceph.new_namespace()
        return open_storage(tmp_path / "storage", "rbd", ceph=CephSettings(conf=ceph.conf), namespace=namespace)
    return open_storage(tmp_path / "storage", backend)
