"""ecsemu beside moto, and ecsemu on one process beside two (``serve --workers 2``).

Why: moto is what AWS users run for the same purpose (a local EC2 for tests); its
DescribeVolumes by ID is the counterpart of ECS's DescribeDisks by ID. And ``--workers``
exists to use more cores: this measures what a second process brings on this machine.

How: the same load generator as bench/load.py (asyncio streams on uvloop, N connections,
one request in flight on each, 1 s warm-up then --seconds measured, targets in turns
--runs times, medians), pinned to the second CPU. Before measuring, 1,000 disks are made
through ecsemu's API (CreateDisk, one data dir for all ecsemu targets) and 1,000 volumes
through moto's (CreateVolume); each request then asks for one of them, drawn at random.
ecsemu's requests are v1-signed with a fresh nonce each (bench/actions.py); moto checks no
signature, so its requests carry a SigV4-shaped Authorization header (for the region) and
are reused. moto_server (werkzeug's server) closes the connection after each response: the
generator then opens a new one, so moto's figure includes a TCP connect per request;
ecsemu keeps its connections alive.

Targets: moto_server and ecsemu with one process, each pinned to the first CPU as
bench/load.py pins its servers; ecsemu with one process unpinned; ecsemu --workers 2,
unpinned (its two processes may use both CPUs, the one the generator is on included).

    python bench/moto_compare.py [--seconds 3] [--connections 32] [--runs 3] [--write-docs]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from actions import API_VERSION, describe_disks_by_id, v1_get_requests
from load import WARMUP_SECONDS, Run, free_port, machine, measure, percentile, replace_section

BENCH_DIR = Path(__file__).resolve().parent
DISKS = 1_000
PRESIGN_RPS = 4_000      # ecsemu gets (this) x (run seconds) pre-signed requests a run
MOTO_REGION = "us-east-1"
BEGIN, END = "<!-- bench/moto_compare.py begin -->", "<!-- bench/moto_compare.py end -->"


# --- processes --------------------------------------------------------------------------

@dataclass
class Proc:
    name: str
    process: subprocess.Popen
    port: int

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process and its children (the workers) so far."""
        total = 0
        for pid in [self.process.pid, *children(self.process.pid)]:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def launch(name: str, command: list[str], port: int, cpu: int | None) -> Proc:
    pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=pin)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return Proc(name, process, port)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                sys.exit(f"{name} did not start: {' '.join(command)}")
            time.sleep(0.05)


def ecsemu_command(port: int, data_dir: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "ecsemu", "serve", "--host", "127.0.0.1", "--port", str(port),
            "--data-dir", str(data_dir), "--transitions", "instant", "--log-level", "warning",
            "--workers", str(workers)]


def moto_command(port: int) -> list[str]:
    return [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]


# --- requests ---------------------------------------------------------------------------

def moto_request(query: str, host: str) -> bytes:
    # moto reads the region from the credential scope; it checks no signature.
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return (f"GET /?{query} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: ecsemu-bench\r\n"
            f"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{stamp}/{MOTO_REGION}/ec2/aws4_request, "
            f"SignedHeaders=host, Signature=0\r\n\r\n").encode()


def moto_describe_volumes(ids: list[str], host: str, seed: int = 0) -> list[bytes]:
    pick = random.Random(seed).choice
    return [moto_request(f"Action=DescribeVolumes&Version=2016-11-15&VolumeId.1={pick(ids)}", host)
            for _ in range(len(ids))]


def exchange(port: int, requests: list[bytes]) -> list[bytes]:
    """Sends each request and returns each body; a new connection whenever the server closes one."""
    bodies, sock, reader = [], None, None
    for request in requests:
        if sock is None:
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            reader = sock.makefile("rb")
        sock.sendall(request)
        status = int(reader.readline()[9:12])
        headers = {}
        while (line := reader.readline()) not in (b"\r\n", b""):
            key, _, value = line.decode().partition(":")
            headers[key.strip().lower()] = value.strip()
        body = reader.read(int(headers["content-length"]))
        if status != 200:
            sys.exit(f"setup request failed ({status}): {body[:300]!r}")
        bodies.append(body)
        if headers.get("connection", "").lower() == "close":
            reader.close()
            sock.close()
            sock = None
    if sock is not None:
        sock.close()
    return bodies


def make_disks(port: int) -> list[str]:
    host = f"127.0.0.1:{port}"
    requests = v1_get_requests({"Action": "CreateDisk", "Version": API_VERSION, "RegionId": "cn-hangzhou",
                                "ZoneId": "cn-hangzhou-b", "Size": "20"}, DISKS, host)
    return [json.loads(body)["DiskId"] for body in exchange(port, requests)]


def make_volumes(port: int) -> list[str]:
    host = f"127.0.0.1:{port}"
    query = f"Action=CreateVolume&Version=2016-11-15&AvailabilityZone={MOTO_REGION}a&Size=20"
    bodies = exchange(port, [moto_request(query, host)] * DISKS)
    return [re.search(rb"<volumeId>(vol-[0-9a-f]+)</volumeId>", body).group(1).decode() for body in bodies]


# --- results ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    bad: int
    server_cpu: float
    client_cpu: float
    other_cpu: float
    runs: tuple[float, ...]
    exhausted: bool


def summarize(name: str, runs: list[Run]) -> Row:
    p50s, p99s = [], []
    for run in runs:
        latencies = sorted(run.latencies)
        p50s.append(percentile(latencies, 0.50) * 1000)
        p99s.append(percentile(latencies, 0.99) * 1000)
    return Row(name, statistics.median(r.rps for r in runs), statistics.median(p50s), statistics.median(p99s),
               sum(r.non_200 + r.unexpected for r in runs), statistics.median(r.server_cpu for r in runs),
               statistics.median(r.client_cpu for r in runs), statistics.median(r.other_cpu for r in runs),
               tuple(r.rps for r in runs), any(r.exhausted for r in runs))


def table(rows: list[Row]) -> str:
    lines = ["| target | requests/s | p50 ms | p99 ms | not answered as asked | server CPU | client CPU "
             "| other CPU | runs (req/s) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        lines.append(f"| {r.name} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.bad} | {r.server_cpu:.0%} "
                     f"| {r.client_cpu:.0%} | {r.other_cpu:.0%} | {', '.join(f'{x:,.0f}' for x in r.runs)} |")
    return "\n".join(lines)


def ratios(rows: dict[str, Row]) -> str:
    moto, one, unpinned, two = (rows[name] for name in NAMES)
    return (f"ecsemu (one process, pinned) / moto_server: **{one.rps / moto.rps:.2f}**; "
            f"ecsemu --workers 2 / one process pinned: **{two.rps / one.rps:.2f}**; "
            f"--workers 2 / one process unpinned: **{two.rps / unpinned.rps:.2f}**")


NAMES = ("moto_server: EC2 DescribeVolumes VolumeId.1=<one>, pinned to CPU 0",
         "ecsemu: DescribeDisks DiskIds=[\"<one>\"], 1 process, pinned to CPU 0",
         "ecsemu: the same, 1 process, unpinned",
         "ecsemu: the same, --workers 2, unpinned")


def docs_section(rows: list[Row], args: argparse.Namespace, moto_version: str) -> str:
    by_name = {r.name: r for r in rows}
    reproduce = (f"python bench/moto_compare.py --seconds {args.seconds:g} --connections {args.connections} "
                 f"--runs {args.runs} --write-docs")
    return f"""## ecsemu and moto, one process and two

{ratios(by_name)} (medians of {args.runs} runs of one run of this benchmark).

Machine: {machine()}, moto {moto_version}. Date: {datetime.now(UTC):%Y-%m-%d}.

{table(rows)}

**What.** 1,000 disks made through ecsemu's API (CreateDisk, `--transitions instant`,
SQLite in one data dir that every ecsemu target serves) and 1,000 volumes through
moto_server's (EC2 CreateVolume); then each request asks for one of them by ID, drawn at
random: `DescribeDisks RegionId=cn-hangzhou DiskIds=["<one>"]`, v1-signed with a fresh
nonce (so each is verified and its nonce claimed in the database), against
`DescribeVolumes VolumeId.1=<one>`, which moto answers without checking a signature.
"Not answered as asked" counts responses, warm-up included, that were not a 200 holding
the one disk or volume; it must be 0. CPU columns are shares of one CPU during the
measured seconds; the server's is the sum of its processes (parent and workers).

**How.** bench/load.py's load generator (asyncio on uvloop, {args.connections} connections, one
request in flight on each), pinned to CPU 1; each target in turn, {WARMUP_SECONDS:g} s warm-up and
{args.seconds:g} s measured, {args.runs} rounds. moto_server (werkzeug) closes the connection after
every response, so for moto the generator opens a connection per request, and that connect is
in moto's latency and rate; ecsemu keeps connections alive.

**Why two processes do not double one here.** The machine has 2 CPUs and the load
generator keeps one of them busy, so `--workers 2` has about one CPU and a bit for its two
processes, and pays for their sharing it: it beats one process left unpinned, but not one
pinned to its own CPU. One process unpinned is the slowest: its event loop and worker
threads run on both CPUs and hand Python's GIL back and forth between them, each handoff
a wake-up on the other CPU. One process pinned keeps all of that on one CPU. On a machine
with CPUs to spare for each worker, the workers add throughput; here the figure mostly
measures the cost of sharing.

Reproduce: `{reproduce}`
"""


# --- driver -----------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description="ecsemu vs moto_server; ecsemu --workers 2 vs 1.")
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per run (default 3)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--runs", type=int, default=3, help="rounds of the targets (default 3)")
    parser.add_argument("--write-docs", action="store_true", help="rewrite this section of docs/performance.md")
    args = parser.parse_args()
    from importlib.metadata import version
    moto_version = version("moto")

    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        sys.exit("needs 2 CPUs: one for the servers, one for the load generator")
    data_dir = Path(tempfile.mkdtemp(prefix="ecsemu-bench-moto-"))
    ports = [free_port() for _ in NAMES]
    commands = [(moto_command(ports[0]), cpus[0]), (ecsemu_command(ports[1], data_dir, 1), cpus[0]),
                (ecsemu_command(ports[2], data_dir, 1), None), (ecsemu_command(ports[3], data_dir, 2), None)]
    servers: list[Proc] = []
    results: dict[str, list[Run]] = {name: [] for name in NAMES}
    try:
        # ecsemu's store is made (and migrated) by the first ecsemu before the others start.
        servers.append(launch(NAMES[0], commands[0][0], ports[0], commands[0][1]))
        servers.append(launch(NAMES[1], commands[1][0], ports[1], commands[1][1]))
        started = time.perf_counter()
        volume_ids = make_volumes(ports[0])
        disk_ids = make_disks(ports[1])
        print(f"made {len(volume_ids)} volumes and {len(disk_ids)} disks in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        for name, port, (command, cpu) in zip(NAMES[2:], ports[2:], commands[2:], strict=True):
            servers.append(launch(name, command, port, cpu))
        os.sched_setaffinity(0, {cpus[1]})
        for round_ in range(1, args.runs + 1):
            for server in servers:
                host = f"127.0.0.1:{server.port}"
                if server is servers[0]:
                    requests = itertools.cycle(moto_describe_volumes(volume_ids, host, seed=round_))
                    expect = b"<volumeId>vol-"
                else:
                    count = int(PRESIGN_RPS * (WARMUP_SECONDS + args.seconds)) + args.connections
                    requests = iter(describe_disks_by_id(count, host, disk_ids, seed=round_))
                    expect = b'"TotalCount":1'
                run = measure(server, requests, args.connections, args.seconds, expect)
                results[server.name].append(run)
                print(f"run {round_}/{args.runs} {server.name:<72} {run.rps:>7,.0f} req/s  "
                      f"bad {run.non_200 + run.unexpected}  CPU: server {run.server_cpu:.0%}, "
                      f"client {run.client_cpu:.0%}, other {run.other_cpu:.0%}", file=sys.stderr, flush=True)
                if run.first_error:
                    print(f"  first bad body: {run.first_error!r}", file=sys.stderr)
    finally:
        for server in servers:
            server.stop()

    rows = [summarize(name, runs) for name, runs in results.items()]
    print(table(rows))
    print(ratios({r.name: r for r in rows}))
    for r in rows:
        if r.exhausted:
            print(f"warning: {r.name} ran out of pre-signed requests; its figure is too low", file=sys.stderr)
    if args.write_docs:
        replace_section(BEGIN, END, docs_section(rows, args, moto_version))
        print("wrote docs/performance.md")
    if any(r.bad for r in rows):
        sys.exit("requests not answered as asked: see above")


if __name__ == "__main__":
    main()
