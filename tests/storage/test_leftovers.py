"""A kill -9 leaves nothing behind: no qemu-img or qemu-io outlives the server, and the
next start removes the scratch directories and half-written files no record owns."""

import os
import signal
import threading
import time
import urllib.error
import urllib.request

import pytest

from ecsemu.storage import qemu_img_available
from tests.ecsclient import REGION, ZONE, Ecs
from tests.processes import serve

MIB = 1024**2
TOOLS = ("qemu-io", "qemu-img")


def children(pid):
    """(pid, name) of the processes whose parent is ``pid``, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read()
        except OSError:
            continue
        name = fields[fields.index("(") + 1:fields.rindex(")")]
        parent = int(fields[fields.rindex(")") + 2:].split()[1])
        if parent == pid:
            found.append((int(entry), name))
    return found


def alive(pid):
    """Running (a zombie waiting for init to reap it is dead)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read()
    except OSError:
        return False
    return fields[fields.rindex(")") + 2] not in "ZX"


def storage_leftovers(storage_dir):
    return sorted(str(path.relative_to(storage_dir)) for path in storage_dir.rglob("*")
                  if path.name.startswith("tmp") or path.name.endswith((".tmp", ".new", ".link", ".import.raw")))


def test_kill_during_64_mib_writes_leaves_no_tool_and_no_scratch(tmp_path):
    if not qemu_img_available():
        pytest.skip("qemu-img and qemu-io are needed (Debian: apt-get install qemu-utils)")
    data_dir = tmp_path / "data"
    args = ["--data-dir", str(data_dir), "--storage", "qcow2", "--transitions", "instant", "--log-level", "warning"]
    payload = os.urandom(64 * MIB)
    with serve(tmp_path, *args) as server:
        disk_id = Ecs(server)("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
        stop = threading.Event()

        def writer():
            offset = 0
            while not stop.is_set():
                request = urllib.request.Request(f"{server.url}/_ecsemu/disks/{disk_id}/data?offset={offset}",
                                                 data=payload, method="PUT",
                                                 headers={"Content-Type": "application/octet-stream"})
                try:
                    urllib.request.urlopen(request, timeout=60).read()
                except (urllib.error.URLError, ConnectionError, OSError):
                    return  # the server is gone
                offset = (offset + 64 * MIB) % (20 * 1024**3 - 64 * MIB)

        threads = [threading.Thread(target=writer, daemon=True) for _ in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        tools = []
        while not tools:  # kill while a qemu-io is writing
            assert time.monotonic() < deadline, "no qemu-io was seen"
            tools = [(pid, name) for pid, name in children(server.process.pid) if name in TOOLS]
            time.sleep(0.002)
        server.kill()
        stop.set()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid, _ in tools) and time.monotonic() < deadline:
            time.sleep(0.05)
        survivors = [(pid, name) for pid, name in tools if alive(pid)]
        for pid, _ in survivors:
            os.kill(pid, signal.SIGKILL)
        assert survivors == [], "qemu tools outlived the killed server"
        for thread in threads:
            thread.join(timeout=60)

    # What an older build, killed the same way, left behind: all of it goes at the next start.
    storage_dir = data_dir / "storage"
    (storage_dir / "tmpk1ll3d").mkdir()
    (storage_dir / "tmpk1ll3d" / "data.bin").write_bytes(b"half")
    (storage_dir / "layer-x.import.raw").write_bytes(b"half")
    (storage_dir / "layers" / "public-x.qcow2.1a2b3c4d.tmp").write_bytes(b"half")
    (storage_dir / "disks" / f"{disk_id}.qcow2.new").write_bytes(b"half")
    (data_dir / "files" / ".ecsemu-export-0011223344556677.tmp").write_bytes(b"half")
    (data_dir / "files" / "mine.raw").write_bytes(b"a user's file stays")
    with serve(tmp_path, *args) as server:
        assert storage_leftovers(storage_dir) == []
        assert sorted(p.name for p in (data_dir / "files").iterdir()) == ["mine.raw"]
        with urllib.request.urlopen(f"{server.url}/_ecsemu/disks/{disk_id}/data?offset=0&length=16") as response:
            assert len(response.read()) == 16  # the disk is still there, and readable
    assert storage_leftovers(storage_dir) == []


def test_reconcile_sweeps_scratch_in_the_storage_root(storage, backend):
    """Every backend's scratch space is files in its root, rbd's too (imports, exports)."""
    storage.write("d-keep", None, 1024**3, 0, b"kept")
    for name in ("tmpabc123", "tmp_x"):
        (storage.root / name).mkdir()
        (storage.root / name / "data.bin").write_bytes(b"x" * 100)
    (storage.root / "tmpfile").write_bytes(b"x")
    (storage.root / "m-1.import.raw").write_bytes(b"x")
    (storage.root / "something.tmp").write_bytes(b"x")
    (storage.root / "something.new").write_bytes(b"x")
    scratch = {"tmpabc123", "tmp_x", "tmpfile", "m-1.import.raw", "something.tmp", "something.new"}
    if backend != "rbd":  # rbd's layers are not files
        (storage.layers_dir / "l-1.0a0b0c0d.tmp").mkdir()
        scratch.add("l-1.0a0b0c0d.tmp")
    removed = {path.name for path in storage.reconcile({"d-keep"}, set())}
    assert scratch <= removed
    assert sorted(p.name for p in storage.root.iterdir()) == ["disks", "layers"]
    assert storage.read("d-keep", None, 0, 4) == b"kept"


def test_tools_are_killed_with_the_thread_that_ran_them():
    """The mechanism itself: a child started through run_tool dies when its parent does."""
    import subprocess
    import sys
    script = "from ecsemu.storage.base import run_tool; run_tool('sleep', '30')"
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 10
        while not (sleepers := [pid for pid, name in children(parent.pid) if name == "sleep"]):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 5
        while alive(sleepers[0]) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not alive(sleepers[0])
    finally:
        parent.kill()
