"""How long one ReInitDisk takes, request to ``In_use``, for 20 GiB, 2 TiB and 32 TiB
disks on each storage backend, beside a full copy of the same image measured in the same
run (what a reset that copies the image would cost at least).

Why: ReInitDisk must stay cheap whatever the disk's size. On qcow2 a reset is a fresh
empty overlay over the image, so its time must not grow with the disk; on raw it copies
only the image's allocated extents.

How: one `ecsemu serve --transitions instant --storage BACKEND` per backend, on a data
dir of its own. A custom image holding IMAGE_MIB of random data is imported
(`ecsemu image import`); each disk is made from a snapshot of a system disk made from it,
so it holds the image's bytes; before every reset a marker is written (so the disk has a
file to replace) and after it the marker must be gone. Times are wall-clock from sending
ReInitDisk to reading `In_use` in DescribeDisks, medians of --runs.

    python bench/reinit.py [--runs 5] [--write-docs]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))  # the test helpers: the official SDK wrapper and server runner

from tests.ecsclient import REGION, ZONE, Ecs  # noqa: E402
from tests.processes import serve  # noqa: E402

from actions import ID_SLOT, v1_get_requests  # noqa: E402
from load import Server, measure  # noqa: E402

DOCS_FILE = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench/reinit.py begin -->", "<!-- bench/reinit.py end -->"
SIZES_GIB = (20, 2048, 32768)
READ_SECONDS = 3.0    # each run of DescribeDisks by ID on a backend's server
READ_CONNECTIONS = 32
IMAGE_MIB = 256
MARKER = b"MARKER-BEFORE-RESET"
GIB = 1024**3


def backends() -> list[str]:
    """qcow2 where qemu-img is installed, raw, and rbd where Ceph is (a throwaway cluster,
    scripts/ceph-dev, started for the run)."""
    from tests.ceph import ceph_installed
    return (["qcow2"] if shutil.which("qemu-img") else []) + ["raw"] + (["rbd"] if ceph_installed() else [])


def put(server, disk_id: str, data: bytes) -> None:
    request = urllib.request.Request(f"{server.url}/_ecsemu/disks/{disk_id}/data?offset=0", data=data, method="PUT")
    urllib.request.urlopen(request).read()


def get(server, disk_id: str, length: int) -> bytes:
    with urllib.request.urlopen(f"{server.url}/_ecsemu/disks/{disk_id}/data?offset=0&length={length}") as reply:
        return reply.read()


def make_image(scratch: Path) -> Path:
    """IMAGE_MIB of random bytes: data a copying reset has to move, unlike a sparse image."""
    path = scratch / "image.raw"
    with path.open("wb") as handle:
        for _ in range(IMAGE_MIB):
            handle.write(random.randbytes(1024**2))
    return path


def import_image(server, path: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "ecsemu", "image", "import", str(path), "--name", "bench-image",
                           "--url", server.url], capture_output=True, text=True, check=True, timeout=600)
    return json.loads(done.stdout)["ImageId"]


def measure_backend(backend: str, runs: int, scratch: Path, image: Path) -> tuple[dict[int, list[float]], list[float]]:
    """ReInitDisk's times by disk size, and the rates of DescribeDisks by ID on the same
    server (the backend must not change what a read costs: reads never touch the bytes)."""
    data_dir = scratch / backend
    times: dict[int, list[float]] = {size: [] for size in SIZES_GIB}
    reads: list[float] = []
    cluster = None
    if backend == "rbd":
        from tests.ceph import CephCluster
        cluster = CephCluster().start()
    storage = cluster.serve_args() if cluster else ["--storage", backend]
    try:
        with serve(scratch, "--data-dir", str(data_dir), "--transitions", "instant", *storage,
                   "--log-level", "warning") as server:
            disk_ids = measure_on(server, runs, image, times)
            reads = measure_reads(server, disk_ids, runs)
    finally:
        if cluster:
            cluster.stop()
    return times, reads


def measure_on(server, runs: int, image: Path, times: dict[int, list[float]]) -> list[str]:
    ecs = Ecs(server)
    instance_id = ecs.run_instance(ImageId=import_image(server, image), **{"SystemDisk.Size": 20})
    ecs("StopInstance", InstanceId=instance_id)
    system_disk = next(d["DiskId"] for d in ecs.disks_of(instance_id) if d["Type"] == "system")
    snapshot_id = ecs("CreateSnapshot", DiskId=system_disk)["SnapshotId"]
    disks = {}
    for size in SIZES_GIB:
        disk_id = ecs("CreateDisk", RegionId=REGION, ZoneId=ZONE, SnapshotId=snapshot_id, Size=size,
                      DiskCategory="cloud_essd", PerformanceLevel="PL1")["DiskId"]
        ecs("AttachDisk", DiskId=disk_id, InstanceId=instance_id)
        disks[size] = disk_id
    image_start = get(server, system_disk, len(MARKER))
    for _ in range(runs):
        for size, disk_id in disks.items():
            put(server, disk_id, MARKER)
            started = time.perf_counter()
            ecs("ReInitDisk", DiskId=disk_id)
            while ecs.disk(disk_id)["Status"] != "In_use":
                pass
            times[size].append(time.perf_counter() - started)
            assert get(server, disk_id, len(MARKER)) == image_start, "the reset did not restore the image"
    return [system_disk, *disks.values()]


def measure_reads(server, disk_ids: list[str], runs: int) -> list[float]:
    """Requests/s of DescribeDisks by ID (one of ``disk_ids`` at random each time, v1-signed,
    fresh nonces) over keep-alive connections: bench/load.py's generator, unpinned."""
    rates = []
    for run in range(runs):
        requests = iter(v1_get_requests(
            {"Action": "DescribeDisks", "Version": "2014-05-26", "RegionId": REGION, "DiskIds": f'["{ID_SLOT}"]'},
            int(8_000 * (READ_SECONDS + 1)) + READ_CONNECTIONS, f"127.0.0.1:{server.port}", ids=disk_ids, seed=run))
        result = measure(Server(server.process, server.port), requests, READ_CONNECTIONS, READ_SECONDS,
                         expect=b'"TotalCount":1')
        assert result.non_200 == 0 and result.unexpected == 0, "a read was not answered as asked"
        rates.append(result.rps)
    return rates


def full_copy_baseline(runs: int, scratch: Path, image: Path) -> tuple[str, list[float]]:
    """The same image copied whole, as a reset that copies it would at least do."""
    times = []
    for n in range(runs):
        target = scratch / f"copy-{n}.raw"
        started = time.perf_counter()
        shutil.copyfile(image, target)
        with target.open("rb+") as handle:
            os.fsync(handle.fileno())
        times.append(time.perf_counter() - started)
        target.unlink()
    return f"copy of the {IMAGE_MIB} MiB image (fsynced)", times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def table(results: dict[str, dict[int, list[float]]], baseline: tuple[str, list[float]]) -> str:
    rows = ["| backend | disk size | ReInitDisk, request to In_use (median ms) | min ms | max ms |",
            "| --- | ---: | ---: | ---: | ---: |"]
    for backend, times in results.items():
        for size, values in times.items():
            label = f"{size} GiB" if size < 1024 else f"{size // 1024} TiB"
            rows.append(f"| {backend} | {label} | {ms(statistics.median(values))} | {ms(min(values))} | "
                        f"{ms(max(values))} |")
    label, values = baseline
    rows.append(f"| baseline: {label} | | {ms(statistics.median(values))} | {ms(min(values))} | "
                f"{ms(max(values))} |")
    return "\n".join(rows)


def reads_table(reads: dict[str, list[float]]) -> str:
    rows = ["| backend | DescribeDisks by ID, requests/s | runs |", "| --- | ---: | --- |"]
    for backend, rates in reads.items():
        rows.append(f"| {backend} | {statistics.median(rates):,.0f} | {', '.join(f'{r:,.0f}' for r in rates)} |")
    return "\n".join(rows)


def verdict(results: dict[str, dict[int, list[float]]]) -> str:
    lines = []
    for backend, times in results.items():
        small, large = statistics.median(times[SIZES_GIB[0]]), statistics.median(times[SIZES_GIB[-1]])
        lines.append(f"- {backend}: 32 TiB / 20 GiB = {large / small:.2f}")
    return "\n".join(lines)


def write_docs(section: str) -> None:
    text = DOCS_FILE.read_text() if DOCS_FILE.exists() else "# Performance\n"
    block = f"{BEGIN}\n{section}\n{END}"
    if BEGIN in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOCS_FILE.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description="Time of one ReInitDisk by disk size and storage backend.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecsemu-bench-reinit-") as scratch_name:
        scratch = Path(scratch_name)
        image = make_image(scratch)
        measured = {backend: measure_backend(backend, args.runs, scratch, image) for backend in backends()}
        baseline = full_copy_baseline(args.runs, scratch, image)
    results = {backend: times for backend, (times, _) in measured.items()}
    body = table(results, baseline)
    ratios = verdict(results)
    reads = reads_table({backend: rates for backend, (_, rates) in measured.items()})
    print(body)
    print(ratios)
    print(reads)
    if args.write_docs:
        qemu_img = (subprocess.run(["qemu-img", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
                    if shutil.which("qemu-img") else "no qemu-img")
        write_docs("\n".join([
            "## ReInitDisk: time by disk size and storage backend",
            "",
            "**Target: on qcow2 and rbd, the time must not grow with the disk's size (rbd: at most 100 ms).**",
            "",
            f"Machine: {platform.machine()}, Python {platform.python_version()}, {qemu_img}. "
            f"Date: {datetime.now(UTC):%Y-%m-%d}. Medians of {args.runs} runs.",
            "",
            body,
            "",
            "Ratio of the 32 TiB time to the 20 GiB time (1.00 = no growth):",
            "",
            ratios,
            "",
            "What is timed: from sending ReInitDisk to DescribeDisks reading `In_use`, through the old",
            "Python SDK against `ecsemu serve --transitions instant` (so it includes two signed API",
            "calls and the server's work). Each disk was made from a snapshot of a system disk made",
            f"from a custom image of {IMAGE_MIB} MiB of random data, and had a marker written just before,",
            "so every reset replaced a real file; the marker was checked gone after each. The baseline",
            "copies the same image file whole once (what a reset that copies must move at least).",
            "rbd ran against a throwaway cluster on the same machine (scripts/ceph-dev: one monitor,",
            "one OSD on a file), started for the run; a reset is one round trip (the disk's clone",
            "moved to the trash; docs/scaling-out.md), whatever the disk's size.",
            "",
            "DescribeDisks by ID on each backend's server, after its resets (requests/s, median of",
            f"{args.runs} runs of {READ_SECONDS:g} s; bench/load.py's generator, {READ_CONNECTIONS} keep-alive "
            "connections, v1-signed,",
            "fresh nonces, one of the server's disks at random each time; neither process pinned):",
            "",
            reads,
            "",
            "Reproduce: `python bench/reinit.py --runs 5 --write-docs`",
        ]))
        print(f"wrote {DOCS_FILE}")


if __name__ == "__main__":
    main()
