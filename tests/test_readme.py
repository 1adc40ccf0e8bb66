"""The README's client snippets work as written, against a running emulator.

Each fenced Python or JavaScript block that calls DescribeRegions is run unchanged but for
the port (the README says 8080; the test server has its own).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
BLOCKS = re.findall(r"```(python|js)\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
SNIPPETS = [(lang, code) for lang, code in BLOCKS if "DescribeRegions" in code]


def test_readme_has_a_snippet_per_client():
    assert len([lang for lang, _ in SNIPPETS if lang == "python"]) == 2
    assert len([lang for lang, _ in SNIPPETS if lang == "js"]) == 2


@pytest.mark.parametrize("lang, code", SNIPPETS, ids=[f"{lang}-{n}" for n, (lang, _) in enumerate(SNIPPETS)])
def test_snippet_gets_regions(server, lang, code, tmp_path):
    code = code.replace("127.0.0.1:8080", server.endpoint)
    if lang == "python":
        command = [sys.executable, "-c", code]
        env = dict(os.environ)
    else:
        node = shutil.which("node")
        modules = ROOT / "tests" / "node" / "node_modules"
        if node is None or not modules.is_dir():
            pytest.skip("node and tests/node/node_modules are needed (make test installs them)")
        command = [node, "-e", code]
        env = {**os.environ, "NODE_PATH": str(modules)}
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "cn-hangzhou" in done.stdout and "RegionEndpoint" in done.stdout
