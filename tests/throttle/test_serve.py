"""``ecsemu serve --throttle`` and ``--throttle-config`` as users run them: refused at start
when wrong, and with ``--workers 2`` (on SQLite and on PostgreSQL) read by every process,
each counting its own calls, and a change at run time reaching them all: nothing of them
is in the database."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from ecsemu.accounts import KeyRing
from tests.processes import serve
from tests.rawhttp import get, v1_params
from tests.test_workers import only, wait_for_workers

LIMITS_TOML = """
[[Limits]]
Action = "DescribeZones"
Rate = 0.01
Burst = 2

[[Limits]]
Account = "{account}"
Rate = 0.01
Burst = 1
"""


def start(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecsemu", "serve", "--in-memory", "--port", "1", *args],
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize(("args", "said"), [
    (["--throttle", "DescribeDisks"], "--throttle takes ACTION=RATE[:BURST]"),
    (["--throttle", "DescribeDisks=fast"], "RATE is a number of calls a second"),
    (["--throttle", "DescribeDisks=0"], "RATE must be more than 0"),
    (["--throttle", "DescribeDisks=nan"], "RATE must be more than 0"),
    (["--throttle", "DescribeDisks=5:0"], "BURST must be from 1"),
    (["--throttle", "DescribeDisks=5:1.5"], "BURST a whole number"),
    (["--throttle", "Describe Disks=5"], "the action must be an action name or a glob"),
    (["--throttle", "=5"], "the action must be an action name or a glob"),
    (["--throttle-config", "/nonexistent/limits.json"], "cannot read it"),
])
def test_a_bad_limit_is_refused_at_start(args, said):
    done = start(*args)
    assert done.returncode == 2, done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("name", "content", "said"), [
    ("limits.json", "{not json", "not valid JSON"),
    ("limits.toml", "[[Limits]\nRate = 1", "not valid TOML"),
    ("limits.json", '{"Limits": [{"Rate": 1, "Account": "me"}]}', '"Account" must be an account ID'),
    ("limits.json", '{"Limits": [{"Rate": 1}], "Extra": 1}', 'one key, "Limits"'),
    ("limits.toml", '[[Limits]]\nAction = "DescribeDisks"\n', '"Rate" must be a number'),
    ("limits.toml", "[[Limits]]\nRate = 1" + "0" * 400 + "\n", "RATE must be more than 0"),
])
def test_a_bad_config_file_is_refused_at_start(tmp_path, name, content, said):
    path = tmp_path / name
    path.write_text(content)
    done = start("--throttle-config", str(path))
    assert done.returncode == 2, done.stderr
    assert said in done.stderr and f"--throttle-config {path}" in done.stderr and "Traceback" not in done.stderr


def code(port: int, action: str, key_id: str = "testid") -> str:
    reply = get(port, v1_params(action, key_id=key_id, secret="testsecret", RegionId="cn-hangzhou"))
    return reply.json().get("Code") or "ok"


def limits_of(server) -> list[dict]:
    with urllib.request.urlopen(f"{server.url}/_ecsemu/throttle") as shown:
        return json.loads(shown.read())["Limits"]


def test_every_worker_follows_the_limits_and_counts_its_own_calls(tmp_path, store_args):
    other = "throttled-account"   # loose auth: an account of its own, which the file limits
    limits = tmp_path / "limits.toml"
    limits.write_text(LIMITS_TOML.format(account=KeyRing.account_for_unknown(other)))
    flags = (*store_args, "--workers", "2", "--transitions", "instant", "--log-level", "warning",
             "--throttle", "DescribeRegions=0.01:1", "--throttle-config", str(limits))
    with serve(tmp_path, *flags) as server:
        workers = wait_for_workers(server, 2)
        for pid in workers:   # each process: its own full buckets, the same limits
            with only(pid, workers):
                assert [code(server.port, "DescribeRegions") for _ in range(2)] == ["ok", "Throttling"]
                assert [code(server.port, "DescribeZones") for _ in range(3)] == ["ok", "ok", "Throttling"]
                assert [code(server.port, "DescribeRegions", other) for _ in range(2)] == ["ok", "Throttling"]
        # A change reaches every process by the time it is answered, whichever took it.
        change = json.dumps({"Limits": [{"Action": "DescribeRegions", "Rate": 0.01, "Burst": 2}]}).encode()
        request = urllib.request.Request(f"{server.url}/_ecsemu/throttle", method="PUT", data=change,
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request).close()
        for pid in workers:
            with only(pid, workers):
                assert [limit["Burst"] for limit in limits_of(server)] == [2]
                assert [code(server.port, "DescribeRegions") for _ in range(3)] == ["ok", "ok", "Throttling"]
                assert [code(server.port, "DescribeZones") for _ in range(3)] == ["ok", "ok", "ok"]
        server.process.terminate()
        server.process.wait(timeout=20)
    with serve(tmp_path, *flags) as server:   # a restart: the flags' limits, not the change
        wait_for_workers(server, 2)
        assert len(limits_of(server)) == 3
