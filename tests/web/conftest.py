"""Fixtures of the web page tests: the page's JavaScript modules run by node, and a real
browser (Debian's Chromium driven by Playwright) on an emulator with visible transitions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from ecsemu.timing import Delays
from ecsemu.web import STATIC

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
# Playwright adds --headless and a fresh --user-data-dir itself.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def node_js():
    """Runs an ES module script that can import the page's modules as ``./static/NAME.mjs``;
    ``data`` is on its stdin as JSON, and what it prints (JSON) is returned."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is needed to run the page's modules (Debian: apt-get install nodejs)")

    def run(script: str, data=None):
        source = script.replace("./static/", STATIC.as_uri() + "/")
        done = subprocess.run([node, "--input-type=module", "-e", source], input=json.dumps(data),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return run


@pytest.fixture(scope="module")
def web_server():
    """An emulator whose Stopping and ReIniting last long enough to be watched (3 s), the
    rest shorter than by default."""
    config = Config(in_memory=True, transitions="realistic",
                    delays=Delays(instance_stopping=3, disk_reiniting=3, instance_pending=0.5, instance_starting=1,
                                  disk_creating=0.5, disk_attaching=0.5, snapshot=1, image=1))
    with EmulatorServer(config) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is needed for the browser tests (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is needed (pip install playwright; never `playwright install`)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, web_server):
    """A fresh page (own storage) that fails the test on any script error or any request
    that leaves the emulator."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    opened.on("request", lambda request: None if request.url.startswith((web_server.url, "data:"))
              else problems.append(f"request outside the emulator: {request.url}"))
    opened.goto(web_server.url + "/")
    opened.wait_for_selector("body[data-ready]")
    yield opened
    context.close()
    assert not problems, problems


@pytest.fixture
def screenshot(tmp_path):
    """Saves a screenshot; into docs/screenshots only when ECSEMU_SCREENSHOTS=1."""
    keep = os.environ.get("ECSEMU_SCREENSHOTS", "") not in ("", "0")

    def take(page, name: str, **options) -> Path:
        target = (SCREENSHOTS if keep else tmp_path) / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), **options)
        assert target.stat().st_size > 10_000
        return target

    return take
