"""Long fuzz run: N hostile requests (default 100,000) against one `ecsemu serve` process.

Why: the bounded fuzz tests (tests/fuzz/) send a few thousand requests per CI run; this
sends a hundred thousand to one long-lived server, to find what only shows after many
requests (a leak, a slowly poisoned state, a rare combination) and to measure the rate.

How: `python -m ecsemu serve` runs as a subprocess on a free loopback port, with a
temporary data dir, `--transitions instant` and `--log-level warning` (its log goes to a
file in the temporary dir). Requests come from the same generators as the tests
(tests/fuzz/generators.py), driven by a seeded `random.Random`: correctly signed v1 and V3
calls of every action with hostile values, the RPC protocol broken one way at a time,
malformed HTTP, and control-plane calls. They are sent byte for byte over one keep-alive
connection to 127.0.0.1 (malformed HTTP on connections of its own), and each answer is
checked as the tests check it (tests/fuzz/harness.py). Every --health-every requests, and
at the end, the server must still answer GET /_ecsemu/health.

It reports the requests sent, the distinct outcomes (status, Code) and the commonest, the
5xx answers, every other broken property (with a reproducer each), the server's RSS
(VmRSS) before and after, the error lines of its log, and requests/s. It exits non-zero
when any answer was 5xx or broke a property, or the health check failed.

    python bench/fuzz.py [--requests 100000] [--seed 1] [--max-seconds 900] [--keep]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import itertools
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))   # the generators live with the tests

from tests.fuzz.generators import FuzzRequest, RandomSource, any_request  # noqa: E402
from tests.fuzz.harness import Harness, outcome, problems  # noqa: E402

SHOWN = 5   # reproducers printed per kind of failure


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(root: Path) -> tuple[subprocess.Popen, int, Path]:
    port = free_port()
    log = root / "server.log"
    command = [sys.executable, "-m", "ecsemu", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--data-dir", str(root / "data"), "--transitions", "instant", "--log-level", "warning"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=root, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"ecsemu serve exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return process, port, log
        time.sleep(0.1)
    process.kill()
    sys.exit("ecsemu serve did not start listening")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Tally:
    sent: int = 0
    outcomes: collections.Counter = field(default_factory=collections.Counter)
    by_generator: collections.Counter = field(default_factory=collections.Counter)
    five_xx: int = 0
    failures: dict[str, list[tuple[int, FuzzRequest, str]]] = field(default_factory=dict)
    failure_counts: collections.Counter = field(default_factory=collections.Counter)
    failure_labels: dict[str, collections.Counter] = field(default_factory=dict)
    health_failures: list[str] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")
    server_cpu: float = 0.0
    client_cpu: float = 0.0

    def fail(self, index: int, request: FuzzRequest, problem: str, answer_outcome: tuple[str, str]) -> None:
        # One kind of failure: the problem without the bytes that vary, and the answer's (status, Code).
        text = re.sub(r"(JSON|XML) was asked for", "JSON/XML was asked for", problem)
        text = re.sub(r"b'.*|\d+ target bytes and \d+ header bytes| \(previous on this connection.*", "…", text)
        kind = f"{text[:120]} -> {' '.join(answer_outcome)}"
        self.failure_counts[kind] += 1
        self.failure_labels.setdefault(kind, collections.Counter())[request.label] += 1
        shown = self.failures.setdefault(kind, [])
        if len(shown) < SHOWN:
            shown.append((index, request, f"{problem} -> {answer_outcome}"))


def log_errors(log: Path) -> collections.Counter:
    """Distinct error lines of the server's log: exception lines ending a traceback, and
    ERROR/WARNING records (their text only)."""
    found: collections.Counter = collections.Counter()
    exception = re.compile(r"^([A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b.*)$")
    record = re.compile(r"^\S+ \S+ (ERROR|WARNING|CRITICAL) (\S+) (.*)$")
    for line in log.read_text(errors="replace").splitlines():
        if match := exception.match(line):
            found[f"exception: {match.group(1)[:200]}"] += 1
        elif match := record.match(line):
            text = re.sub(r"RequestId [0-9A-F-]+", "RequestId …", match.group(3))
            text = re.sub(r"parameters: .*", "parameters: …", text)
            found[f"{match.group(1)} {match.group(2)}: {text[:160]}"] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description="Long fuzz run against one ecsemu serve process.")
    parser.add_argument("--requests", type=int, default=100_000, help="requests to send (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the request generator (default 1)")
    parser.add_argument("--max-seconds", type=float, default=900,
                        help="stop sending after this many seconds even if fewer were sent (default 900)")
    parser.add_argument("--health-every", type=int, default=500, help="health check every N requests (default 500)")
    parser.add_argument("--timeout", type=float, default=10, help="seconds to wait for one answer (default 10)")
    parser.add_argument("--connections", type=int, default=2,
                        help="keep-alive connections sending at once (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary dir (data, files, server log)")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="ecsemu-fuzz-"))
    process, port, log = start_server(root)
    tally = Tally()
    try:
        harness = Harness(port, timeout=args.timeout)
        harness.seed()
        rss_before = rss_kib(process.pid)
        cpu_before, client_before = cpu_seconds(process.pid), time.process_time()
        source = RandomSource(args.seed)
        # Requests are made in a thread of their own, ahead of the sending (which waits on the
        # socket, letting it run): generating and signing cost about as much as answering.
        ahead: queue.Queue = queue.Queue(maxsize=256)
        stop = threading.Event()

        def produce() -> None:
            for _ in range(args.requests):
                if stop.is_set():
                    break
                ahead.put(any_request(source, harness.context))
            ahead.put(None)

        # A sender must get the interpreter back as soon as its answer arrives, not after the
        # default 5 ms slice of another thread.
        sys.setswitchinterval(0.0002)
        numbers = itertools.count()
        lock = threading.Lock()
        deadline = time.perf_counter() + args.max_seconds
        stopped_by_time = threading.Event()

        def send_all(sender: Harness) -> None:
            while True:
                if time.perf_counter() > deadline:
                    stopped_by_time.set()
                    return
                request = ahead.get()
                if request is None:
                    ahead.put(None)   # for the other senders
                    return
                previous = sender.previous
                answer = sender.send(request)
                got = outcome(answer)
                found = problems(request, answer)
                with lock:
                    index = next(numbers)
                    tally.sent += 1
                    tally.outcomes[got] += 1
                    if answer.seconds > tally.slowest[0]:
                        tally.slowest = (answer.seconds, f"{request.label} -> {got}")
                    if answer.status is not None and answer.status >= 500:
                        tally.five_xx += 1
                    for problem in found:
                        if answer.status is None:   # what came before on that connection may say why
                            problem += f" (previous on this connection: {previous})"
                        tally.fail(index, request, problem, got)
                if (index + 1) % args.health_every == 0:
                    health = sender.health()
                    if health.status != 200:
                        with lock:
                            tally.health_failures.append(f"after request #{index}: {outcome(health)}")
                        if process.poll() is not None:
                            tally.health_failures.append(f"the server exited with {process.returncode}")
                            stop.set()
                            return
                if (index + 1) % 10_000 == 0:
                    rate = (index + 1) / (time.perf_counter() - started)
                    print(f"{index + 1:>7,} requests, {rate:,.0f}/s, {len(tally.outcomes)} distinct outcomes, "
                          f"{tally.five_xx} 5xx, {sum(tally.failure_counts.values())} failures, "
                          f"server RSS {rss_kib(process.pid) / 1024:,.1f} MiB", file=sys.stderr, flush=True)

        producer = threading.Thread(target=produce, name="fuzz-requests", daemon=True)
        senders = [Harness(port, timeout=args.timeout, context=harness.context) for _ in range(args.connections)]
        threads = [threading.Thread(target=send_all, args=(sender,), name=f"fuzz-send-{n}")
                   for n, sender in enumerate(senders)]
        started = time.perf_counter()
        producer.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.perf_counter() - started
        stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                ahead.get_nowait()
        health = harness.health()
        if health.status != 200:
            tally.health_failures.append(f"at the end: {outcome(health)}")
        rss_after = rss_kib(process.pid) if process.poll() is None else 0
        tally.server_cpu = (cpu_seconds(process.pid) - cpu_before) if process.poll() is None else 0.0
        tally.client_cpu = time.process_time() - client_before
        for sender in [harness, *senders]:
            sender.close()
    finally:
        stop_server(process)

    report(tally, args, duration, rss_before, rss_after, stopped_by_time.is_set(), log_errors(log))
    if args.keep:
        print(f"kept {root} (server log: {log})")
    else:
        shutil.rmtree(root, ignore_errors=True)
    if tally.five_xx or tally.failure_counts or tally.health_failures:
        sys.exit(f"FAILED: {tally.five_xx} answers of 5xx, {sum(tally.failure_counts.values())} broken properties "
                 f"({len(tally.failure_counts)} kinds), {len(tally.health_failures)} failed health checks")


def report(tally: Tally, args, duration: float, rss_before: int, rss_after: int, stopped_by_time: bool,
           errors: collections.Counter) -> None:
    print(f"requests sent:      {tally.sent:,}" + (f" (stopped by --max-seconds {args.max_seconds:g})"
                                                    if stopped_by_time else ""))
    print(f"duration:           {duration:,.1f} s ({tally.sent / duration:,.0f} requests/s), seed {args.seed}")
    print(f"CPU:                server {tally.server_cpu / duration:.0%} of one CPU, "
          f"this client {tally.client_cpu / duration:.0%}")
    print(f"distinct outcomes:  {len(tally.outcomes)} (status, Code) pairs")
    for (status, code), count in tally.outcomes.most_common(15):
        print(f"  {count:>7,}  {status} {code}")
    print(f"5xx answers:        {tally.five_xx}")
    print(f"broken properties:  {sum(tally.failure_counts.values()):,} in {len(tally.failure_counts)} kinds")
    print(f"health checks:      {len(tally.health_failures)} failed")
    for line in tally.health_failures[:SHOWN]:
        print(f"  {line}")
    print(f"server RSS:         {rss_before / 1024:,.1f} MiB before, {rss_after / 1024:,.1f} MiB after")
    print(f"slowest answer:     {tally.slowest[0]:.2f} s ({tally.slowest[1]})")
    if errors:
        print("server log (warnings and errors, distinct):")
        for line, count in errors.most_common(20):
            print(f"  {count:>7,}  {line}")
    for kind, count in tally.failure_counts.most_common():
        labels = ", ".join(f"{label} ({n})" for label, n in tally.failure_labels[kind].most_common(6))
        print(f"\n--- {count:,} x {kind}\n    from: {labels}")
        for index, request, detail in tally.failures[kind][:3]:
            print(f"request #{index}: {detail[:400]}")
            print("  " + request.describe(160).replace("\n", "\n  "))


if __name__ == "__main__":
    main()
