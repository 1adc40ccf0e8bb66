"""Load benchmark: signed requests per second and latency of ONE ecsemu server process.

Why: ecsemu stands in for ECS in test suites and local stacks, so its throughput on one
core bounds how fast those can go. The target is at least 5,000 signed requests/s on one
process. A bare ASGI app under the same uvicorn settings (bench/floor_app.py) is measured
in the same run as the floor: what uvicorn, the loopback and this load generator cost
anyway; ecsemu is reported as a fraction of it.

How: each server runs as a subprocess pinned to one CPU; this process, the load generator,
is pinned to another. It holds --connections HTTP/1.1 keep-alive connections (asyncio
streams on uvloop, no pipelining), each sending a request and reading its response in a
loop, for a warm-up second and then --seconds timed seconds. Requests are pre-built and
pre-signed (bench/actions.py), one fresh nonce each. Targets are measured interleaved
(floor, ecsemu, ecsemu with the info access log, floor, ...) --runs times; each figure
in the table is the median over the runs.

    python bench/load.py [--action DescribeRegions] [--seconds 5] [--connections 32]
                         [--runs 3] [--write-docs]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import uvicorn

from actions import BUILDERS

BENCH_DIR = Path(__file__).resolve().parent
DOCS_FILE = BENCH_DIR.parent / "docs" / "performance.md"
WARMUP_SECONDS = 1.0
# Issue 10's targets, signed requests/s on one process, by action (none: report only).
TARGET_RPS = {"DescribeRegions": 5_000, "CreateDisk": 1_000}
FLOOR_POOL = 1_000          # the floor ignores nonces: it cycles through a few requests
POOL_MARGIN = 1.3           # ecsemu gets (floor req/s) x (run seconds) x this pre-signed requests


# --- servers ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    name: str
    command: tuple[str, ...]   # "{port}" is replaced by the port
    signed: bool               # needs a fresh nonce per request (else requests are cycled)


def targets(work: Path) -> list[Target]:
    """The servers, each ecsemu on a data dir of its own under ``work`` (the default SQLite
    file store), transitions instant."""
    def ecsemu(name: str) -> tuple[str, ...]:
        return (sys.executable, "-m", "ecsemu", "serve", "--host", "127.0.0.1", "--port", "{port}",
                "--data-dir", str(work / name), "--transitions", "instant", "--log-level")
    return [
        Target("floor (bare ASGI app)", (sys.executable, str(BENCH_DIR / "floor_app.py"), "--port", "{port}"),
               signed=False),
        Target("ecsemu", ecsemu("quiet") + ("warning",), signed=True),
        Target("ecsemu, access log on", ecsemu("logged") + ("info",), signed=True),
    ]


class Measured(Protocol):
    """What ``measure`` needs of a server: its port and the CPU it has used."""
    port: int

    def cpu_seconds(self) -> float: ...


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time all CPUs spent busy (any process, the kernel, steal) since boot."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(target: Target, cpu: int | None) -> Server:
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in target.command]
    pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    # stderr carries the access log at info level: it must not fill a pipe nor be measured.
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               preexec_fn=pin)
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{target.name} exited with {process.returncode}: {' '.join(command)}")
        with contextlib.suppress(OSError), direct.open(f"http://127.0.0.1:{port}/_ecsemu/health", timeout=1) as answer:
            if answer.status == 200:
                return Server(process, port)
        time.sleep(0.1)
    process.kill()
    sys.exit(f"{target.name} did not answer its health check: {' '.join(command)}")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


# --- load generator ---------------------------------------------------------------------

@dataclass
class Run:
    requests: int = 0               # answered within the timed window
    latencies: list[float] = field(default_factory=list)  # seconds, timed window only
    non_200: int = 0                # over the whole run, warm-up included
    unexpected: int = 0             # 200 but without the expected bytes (see measure), ditto
    first_error: bytes = b""
    exhausted: bool = False         # ran out of pre-signed requests
    seconds: float = 0.0
    server_cpu: float = 0.0         # fractions of one CPU, timed window
    client_cpu: float = 0.0
    other_cpu: float = 0.0          # the rest of the machine: other processes, kernel

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body, and whether the server closes the connection after it."""
    head = (await reader.readuntil(b"\r\n\r\n")).lower()
    start = head.index(b"content-length:") + 15
    length = int(head[start:head.index(b"\r\n", start)])
    return int(head[9:12]), await reader.readexactly(length), b"\r\nconnection: close\r\n" in head


async def connection(port: int, requests: Iterator[bytes], run: Run, measure_from: float,
                     measure_until: float, expect: bytes | None = None) -> None:
    """Sends requests one after another on one keep-alive connection, and opens a new one
    whenever the server closes it (moto_server does after every response): that connect
    is then part of the request's time."""
    clock = time.perf_counter
    writer = None
    try:
        while True:
            request = next(requests, None)
            if request is None:
                run.exhausted = True
                return
            sent = clock()
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            status, body, closing = await read_response(reader)
            done = clock()
            if closing:
                writer.close()
                writer = None
            if status != 200:
                run.non_200 += 1
                run.first_error = run.first_error or body[:300]
            elif expect is not None and expect not in body:
                run.unexpected += 1
                run.first_error = run.first_error or body[:300]
            if done > measure_until:
                return
            if sent >= measure_from:
                run.requests += 1
                run.latencies.append(done - sent)
    finally:
        if writer is not None:
            writer.close()


async def drive(server: Measured, requests: Iterator[bytes], connections: int, seconds: float,
                expect: bytes | None = None) -> Run:
    run = Run()
    measure_from = time.perf_counter() + WARMUP_SECONDS
    measure_until = measure_from + seconds
    workers = [asyncio.ensure_future(connection(server.port, requests, run, measure_from, measure_until, expect))
               for _ in range(connections)]
    await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
    cpu_from, client_from, wall_from = server.cpu_seconds(), time.process_time(), time.perf_counter()
    busy_from = machine_busy_seconds()
    await asyncio.gather(*workers)
    wall = time.perf_counter() - wall_from
    run.server_cpu = (server.cpu_seconds() - cpu_from) / wall
    run.client_cpu = (time.process_time() - client_from) / wall
    run.other_cpu = max(0.0, (machine_busy_seconds() - busy_from) / wall - run.server_cpu - run.client_cpu)
    run.seconds = seconds
    return run


def measure(server: Measured, requests: Iterator[bytes], connections: int, seconds: float,
            expect: bytes | None = None) -> Run:
    """One run: warm-up, then ``seconds`` measured. With ``expect``, a 200 response whose
    body lacks those bytes counts as ``unexpected`` (e.g. an empty list where one
    resource was asked for)."""
    try:
        import uvloop
        loop_factory = uvloop.new_event_loop
    except ImportError:
        loop_factory = None
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(drive(server, requests, connections, seconds, expect))


# --- results ----------------------------------------------------------------------------

def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


@dataclass(frozen=True)
class Summary:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    non_200: int
    server_cpu: float
    client_cpu: float
    other_cpu: float
    runs: tuple[float, ...]   # requests/s of each run
    exhausted: bool


def summarize(name: str, runs: list[Run]) -> Summary:
    """Each figure is the median over the runs (the run-to-run spread is in ``runs``)."""
    p50s, p99s = [], []
    for run in runs:
        latencies = sorted(run.latencies)
        p50s.append(percentile(latencies, 0.50) * 1000)
        p99s.append(percentile(latencies, 0.99) * 1000)
    return Summary(
        name=name,
        rps=statistics.median(r.rps for r in runs),
        p50_ms=statistics.median(p50s),
        p99_ms=statistics.median(p99s),
        non_200=sum(r.non_200 for r in runs),
        server_cpu=statistics.median(r.server_cpu for r in runs),
        client_cpu=statistics.median(r.client_cpu for r in runs),
        other_cpu=statistics.median(r.other_cpu for r in runs),
        runs=tuple(r.rps for r in runs),
        exhausted=any(r.exhausted for r in runs),
    )


def table(summaries: list[Summary]) -> str:
    floor = summaries[0].rps
    rows = [
        "| target | requests/s | p50 ms | p99 ms | non-200 | of floor "
        "| server CPU | client CPU | other CPU | runs (req/s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for s in summaries:
        rows.append(
            f"| {s.name} | {s.rps:,.0f} | {s.p50_ms:.2f} | {s.p99_ms:.2f} | {s.non_200} "
            f"| {s.rps / floor:.0%} | {s.server_cpu:.0%} | {s.client_cpu:.0%} | {s.other_cpu:.0%} "
            f"| {', '.join(f'{r:,.0f}' for r in s.runs)} |")
    return "\n".join(rows)


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.machine())
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=BENCH_DIR, capture_output=True, text=True).stdout.strip()
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--", "../src"):
        commit += " with uncommitted changes to src/"
    return (f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, uvicorn {uvicorn.__version__}, commit {commit}")


def docs_section(action: str, summaries: list[Summary], args: argparse.Namespace, pinned: bool) -> str:
    floor, ecsemu = summaries[0], summaries[1]   # in the order of targets()
    target = TARGET_RPS.get(action)
    measured = f"Measured: {ecsemu.rps:,.0f} requests/s"
    if target is None:
        headline = f"{measured} (no target is set for it)"
    else:
        verdict = "meets" if ecsemu.rps >= target else "falls short of"
        headline = (f"**Target: at least {target:,} signed requests/s on one process.**\n"
                    f"{measured}, which {verdict} the target")
    pinning = ("the server pinned to one CPU, the load generator to the other" if pinned
               else "unpinned (fewer than 2 CPUs)")
    reproduce = (f"python bench/load.py --action {action} --seconds {args.seconds:g} --connections {args.connections} "
                 f"--runs {args.runs} --write-docs")
    return f"""## {action}: signed requests per second on one process

{headline}
({ecsemu.rps / floor.rps:.0%} of the floor).

Machine: {machine()}.
Date: {datetime.now(UTC):%Y-%m-%d}.

{table(summaries)}

Each figure is the median of {args.runs} runs; "runs" lists each run's rate. Non-200
counts every response of every run, warm-up included, and must be 0.

**What.** One `ecsemu serve --data-dir DIR --transitions instant` process (the default
SQLite file store) answering `{action}` requests signed
with signature v1 (HMAC-SHA1) by the built-in `testid` key, each with a fresh
`SignatureNonce`, so every request is fully verified. `ecsemu` runs with
`--log-level warning`; `ecsemu, access log on` with `--log-level info`, which writes one
access line per request (to /dev/null here). The floor is a bare ASGI app answering a
fixed JSON body (`bench/floor_app.py`) under the same uvicorn settings (httptools,
uvloop, one worker, no uvicorn access log), sent the same requests in the same run: the
gap between it and ecsemu is ecsemu's own cost.

**How.** `bench/load.py` is a Python load generator (asyncio streams on uvloop) holding
{args.connections} HTTP/1.1 keep-alive connections to 127.0.0.1, one request in flight on each
(no pipelining); {pinning}. Requests are built and signed before the timed phase, since
signing is the client's cost. A run is {WARMUP_SECONDS:g} s of warm-up then {args.seconds:g} s
measured, and the targets take turns (floor, ecsemu, ecsemu with access log, floor, ...).
Latency is per request, from writing it to reading the whole response; with a closed loop
of {args.connections} connections, p50 is about {args.connections} / (requests/s).
The CPU columns are the share of one CPU used during the measured seconds: a server near
100% is saturated; a client near 100% would mean the figure is the load generator's
limit, not the server's; "other" is the rest of the machine (kernel, other processes),
and more than a few percent there means something was competing for the CPUs.

Reproduce: `{reproduce}`
"""


def write_docs(action: str, section: str) -> None:
    """Replaces this action's section of docs/performance.md (between its markers), or adds it."""
    replace_section(f"<!-- bench/load.py {action} begin -->", f"<!-- bench/load.py {action} end -->", section)


def replace_section(begin: str, end: str, section: str) -> None:
    """Replaces what is between the markers ``begin`` and ``end`` in docs/performance.md
    with ``section``, or adds the marked section at the end; the rest is left as it is."""
    block = f"{begin}\n{section}{end}\n"
    text = DOCS_FILE.read_text() if DOCS_FILE.exists() else (
        "# Performance\n\nFigures measured by the benchmarks under `bench/`. "
        "Each section is rewritten by its benchmark's `--write-docs`.\n")
    if begin in text and end in text:
        rest = text[text.index(end) + len(end):].lstrip("\n")
        text = text[:text.index(begin)] + block + ("\n" + rest if rest else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    DOCS_FILE.write_text(text)


# --- driver -----------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description="Requests/s and latency of one ecsemu process.")
    parser.add_argument("--action", default="DescribeRegions", choices=sorted(BUILDERS))
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per run (default 5)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--runs", type=int, default=3, help="runs per target, interleaved (default 3)")
    parser.add_argument("--write-docs", action="store_true", help=f"rewrite this benchmark's section of {DOCS_FILE}")
    args = parser.parse_args()
    build = BUILDERS[args.action]

    cpus = sorted(os.sched_getaffinity(0))
    pinned = len(cpus) >= 2
    if pinned:
        os.sched_setaffinity(0, {cpus[1]})
    servers: list[tuple[Target, Server]] = []
    work = Path(tempfile.mkdtemp(prefix="ecsemu-bench-load-"))
    chosen = targets(work)
    results: dict[str, list[Run]] = {target.name: [] for target in chosen}
    try:
        for target in chosen:
            servers.append((target, start(target, cpus[0] if pinned else None)))
        for round_ in range(1, args.runs + 1):
            floor_rps = None
            for target, server in servers:
                host = f"127.0.0.1:{server.port}"
                if target.signed:
                    # ecsemu cannot outrun the floor: size the pool from the floor's rate.
                    count = int(floor_rps * (WARMUP_SECONDS + args.seconds) * POOL_MARGIN) + args.connections
                    requests = iter(build(count, host))
                else:
                    requests = itertools.cycle(build(FLOOR_POOL, host))
                run = measure(server, requests, args.connections, args.seconds)
                if not target.signed:
                    floor_rps = run.rps
                results[target.name].append(run)
                print(f"run {round_}/{args.runs} {target.name:<24} {run.rps:>9,.0f} req/s  "
                      f"non-200 {run.non_200}  CPU: server {run.server_cpu:.0%}, client {run.client_cpu:.0%}, "
                      f"other {run.other_cpu:.0%}",
                      file=sys.stderr, flush=True)
                if run.first_error:
                    print(f"  first non-200 body: {run.first_error!r}", file=sys.stderr)
    finally:
        for _, server in servers:
            stop(server)
        shutil.rmtree(work, ignore_errors=True)

    summaries = [summarize(name, runs) for name, runs in results.items()]
    print(table(summaries))
    for s in summaries:
        if s.exhausted:
            print(f"warning: {s.name} ran out of pre-signed requests; its figure is too low", file=sys.stderr)
    if args.write_docs:
        write_docs(args.action, docs_section(args.action, summaries, args, pinned))
        print(f"wrote {DOCS_FILE}")
    if any(s.non_200 for s in summaries):
        sys.exit("non-200 responses: see above")


if __name__ == "__main__":
    main()
