"""The control plane and the web pages answer only their user (docs/security.md): raw HTTP
against a real server, as a browser or a DNS-rebinding page would send it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ecsemu.config import Config
from ecsemu.control.guard import Gate
from tests.control.conftest import TOKEN
from tests.ecsclient import REGION, ZONE, Ecs
from tests.rawhttp import send

JSON = {"Content-Type": "application/json"}
PAGES = ("/", "/_ecsemu/web/", "/_ecsemu/web/api.json", "/_ecsemu/web/app.mjs")


@pytest.fixture(scope="module")
def disk(server):
    """A disk in the shared emulator: what a refused reset must leave."""
    return Ecs(server)("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]


def disk_exists(server, disk_id: str) -> bool:
    found = Ecs(server)("DescribeDisks", RegionId=REGION, DiskIds=[disk_id])["Disks"]["Disk"]
    return len(found) == 1


def refused(reply, status: int, code: str) -> None:
    assert reply.status == status, (reply.status, reply.body)
    assert reply.json()["Code"] == code and reply.json()["Message"], reply.body
    assert not any(name.startswith("access-control-") for name in reply.headers)


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "localhost.evil.example:{port}",
                                  "127.0.0.1.evil.example", "[::2]:{port}", "0.0.0.0:{port}", "10.0.0.1",
                                  "", "localhost:", "localhost:port", "[::1"])
def test_other_hosts_are_refused(server, host):
    headers = {"Host": host.format(port=server.port)}
    refused(send(server.port, "GET", "/_ecsemu/health", headers), 403, "Forbidden.Host")
    for path in PAGES:
        refused(send(server.port, "GET", path, headers), 403, "Forbidden.Host")


def test_a_rebinding_page_cannot_reset(server, disk):
    headers = {**JSON, "Host": f"evil.example:{server.port}", "Origin": f"http://evil.example:{server.port}",
               "Sec-Fetch-Site": "same-origin"}
    refused(send(server.port, "POST", "/_ecsemu/reset", headers, b"{}"), 403, "Forbidden.Host")
    assert disk_exists(server, disk)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "127.0.0.1", "127.1.2.3:{port}", "localhost:{port}",
                                  "LOCALHOST", "localhost.:{port}", "ecs.localhost:{port}", "[::1]:{port}", "[::1]"])
def test_loopback_hosts_are_served(server, host):
    headers = {"Host": host.format(port=server.port)}
    assert send(server.port, "GET", "/_ecsemu/health", headers).json()["Status"] == "ok"
    for path in PAGES:
        assert send(server.port, "GET", path, headers).status == 200


def test_rpc_answers_any_host(server):
    """The RPC endpoint is for any client that signs, wherever it thinks ECS lives."""
    reply = send(server.port, "GET", "/?Action=DescribeRegions", {"Host": "ecs.aliyuncs.com"})
    assert reply.status != 403 and "Forbidden.Host" not in reply.body.decode()


@pytest.mark.parametrize("headers", [
    {"Origin": "http://127.0.0.1:1"},                       # another port: another origin
    {"Origin": "http://localhost:{port}"},                  # another host name
    {"Origin": "https://127.0.0.1:{port}"},                 # another scheme
    {"Origin": "http://evil.example"},
    {"Origin": "null"},                                     # sandboxed frames, file: pages
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},                        # another port on localhost
    {"Origin": "http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-site"},
])
def test_cross_site_state_changes_are_refused(server, disk, headers):
    headers = {name: value.format(port=server.port) for name, value in headers.items()}
    refused(send(server.port, "POST", "/_ecsemu/reset", {**JSON, **headers}, b"{}"), 403, "Forbidden.CrossSite")
    refused(send(server.port, "PUT", f"/_ecsemu/disks/{disk}/data?offset=0",
                 {"Content-Type": "application/octet-stream", **headers}, b"x"), 403, "Forbidden.CrossSite")
    refused(send(server.port, "DELETE", "/_ecsemu/instances/i-bpnothing0000000000/locks/security", headers),
            403, "Forbidden.CrossSite")
    assert disk_exists(server, disk)


@pytest.mark.parametrize("content_type", [None, "text/plain", "text/plain;charset=UTF-8",
                                          "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                          "application/jsonp", "text/json"])
def test_post_and_patch_need_a_json_content_type(server, disk, content_type):
    """What a browser sends across origins without a preflight (the simple types) is refused."""
    headers = {} if content_type is None else {"Content-Type": content_type}
    refused(send(server.port, "POST", "/_ecsemu/reset", headers, b"{}"), 415, "UnsupportedMediaType")
    refused(send(server.port, "PATCH", "/_ecsemu/snapshots/s-bpnothing0000000000", headers, b'{"Hold": true}'),
            415, "UnsupportedMediaType")
    assert disk_exists(server, disk)


def test_same_origin_and_plain_clients_pass(server):
    """The gate lets the user through: no Origin (curl, the CLI), or the request's own
    origin; ``advance`` then answers NotManual on this realistic-mode server."""
    port = server.port
    for headers in ({}, {"Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"},
                    {"Host": f"localhost:{port}", "Origin": f"http://localhost:{port}"},
                    {"Sec-Fetch-Site": "none"}, {"Content-Type": "application/json; charset=utf-8"}):
        reply = send(port, "POST", "/_ecsemu/clock/advance", {**JSON, **headers}, b'{"seconds": 1}')
        assert (reply.status, reply.json()["Code"]) == (409, "NotManual"), headers
    assert send(port, "GET", "/_ecsemu/health", {"Origin": "http://evil.example",
                                                 "Sec-Fetch-Site": "cross-site"}).status == 200


def test_no_preflight_is_granted(server):
    for path in ("/_ecsemu/reset", "/_ecsemu/clock/advance", "/_ecsemu/disks/d-x/data", "/_ecsemu/health"):
        reply = send(server.port, "OPTIONS", path, {
            "Origin": "http://evil.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type", "Sec-Fetch-Site": "cross-site"})
        assert not 200 <= reply.status < 300, (path, reply.status)
        assert not any(name.startswith("access-control-") for name in reply.headers), reply.headers


# --- --control-token ------------------------------------------------------------------------

def test_token_is_required_when_set(token_server):
    port = token_server.port
    refused(send(port, "GET", "/_ecsemu/health"), 401, "Unauthorized.ControlToken")
    refused(send(port, "POST", "/_ecsemu/reset", JSON, b"{}"), 401, "Unauthorized.ControlToken")
    refused(send(port, "GET", "/_ecsemu/health", {"Authorization": "Basic dXNlcjpwYXNz"}), 401,
            "Unauthorized.ControlToken")
    for wrong in ("Bearer nope", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer é"):
        refused(send(port, "GET", "/_ecsemu/health", {"Authorization": wrong}), 403, "Forbidden.ControlToken")
    for right in (f"Bearer {TOKEN}", f"bearer {TOKEN}", f"Bearer  {TOKEN} "):
        assert send(port, "GET", "/_ecsemu/health", {"Authorization": right}).json()["Status"] == "ok"


def test_the_pages_need_no_token(token_server):
    for path in PAGES:
        assert send(token_server.port, "GET", path).status == 200


def test_token_does_not_replace_the_other_checks(token_server):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    refused(send(token_server.port, "GET", "/_ecsemu/health", {**auth, "Host": "evil.example"}), 403,
            "Forbidden.Host")
    refused(send(token_server.port, "POST", "/_ecsemu/reset", {**auth, **JSON, "Sec-Fetch-Site": "cross-site"},
                 b"{}"), 403, "Forbidden.CrossSite")


# --- the CLI, which is the user --------------------------------------------------------------

def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {name: value for name, value in os.environ.items() if name != "ECSEMU_CONTROL_TOKEN"}
    return subprocess.run([sys.executable, "-m", "ecsemu", *args], capture_output=True, text=True, timeout=60,
                          env={**environ, **(env or {})})


def test_cli_without_a_token(server):
    health = cli("control", "health", "--url", server.url)
    assert health.returncode == 0, health.stderr
    assert json.loads(health.stdout)["Status"] == "ok"
    advance = cli("control", "advance", "1", "--url", server.url)  # POST JSON: through the gate
    assert advance.returncode == 1 and "NotManual" in advance.stderr
    unlock = cli("control", "unlock", "i-bpnothing0000000000", "security", "--url", server.url)  # DELETE
    assert unlock.returncode == 1 and "InvalidInstanceId.NotFound" in unlock.stderr


def test_cli_with_a_token(token_server):
    url = token_server.url
    denied = cli("control", "health", "--url", url)
    assert denied.returncode == 1 and "Unauthorized.ControlToken" in denied.stderr
    assert cli("control", "health", "--url", url, "--control-token", TOKEN).returncode == 0
    assert cli("control", "health", "--url", url, env={"ECSEMU_CONTROL_TOKEN": TOKEN}).returncode == 0
    wrong = cli("control", "health", "--url", url, "--control-token", "nope")
    assert wrong.returncode == 1 and "Forbidden.ControlToken" in wrong.stderr
    disk_id = Ecs(token_server)("CreateDisk", RegionId=REGION, ZoneId=ZONE, Size=20)["DiskId"]
    written = cli("disk", "write", disk_id, "--offset", "4096", "--data", "MARKER", "--url", url,
                  "--control-token", TOKEN)  # PUT
    assert written.returncode == 0, written.stderr
    read = cli("disk", "read", disk_id, "--offset", "4096", "--length", "6", "--url", url, "--control-token", TOKEN)
    assert read.stdout == "MARKER"
    lock = cli("control", "lock", "i-bpnothing0000000000", "security", "--url", url, "--control-token", TOKEN)
    assert lock.returncode == 1 and "InvalidInstanceId.NotFound" in lock.stderr


# --- the gate's decisions, without a server ---------------------------------------------------

def scope(host: str | None, *, method: str = "GET", path: str = "/_ecsemu/health", peer: str = "127.0.0.1",
          **headers: str) -> dict:
    sent = ([] if host is None else [(b"host", host.encode())]) + [
        (name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()]
    return {"type": "http", "method": method, "path": path, "scheme": "http", "headers": sent,
            "client": (peer, 50000)}


def test_remote_peers_are_refused_first():
    error = Gate(Config()).check(scope("127.0.0.1:8080", peer="10.1.2.3"))
    assert (error.status, error.code) == (403, "Forbidden")
    assert Gate(Config()).check(scope("127.0.0.1:8080", peer="10.1.2.3", path="/_ecsemu/web/api.json")) is None


def test_a_missing_host_is_refused():
    assert Gate(Config()).check(scope(None)).code == "Forbidden.Host"


def test_the_served_host_is_accepted_unless_it_is_a_wildcard():
    lan = Gate(Config(host="192.168.1.5"))
    assert lan.check(scope("192.168.1.5:8080")) is None
    assert lan.check(scope("192.168.1.6:8080")).code == "Forbidden.Host"
    named = Gate(Config(host="devbox.lan"))
    assert named.check(scope("DEVBOX.lan")) is None
    six = Gate(Config(host="fd00::5"))
    assert six.check(scope("[fd00::5]:8080")) is None
    for wildcard in ("0.0.0.0", "::"):
        gate = Gate(Config(host=wildcard))
        assert gate.check(scope("localhost:8080")) is None
        for host in ("0.0.0.0:8080", "[::]:8080", "192.168.1.5:8080", "evil.example:8080"):
            assert gate.check(scope(host)).code == "Forbidden.Host", (wildcard, host)


def test_origin_matches_with_default_ports():
    gate = Gate(Config())
    post = {"method": "POST", "content_type": "application/json"}
    assert gate.check(scope("localhost", origin="http://localhost:80", **post)) is None
    assert gate.check(scope("localhost:80", origin="http://localhost", **post)) is None
    assert gate.check(scope("localhost:8080", origin="http://localhost", **post)).code == "Forbidden.CrossSite"
    assert gate.check(scope("localhost", origin="http://localhost/x", **post)).code == "Forbidden.CrossSite"
    assert gate.check(scope("localhost", origin="http://localhost:99999", **post)).code == "Forbidden.CrossSite"
