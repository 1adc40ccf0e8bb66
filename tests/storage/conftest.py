import pytest

from ecsemu.storage import open_storage, qemu_img_available

BACKENDS = ["qcow2", "raw"]


@pytest.fixture(params=BACKENDS)
def backend(request):
    if request.param == "qcow2" and not qemu_img_available():
        pytest.skip("qemu-img and qemu-io are needed (Debian: apt-get install qemu-utils)")
    return request.param


@pytest.fixture
def storage(backend, tmp_path):
    return open_storage(tmp_path / "storage", backend)
