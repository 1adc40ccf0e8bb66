"""Start benchmark: how long ``ecsemu serve`` takes from process start to its first answer.

Why: test suites and local stacks start ecsemu often (a fixture per session, a container per
job), and a user waits for it each time. The target is at most 0.4 s from process start
until a signed DescribeRegions answers 200, on a data dir that already exists (the usual
case: a restart; the first run of all also creates the database).

How: the data dir is made once by a first, unmeasured start. Then, --runs times, a fresh
``python -m ecsemu serve --data-dir D --port P --log-level warning`` is started and this
process polls 127.0.0.1:P every millisecond or so: connect, send one pre-signed DescribeRegions
(a new nonce each time), read the answer. The time from ``Popen`` to the first 200 is one
run; the server is then stopped (SIGTERM, then SIGKILL after 10 s) before the next. The
servers run with Python's bytecode cache on (PYTHONDONTWRITEBYTECODE removed from their
environment), as an installed ecsemu runs; the unmeasured first start fills it.

For comparison the same clock is run over the floor, a bare ASGI app under uvicorn
(bench/floor_app.py): what the interpreter, uvicorn and the polling cost anyway; and, with
--imports, ``python -c 'import uvicorn'``, which is the interpreter and uvicorn's import alone.

    python bench/start.py [--runs 7] [--storage raw] [--no-floor] [--imports] [--baseline SRC]

To compare with an older commit: ``git archive COMMIT src | tar -x -C /tmp/old`` and
``--baseline /tmp/old/src``.

Prints each target's median and every run, in seconds; then the CPU time (user + system)
each server had used when it answered, which a busy machine disturbs less than the clock.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from actions import describe_regions

HERE = Path(__file__).resolve().parent
TARGET_SECONDS = 0.4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answer(port: int, request: bytes) -> int | None:
    """The status of one request's answer, or None if nothing listens yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(request)
            data = b""
            while b"\r\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    return None
                data += chunk
    except OSError:
        return None
    return int(data.split(b" ", 2)[1])


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time a process has used so far (Linux /proc), else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_first_answer(command: list[str], port: int, *, pythonpath: str | None = None,
                         timeout: float = 30.0, cpu: list[float] | None = None) -> float:
    requests = iter(describe_regions(20_000, f"127.0.0.1:{port}"))
    # As users run it: Python caches compiled bytecode (the first, unmeasured start writes it).
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        while True:
            status = _answer(port, next(requests))
            if status == 200:
                elapsed = time.perf_counter() - started
                used = cpu_seconds(process.pid)
                if cpu is not None and used is not None:
                    cpu.append(used)
                return elapsed
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {process.stderr.read().decode(errors='replace')}")
            if time.perf_counter() - started > timeout:
                raise RuntimeError(f"no 200 within {timeout} s (last status {status})")
            time.sleep(0.001)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stderr.close()


def ecsemu_command(data_dir: Path, port: int, storage: str) -> list[str]:
    return [sys.executable, "-m", "ecsemu", "serve", "--port", str(port), "--data-dir", str(data_dir),
            "--log-level", "warning", "--storage", storage]


def floor_command(port: int) -> list[str]:
    return [sys.executable, str(HERE / "floor_app.py"), "--port", str(port)]


def import_time() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import uvicorn"], check=True)
    return time.perf_counter() - started


def report(name: str, runs: list[float]) -> float:
    median = statistics.median(runs)
    print(f"{name:<24} median {median:.3f} s   runs: {', '.join(f'{run:.3f}' for run in runs)}")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--storage", default="auto", choices=["auto", "raw", "qcow2"],
                        help="ecsemu's --storage (default auto, as users run it)")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare uvicorn app")
    parser.add_argument("--imports", action="store_true", help="also time python -c 'import uvicorn'")
    parser.add_argument("--baseline", metavar="SRC",
                        help="also time the ecsemu package under SRC (e.g. an older commit's src/, "
                             "from git archive), on its own copy of the data dir, interleaved")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ecsemu-start-") as scratch:
        data_dir = Path(scratch) / "data"
        port = free_port()
        first = time_to_first_answer(ecsemu_command(data_dir, port, args.storage), port)
        print(f"first start (creates the data dir, not counted): {first:.3f} s")
        if args.baseline:
            baseline_dir = Path(scratch) / "baseline"
            port = free_port()
            time_to_first_answer(ecsemu_command(baseline_dir, port, args.storage), port,
                                 pythonpath=args.baseline)
        results: dict[str, list[float]] = {"ecsemu (existing data dir)": [], "baseline": [],
                                           "floor (bare uvicorn app)": [], "python -c 'import uvicorn'": []}
        cpu: dict[str, list[float]] = {name: [] for name in results}
        for _ in range(args.runs):  # interleaved, so that a busy moment hits every target alike
            name = "ecsemu (existing data dir)"
            port = free_port()
            results[name].append(time_to_first_answer(ecsemu_command(data_dir, port, args.storage), port,
                                                      cpu=cpu[name]))
            if args.baseline:
                port = free_port()
                results["baseline"].append(time_to_first_answer(
                    ecsemu_command(baseline_dir, port, args.storage), port, pythonpath=args.baseline,
                    cpu=cpu["baseline"]))
            if not args.no_floor:
                name = "floor (bare uvicorn app)"
                port = free_port()
                results[name].append(time_to_first_answer(floor_command(port), port, cpu=cpu[name]))
            if args.imports:
                results["python -c 'import uvicorn'"].append(import_time())

    medians = {name: report(name, runs) for name, runs in results.items() if runs}
    print("CPU time the server used until its first answer (user + system; steadier than the "
          "wall clock on a busy machine):")
    for name, runs in cpu.items():
        if runs:
            report(name, runs)
    ecsemu = medians["ecsemu (existing data dir)"]
    verdict = "meets" if ecsemu <= TARGET_SECONDS else "misses"
    print(f"target: at most {TARGET_SECONDS:.1f} s: {verdict} it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
