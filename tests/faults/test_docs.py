"""docs/unhappy-paths.md: its pytest example passes as a user's test, and its curl lines
are answered as the page says, against a running emulator."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "unhappy-paths.md").read_text()
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", PAGE, re.S)


def test_the_pytest_example_passes(tmp_path):
    example = next(code for lang, code in BLOCKS if lang == "python" and "def test_" in code)
    (tmp_path / "test_example.py").write_text(example)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_the_curl_lines_are_answered(ecs, faults):
    if shutil.which("curl") is None:
        pytest.skip("curl is needed (Debian: apt-get install curl)")
    script = next(code for lang, code in BLOCKS if lang == "sh" and "curl" in code)
    commands = [line for line in script.replace("\\\n", " ").splitlines() if line.strip()]
    answers = []
    for command in commands:
        command = command.replace("localhost:8080", ecs.server.endpoint)
        done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        answers.append(json.loads(done.stdout))
    first, second, listed, one, everything = answers
    assert first["Error"]["Code"] == "ServiceUnavailable" and second["Probability"] == 0.5
    assert [rule["RuleId"] for rule in listed["Rules"]] == [first["RuleId"], second["RuleId"]]
    assert one["Code"] == "InvalidRuleId.NotFound"  # the page's made-up ID
    assert everything == {"Removed": 2}
