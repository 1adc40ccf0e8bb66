"""docs/tools/: each page's examples work as written, against a running emulator.

A page's ``sh`` block (``eval "$(ecsemu env --port 8080)"`` and what follows it) is run
in bash, as a user pastes it, but for the port and the CA directory of the test server;
the variables it leaves are the environment of the page's Python and JavaScript blocks,
which run unchanged. The Terraform provider cannot run here: its HCL block is checked
against what ``ecsemu env`` prints and the values the provider's schema accepts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ecsemu.config import Config
from ecsemu.testing import DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET, EmulatorServer

ROOT = Path(__file__).parent.parent
TOOLS = ROOT / "docs" / "tools"
NODE_MODULES = ROOT / "tests" / "node" / "node_modules"
DOC_PORT = "8080"


def blocks(page: str) -> list[tuple[str, str]]:
    """The fenced code blocks of a page: (language, code)."""
    return re.findall(r"```(\w+)\n(.*?)```", (TOOLS / page).read_text(), re.S)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with EmulatorServer(Config(in_memory=True, ca_dir=tmp_path_factory.mktemp("ca"))) as running:
        yield running


def run_shell(server, code: str, tmp_path: Path) -> tuple[dict[str, str], str]:
    """Runs a page's sh block as pasted (``ecsemu`` on the PATH); returns the variables it
    leaves and what it printed."""
    assert f"--port {DOC_PORT}" in code
    code = code.replace(f"--port {DOC_PORT}", f"--port {server.port} --ca-dir {server.config.ca_dir}")
    saved = tmp_path / "environment"
    environment = {name: os.environ[name] for name in ("HOME", "PYTHONPATH", "LANG") if name in os.environ}
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    done = subprocess.run(["bash", "-e", "-c", f'{code}\nenv -0 > "{saved}"'], capture_output=True, text=True,
                          timeout=60, env=environment)
    assert done.returncode == 0, done.stderr
    variables = dict(entry.split("=", 1) for entry in saved.read_text().split("\0") if "=" in entry)
    return variables, done.stdout


def run_block(language: str, code: str, environment: dict[str, str], cwd: Path) -> str:
    if language == "python":
        command = [sys.executable, "-c", code]
    else:
        node = shutil.which("node")
        if node is None or not NODE_MODULES.is_dir():
            pytest.skip("node and tests/node/node_modules are needed (make test installs them)")
        command = [node, "-e", code]
        environment = {**environment, "NODE_PATH": str(NODE_MODULES)}
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=environment, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


RUNNABLE = [(page, n) for page in ("python-sdks.md", "node-sdks.md")
            for n, (language, _) in enumerate(blocks(page)) if language in ("python", "js")]


def test_every_page_has_its_examples():
    assert {path.name for path in TOOLS.glob("*.md")} >= {"terraform.md", "python-sdks.md", "node-sdks.md"}
    assert [language for language, _ in blocks("python-sdks.md")] == ["sh", "python", "python"]
    assert [language for language, _ in blocks("node-sdks.md")] == ["sh", "js", "js"]
    assert [language for language, _ in blocks("terraform.md")] == ["sh", "hcl"]


@pytest.mark.parametrize("page, number", RUNNABLE, ids=[f"{page}-{n}" for page, n in RUNNABLE])
def test_sdk_example_gets_regions_over_https(server, page, number, tmp_path):
    (_, shell), = [block for block in blocks(page) if block[0] == "sh"]
    environment, _ = run_shell(server, shell, tmp_path)
    language, code = blocks(page)[number]
    assert "https" in code.lower()
    output = run_block(language, code, environment, tmp_path)
    assert "cn-hangzhou" in output and "RegionEndpoint" in output


def test_terraform_shell_block_checks_https_trust(server, tmp_path):
    (_, shell), _hcl = blocks("terraform.md")
    environment, output = run_shell(server, shell, tmp_path)
    assert json.loads(output)["Actions"] > 0
    assert environment["ALIBABA_CLOUD_ENDPOINT_ECS"] == server.endpoint
    assert environment["ALIBABA_CLOUD_ACCOUNT_TYPE"] == "Domestic"
    assert Path(environment["SSL_CERT_FILE"]).read_bytes().endswith(server.ca_cert.read_bytes())


def test_terraform_provider_block_matches_ecsemu_env(tmp_path):
    (_, hcl), = [block for block in blocks("terraform.md") if block[0] == "hcl"]
    settings = dict(re.findall(r'^\s*(\w+)\s*=\s*"?([^"\n]*)"?\s*$', hcl, re.M))
    printed = subprocess.run([sys.executable, "-m", "ecsemu", "env", "--port", DOC_PORT, "--ca-dir", str(tmp_path)],
                             capture_output=True, text=True, timeout=60, check=True).stdout
    exported = dict(re.findall(r"^export (\w+)=(\S+)", printed, re.M))
    assert settings["ecs"] == exported["ALIBABA_CLOUD_ENDPOINT_ECS"] == f"127.0.0.1:{DOC_PORT}"
    assert settings["region"] == exported["ALIBABA_CLOUD_REGION"]
    assert (settings["access_key"], settings["secret_key"]) == (DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET)
    assert settings["account_type"] == exported["ALIBABA_CLOUD_ACCOUNT_TYPE"]
    # The values the provider's schema accepts (provider.go: StringInSlice, TypeBool).
    assert settings["account_type"] in ("Domestic", "International")
    assert settings["protocol"] in ("HTTP", "HTTPS")
    assert settings["skip_region_validation"] in ("true", "false")
    assert re.search(r"^provider \"alicloud\" \{$.*^  endpoints \{$.*^  \}$.*^\}$", hcl, re.M | re.S)
