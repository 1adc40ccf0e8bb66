"""One-port benchmark: does answering HTTPS on the HTTP port cost plain HTTP anything?

Every connection's first bytes go through ``ecsemu.one_port.TlsOrPlain``, which hands the
connection to the HTTP protocol (directly, or through TLS for a handshake). On a keep-alive
connection that happens once: later requests must cost what they cost before.

What: ``DescribeRegions`` over plain HTTP, from two servers in the same run, each a
``ecsemu serve`` process on its own data dir (SQLite file, transitions instant, log level
warning), pinned to the same CPU:
- **before**: the source tree of a git revision (``--baseline``, default ``main``),
  extracted to a temporary directory;
- **after**: this working tree.
Two loads each: keep-alive connections (the target: the ratio must stay ~1.0), and a new
connection per request (``Connection: close``: the hand-over is paid on every request).

How: bench/load.py's load generator (pinned to the other CPU) drives both servers in
alternating order, ``--runs`` rounds; each figure is the median, and the ratio
after/before is computed within each round (the same minute of a shared machine). Besides
requests/s, the server's CPU time per request: on a machine others load, throughput
follows their load, CPU time per request much less.

    python bench/one_port.py [--baseline main] [--seconds 3] [--runs 6] [--connections 32]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from actions import describe_regions
from load import WARMUP_SECONDS, Target, measure, start, stop

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RPS_BOUND = 15_000   # pre-signed requests per second of a run: DescribeRegions stays below


def extract(revision: str, into: Path) -> Path:
    """``src/`` of ``revision``, written under ``into``; returns its path."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", revision, "src"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def server(name: str, source: Path, work: Path) -> Target:
    """``ecsemu serve`` from ``source``: the PYTHONPATH decides which tree is imported."""
    command = ("env", f"PYTHONPATH={source}", sys.executable, "-m", "ecsemu", "serve", "--host", "127.0.0.1",
               "--port", "{port}", "--data-dir", str(work / name), "--transitions", "instant",
               "--log-level", "warning")
    return Target(name, command, signed=True)


def closing(requests: list[bytes]) -> list[bytes]:
    """The same requests, each asking the server to close the connection after it."""
    return [request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1) for request in requests]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="main", help="git revision measured as 'before' (default main)")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()

    cpus = sorted(os.sched_getaffinity(0))
    pinned = len(cpus) >= 2
    if pinned:
        os.sched_setaffinity(0, {cpus[1]})
    work = Path(tempfile.mkdtemp(prefix="ecsemu-bench-one-port-"))
    loads = {"keep-alive": lambda r: r, "connection per request": closing}
    rates: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}   # server CPU µs per request
    ratios: dict[str, list[float]] = {load: [] for load in loads}
    try:
        targets = [server("before", extract(args.baseline, work / "baseline"), work),
                   server("after", ROOT / "src", work)]
        servers = {target.name: start(target, cpus[0] if pinned else None) for target in targets}
        count = int(RPS_BOUND * (WARMUP_SECONDS + args.seconds)) + args.connections
        for round_ in range(args.runs):
            order = list(servers) if round_ % 2 == 0 else list(reversed(servers))
            for load, shape in loads.items():
                this_round = {}
                for name in order:
                    requests = shape(describe_regions(count, f"127.0.0.1:{servers[name].port}"))
                    run = measure(servers[name], iter(requests), args.connections, args.seconds)
                    if run.non_200 or run.exhausted:
                        sys.exit(f"{name}, {load}: {run.non_200} non-200 (first: {run.first_error!r}), "
                                 f"exhausted={run.exhausted}")
                    rates.setdefault((name, load), []).append(run.rps)
                    cpu.setdefault((name, load), []).append(run.server_cpu / run.rps * 1e6)
                    this_round[name] = run.rps
                    print(f"round {round_ + 1}/{args.runs} {load:<24} {name:<7} {run.rps:>8,.0f} req/s "
                          f"{cpu[(name, load)][-1]:>6.0f} µs CPU/request",
                          file=sys.stderr, flush=True)
                ratios[load].append(this_round["after"] / this_round["before"])
        for target in servers.values():
            stop(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"| load | before ({args.baseline}) req/s | after req/s | after / before (median of rounds) "
          "| server CPU µs/request before | after |")
    print("|---|---:|---:|---:|---:|---:|")
    for load in loads:
        before, after = (statistics.median(rates[(name, load)]) for name in ("before", "after"))
        cpu_before, cpu_after = (statistics.median(cpu[(name, load)]) for name in ("before", "after"))
        spread = ", ".join(f"{ratio:.2f}" for ratio in ratios[load])
        print(f"| {load} | {before:,.0f} | {after:,.0f} | {statistics.median(ratios[load]):.2f} ({spread}) "
              f"| {cpu_before:.0f} | {cpu_after:.0f} |")

if __name__ == "__main__":
    sys.exit(main())

