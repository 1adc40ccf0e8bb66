"""``ecsemu fault add|list|clear`` against a running emulator."""

from __future__ import annotations

import json
import subprocess
import sys


def fault(ecs, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecsemu", "fault", *args, "--url", ecs.server.url],
                          capture_output=True, text=True, timeout=60)


def test_add_list_and_clear_from_the_command_line(ecs, faults):
    added = fault(ecs, "add", "DescribeZones", "--error", "ServiceUnavailable", "--count", "1",
                  "--param", "RegionId=cn-hang*")
    assert added.returncode == 0, added.stderr
    rule = json.loads(added.stdout)
    assert (rule["Action"], rule["Parameters"], rule["Remaining"]) == (
        "DescribeZones", {"RegionId": "cn-hang*"}, 1)
    assert ecs.error("DescribeZones", RegionId="cn-hangzhou") == ("ServiceUnavailable", 503)
    listed = json.loads(fault(ecs, "list").stdout)["Rules"]
    assert [(r["RuleId"], r["Injected"], r["Active"]) for r in listed] == [(rule["RuleId"], 1, False)]
    held = json.loads(fault(ecs, "add", "StopInstance", "--hold-seconds", "30").stdout)
    assert held["HoldSeconds"] == 30
    assert json.loads(fault(ecs, "clear", held["RuleId"]).stdout) == {"Removed": 1}
    assert json.loads(fault(ecs, "clear").stdout) == {"Removed": 1}
    assert json.loads(fault(ecs, "list").stdout) == {"Rules": []}


def test_a_bad_rule_is_the_emulators_json_error_and_a_bad_flag_argparses(ecs, faults):
    refused = fault(ecs, "add", "DescribeZones", "--error", "Nope")
    assert refused.returncode == 1 and refused.stdout == ""
    assert json.loads(refused.stderr)["Code"] == "InvalidRule.Error.UnknownCode"
    no_effect = fault(ecs, "add", "DescribeZones", "--count", "2")
    assert json.loads(no_effect.stderr)["Code"] == "InvalidRule.NoEffect"
    unknown = fault(ecs, "clear", "fault-000000000000")
    assert unknown.returncode == 1 and json.loads(unknown.stderr)["Code"] == "InvalidRuleId.NotFound"
    bad_flag = fault(ecs, "add", "DescribeZones", "--param", "RegionId")
    assert bad_flag.returncode == 2 and "is not NAME=VALUE" in bad_flag.stderr
    assert faults.list() == []
