"""In-process cost of one request: ``ecsemu.gateway.handle`` called directly (no HTTP), on
requests signed beforehand, median microseconds per call.

The store is a SQLite file (the default of ``ecsemu serve``) filled as bench/describe.py
fills it (500 running instances with their disks, the rest unattached disks), the
emulator in ``instant`` mode. Each request kind runs in rounds of ``--calls`` calls; the
figure is the median over all calls, and each round's median is printed.

    python bench/inprocess.py --disks 1000 --calls 2000 --rounds 5
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from describe import REGION_ID, ZONE_ID, populate
from ecsemu.config import Config
from ecsemu.emulator import Emulator
from ecsemu.gateway import handle
from ecsemu.wire import signing
from ecsemu.wire.request import build_request

ACCESS_KEY_ID, ACCESS_KEY_SECRET = "testid", "testsecret"


def signed(params: dict[str, str]):
    """One v1-signed GET request, as the gateway receives it, with a fresh nonce."""
    full = {**params, "Version": "2014-05-26", "Format": "JSON", "AccessKeyId": ACCESS_KEY_ID,
            "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": os.urandom(16).hex(),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    full["Signature"] = signing.v1_signature(ACCESS_KEY_SECRET, signing.v1_string_to_sign("GET", full))
    query = "&".join(f"{signing.percent_encode(k)}={signing.percent_encode(v)}" for k, v in full.items())
    return build_request("GET", "/", query.encode(), [(b"host", b"127.0.0.1:8080")], b"")


def cases(store) -> dict[str, Callable[[random.Random], dict[str, str]]]:
    disk_ids, instance_ids = store.disk_ids_to_ask(), store.instance_ids
    return {
        "DescribeRegions": lambda rng: {"Action": "DescribeRegions"},
        "DescribeDisks by id": lambda rng: {"Action": "DescribeDisks", "RegionId": REGION_ID,
                                            "DiskIds": f'["{rng.choice(disk_ids)}"]'},
        "DescribeInstances by id": lambda rng: {"Action": "DescribeInstances", "RegionId": REGION_ID,
                                                "InstanceIds": f'["{rng.choice(instance_ids)}"]'},
        "DescribeInstances PageSize=10": lambda rng: {"Action": "DescribeInstances", "RegionId": REGION_ID,
                                                      "PageSize": "10"},
        "DescribeDisks PageSize=10": lambda rng: {"Action": "DescribeDisks", "RegionId": REGION_ID,
                                                  "PageSize": "10"},
        "CreateDisk": lambda rng: {"Action": "CreateDisk", "RegionId": REGION_ID, "ZoneId": ZONE_ID,
                                   "DiskCategory": "cloud_essd", "Size": "20"},
    }


def run(emulator: Emulator, requests: list) -> list[float]:
    times = []
    clock = time.perf_counter
    for request in requests:
        started = clock()
        response, _ = handle(emulator, request)
        times.append(clock() - started)
        if response.status != 200:
            raise SystemExit(f"{request.action}: {response.status} {response.body[:300]!r}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--disks", type=int, default=1000, help="disks stored (default 1000)")
    parser.add_argument("--calls", type=int, default=2000, help="calls a round (default 2000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds a request kind (default 5)")
    parser.add_argument("--only", default="", help="comma-separated case names (default: all)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ecsemu-bench-inprocess-"))
    try:
        store = populate(work / "data", args.disks, seed=0)
        emulator = Emulator(Config(data_dir=store.data_dir, transitions="instant", log_level="warning"))
        try:
            chosen = cases(store)
            if args.only:
                chosen = {k: v for k, v in chosen.items() if k in args.only.split(",")}
            rng = random.Random(1)
            results: dict[str, list[float]] = {name: [] for name in chosen}
            per_round: dict[str, list[float]] = {name: [] for name in chosen}
            for _name, make in chosen.items():  # warm-up: statements built, caches filled
                run(emulator, [signed(make(rng)) for _ in range(200)])
            for _ in range(args.rounds):
                for name, make in chosen.items():
                    times = run(emulator, [signed(make(rng)) for _ in range(args.calls)])
                    results[name] += times
                    per_round[name].append(statistics.median(times) * 1e6)
            print(f"{args.disks:,} disks stored, {args.rounds} rounds of {args.calls} calls")
            print("| request | median µs | rounds' medians |")
            print("| --- | ---: | --- |")
            for name in chosen:
                print(f"| {name} | {statistics.median(results[name]) * 1e6:,.0f} "
                      f"| {', '.join(f'{x:,.0f}' for x in per_round[name])} |")
        finally:
            emulator.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
