"""``ecsemu serve --workers 2`` (issue 10): two processes on one port, sharing a SQLite data
dir or a PostgreSQL database. Which worker answers is chosen by the kernel; to send a
request to one of them, the tests stop the other (SIGSTOP): a stopped process accepts
nothing, so the connection waits in the shared queue for the one left running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.processes import ServerProcess, serve
from tests.rawhttp import Reply, get, v1_params

REGION, ZONE = "cn-hangzhou", "cn-hangzhou-b"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_args(request, tmp_path):
    args = ["--data-dir", str(tmp_path / "data")]
    if request.param == "postgresql":
        args += ["--database-url", request.getfixturevalue("postgres").new_database()]
    return args


@pytest.fixture
def two_workers(store_args, tmp_path):
    """A running ``ecsemu serve --workers 2``, and its two workers' pids."""
    with serve(tmp_path, *store_args, "--workers", "2", "--transitions", "instant",
               "--log-level", "warning") as server:
        yield server, wait_for_workers(server, 2)


def wait_for_workers(server: ServerProcess, count: int) -> list[int]:
    deadline = time.monotonic() + 30
    while True:
        ready = [line for line in server.log.read_text().splitlines() if " ready (pid " in line]
        if len(ready) == count:
            break
        assert server.process.poll() is None and time.monotonic() < deadline, server.log.read_text()
        time.sleep(0.05)
    workers = children(server.process.pid)
    assert sorted(workers) == sorted(int(line.rsplit("pid ", 1)[1].rstrip(")")) for line in ready)
    return workers


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@contextmanager
def only(running: int, workers: list[int]):
    """Every worker but ``running`` stopped for the block: it alone answers."""
    stopped = [pid for pid in workers if pid != running]
    for pid in stopped:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in stopped:
            os.kill(pid, signal.SIGCONT)


def call(server: ServerProcess, action: str, **params: str) -> Reply:
    return get(server.port, v1_params(action, **params))


def test_each_worker_answers(two_workers):
    server, workers = two_workers
    assert len(workers) == 2
    for pid in workers:
        with only(pid, workers):
            reply = call(server, "DescribeRegions")
            assert reply.status == 200 and reply.json()["Regions"]["Region"]


def test_a_disk_created_through_one_is_described_through_the_other(two_workers):
    server, (first, second) = two_workers
    with only(first, [first, second]):
        reply = call(server, "CreateDisk", RegionId=REGION, ZoneId=ZONE, Size="20")
        assert reply.status == 200, reply.body
        disk_id = reply.json()["DiskId"]
    with only(second, [first, second]):
        def described() -> dict:
            reply = call(server, "DescribeDisks", RegionId=REGION, DiskIds=json.dumps([disk_id]))
            assert reply.status == 200, reply.body
            (disk,) = reply.json()["Disks"]["Disk"]
            assert disk["DiskId"] == disk_id
            return disk
        # Instant mode's Creating -> Available is due at once: the other process, which
        # did not schedule it, applies it before answering (a shared database is always asked).
        assert described()["Status"] == "Available"


def test_a_replayed_request_is_refused_whichever_worker_gets_it(two_workers):
    server, (first, second) = two_workers
    params = v1_params("DescribeRegions")
    with only(first, [first, second]):
        assert get(server.port, params).status == 200
    for pid in (second, first):
        with only(pid, [first, second]):
            reply = get(server.port, params)
            assert (reply.status, reply.json()["Code"]) == (400, "SignatureNonceUsed")


def test_sigterm_stops_every_worker(two_workers):
    server, workers = two_workers
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=20) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    assert "ecsemu: stopped (2 workers stopped gracefully)" in server.log.read_text()


def test_a_kill_9_of_the_parent_stops_every_worker(two_workers):
    server, workers = two_workers
    server.kill()  # kill -9: no signal is forwarded, the kernel tells the workers
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in workers):
        assert time.monotonic() < deadline, [(pid, _state(pid)) for pid in workers]
        time.sleep(0.05)


def _state(pid: int) -> str:
    """The process's state letter (Z: a zombie, gone but for its parent's wait)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def test_a_worker_that_dies_is_reported_and_the_other_serves_on(store_args, tmp_path):
    with serve(tmp_path, *store_args, "--workers", "2", "--transitions", "instant",
               "--log-level", "warning") as server:
        dead, alive = wait_for_workers(server, 2)
        os.kill(dead, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while f"(pid {dead}) was killed by signal 9" not in server.log.read_text():
            assert time.monotonic() < deadline, server.log.read_text()
            time.sleep(0.05)
        assert children(server.process.pid) == [alive]
        for _ in range(5):
            assert call(server, "DescribeRegions").status == 200
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=20) == 1  # a worker failed
        assert not Path(f"/proc/{alive}").exists()


def test_start_up_clean_up_runs_once_before_the_workers(tmp_path):
    """A file a crash left (no row owns it) is removed at start, before any worker runs:
    not by each worker as it starts, which could remove what another one is writing."""
    data = tmp_path / "data"
    orphan = data / "storage" / "disks" / "d-orphan.qcow2"  # a disk file no row owns
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")
    with serve(tmp_path, "--data-dir", str(data), "--workers", "2", "--transitions", "instant",
               "--log-level", "warning") as server:
        wait_for_workers(server, 2)
        assert not orphan.exists()


@pytest.mark.parametrize("args", [["--in-memory"], ["--transitions", "manual"], ["--workers", "0"]])
def test_what_cannot_be_shared_is_a_usage_error(args, tmp_path):
    """State in memory, or a manual clock, would be each process's own."""
    done = subprocess.run([sys.executable, "-m", "ecsemu", "serve", "--data-dir", str(tmp_path / "data"),
                           "--workers", "2", *args], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "--workers" in done.stderr and args[-1] in done.stderr, done.stderr
