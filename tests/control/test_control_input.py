"""Control-plane input never causes a 500: every bad value is a 4xx JSON error that
changes nothing, and the manual clock cannot be poisoned."""

from __future__ import annotations

import json
import math
import socket
import time
from pathlib import Path

import pytest

from ecsemu.clock import LATEST, ManualClock
from ecsemu.config import Config
from ecsemu.storage.base import StorageFull
from ecsemu.testing import EmulatorServer
from tests.ecsclient import REGION, ZONE, Ecs
from tests.processes import serve
from tests.rawhttp import send

JSON = {"Content-Type": "application/json"}
MIB = 1024**2
LIMIT = 64 * MIB


@pytest.fixture(scope="module")
def instant():
    with EmulatorServer(Config(in_memory=True, transitions="instant")) as running:
        yield Ecs(running)


@pytest.fixture(scope="module")
def disk(instant):
    return instant("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]


@pytest.fixture(scope="module")
def snapshot(instant):
    instance = instant.run_instance()
    system_disk = instant.disks_of(instance)[0]["DiskId"]
    return instant("CreateSnapshot", DiskId=system_disk)["SnapshotId"]


def error(reply, status: int, code: str) -> None:
    assert reply.status == status, (reply.status, reply.body[:300])
    assert reply.headers["content-type"] == "application/json"
    assert reply.json()["Code"] == code, reply.body[:300]


def creation_time(ecs: Ecs, snapshot_id: str) -> str:
    [found] = ecs("DescribeSnapshots", RegionId=REGION, SnapshotIds=[snapshot_id])["Snapshots"]["Snapshot"]
    return found["CreationTime"]


# --- offsets and lengths ------------------------------------------------------------------------

BAD_NUMBERS = ["%C2%B2", "%D9%A1", "9" * 5000, "1" * 21, "", "-1", "+1", "1.0", "0x10", "1%00", "%201"]


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_bad_offsets_and_lengths(instant, disk, bad):
    """Superscripts and other Unicode digits, 5000 digits, signs, blanks: 400."""
    port = instant.server.port
    error(send(port, "GET", f"/_ecsemu/disks/{disk}/data?offset={bad}&length=1"), 400, "InvalidRange")
    error(send(port, "GET", f"/_ecsemu/disks/{disk}/data?offset=0&length={bad}"), 400, "InvalidRange")
    error(send(port, "PUT", f"/_ecsemu/disks/{disk}/data?offset={bad}", {"Content-Type": "application/octet-stream"},
               b"x"), 400, "InvalidRange")
    assert send(port, "GET", f"/_ecsemu/disks/{disk}/data?offset=0&length=1").body == b"\0"


def test_twenty_digits_are_past_the_end(instant, disk):
    error(send(instant.server.port, "GET", f"/_ecsemu/disks/{disk}/data?offset={'9' * 20}&length=1"),
          400, "InvalidRange")
    assert send(instant.server.port, "GET", f"/_ecsemu/disks/{disk}/data?offset=0{'0' * 19}&length=1").body == b"\0"


# --- JSON bodies ------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"a":' * 100_000, b'{"seconds": ' + b"[" * 50_000])
def test_deep_nesting(instant, body):
    error(send(instant.server.port, "POST", "/_ecsemu/clock/advance", JSON, body), 400, "InvalidBody")


def test_large_bodies_are_refused(instant):
    port = instant.server.port
    body = b'{"seconds": 1, "pad": "' + b"x" * MIB + b'"}'
    error(send(port, "POST", "/_ecsemu/clock/advance", JSON, body), 413, "PayloadTooLarge")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:  # chunked: no Content-Length
        sock.sendall(b"POST /_ecsemu/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        chunk = b" " * (256 * 1024)
        for _ in range(4):  # exactly the limit...
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        sock.sendall(b"10\r\n" + b" " * 16 + b"\r\n")  # ...and past it: nothing more is sent, so the
        status, body = read_reply(sock)                 # server's close cannot reset the answer away
    assert status == 413 and json.loads(body)["Code"] == "PayloadTooLarge"
    assert Ecs(instant.server)("DescribeRegions")["Regions"]  # nothing was reset, nothing broke


def test_integers_too_long_to_read(instant):
    body = b'{"seconds": ' + b"9" * 5000 + b"}"
    error(send(instant.server.port, "POST", "/_ecsemu/clock/advance", JSON, body), 400, "InvalidBody")


# --- the manual clock -----------------------------------------------------------------------------

@pytest.mark.parametrize("seconds", [b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-1e400", b"-1", b"-0.5",
                                     b"1e12", b"10" + b"0" * 30, b'"5"', b"true", b"null", b"[1]"])
def test_bad_seconds_leave_the_clock_working(manual_server, seconds):
    port = manual_server.port
    before = send(port, "GET", "/_ecsemu/health").json()["Now"]
    reply = send(port, "POST", "/_ecsemu/clock/advance", JSON, b'{"seconds": ' + seconds + b"}")
    assert reply.status == 400 and reply.json()["Code"] in ("InvalidBody", "InvalidSeconds"), reply.body
    health = send(port, "GET", "/_ecsemu/health")
    assert health.status == 200 and health.json()["Now"] == before
    moved = send(port, "POST", "/_ecsemu/clock/advance", JSON, b'{"seconds": 1}')
    assert moved.status == 200, moved.body
    assert Ecs(manual_server)("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]


def test_a_hundred_years_is_the_most_one_advance_moves(manual_server):
    century = 100 * 365 * 24 * 3600
    error(send(manual_server.port, "POST", "/_ecsemu/clock/advance", JSON,
               json.dumps({"seconds": century + 1}).encode()), 400, "InvalidSeconds")


@pytest.mark.parametrize("seconds", [math.nan, math.inf, -math.inf, -1, 10**400, True, "5", None])
def test_manual_clock_refuses_what_would_poison_it(seconds):
    clock = ManualClock(1_000_000.0)
    with pytest.raises(ValueError):
        clock.advance(seconds)
    assert clock.now() == 1_000_000.0
    clock.advance(0.5)
    assert clock.now() == 1_000_000.5


def test_manual_clock_stops_at_the_last_time_kept():
    clock = ManualClock(LATEST - 10)
    with pytest.raises(ValueError):
        clock.advance(11)
    clock.advance(10)
    assert clock.now() == LATEST


# --- snapshot dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                                   "9999-12-31T23:59:59-14:00", "9000-01-01T00:00:01Z", "1969-12-31T23:59:59Z",
                                   "1970-01-01T00:00:00+00:01", "2013-02-30T00:00:00Z", "2013-07-01T24:00:00Z",
                                   "2013-07-01T00:00:00+24:00", "2013-07-01T00:00:00", "2013-07-01",
                                   "2013-07-01 00:00:00Z", "２013-07-01T00:00:00Z", "2013-07-01T00:00:00Z ",
                                   "20130701T000000Z", "", 1373846400, None, ["2013-07-01T00:00:00Z"]])
def test_bad_creation_times(instant, snapshot, value):
    before = creation_time(instant, snapshot)
    error(send(instant.server.port, "PATCH", f"/_ecsemu/snapshots/{snapshot}", JSON,
               json.dumps({"CreationTime": value, "Hold": True}).encode()), 400, "InvalidCreationTime")
    assert creation_time(instant, snapshot) == before


@pytest.mark.parametrize("value, shown", [
    ("2013-07-01T00:00:00Z", "2013-07-01T00:00:00Z"),
    ("2013-07-01T08:00:00+08:00", "2013-07-01T00:00:00Z"),
    ("2013-07-01T00:00:00.5z", "2013-07-01T00:00:00Z"),
    ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
    ("9000-01-01T00:00:00Z", "9000-01-01T00:00:00Z"),   # the latest: rendered everywhere
])
def test_creation_times_within_the_range(instant, snapshot, value, shown):
    reply = send(instant.server.port, "PATCH", f"/_ecsemu/snapshots/{snapshot}", JSON,
                 json.dumps({"CreationTime": value}).encode())
    assert reply.status == 200 and reply.json()["CreationTime"] == shown, reply.body
    assert creation_time(instant, snapshot) == shown
    assert instant("DescribeSnapshots", RegionId=REGION)["TotalCount"] >= 1


# --- disk data: bounded, streamed ------------------------------------------------------------------------

def read_reply(sock: socket.socket) -> tuple[int, bytes]:
    """Status and body of one HTTP/1.1 answer with a Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        more = sock.recv(65536)
        assert more, data
        data += more
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
    while len(body) < length:
        more = sock.recv(65536)
        assert more
        body += more
    return int(lines[0].split()[1]), body


def put_chunked(port: int, disk_id: str, total: int, chunk: int = MIB) -> tuple[int, bytes]:
    """PUTs ``total`` bytes as a chunked body and returns the answer. The server may answer
    (413) before the body is all sent; it then drains the rest or closes."""
    block = b"\xab" * chunk
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(f"PUT /_ecsemu/disks/{disk_id}/data?offset=0 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                     "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
        try:
            for _ in range(total // chunk):
                sock.sendall(b"%x\r\n" % chunk + block + b"\r\n")
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        return read_reply(sock)


def test_put_past_the_limit_by_content_length(instant, disk):
    """Refused on the header alone: nothing of the body is waited for."""
    port = instant.server.port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"PUT /_ecsemu/disks/{disk}/data?offset=0 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                     f"Content-Type: application/octet-stream\r\nContent-Length: {400 * MIB}\r\n\r\n".encode())
        started = time.monotonic()
        status, body = read_reply(sock)
    assert status == 413 and json.loads(body)["Code"] == "PayloadTooLarge"
    assert time.monotonic() - started < 5
    assert send(port, "GET", f"/_ecsemu/disks/{disk}/data?offset=0&length=4").body == b"\0" * 4


def test_put_past_the_limit_chunked(instant, disk):
    status, body = put_chunked(instant.server.port, disk, LIMIT + MIB)
    assert status == 413 and json.loads(body)["Code"] == "PayloadTooLarge"
    assert send(instant.server.port, "GET", f"/_ecsemu/disks/{disk}/data?offset=0&length=4").body == b"\0" * 4


def test_put_of_exactly_the_limit_is_written(instant):
    disk_id = instant("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    status, body = put_chunked(instant.server.port, disk_id, LIMIT, chunk=4 * MIB)
    assert status == 200 and json.loads(body)["Written"] == LIMIT
    tail = send(instant.server.port, "GET", f"/_ecsemu/disks/{disk_id}/data?offset={LIMIT - 2}&length=4").body
    assert tail == b"\xab\xab\0\0"


def test_storage_full_is_507(instant, disk, monkeypatch):
    storage = instant.server.emulator.storage

    def full(*args, **kwargs):
        raise StorageFull("No space left on device")
    monkeypatch.setattr(storage, "write", full)
    monkeypatch.setattr(storage, "read", full)
    error(send(instant.server.port, "PUT", f"/_ecsemu/disks/{disk}/data?offset=0",
               {"Content-Type": "application/octet-stream"}, b"x"), 507, "InsufficientStorage")
    error(send(instant.server.port, "GET", f"/_ecsemu/disks/{disk}/data?offset=0&length=1"), 507,
          "InsufficientStorage")


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (the peak) of a process, in bytes."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) * 1024
    return fields


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc/PID/status (Linux)")
def test_a_huge_put_keeps_memory_flat(tmp_path):
    """~300 MB sent chunked to ``ecsemu serve``: it answers 413 and its peak memory grows
    by about the 64 MiB it may hold, far less than what was sent."""
    with serve(tmp_path, "--in-memory", "--transitions", "instant", "--storage", "raw") as server:
        ecs = Ecs(server)
        disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
        send(server.port, "GET", f"/_ecsemu/disks/{disk_id}/data?offset=0&length=1")  # warm the path
        before = memory(server.process.pid)
        status, body = put_chunked(server.port, disk_id, 300 * MIB)
        after = memory(server.process.pid)
        assert status == 413 and json.loads(body)["Code"] == "PayloadTooLarge"
        grown = after["VmHWM"] - before["VmRSS"]
        assert grown < 110 * MIB, f"peak memory grew by {grown / MIB:.0f} MiB"
        assert send(server.port, "GET", "/_ecsemu/health").status == 200


def test_wrong_types_in_an_import_are_refused_not_500s(instant):
    port = instant.server.port
    for body in ({"Path": "x.raw", "ImageName": "fuzz-image", "RegionId": []},
                 {"Path": "x.raw", "ImageName": "fuzz-image", "AccessKeyId": {}},
                 {"Path": "x.raw", "ImageName": "fuzz-image", "OSType": ["linux"]}):
        status = send(port, "POST", "/_ecsemu/images/import", JSON, json.dumps(body).encode()).status
        assert 400 <= status < 500, body


def test_unknown_control_paths_and_methods_answer_in_the_control_plane_s_shape(instant):
    port = instant.server.port
    error(send(port, "GET", "/_ecsemu/nope"), 404, "NotFound")
    error(send(port, "POST", "/_ecsemu/health", JSON, b"{}"), 405, "MethodNotAllowed")
