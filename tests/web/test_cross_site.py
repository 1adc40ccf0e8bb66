"""Web pages of other origins cannot touch the emulator, in a real browser (Debian's
Chromium driven by Playwright):

- a page served from another port runs the ``fetch(…/_ecsemu/reset, {mode: "no-cors"})``
  that wiped every disk, a JSON fetch (whose preflight must not be granted) and a form
  post: the disk is still there;
- the same page sends an RPC DeleteDisk signed with the well-known development key (as
  any page could compute it): refused, the disk is still there;
- a DNS-rebinding page (a name the browser resolves to 127.0.0.1) can neither load the
  pages nor reach the control plane;
- the console still loads from a loopback name and makes its calls.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.ecsclient import REGION, ZONE, Ecs
from tests.rawhttp import encode, v1_params
from tests.web.conftest import CHROMIUM_ARGS, chromium_path

playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is needed")

REBOUND = "rebound.example"  # the browser resolves it to 127.0.0.1, as after a DNS rebinding

ATTACK = """
async (target) => {
  const outcome = async (call) => {
    try { const r = await call(); return r.type === 'opaque' ? 'opaque' : `HTTP ${r.status}`; }
    catch (error) { return `refused: ${error.message}`; }
  };
  return {
    noCors: await outcome(() => fetch(target + '/_ecsemu/reset', {method: 'POST', mode: 'no-cors', body: '{}'})),
    noCorsJson: await outcome(() => fetch(target + '/_ecsemu/reset', {
      method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'application/json'}, body: '{}'})),
    json: await outcome(() => fetch(target + '/_ecsemu/reset', {
      method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'})),
    read: await outcome(() => fetch(target + '/_ecsemu/health')),
  };
}
"""


class _AttackerPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!doctype html><title>another site</title><p>nothing to see"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def other_origin():
    """A tiny site on another port of 127.0.0.1: another origin (and the same site)."""
    site = ThreadingHTTPServer(("127.0.0.1", 0), _AttackerPage)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{site.server_address[1]}"
    site.shutdown()
    site.server_close()


@pytest.fixture(scope="module")
def rebinding_browser():
    """Chromium that resolves REBOUND to 127.0.0.1 (besides that, the usual browser)."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is needed for the browser tests (Debian: apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable,
                                              args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {REBOUND} 127.0.0.1"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def disk(web_server):
    return Ecs(web_server)("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]


def still_there(web_server, disk_id: str) -> bool:
    return len(Ecs(web_server)("DescribeDisks", RegionId=REGION, DiskIds=[disk_id])["Disks"]["Disk"]) == 1


def test_another_origin_cannot_reset(rebinding_browser, web_server, other_origin, disk):
    context = rebinding_browser.new_context()
    page = context.new_page()
    answered: list[tuple[str, str, int]] = []
    page.on("response", lambda response: answered.append((response.request.method, response.url, response.status)))
    page.goto(other_origin + "/")
    outcome = page.evaluate(ATTACK, web_server.url)
    # The form post a page can make without any script's help: a navigation.
    page.evaluate("""(target) => {
        const form = Object.assign(document.createElement('form'), {
          method: 'POST', action: target + '/_ecsemu/reset', enctype: 'text/plain'});
        form.append(Object.assign(document.createElement('input'), {name: '{"a":"', value: '"}'}));
        document.body.append(form);
        form.submit();
    }""", web_server.url)
    page.wait_for_url(web_server.url + "/_ecsemu/reset")
    form_answer = page.locator("body").inner_text()
    context.close()

    assert still_there(web_server, disk)
    assert outcome["noCors"] == "opaque" and outcome["noCorsJson"] == "opaque"  # sent, answer unreadable
    assert outcome["json"].startswith("refused")   # the preflight was not granted: never sent
    assert outcome["read"].startswith("refused")   # no CORS: another origin reads nothing
    resets = [status for method, url, status in answered if method == "POST" and url.endswith("/_ecsemu/reset")]
    assert resets and all(status in (403, 415) for status in resets), answered
    assert "Forbidden.CrossSite" in form_answer


def test_a_rebinding_page_gets_nothing(rebinding_browser, web_server, disk):
    context = rebinding_browser.new_context()
    page = context.new_page()
    rebound = f"http://{REBOUND}:{web_server.port}"
    answer = page.goto(rebound + "/")
    assert answer.status == 403 and "Forbidden.Host" in page.locator("body").inner_text()
    # Now "same-origin" with the emulator as far as the browser knows: the Host gives it away.
    statuses = page.evaluate("""async () => Promise.all([
        fetch('/_ecsemu/health').then((r) => r.status),
        fetch('/_ecsemu/web/api.json').then((r) => r.status),
        fetch('/_ecsemu/reset', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'})
          .then((r) => r.status)])""")
    context.close()
    assert statuses == [403, 403, 403]
    assert still_there(web_server, disk)


def test_the_console_works_from_a_loopback_name(rebinding_browser, web_server, disk):
    context = rebinding_browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"http://localhost:{web_server.port}/#/console/{disk}")
    page.wait_for_selector("body[data-ready]")
    playwright_api.expect(page.locator("#view-console")).to_contain_text(disk)
    context.close()
    assert not problems, problems


def test_another_origin_cannot_call_the_rpc_endpoint(rebinding_browser, web_server, other_origin, disk):
    context = rebinding_browser.new_context()
    page = context.new_page()
    answered: list[tuple[str, int]] = []
    page.on("response", lambda response: answered.append((response.url, response.status)))
    page.goto(other_origin + "/")
    signed = web_server.url + "/?" + encode(v1_params("DeleteDisk", DiskId=disk))
    kinds = page.evaluate("""async (url) => [
        (await fetch(url, {mode: 'no-cors'})).type,
        (await fetch(url, {method: 'POST', mode: 'no-cors'})).type]""", signed)
    context.close()
    assert kinds == ["opaque", "opaque"]  # sent; refused before any signature was looked at
    assert [status for url, status in answered if url.startswith(web_server.url)] == [403, 403]
    assert still_there(web_server, disk)
