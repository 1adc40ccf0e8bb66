"""Describe benchmark: how fast are the Describe actions on one process, and are they as
fast with 100,000 disks stored as with 1,000? They should be, if they find rows through
indexes, not scans, and count a first page's total without visiting every row.

**Requirements**, every figure measured on the same servers in the same run:
- requests/s within 10% between the two sizes (ratio 100k / 1k in 0.90–1.10);
- DescribeDisks / DescribeInstances by ID at least 3,000 requests/s, and at least 80% of
  DescribeRegions' rate (no database) on the same server in the same round;
- the first pages (DescribeInstances, DescribeDisks, PageSize=10) at least 2,000 requests/s;
- DescribeRegions at least 5,000 requests/s.

What: one ``ecsemu serve`` process on its default store (a SQLite file) answering
- ``DescribeRegions`` (the reference: signed and authenticated alike, no database),
- ``DescribeDisks RegionId=cn-hangzhou DiskIds=["<one existing disk>"]``,
- ``DescribeInstances RegionId=cn-hangzhou InstanceIds=["<one existing instance>"]``,
- ``DescribeInstances RegionId=cn-hangzhou PageSize=10`` (the first page),
- ``DescribeDisks RegionId=cn-hangzhou PageSize=10`` (the first page of every disk),
with the ID drawn at random per request among existing resources.

How: a data dir per size is made under a temporary directory with the project's own store
(``Database.open`` runs the migrations) and filled with SQLAlchemy Core, in one
transaction: the same 500 instances for each size, each with a system disk, 250 of them
with an attached data disk, and the rest of the disks unattached ``Available`` data disks.
Disk IDs are drawn half from the attached disks, half from the unattached ones, for both
sizes, so that both answer the same mix. Then the SQL the handlers run is captured
in-process and every statement's ``EXPLAIN QUERY PLAN`` is checked for scans. Then one
server per size runs, pinned to one CPU, and bench/load.py's load generator (pinned to
the other) drives them in pairs of runs: one request kind, both sizes back to back, the
order alternating between rounds; each figure is the median over the rounds, and the
ratio within each pair is shown too. Every response must be a 200 holding what was
asked (``"TotalCount":1``; for the first pages, the 500 instances' or every disk's
total). The temporary directory is removed at the end.

    python bench/describe.py [--seconds 3] [--runs 6] [--connections 32]
                             [--sizes 1000,100000] [--write-docs]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import shutil
import sqlite3
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

import actions
from ecsemu.accounts import DEVELOPMENT_ACCOUNT_ID
from load import WARMUP_SECONDS, Run, Server, Target, machine, measure, percentile, replace_section, start, stop

BEGIN_MARKER, END_MARKER = "<!-- bench/describe.py begin -->", "<!-- bench/describe.py end -->"
ACCOUNT_ID = DEVELOPMENT_ACCOUNT_ID    # the account of the built-in testid key the requests are signed with
REGION_ID, ZONE_ID = "cn-hangzhou", "cn-hangzhou-b"
IMAGE_ID = "ubuntu_22_04_x64_20G_alibase_20240926.vhd"
INSTANCES = 500
ATTACHED_DATA_DISKS = 250             # instances with a data disk (/dev/xvdb) besides the system disk
BATCH = 5_000                         # rows an INSERT
TOLERANCE = 0.10
INITIAL_RPS_BOUND = 12_000            # pre-signed pool of the first round: no Describe gets near it
POOL_MARGIN = 3                       # later rounds: the case's best rate so far, times this,
MIN_RPS_BOUND = 1_000                 # and at least this
BUSY = 0.15                           # of a CPU: the rest of the machine using more means a shared machine
ALPHABET = (string.ascii_lowercase + string.digits).encode()   # of resource IDs, as ecsemu.domain.ids


# --- the data ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Store:
    disks: int
    data_dir: Path
    instance_ids: list[str]
    attached_disk_ids: list[str]
    unattached_disk_ids: list[str]
    seconds: float          # to fill it
    megabytes: float        # the database file

    def disk_ids_to_ask(self) -> list[str]:
        """Half attached, half unattached disks, uniformly within each half."""
        attached, unattached = self.attached_disk_ids, self.unattached_disk_ids
        if not unattached:
            return attached
        half = max(len(attached), len(unattached))
        return ([attached[i % len(attached)] for i in range(half)]
                + [unattached[i % len(unattached)] for i in range(half)])


def populate(data_dir: Path, disk_count: int, seed: int) -> Store:
    """A data dir holding INSTANCES instances and ``disk_count`` disks, as ``ecsemu serve``
    would have left it (rows shaped as RunInstances/CreateDisk make them)."""
    from ecsemu.domain.ids import new_id
    from ecsemu.store import Database
    from ecsemu.store.schema import disks, instances

    unattached_count = disk_count - INSTANCES - ATTACHED_DATA_DISKS
    if unattached_count < 0:
        sys.exit(f"--sizes: at least {INSTANCES + ATTACHED_DATA_DISKS} disks")
    started = time.perf_counter()
    rng = random.Random(seed)
    base = time.time() - 30 * 86_400   # a month ago, a second apart
    instance_rows, disk_rows = [], []
    attached_ids, unattached_ids = [], []
    disk_common = {"account_id": ACCOUNT_ID, "region_id": REGION_ID, "zone_id": ZONE_ID, "performance_level": None,
                   "delete_auto_snapshot": True, "portable": True, "encrypted": False, "charge_type": "PostPaid",
                   "source_snapshot_id": None, "disk_name": "", "description": "", "detached_at": None}
    for n in range(INSTANCES):
        instance_id = new_id("i", REGION_ID)
        created_at = base + n
        instance_rows.append({
            "id": instance_id, "account_id": ACCOUNT_ID, "region_id": REGION_ID, "zone_id": ZONE_ID,
            "created_at": created_at, "status": "Running", "instance_type": "ecs.g7.large", "image_id": IMAGE_ID,
            "os_type": "linux", "instance_name": instance_id, "description": "",
            "host_name": f"iZ{instance_id[2:]}Z", "start_time": created_at, "charge_type": "PostPaid",
            "internet_charge_type": "PayByTraffic", "internet_max_bandwidth_out": 0, "public_ip": None,
            "vpc_id": "vpc-bp1benchbenchbenchbe", "vswitch_id": "vsw-bp1benchbenchbenchbe",
            "private_ip": f"172.16.{n // 250}.{n % 250 + 1}", "security_group_ids": ["sg-bp1benchbenchbenchbe"],
            "key_pair_name": None, "password_hash": None, "user_data": None, "deletion_protection": False,
            "spot_strategy": "NoSpot", "stopped_mode": "Not-applicable"})
        attached = {**disk_common, "created_at": created_at, "status": "In_use", "instance_id": instance_id,
                    "delete_with_instance": True, "attached_at": created_at, "ever_attached": True}
        disk_id = new_id("d", REGION_ID)
        disk_rows.append({**attached, "id": disk_id, "disk_type": "system", "category": "cloud_essd",
                          "performance_level": "PL0", "size": 40, "device": "/dev/xvda", "source_image_id": IMAGE_ID})
        attached_ids.append(disk_id)
        if n < ATTACHED_DATA_DISKS:
            disk_id = new_id("d", REGION_ID)
            disk_rows.append({**attached, "id": disk_id, "created_at": created_at + 1e-6, "disk_type": "data",
                              "category": "cloud_essd", "performance_level": "PL1", "size": 100,
                              "device": "/dev/xvdb", "source_image_id": None})
            attached_ids.append(disk_id)
    later = base + INSTANCES
    for n, disk_id in enumerate(bulk_ids("d", REGION_ID, unattached_count)):
        disk_rows.append({**disk_common, "id": disk_id, "created_at": later + n * 1e-2, "status": "Available",
                          "disk_type": "data", "category": rng.choice(("cloud_essd", "cloud_efficiency")),
                          "size": rng.choice((20, 40, 100, 500)), "instance_id": None, "device": None,
                          "delete_with_instance": False, "source_image_id": None, "attached_at": None,
                          "ever_attached": False})
        unattached_ids.append(disk_id)
        if disk_rows[-1]["category"] == "cloud_essd":
            disk_rows[-1]["performance_level"] = "PL1"

    path = data_dir / "ecsemu.db"
    db = Database.open(path=path)
    try:
        with db.transaction() as conn:
            # For this connection only: room for the indexes' pages while they are filled.
            conn.exec_driver_sql("PRAGMA cache_size = -262144")
            conn.execute(insert(instances), instance_rows)
            # The disks' INSERT as SQLAlchemy compiles it, with the rows as plain tuples: building
            # 100,000 parameter sets the Core way costs more than SQLite's own work.
            compiled = insert(disks).compile(dialect=conn.dialect, column_keys=list(disk_rows[0]))
            order, defaults = compiled.positiontup, compiled.construct_params(disk_rows[0])  # + columns not given
            defaults.update({column.key: column.default.arg for column in disks.c  # what the Core insert fills in
                             if column.default is not None and column.default.is_scalar})
            for at in range(0, len(disk_rows), BATCH):
                conn.exec_driver_sql(compiled.string, [tuple(row[key] if key in row else defaults[key] for key in order)
                                                       for row in disk_rows[at:at + BATCH]])
    finally:
        db.dispose()
    with contextlib.closing(sqlite3.connect(path)) as check:
        stored = check.execute("SELECT count(*) FROM disks").fetchone()[0]
    assert stored == disk_count, (stored, disk_count)
    size = sum(f.stat().st_size for f in data_dir.iterdir() if f.name.startswith("ecsemu.db"))
    return Store(disk_count, data_dir, [r["id"] for r in instance_rows], attached_ids, unattached_ids,
                 time.perf_counter() - started, size / 1e6)


def bulk_ids(prefix: str, region_id: str, count: int) -> list[str]:
    """``count`` IDs shaped as ``ecsemu.domain.ids.new_id`` makes them (checked), made in
    bulk: new_id draws each character with ``secrets.choice``, seconds for 100,000."""
    from ecsemu.domain.ids import ID_LENGTH, REGION_CODES, new_id

    code = REGION_CODES[region_id]
    tail = ID_LENGTH - len(code)
    to_alphabet = bytes(ALPHABET[b % len(ALPHABET)] for b in range(256))
    letters = os.urandom(count * tail).translate(to_alphabet).decode()
    ids = [f"{prefix}-{code}{letters[i:i + tail]}" for i in range(0, count * tail, tail)]
    shape = re.compile(rf"{prefix}-{code}[a-z0-9]{{{tail}}}")
    assert shape.fullmatch(new_id(prefix, region_id)) and all(shape.fullmatch(i) for i in ids[:100])
    assert len(set(ids)) == count, "an ID came twice; run again"
    return ids


# --- what is measured -----------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[int, str, Store, int], list[bytes]]   # count, host, store, seed
    expect: Callable[[Store], bytes]                        # in every 200 body
    required: bool = True                                   # held to the requirement (else shown only)


REGIONS = Case("DescribeRegions",
               lambda count, host, store, seed: actions.describe_regions(count, host),
               lambda store: b'"RegionId":"cn-hangzhou"', required=False)   # the reference: no database
CASES = (
    REGIONS,
    Case('DescribeDisks DiskIds=["<one>"]',
         lambda count, host, store, seed: actions.describe_disks_by_id(count, host, store.disk_ids_to_ask(), seed),
         lambda store: b'"TotalCount":1,'),
    Case('DescribeInstances InstanceIds=["<one>"]',
         lambda count, host, store, seed: actions.describe_instances_by_id(count, host, store.instance_ids, seed),
         lambda store: b'"TotalCount":1,'),
    Case("DescribeInstances PageSize=10",
         lambda count, host, store, seed: actions.describe_instances_page(count, host),
         lambda store: f'"TotalCount":{len(store.instance_ids)},'.encode()),
    Case("DescribeDisks PageSize=10",
         lambda count, host, store, seed: actions.describe_disks_page(count, host),
         lambda store: f'"TotalCount":{store.disks},'.encode()),
)
# Requests/s each kind must reach on one process; lookups by ID also a share of DescribeRegions
# on the same server in the same round.
RATE_TARGETS = {REGIONS.name: 5_000, CASES[1].name: 3_000, CASES[2].name: 3_000, CASES[3].name: 2_000,
                CASES[4].name: 2_000}
SHARE_TARGETS = {CASES[1].name: 0.80, CASES[2].name: 0.80}


# --- query plans ------------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    case: str
    sql: str
    steps: tuple[str, ...]      # EXPLAIN QUERY PLAN details

    @property
    def scans(self) -> list[str]:
        """Steps reading a whole table or index ("SCAN disks", "SCAN disks USING INDEX …"),
        as opposed to a SEARCH on an index's leading columns. Scans of a subquery's own
        rows (anon_N, already narrowed) do not count."""
        return [s for s in self.steps if s.startswith("SCAN ") and not re.match(r"SCAN (anon_\d+|\(subquery)", s)]

    @property
    def counts_region(self) -> str | None:
        """The table, when this is a count(*) whose only bounds are account and region: an
        index SEARCH, but one that visits every row the account has in the region."""
        if "count(" not in self.sql:
            return None
        for step in self.steps:
            found = re.fullmatch(r"SEARCH (\w+) USING (?:COVERING )?INDEX \w+ \(account_id=\? AND region_id=\?\)", step)
            if found:
                return found.group(1)
        return None


def short_sql(sql: str) -> str:
    """The statement on one line, a long select list of one table's columns as ``table.*``."""
    def collapse(match: re.Match) -> str:
        columns, table_name = match.group(1), match.group(2)
        return match.group(0) if columns.count(",") < 3 else f"SELECT {table_name}.* FROM {table_name}"
    return re.sub(r"SELECT ([^()]+?) FROM (\w+)", collapse, " ".join(sql.split()))


def query_plans(store: Store, host: str, cases: Sequence[Case]) -> list[Plan]:
    """Sends one request of each case to an in-process emulator on ``store``'s data dir,
    records every SELECT it runs, and returns each one's EXPLAIN QUERY PLAN (run with the
    same parameters on the same file)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from ecsemu.app import create_app
    from ecsemu.config import Config
    from ecsemu.emulator import Emulator

    statements: list[tuple[str, tuple]] = []

    def record(_conn, _cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, tuple(parameters) if parameters else ()))

    emulator = Emulator(Config(data_dir=store.data_dir, transitions="instant", log_level="warning"))
    app = create_app(emulator)
    plans: list[Plan] = []
    event.listen(Engine, "before_cursor_execute", record)
    try:
        for case in cases:
            raw = case.build(1, host, store, 1)[0]
            query = raw.split(b" ", 2)[1].split(b"?", 1)[1]
            statements.clear()
            status, body = asyncio.run(_asgi_get(app, query, host))
            if status != 200 or case.expect(store) not in body:
                sys.exit(f"{case.name}: unexpected answer {status} {body[:300]!r}")
            with contextlib.closing(sqlite3.connect(store.data_dir / "ecsemu.db")) as db:
                for sql, params in statements:
                    steps = tuple(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params))
                    plans.append(Plan(case.name, short_sql(sql), steps))
    finally:
        event.remove(Engine, "before_cursor_execute", record)
        emulator.close()
    return plans


async def _asgi_get(app, query_string: bytes, host: str) -> tuple[int, bytes]:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/", "raw_path": b"/", "query_string": query_string, "root_path": "",
             "headers": [(b"host", host.encode()), (b"user-agent", b"ecsemu-bench")],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80)}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def plans_table(plans: list[Plan]) -> str:
    """One row a distinct statement, with the request kinds that run it."""
    grouped: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for plan in plans:
        kinds = grouped.setdefault((plan.sql, plan.steps), [])
        if plan.case not in kinds:
            kinds.append(plan.case)
    cases = list(dict.fromkeys(plan.case for plan in plans))
    rows = ["| run by | SQL (long select lists shortened to `table.*`) | EXPLAIN QUERY PLAN |", "| --- | --- | --- |"]
    for (sql, steps), kinds in grouped.items():
        plan = Plan(kinds[0], sql, steps)
        mark = (" **← scan**" if plan.scans else
                f" ← visits every {plan.counts_region} row of the region" if plan.counts_region else "")
        who = "every request" if len(kinds) == len(cases) > 1 else ", ".join(kinds)
        rows.append(f"| {who} | `{sql}` | {'; '.join(steps)}{mark} |")
    return "\n".join(rows)


# --- results ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    case: str
    disks: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_200: int
    unexpected: int
    cpu_ms: float             # server CPU time a request, ms
    server_cpu: float
    client_cpu: float
    other_cpu: float
    runs: tuple[float, ...]   # requests/s of each round's run
    exhausted: bool


def summarize(case: str, disks: int, runs: list[Run]) -> Row:
    """Each figure is the median over the runs (the rounds' rates are in ``runs``)."""
    p50s, p99s = [], []
    for run in runs:
        latencies = sorted(run.latencies)
        p50s.append(percentile(latencies, 0.50) * 1000)
        p99s.append(percentile(latencies, 0.99) * 1000)
    return Row(case, disks, statistics.median(r.rps for r in runs), statistics.median(p50s), statistics.median(p99s),
               sum(r.non_200 for r in runs), sum(r.unexpected for r in runs),
               statistics.median(r.server_cpu / r.rps * 1000 for r in runs),
               statistics.median(r.server_cpu for r in runs), statistics.median(r.client_cpu for r in runs),
               statistics.median(r.other_cpu for r in runs), tuple(r.rps for r in runs),
               any(r.exhausted for r in runs))


@dataclass(frozen=True)
class Ratio:
    case: str
    small: Row
    large: Row
    required: bool

    @property
    def rps(self) -> float:
        """The requirement's figure: median requests/s, large over small."""
        return self.large.rps / self.small.rps

    @property
    def paired_median(self) -> float:
        return statistics.median(self.paired)

    @property
    def paired(self) -> list[float]:
        """Pair by pair: the two sizes ran back to back, under the same conditions."""
        return [large / small for small, large in zip(self.small.runs, self.large.runs, strict=True)]



def ratios(rows: list[Row], sizes: Sequence[int], cases: Sequence[Case]) -> list[Ratio]:
    by = {(r.case, r.disks): r for r in rows}
    return [Ratio(case.name, by[case.name, sizes[0]], by[case.name, sizes[-1]], case.required) for case in cases]


def within(ratio: float) -> bool:
    return abs(ratio - 1) <= TOLERANCE


def table(rows: list[Row]) -> str:
    out = ["| request | disks stored | requests/s | p50 ms | p99 ms | non-200 | server CPU ms/request "
           "| server CPU | client CPU | other CPU | runs (req/s) |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        out.append(f"| {r.case} | {r.disks:,} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
                   f"| {r.non_200 + r.unexpected} | {r.cpu_ms:.2f} | {r.server_cpu:.0%} | {r.client_cpu:.0%} "
                   f"| {r.other_cpu:.0%} | {', '.join(f'{x:,.0f}' for x in r.runs)} |")
    return "\n".join(out)


def ratio_table(found: list[Ratio], sizes: Sequence[int]) -> str:
    small, large = _size(sizes[0]), _size(sizes[-1])
    out = [f"| request | requests/s, {small} | requests/s, {large} | **{large} / {small}** | within {TOLERANCE:.0%} "
           "| pair by pair | median of pairs |",
           "| --- | ---: | ---: | ---: | --- | --- | ---: |"]
    for r in found:
        out.append(f"| {r.case} | {r.small.rps:,.0f} | {r.large.rps:,.0f} | **{r.rps:.3f}** "
                   f"| {('yes' if within(r.rps) else 'NO') if r.required else 'not required'} "
                   f"| {', '.join(f'{x:.2f}' for x in r.paired)} "
                   f"| {r.paired_median:.3f} |")
    return "\n".join(out)


def _size(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else f"{n:,}"


def verdict(found: list[Ratio], rows: list[Row]) -> str:
    found = [r for r in found if r.required]
    ok = all(within(r.rps) for r in found)
    text = (f"**{'Met' if ok else 'Not met'}**: " + "; ".join(
        f"{r.case} {r.rps:.3f}{'' if within(r.rps) else ' (outside)'}" for r in found) + ".")
    if any(within(r.rps) != within(r.paired_median) for r in found):
        text += " The median of the pairs' ratios disagrees for " + ", ".join(
            f"{r.case} ({r.paired_median:.3f})" for r in found if within(r.rps) != within(r.paired_median)) + "."
    busy = [r for r in rows if r.other_cpu > BUSY]
    if busy:
        text += (f" The machine was shared while measuring: the rest of it used a median of up to "
                 f"{max(r.other_cpu for r in busy):.0%} of a CPU in {len(busy)} of the {len(rows)} rows, which slows "
                 "the server even on its own CPU; the pairs' ratios, each from two runs back to back, "
                 "are the least affected.")
    return text


def shares(pairs: dict[str, list[dict[int, Run]]], case: str, size: int) -> list[float]:
    """Round by round: the case's requests/s over DescribeRegions' on the same server."""
    return [mine[size].rps / regions[size].rps for mine, regions in zip(pairs[case], pairs[REGIONS.name], strict=True)]


def chart(rows: list[Row], sizes: Sequence[int]) -> str:
    """A Mermaid bar chart (rendered by GitHub) of requests/s, a bar per request kind and size."""
    by = {(r.case, r.disks): r for r in rows}
    names = list(dict.fromkeys(r.case for r in rows))
    short = [name.replace('DiskIds=["<one>"]', "by ID").replace('InstanceIds=["<one>"]', "by ID")
             .replace("PageSize=10", "page").replace("Describe", "") for name in names]
    top = max(r.rps for r in rows)
    lines = ["```mermaid", "xychart-beta", '    title "Requests/s on one process, '
             + " and ".join(f"{size:,}" for size in sizes) + ' disks stored"',
             "    x-axis [" + ", ".join(f'"{name}"' for name in short) + "]",
             f'    y-axis "requests/s" 0 --> {int(top * 1.1 / 1000 + 1) * 1000}']
    for size in sizes:
        lines.append("    bar [" + ", ".join(f"{by[name, size].rps:.0f}" for name in names) + "]")
    lines.append("```")
    return "\n".join(lines)


def targets_table(pairs: dict[str, list[dict[int, Run]]], rows: list[Row], sizes: Sequence[int]) -> str:
    out = ["| request | disks stored | requests/s | target | met | of DescribeRegions (median of rounds) "
           "| target | met |", "| --- | ---: | ---: | ---: | --- | ---: | ---: | --- |"]
    by = {(r.case, r.disks): r for r in rows}
    for case, target in RATE_TARGETS.items():
        for size in sizes:
            row = by[case, size]
            share = statistics.median(shares(pairs, case, size))
            wanted = SHARE_TARGETS.get(case)
            share_cells = (f"{share:.0%} | {wanted:.0%} | {'yes' if share >= wanted else 'NO'}" if wanted
                           else f"{share:.0%} | | ")
            out.append(f"| {case} | {size:,} | {row.rps:,.0f} | {target:,} | {'yes' if row.rps >= target else 'NO'} "
                       f"| {share_cells} |")
    return "\n".join(out)


def docs_section(rows: list[Row], pairs: dict[str, list[dict[int, Run]]], cases: Sequence[Case],
                 sizes: Sequence[int], stores: list[Store], plans: list[Plan], args: argparse.Namespace,
                 pinned: bool, wall: float) -> str:
    found = ratios(rows, sizes, cases)
    small, large = _size(sizes[0]), _size(sizes[-1])
    scans = [p for p in plans if p.scans]
    plan_verdict = ("No statement scans a table or a whole index: each is an index SEARCH on its leading "
                    "columns (with, for some, a sort of the rows found)."
                    if not scans else
                    "Scans found: " + "; ".join(f"{p.case}: `{p.sql}` → {', '.join(p.scans)}" for p in scans) + ".")
    region_counts = sorted({(p.case, p.counts_region) for p in plans if p.counts_region})
    if region_counts:
        plan_verdict += (" A SEARCH bound by account and region only, as a first page's count(*), still visits "
                         "every row the account has in the region: " + "; ".join(
                             f"{case}: every {table_name} row" for case, table_name in region_counts) + ".")
    stores_text = "; ".join(f"{s.disks:,} disks: {s.megabytes:.1f} MB, filled in {s.seconds:.1f} s" for s in stores)
    pinning = ("the server pinned to one CPU, the load generator to the other" if pinned
               else "unpinned (fewer than 2 CPUs)")
    sizes_arg = ",".join(str(s) for s in sizes)
    reproduce = (f"python bench/describe.py --seconds {args.seconds:g} --runs {args.runs} "
                 f"--connections {args.connections} --sizes {sizes_arg} "
                 "--write-docs")
    return f"""## Describe actions: requests/s, share of DescribeRegions, {sizes[0]:,} vs {sizes[-1]:,} disks stored

**Requirements: requests/s within {TOLERANCE:.0%} between {sizes[0]:,} and {sizes[-1]:,} disks stored; by ID
≥ 3,000 requests/s and ≥ 80% of DescribeRegions on the same server; first pages ≥ 2,000;
DescribeRegions ≥ 5,000.** Ratio of requests/s, {large} over {small}: {verdict(found, rows)}

Machine: {machine()}.
Date: {datetime.now(UTC):%Y-%m-%d}.

{targets_table(pairs, rows, sizes)}

{chart(rows, sizes)}

{ratio_table(found, sizes)}

{table(rows)}

Runs come in pairs: one request kind, the two sizes back to back, under the same
conditions; {args.runs} rounds of one pair a kind, the order of the sizes alternating from one
round to the next. Each figure is the median over the rounds; "runs" lists each round's
rate, "pair by pair" the {large}/{small} ratio within each pair. Non-200 counts every
response of every run, warm-up included, that was not a 200 holding what was asked
(`"TotalCount":1` for one ID, the instances' or disks' total for a first page), and must
be 0. The CPU columns are shares of one CPU during the measured seconds; "other" is the
rest of the machine (other processes, the kernel): above a few percent, something else was
running, which slows the server even on its own CPU (the two CPUs share a core's
resources). With {args.connections} connections in a closed loop, p50 is about {args.connections} / (requests/s).

**What.** One `ecsemu serve --data-dir DIR --transitions instant --log-level warning` process
(SQLite file store, the default) per size, answering signed (v1, `testid`, fresh nonce)
requests: `DescribeRegions` (the reference, no database), `DescribeDisks RegionId=cn-hangzhou
DiskIds=["<one disk>"]`, `DescribeInstances RegionId=cn-hangzhou InstanceIds=["<one instance>"]`
and the first pages `DescribeInstances RegionId=cn-hangzhou PageSize=10` and
`DescribeDisks RegionId=cn-hangzhou PageSize=10`. The ID changes from request to request,
drawn at random among existing ones; disk IDs half from attached disks, half from
unattached ones, for both sizes alike. Both data dirs hold the same shape: {INSTANCES} running
instances, each with its system disk, {ATTACHED_DATA_DISKS} of them with an attached data disk; the
other disks are unattached `Available` data disks ({stores_text}). They are made with
the project's own store (`Database.open`, so the migrations and their indexes) and rows
inserted with SQLAlchemy Core, shaped as RunInstances and CreateDisk make them; no
`ANALYZE` is run, as none is on a real data dir.

**How.** `bench/describe.py` fills a data dir per size in a temporary directory, captures
the SQL the handlers run (in-process, one request of each kind on the {large} data dir)
and asks SQLite for each statement's plan, then starts the servers and drives them with
bench/load.py's load generator: {args.connections} keep-alive connections to 127.0.0.1, requests
pre-signed, {pinning}; a run is {WARMUP_SECONDS:g} s of warm-up and {args.seconds:g} s measured, in
pairs as above. Whole benchmark, filling included: {wall:.0f} s.

**Query plans** (SQLite `EXPLAIN QUERY PLAN` of every SELECT run for one request of each
kind, on the {sizes[-1]:,}-disk database, with that request's parameters; "every request" marks
the emulator's own sweeps for due work, the `count(*)` is `paginate`'s TotalCount).
{plan_verdict}

{plans_table(plans)}

Reproduce: `{reproduce}`
"""


# --- driver -----------------------------------------------------------------------------

def measure_pairs(stores: list[Store], servers: dict[int, Server], cases: Sequence[Case],
                  args: argparse.Namespace) -> dict[str, list[dict[int, Run]]]:
    """``--runs`` rounds of: for each request kind, a run on each size back to back (a
    pair, made under the same conditions), the order of the sizes alternating from round
    to round."""
    pairs: dict[str, list[dict[int, Run]]] = {case.name: [] for case in cases}
    best: dict[str, float] = {}
    for round_ in range(1, args.runs + 1):
        for case in cases:
            pair = {}
            for store in (stores if round_ % 2 else stores[::-1]):
                server = servers[store.disks]
                bound = max(best[case.name] * POOL_MARGIN, MIN_RPS_BOUND) if case.name in best else INITIAL_RPS_BOUND
                count = int(bound * (WARMUP_SECONDS + args.seconds)) + args.connections
                requests = iter(case.build(count, f"127.0.0.1:{server.port}", store, round_))
                run = measure(server, requests, args.connections, args.seconds, expect=case.expect(store))
                best[case.name] = max(best.get(case.name, 0.0), run.rps)
                pair[store.disks] = run
                print(f"round {round_}/{args.runs} {case.name:<42} {store.disks:>7,} disks {run.rps:>7,.0f} req/s  "
                      f"non-200 {run.non_200} unexpected {run.unexpected}  CPU: server {run.server_cpu:.0%}, "
                      f"client {run.client_cpu:.0%}, other {run.other_cpu:.0%}", file=sys.stderr, flush=True)
                if run.first_error:
                    print(f"  first bad body: {run.first_error!r}", file=sys.stderr)
            pairs[case.name].append(pair)
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per run (default 3)")
    parser.add_argument("--runs", type=int, default=6,
                        help="rounds: pairs of runs (one a size) per request kind; even, so that "
                             "each size goes first as often (default 6)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--sizes", default="1000,100000", help="disks stored, smallest first (default 1000,100000)")
    parser.add_argument("--write-docs", action="store_true",
                        help="rewrite this benchmark's section of docs/performance.md")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    cases = CASES
    started = time.perf_counter()

    cpus = sorted(os.sched_getaffinity(0))
    pinned = len(cpus) >= 2
    if pinned:
        os.sched_setaffinity(0, {cpus[1]})
    work = Path(tempfile.mkdtemp(prefix="ecsemu-bench-describe-"))
    servers: dict[int, Server] = {}
    try:
        stores = []
        for n, size in enumerate(sizes):
            store = populate(work / f"disks-{size}", size, seed=n)
            print(f"{size:>9,} disks: {store.megabytes:.1f} MB, filled in {store.seconds:.1f} s",
                  file=sys.stderr, flush=True)
            stores.append(store)
        plans = query_plans(stores[-1], "127.0.0.1", cases)
        for plan in plans:
            print(f"plan [{plan.case}] {plan.sql[:110]}\n    -> {'; '.join(plan.steps)}"
                  + ("   <-- SCAN" if plan.scans else ""), file=sys.stderr)

        for store in stores:
            target = Target(f"ecsemu, {store.disks:,} disks",
                            (sys.executable, "-m", "ecsemu", "serve", "--host", "127.0.0.1", "--port", "{port}",
                             "--data-dir", str(store.data_dir), "--transitions", "instant", "--log-level", "warning"),
                            signed=True)
            servers[store.disks] = start(target, cpus[0] if pinned else None)
        pairs = measure_pairs(stores, servers, cases, args)
    finally:
        for server in servers.values():
            stop(server)
        shutil.rmtree(work, ignore_errors=True)

    rows = [summarize(case.name, size, [pair[size] for pair in pairs[case.name]]) for case in cases for size in sizes]
    found = ratios(rows, sizes, cases)
    print(table(rows))
    print()
    print(ratio_table(found, sizes))
    print(verdict(found, rows).replace("**", ""))
    print()
    print(targets_table(pairs, rows, sizes))
    for r in rows:
        if r.exhausted:
            print(f"warning: {r.case} ({r.disks:,} disks) ran out of pre-signed requests; its figure is too low",
                  file=sys.stderr)
    if args.write_docs:
        section = docs_section(rows, pairs, cases, sizes, stores, plans, args, pinned, time.perf_counter() - started)
        replace_section(BEGIN_MARKER, END_MARKER, section)
        print("wrote docs/performance.md")
    if any(r.non_200 or r.unexpected for r in rows):
        sys.exit("non-200 or unexpected responses: see above")


if __name__ == "__main__":
    main()
