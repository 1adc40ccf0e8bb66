"""Image import reads and disk export writes only inside the files dir: a path outside it,
through a link, with "..", or naming anything but a regular raw or self-contained qcow2 file
is refused with a clear error and changes nothing; export never replaces a file unless
asked. The CLI, which runs as its user, still takes any path."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from ecsemu.config import Config
from ecsemu.storage import open_storage
from ecsemu.storage.base import ImageRefused
from ecsemu.testing import EmulatorServer
from tests.ceph import storage_options
from tests.ecsclient import REGION, ZONE, Ecs

GIB = 1024**3
TOKEN = "files-dir-test-token"


@pytest.fixture(scope="module", params=["qcow2", "raw", "rbd"])
def ecs(request, tmp_path_factory):
    if request.param == "qcow2":
        from ecsemu.storage import qemu_img_available
        if not qemu_img_available():
            pytest.skip("qemu-img and qemu-io are needed (Debian: apt-get install qemu-utils)")
    around = tmp_path_factory.mktemp(f"around-{request.param}")
    raw_image(around / "outside.raw", b"BESIDE THE FILES DIR")  # what "../outside.raw" would reach
    config = Config(in_memory=True, transitions="instant", **storage_options(request, request.param),
                    files_dir=around / "files")
    with EmulatorServer(config) as server:
        yield Ecs(server)


@pytest.fixture
def files_dir(ecs):
    return ecs.server.emulator.files_dir


def post(ecs, path, body):
    request = urllib.request.Request(f"{ecs.server.url}/_ecsemu{path}", data=json.dumps(body).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def write(ecs, disk_id, offset, data):
    request = urllib.request.Request(f"{ecs.server.url}/_ecsemu/disks/{disk_id}/data?offset={offset}", data=data,
                                     method="PUT", headers={"Content-Type": "application/octet-stream"})
    urllib.request.urlopen(request).read()


def read(ecs, disk_id, offset, length):
    with urllib.request.urlopen(f"{ecs.server.url}/_ecsemu/disks/{disk_id}/data?offset={offset}&length={length}") as r:
        return r.read()


def import_image(ecs, path, name="imported"):
    return post(ecs, "/images/import", {"Path": path, "ImageName": name})


def export(ecs, disk_id, path, **more):
    return post(ecs, f"/disks/{disk_id}/export", {"Path": path, **more})


def state(ecs):
    """What an import could add: image rows, layer rows, layer files; and the files dir."""
    emulator = ecs.server.emulator
    with emulator.db.transaction() as conn:
        images = conn.exec_driver_sql("select count(*) from images").scalar()
        layers = conn.exec_driver_sql("select count(*) from layers").scalar()
    files = sorted(p.name for p in emulator.storage.layers_dir.iterdir())
    root = sorted(p.name for p in emulator.storage.root.iterdir())
    return images, layers, files, root, sorted(str(p) for p in emulator.files_dir.rglob("*"))


def raw_image(path, text=b"A USER'S IMAGE", size=GIB):
    with open(path, "wb") as handle:
        handle.write(text)
        handle.truncate(size)
    return path


def head(path, length=4):
    with open(path, "rb") as handle:
        return handle.read(length)


def qemu_img(*args):
    subprocess.run(["qemu-img", *args], check=True, capture_output=True)


def new_disk(ecs):
    return ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]


# --- import --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/etc/shadow", "/etc/passwd", "../outside.raw", "a/../../outside.raw",
                                  "{files}/../outside.raw", "{files}/../../{around}/outside.raw",
                                  "{around_dir}/outside.raw", "/", "", ".", "a\0b", "x" * 5000, "d/" + "y" * 300,
                                  42, None, ["a"], {"a": 1}, True])
def test_import_outside_or_malformed_is_refused(ecs, files_dir, path):
    if isinstance(path, str):
        path = path.format(files=files_dir, around=files_dir.parent.name, around_dir=files_dir.parent)
    before = state(ecs)
    status, answer = import_image(ecs, path)
    assert (status, answer["Code"]) == (400, "InvalidPath"), answer
    assert answer["Message"]
    assert state(ecs) == before


def test_import_of_another_users_private_file_is_refused(ecs, files_dir, tmp_path):
    secret = tmp_path / "secret.raw"
    secret.write_bytes(b"SECRET")
    secret.chmod(0o600)
    if os.geteuid() == 0:
        os.chown(secret, 65534, 65534)  # nobody's: the server (root) could read it, and must not
    before = state(ecs)
    assert import_image(ecs, str(secret))[0] == 400
    assert state(ecs) == before


def test_links_are_refused_wherever_they_are(ecs, files_dir, tmp_path):
    outside = raw_image(tmp_path / "outside.raw", b"OUTSIDE")
    (files_dir / "link.raw").symlink_to(outside)
    (files_dir / "linked-dir").symlink_to(tmp_path, target_is_directory=True)
    (files_dir / "inner").mkdir()
    (files_dir / "inner" / "up").symlink_to("..", target_is_directory=True)
    try:
        before = state(ecs)
        for path in ("link.raw", "linked-dir/outside.raw", "inner/up/link.raw", str(files_dir / "link.raw"),
                     str(files_dir / "linked-dir" / "outside.raw")):
            status, answer = import_image(ecs, path)
            assert (status, answer["Code"]) == (400, "InvalidPath"), (path, answer)
            assert "link" in answer["Message"]
        assert state(ecs) == before
    finally:
        for name in ("link.raw", "linked-dir", "inner/up"):
            (files_dir / name).unlink()
        (files_dir / "inner").rmdir()


def test_only_regular_files_are_imported(ecs, files_dir):
    os.mkfifo(files_dir / "fifo")          # would hang a plain open
    (files_dir / "directory").mkdir()
    try:
        before = state(ecs)
        for path in ("fifo", "directory", "missing.raw", "directory/missing.raw", "missing-dir/x.raw"):
            status, answer = import_image(ecs, path)
            assert (status, answer["Code"]) == (400, "InvalidPath"), (path, answer)
        assert state(ecs) == before
    finally:
        (files_dir / "fifo").unlink()
        (files_dir / "directory").rmdir()


def test_qcow2_that_reads_other_files_and_other_formats_are_refused(ecs, files_dir, tmp_path):
    raw_image(tmp_path / "base.raw", b"BACKING FILE BYTES", 16 * 1024**2)
    qemu_img("create", "-q", "-f", "qcow2", "-b", str(tmp_path / "base.raw"), "-F", "raw",
             str(files_dir / "overlay.qcow2"), "16M")
    qemu_img("create", "-q", "-f", "qcow2", "-o", f"data_file={tmp_path / 'data.raw'}",
             str(files_dir / "datafile.qcow2"), "16M")
    for fmt in ("vmdk", "vpc", "vdi", "qed", "vhdx"):
        qemu_img("create", "-q", "-f", fmt, str(files_dir / f"disk.{fmt}"), "16M")
    (files_dir / "corrupt.qcow2").write_bytes(b"QFI\xfb\x00\x00\x00\x03" + bytes(200))
    (files_dir / "descriptor.vmdk").write_text("# Disk DescriptorFile\nversion=1\n"
                                               f'RW 2048 FLAT "{tmp_path / "base.raw"}" 0\n')
    try:
        before = state(ecs)
        for name in ("overlay.qcow2", "datafile.qcow2", "disk.vmdk", "disk.vpc", "disk.vdi", "disk.qed",
                     "disk.vhdx", "descriptor.vmdk", "corrupt.qcow2"):
            status, answer = import_image(ecs, name)
            assert (status, answer["Code"]) == (400, "InvalidImageFile"), (name, answer)
        assert state(ecs) == before
    finally:
        for path in list(files_dir.iterdir()):
            path.unlink()


def test_raw_backend_without_qemu_img_refuses_other_formats_by_their_magic(tmp_path, monkeypatch):
    from ecsemu.storage import base
    monkeypatch.setattr(base, "qemu_img_path", lambda: None)
    storage = open_storage(tmp_path / "storage", "raw")
    for name, header in (("vmdk", b"KDMV\x01\x00\x00\x00"), ("vpc", b"conectix"), ("qed", b"QED\x00"),
                         ("vdi", bytes(64) + b"\x7f\x10\xda\xbe"), ("luks", b"LUKS\xba\xbe")):
        path = tmp_path / name
        path.write_bytes(header + bytes(4096))
        with pytest.raises(ImageRefused):
            storage.import_file("m-x", path)
    backed = tmp_path / "backed.qcow2"
    qemu_img("create", "-q", "-f", "qcow2", "-b", str(raw_image(tmp_path / "b.raw", size=1024**2)), "-F", "raw",
             str(backed), "1M")
    with pytest.raises(ImageRefused, match="backing file"):
        storage.import_file("m-y", backed)
    assert not storage.has_layer("m-x") and not storage.has_layer("m-y")
    assert list(storage.layers_dir.iterdir()) == []


def test_import_of_a_link_through_the_storage_api_is_refused(tmp_path):
    storage = open_storage(tmp_path / "storage", "raw")
    (tmp_path / "link").symlink_to(raw_image(tmp_path / "real.raw"))
    with pytest.raises(ImageRefused, match="link"):
        storage.import_file("m-l", tmp_path / "link")


# --- export --------------------------------------------------------------------------------


def test_export_then_import_round_trip_inside_the_files_dir(ecs, files_dir):
    disk_id = new_disk(ecs)
    write(ecs, disk_id, 5 * 1024**2, b"ROUND-TRIP")
    (files_dir / "out").mkdir(exist_ok=True)
    status, answer = export(ecs, disk_id, "out/disk.qcow2", Format="qcow2")
    assert status == 200, answer
    assert answer["Path"] == "out/disk.qcow2"
    assert (files_dir / "out" / "disk.qcow2").is_file()
    status, answer = import_image(ecs, str(files_dir / "out" / "disk.qcow2"), "round-trip")  # absolute, inside
    assert status == 200, answer
    image = ecs("DescribeImages", RegionId=REGION, ImageId=answer["ImageId"])["Images"]["Image"][0]
    assert (image["Size"], image["Description"]) == (20, "Imported from disk.qcow2")
    instance = ecs.run_instance(ImageId=answer["ImageId"])
    system = next(d["DiskId"] for d in ecs.disks_of(instance) if d["Type"] == "system")
    assert read(ecs, system, 5 * 1024**2, 10) == b"ROUND-TRIP"
    assert not [p for p in files_dir.iterdir() if p.name.startswith(".ecsemu-export-")]


def test_export_never_replaces_a_file_unless_asked(ecs, files_dir, tmp_path):
    disk_id = new_disk(ecs)
    write(ecs, disk_id, 0, b"DISK")
    existing = files_dir / "existing.raw"
    existing.write_bytes(b"KEEP ME")
    assert export(ecs, disk_id, "existing.raw")[1]["Code"] == "FileAlreadyExists"
    assert export(ecs, disk_id, "existing.raw")[0] == 409
    assert existing.read_bytes() == b"KEEP ME"

    outside = tmp_path / "victim"
    outside.write_bytes(b"NOT YOURS")
    (files_dir / "planted.raw").symlink_to(outside)  # a link at the destination is never written through
    (files_dir / "dangling.raw").symlink_to(tmp_path / "would-be-created")
    assert export(ecs, disk_id, "planted.raw")[0] == 409
    assert export(ecs, disk_id, "dangling.raw")[0] == 409
    assert export(ecs, disk_id, "planted.raw", Overwrite=True)[0] == 200
    assert outside.read_bytes() == b"NOT YOURS"
    assert not (files_dir / "planted.raw").is_symlink()
    assert head(files_dir / "planted.raw") == b"DISK"
    assert not (tmp_path / "would-be-created").exists()

    assert export(ecs, disk_id, "existing.raw", Overwrite=True)[0] == 200
    assert existing.stat().st_size == 20 * GIB and head(existing) == b"DISK"
    assert export(ecs, disk_id, "existing.raw", Overwrite="yes")[0] == 400
    for name in ("existing.raw", "planted.raw", "dangling.raw"):
        (files_dir / name).unlink()


@pytest.mark.parametrize("path", ["{around}/escape.raw", "{files}/../escape.raw", "../escape.raw",
                                  "sub/../../escape.raw", "", "a\0b", 7])
def test_export_outside_is_refused(ecs, files_dir, path):
    if isinstance(path, str):
        path = path.format(files=files_dir, around=files_dir.parent)
    disk_id = new_disk(ecs)
    status, answer = export(ecs, disk_id, path)
    assert (status, answer["Code"]) == (400, "InvalidPath"), answer
    assert not (files_dir.parent / "escape.raw").exists()


def test_export_through_a_linked_directory_is_refused(ecs, files_dir, tmp_path):
    disk_id = new_disk(ecs)
    (files_dir / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    try:
        status, answer = export(ecs, disk_id, "elsewhere/disk.raw")
        assert (status, answer["Code"]) == (400, "InvalidPath")
        assert list(tmp_path.iterdir()) == []
    finally:
        (files_dir / "elsewhere").unlink()


def test_a_failed_export_leaves_nothing(ecs, files_dir):
    before = sorted(files_dir.iterdir())
    assert export(ecs, "d-bpnothing0000000000", "nothing.raw")[0] == 404
    assert export(ecs, new_disk(ecs), "no-such-dir/disk.raw")[0] == 400
    assert sorted(files_dir.iterdir()) == before


# --- the CLI, which runs as its user ---------------------------------------------------------


@pytest.fixture(scope="module")
def token_server():
    with EmulatorServer(Config(in_memory=True, transitions="instant", control_token=TOKEN)) as server:
        yield server


def cli(server, *args):
    return subprocess.run([sys.executable, "-m", "ecsemu", *args, "--url", server.url, "--control-token", TOKEN],
                          capture_output=True, timeout=120)


def test_cli_takes_paths_outside_the_files_dir(token_server, tmp_path):
    ecs = Ecs(token_server)
    files_dir = token_server.emulator.files_dir
    mine = raw_image(tmp_path / "mine.raw", b"FROM ELSEWHERE", 2 * GIB)
    done = cli(token_server, "image", "import", str(mine), "--name", "from-elsewhere")
    assert done.returncode == 0, done.stderr
    image_id = json.loads(done.stdout)["ImageId"]
    assert list(files_dir.iterdir()) == []  # its staged copy is gone
    assert mine.read_bytes()[:14] == b"FROM ELSEWHERE"

    instance = ecs.run_instance(ImageId=image_id)
    disk_id = next(d["DiskId"] for d in ecs.disks_of(instance) if d["Type"] == "system")
    out = tmp_path / "exported.qcow2"
    done = cli(token_server, "disk", "export", disk_id, str(out), "--format", "qcow2")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Path"] == str(out)
    assert list(files_dir.iterdir()) == []
    qemu_img("dd", "-O", "raw", f"if={out}", f"of={tmp_path / 'head.raw'}", "bs=512", "count=1")
    assert (tmp_path / "head.raw").read_bytes()[:14] == b"FROM ELSEWHERE"

    out.write_bytes(b"PRECIOUS")
    done = cli(token_server, "disk", "export", disk_id, str(out))
    assert done.returncode == 1 and b"FileAlreadyExists" in done.stderr
    assert out.read_bytes() == b"PRECIOUS"
    done = cli(token_server, "disk", "export", disk_id, str(out), "--overwrite")
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size == 40 * GIB
    with out.open("rb") as handle:
        assert handle.read(14) == b"FROM ELSEWHERE"
    assert list(files_dir.iterdir()) == []


def test_cli_paths_inside_the_files_dir_go_as_they_are(token_server, tmp_path):
    files_dir = token_server.emulator.files_dir
    raw_image(files_dir / "inside.raw", b"ALREADY INSIDE", GIB)
    try:
        done = cli(token_server, "image", "import", str(files_dir / "inside.raw"), "--name", "inside")
        assert done.returncode == 0, done.stderr
        assert sorted(p.name for p in files_dir.iterdir()) == ["inside.raw"]
        disk_id = Ecs(token_server)("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
        done = cli(token_server, "disk", "export", disk_id, str(files_dir / "exported.raw"))
        assert done.returncode == 0, done.stderr
        assert (files_dir / "exported.raw").stat().st_size == 20 * GIB
        assert cli(token_server, "disk", "export", disk_id, str(files_dir / "exported.raw")).returncode == 1
    finally:
        for path in files_dir.iterdir():
            path.unlink()


def test_cli_reports_a_missing_file(token_server, tmp_path):
    done = cli(token_server, "image", "import", str(tmp_path / "missing.raw"), "--name", "nothing")
    assert done.returncode == 1 and b"InvalidPath" in done.stderr


def test_health_tells_the_files_dir(ecs, files_dir):
    with urllib.request.urlopen(f"{ecs.server.url}/_ecsemu/health") as response:
        assert json.loads(response.read())["FilesDir"] == str(files_dir)
