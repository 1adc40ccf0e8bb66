"""``ecsemu serve --log-format json|text``: the same access line fields in either form."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys

import pytest

from tests.processes import serve
from tests.rawhttp import get, v1_params

# key=value, the value bare or a JSON string.
_PAIR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)')


def access_lines(tmp_path, log_format: str) -> list[str]:
    """The access lines of two calls (a success, an error) to a server logging ``log_format``."""
    tmp_path.mkdir()
    with serve(tmp_path, "--in-memory", "--log-format", log_format) as server:
        assert get(server.port, v1_params("DescribeRegions")).status == 200
        assert get(server.port, v1_params("DescribeUnicorns", Description="two words")).status == 404
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=15)
        text = server.log.read_text()
    return [entry.split(" ecsemu.access ", 1)[1] for entry in text.splitlines() if " ecsemu.access " in entry]


def parse_text(line: str) -> dict:
    fields = {}
    for name, value in _PAIR.findall(line):
        fields[name] = None if value == "" else json.loads(value) if value.startswith('"') else _scalar(value)
    assert " ".join(f"{name}={value}" for name, value in _PAIR.findall(line)) == line  # nothing else in it
    if isinstance(fields.get("Params"), str):  # an object, written as JSON text
        fields["Params"] = json.loads(fields["Params"])
    return fields


def _scalar(value: str):
    try:
        return json.loads(value)
    except ValueError:
        return value


def test_text_and_json_lines_carry_the_same_fields(tmp_path):
    as_json = [json.loads(line) for line in access_lines(tmp_path / "json", "json")]
    as_text = [parse_text(line) for line in access_lines(tmp_path / "text", "text")]
    assert len(as_json) == len(as_text) == 2
    for one, other in zip(as_json, as_text, strict=True):
        assert list(one) == list(other)
        for name in ("Action", "Status", "Code"):
            assert one[name] == other[name]
        assert str(one["Account"]) == str(other["Account"])  # text has no types: digits read as a number
    assert re.fullmatch(r"[0-9A-F-]{36}", as_text[0]["RequestId"])
    success, error = as_text
    assert success["Action"] == "DescribeRegions" and success["Status"] == 200 and success["Code"] is None
    assert error["Action"] == "DescribeUnicorns" and error["Status"] == 404
    assert error["Code"] == "InvalidAction.NotFound" and error["LatencyMs"] >= 0


def test_unknown_log_format_is_a_usage_error():
    done = subprocess.run([sys.executable, "-m", "ecsemu", "serve", "--log-format", "xml"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "--log-format" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("value", ["two words", 'a "quoted" one', "", "tab\there", "eq=sign"])
def test_text_values_read_back(value):
    from ecsemu.access_line import as_text
    fields = {"RequestId": "R", "Action": value, "Code": None, "Status": 400, "Params": {"A": value}}
    assert parse_text(as_text(fields)) == fields
