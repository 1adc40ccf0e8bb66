"""HTTP and HTTPS on one port (one_port.py), the local CA that signs its certificate
(tls.py), and the official clients trusting it the way ``ecsemu env`` tells them to.

The clients run as their own processes, each given only the one variable it is said to
read: it then succeeds, and without it fails certificate verification, which shows the
trust comes from that variable and not from verification being off.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ecsemu import tls
from ecsemu.config import Config
from ecsemu.http_protocol import BoundedHttpToolsProtocol
from ecsemu.one_port import TLS_SHUTDOWN_SECONDS, TlsOrPlain
from ecsemu.testing import DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET, EmulatorServer
from tests.rawhttp import encode, v1_params

ROOT = Path(__file__).parent.parent
NODE_DIR = ROOT / "tests" / "node"
HEAD_SECONDS = 1.0  # the test server's deadline for a request head, and for a TLS handshake


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An emulator whose CA is in a directory of this module's own."""
    config = Config(in_memory=True, ca_dir=tmp_path_factory.mktemp("ca"), head_timeout=HEAD_SECONDS)
    with EmulatorServer(config) as running:
        yield running


def trusting(server) -> ssl.SSLContext:
    """A TLS client context that trusts the emulator's CA and nothing else."""
    return ssl.create_default_context(cafile=str(server.ca_cert))


def regions(connection: http.client.HTTPConnection) -> dict:
    connection.request("GET", "/?" + encode(v1_params("DescribeRegions")))
    response = connection.getresponse()
    body = json.loads(response.read())
    assert response.status == 200, body
    return body["Regions"]


# --- one port ---------------------------------------------------------------------------------

def test_tls_and_plain_http_on_the_same_port_and_connections_kept_alive(server):
    secure = http.client.HTTPSConnection("127.0.0.1", server.port, timeout=10, context=trusting(server))
    plain = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    answers = [regions(connection) for _ in range(3) for connection in (secure, plain)]
    assert all(answer == answers[0] for answer in answers) and answers[0]["Region"]
    # Both connections stayed open throughout: one TLS session, one plain socket.
    assert secure.sock is not None and isinstance(secure.sock, ssl.SSLSocket)
    assert plain.sock is not None and not isinstance(plain.sock, ssl.SSLSocket)
    assert secure.sock.version() in ("TLSv1.2", "TLSv1.3")
    secure.close()
    plain.close()


def test_after_the_first_bytes_nothing_stands_between_transport_and_http(server):
    """What keeps a keep-alive connection's requests as cheap as before: the first-byte
    protocol hands the connection over and leaves."""
    plain = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    regions(plain)
    local_port = plain.sock.getsockname()[1]
    connections = list(server._server.server_state.connections)
    (protocol,) = [p for p in connections if p.transport.get_extra_info("peername")[1] == local_port]
    assert isinstance(protocol, BoundedHttpToolsProtocol) and not isinstance(protocol, TlsOrPlain)
    assert protocol.transport.get_protocol() is protocol
    assert regions(plain)
    plain.close()


@pytest.mark.parametrize("secure", [True, False], ids=["https", "http"])
def test_each_connection_knows_its_own_scheme(server, secure):
    """A browser page's Origin is same-origin only with the scheme its connection has (the
    RPC API refuses cross-origin calls: docs/security.md)."""
    def status(origin_scheme: str) -> int:
        connection = (http.client.HTTPSConnection("127.0.0.1", server.port, timeout=10, context=trusting(server))
                      if secure else http.client.HTTPConnection("127.0.0.1", server.port, timeout=10))
        connection.request("GET", "/?" + encode(v1_params("DescribeRegions")),
                           headers={"Origin": f"{origin_scheme}://127.0.0.1:{server.port}"})
        response = connection.getresponse()
        response.read()
        return response.status
    own, other = ("https", "http") if secure else ("http", "https")
    assert status(own) == 200
    assert status(other) == 403


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "ecs.aliyuncs.com", "ecs-cn-hangzhou.aliyuncs.com",
                                  "ecs.cn-hangzhou.aliyuncs.com", "ecs.ap-southeast-1.aliyuncs.com",
                                  "location.aliyuncs.com"])
def test_the_certificate_covers_the_names_clients_use(server, name):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw, \
            trusting(server).wrap_socket(raw, server_hostname=name) as secure:
        assert secure.getpeercert()["subject"] == ((("commonName", "ecsemu"),),)


def test_a_name_it_does_not_cover_fails_verification(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw, \
            pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
        trusting(server).wrap_socket(raw, server_hostname="ecs.example.com")


def test_ipv6_loopback_is_named_too(server):
    names = x509.load_pem_x509_certificate(tls.Authority(server.config.ca_dir).server_cert.read_bytes()) \
        .extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    addresses = {str(address) for address in names.get_values_for_type(x509.IPAddress)}
    assert addresses == {"127.0.0.1", "::1"}
    assert {"localhost", "*.aliyuncs.com", "*.cn-hangzhou.aliyuncs.com"} <= set(names.get_values_for_type(x509.DNSName))


def read_until_closed(sock: socket.socket, limit: float = 10) -> bytes:
    sock.settimeout(limit)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    return data


@pytest.mark.parametrize("opening", [
    b"\x16\x03\x01\x00\x10" + b"not a client hello at all" * 4,   # a handshake record holding garbage
    b"\x16\x03\x03\xff\xff" + os.urandom(300),                      # a record longer than sent, then noise
])
def test_tls_garbage_is_closed_and_other_connections_go_on(server, opening):
    secure = http.client.HTTPSConnection("127.0.0.1", server.port, timeout=10, context=trusting(server))
    plain = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    before = (regions(secure), regions(plain))
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as bad:
        bad.sendall(opening)
        started = time.monotonic()
        answer = read_until_closed(bad)
    # At most a TLS alert record (0x15), never an HTTP answer; closed without waiting for
    # the handshake deadline when the bytes are plainly wrong, by it otherwise.
    assert answer == b"" or answer[0] == 0x15, answer[:40]
    assert time.monotonic() - started < HEAD_SECONDS + 5
    assert (regions(secure), regions(plain)) == before
    assert regions(http.client.HTTPSConnection("127.0.0.1", server.port, timeout=10, context=trusting(server)))


def test_a_first_byte_that_is_no_http_is_answered_400_over_plain_http(server):
    plain = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    regions(plain)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as bad:
        bad.sendall(b"\x00\x01\x02 / HTTP/1.1\r\n\r\n")
        answer = read_until_closed(bad)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert regions(plain)


def test_a_silent_connection_gets_408_and_a_stalled_handshake_is_closed(server):
    plain = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    regions(plain)
    with socket.create_connection(("127.0.0.1", server.port)) as silent, \
            socket.create_connection(("127.0.0.1", server.port)) as stalled:
        stalled.sendall(b"\x16\x03\x01")  # the start of a handshake record, then nothing
        started = time.monotonic()
        assert read_until_closed(silent).startswith(b"HTTP/1.1 408 ")
        assert read_until_closed(stalled) == b""
        assert HEAD_SECONDS * 0.8 <= time.monotonic() - started < HEAD_SECONDS + 5
    assert regions(plain)


def dribbled_handshake(port: int, context: ssl.SSLContext) -> ssl.SSLObject:
    """A TLS handshake whose first 20 bytes arrive one at a time."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls_client = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    with contextlib.suppress(ssl.SSLWantReadError):
        tls_client.do_handshake()
    hello = outgoing.read()
    for byte in hello[:20]:
        raw.sendall(bytes([byte]))
        time.sleep(0.005)
    raw.sendall(hello[20:])
    while True:
        incoming.write(raw.recv(65536))
        try:
            tls_client.do_handshake()
            break
        except ssl.SSLWantReadError:
            raw.sendall(outgoing.read())
    raw.sendall(outgoing.read())
    raw.close()
    return tls_client


@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
def test_both_event_loops_hand_over_and_stop_without_waiting_on_idle_tls_clients(tmp_path, loop):
    """uvloop (the default) and asyncio each have their own TLS layer."""
    running = EmulatorServer(Config(in_memory=True, ca_dir=tmp_path))
    running._server.config.loop = loop
    with running:
        context = ssl.create_default_context(cafile=str(running.ca_cert))
        assert dribbled_handshake(running.port, context).version() in ("TLSv1.2", "TLSv1.3")
        idle = http.client.HTTPSConnection("127.0.0.1", running.port, timeout=10, context=context)
        assert regions(idle) == regions(http.client.HTTPConnection("127.0.0.1", running.port, timeout=10))
        # The idle TLS client never reads again: a stop waits TLS_SHUTDOWN_SECONDS for its
        # close_notify, not the 30 s default (nor uvicorn's 10 s graceful limit).
        started = time.monotonic()
    assert time.monotonic() - started < TLS_SHUTDOWN_SECONDS + 4
    idle.close()


# --- CONNECT: clients that resolve aliyuncs.com themselves, told to use ecsemu as their proxy ---

def connect(port: int, target: str) -> tuple[socket.socket, bytes]:
    """A CONNECT to ``target``; the socket and the head of the answer."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    raw.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = raw.recv(1)
        if not chunk:
            break
        head += chunk
    return raw, head


def test_connect_to_an_aliyuncs_name_is_served_here_over_tls_or_plain(server):
    raw, head = connect(server.port, "ecs.cn-hangzhou.aliyuncs.com:443")
    assert head.startswith(b"HTTP/1.1 200 ")
    with trusting(server).wrap_socket(raw, server_hostname="ecs.cn-hangzhou.aliyuncs.com") as secure:
        secure.sendall(f"GET /?{encode(v1_params('DescribeRegions'))} HTTP/1.1\r\n"
                       "Host: ecs.cn-hangzhou.aliyuncs.com\r\nConnection: close\r\n\r\n".encode())
        answer = read_until_closed(secure)
    assert answer.startswith(b"HTTP/1.1 200 ") and b'"RegionEndpoint"' in answer
    raw, head = connect(server.port, "ecs-cn-hangzhou.aliyuncs.com:80")
    assert head.startswith(b"HTTP/1.1 200 ")
    raw.sendall(f"GET /?{encode(v1_params('DescribeRegions'))} HTTP/1.1\r\n"
                "Host: ecs-cn-hangzhou.aliyuncs.com\r\nConnection: close\r\n\r\n".encode())
    assert read_until_closed(raw).startswith(b"HTTP/1.1 200 ")
    raw.close()


@pytest.mark.parametrize("target", ["example.com:443", "aliyuncs.com.example.com:443", "127.0.0.1:22"])
def test_connect_to_any_other_name_is_refused(server, target):
    raw, head = connect(server.port, target)
    assert head.startswith(b"HTTP/1.1 403 ")
    assert read_until_closed(raw) in (b"", b"Forbidden")
    raw.close()
    assert regions(http.client.HTTPConnection("127.0.0.1", server.port, timeout=10))


OLD_SDK_ENDPOINT_TABLE = """
from aliyunsdkcore.client import AcsClient
from aliyunsdkecs.request.v20140526.DescribeRegionsRequest import DescribeRegionsRequest
client = AcsClient("testid", "testsecret", "cn-hangzhou")  # no endpoint: ecs-cn-hangzhou.aliyuncs.com
request = DescribeRegionsRequest()
request.set_protocol_type("https")
print(client.do_action_with_exception(request).decode())
"""


def test_an_sdk_that_finds_its_endpoint_itself_reaches_ecsemu_through_https_proxy(server):
    bundle = str(tls.Authority(server.config.ca_dir).bundle)
    done = subprocess.run([sys.executable, "-c", OLD_SDK_ENDPOINT_TABLE], capture_output=True, text=True,
                          timeout=60, env=bare_environment(HTTPS_PROXY=server.url, ALIBABA_CLOUD_CA_BUNDLE=bundle))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Regions"]["Region"][0]["RegionEndpoint"] == "ecs-cn-hangzhou.aliyuncs.com"


# --- the CA -----------------------------------------------------------------------------------

def test_the_ca_is_made_once_and_kept_its_keys_private(tmp_path):
    first = tls.ensure(tmp_path / "ca")
    ca, server_cert = first.cert.read_bytes(), first.server_cert.read_bytes()
    again = tls.ensure(tmp_path / "ca")
    assert again.cert.read_bytes() == ca and again.server_cert.read_bytes() == server_cert
    for key in (first.key, first.server_key):
        assert key.stat().st_mode & 0o077 == 0
    # Another listening host: a new server certificate, by the same CA.
    other = tls.ensure(tmp_path / "ca", ["10.1.2.3"])
    assert other.cert.read_bytes() == ca and other.server_cert.read_bytes() != server_cert
    context = ssl.create_default_context(cafile=str(other.cert))
    assert context.cert_store_stats()["x509_ca"] == 1
    issued = x509.load_pem_x509_certificate(other.server_cert.read_bytes())
    issued.verify_directly_issued_by(x509.load_pem_x509_certificate(ca))
    # An old server certificate is re-made; so is one a former CA signed.
    old = time.time() - (tls.RENEW_AFTER_DAYS + 1) * 86400
    os.utime(other.server_cert, (old, old))
    renewed = tls.ensure(tmp_path / "ca", ["10.1.2.3"]).server_cert.read_bytes()
    assert renewed != issued.public_bytes(serialization.Encoding.PEM)
    for made in (other.cert, other.key):
        made.unlink()
    remade = tls.ensure(tmp_path / "ca", ["10.1.2.3"])
    x509.load_pem_x509_certificate(remade.server_cert.read_bytes()).verify_directly_issued_by(
        x509.load_pem_x509_certificate(remade.cert.read_bytes()))
    # The bundle: what the system trusts, and the CA last.
    bundle = remade.bundle.read_bytes()
    assert bundle.endswith(remade.cert.read_bytes()) and bundle.count(b"BEGIN CERTIFICATE") > 1


# --- the clients, trusting the CA each through its own variable --------------------------------

OLD_SDK = """
import os, sys
from aliyunsdkcore.client import AcsClient
from aliyunsdkecs.request.v20140526.DescribeRegionsRequest import DescribeRegionsRequest
client = AcsClient("testid", "testsecret", "cn-hangzhou")
client.add_endpoint("cn-hangzhou", "Ecs", sys.argv[1])
request = DescribeRegionsRequest()
request.set_protocol_type("https")
print(client.do_action_with_exception(request).decode())
"""

TEA_SDK = """
import sys
from alibabacloud_ecs20140526.client import Client
from alibabacloud_ecs20140526.models import DescribeRegionsRequest
from alibabacloud_tea_openapi.models import Config
client = Client(Config(access_key_id="testid", access_key_secret="testsecret", region_id="cn-hangzhou",
                       endpoint=sys.argv[1]))  # HTTPS: the SDK's default
print(client.describe_regions(DescribeRegionsRequest()).body.to_map())
"""

REQUESTS = """
import sys, requests
print(requests.get(f"https://{sys.argv[1]}/_ecsemu/health", timeout=10).text)
"""


def bare_environment(**variables: str) -> dict[str, str]:
    """What a process needs to run Python or Node, without any CA variable of the caller's."""
    keep = ("PATH", "HOME", "PYTHONPATH", "VIRTUAL_ENV", "LANG")
    return {**{name: os.environ[name] for name in keep if name in os.environ}, **variables}


@pytest.mark.parametrize("script, variable, expect", [
    (OLD_SDK, "ALIBABA_CLOUD_CA_BUNDLE", '"RegionId":"cn-hangzhou"'),
    (TEA_SDK, "SSL_CERT_FILE", "'RegionId': 'cn-hangzhou'"),
    (REQUESTS, "REQUESTS_CA_BUNDLE", '"Transitions"'),
], ids=["aliyun-python-sdk-core", "alibabacloud-ecs20140526", "requests"])
def test_python_clients_over_https(server, script, variable, expect):
    bundle = str(tls.Authority(server.config.ca_dir).bundle)
    trusted = subprocess.run([sys.executable, "-c", script, server.endpoint], capture_output=True, text=True,
                             timeout=60, env=bare_environment(**{variable: bundle}))
    assert trusted.returncode == 0, trusted.stderr
    assert expect in trusted.stdout
    untrusted = subprocess.run([sys.executable, "-c", script, server.endpoint], capture_output=True, text=True,
                               timeout=60, env=bare_environment())
    assert untrusted.returncode != 0 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr


def popcore(server, environment: dict[str, str]) -> dict:
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "@alicloud" / "pop-core").is_dir():
        pytest.skip("node and tests/node/node_modules are needed (make test installs them)")
    call = {"endpoint": server.https_url, "accessKeyId": DEVELOPMENT_KEY_ID, "accessKeySecret": DEVELOPMENT_KEY_SECRET,
            "action": "DescribeRegions", "params": {"RegionId": "cn-hangzhou"}}
    done = subprocess.run([node, str(NODE_DIR / "popcore_call.js"), json.dumps(call)], capture_output=True,
                          text=True, timeout=60, check=True, env=environment)
    return json.loads(done.stdout)


def test_node_popcore_over_https_with_node_extra_ca_certs(server):
    outcome = popcore(server, bare_environment(NODE_EXTRA_CA_CERTS=str(server.ca_cert)))
    assert outcome["ok"], outcome
    assert outcome["result"]["Regions"]["Region"][0]["RegionId"] == "cn-hangzhou"
    refused = popcore(server, bare_environment())
    assert not refused["ok"] and refused["code"] == "UNABLE_TO_VERIFY_LEAF_SIGNATURE"


# --- ecsemu ca, ecsemu env ------------------------------------------------------------------------

def ecsemu(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecsemu", *args], capture_output=True, text=True, timeout=60,
                          **kwargs)


def test_ecsemu_ca_prints_the_kept_ca(tmp_path):
    first = ecsemu("ca", "--data-dir", str(tmp_path / "data"))
    assert first.returncode == 0, first.stderr
    path = Path(first.stdout.strip())
    assert path == tmp_path / "data" / "tls" / "ca.pem"
    made = path.read_bytes()
    assert x509.load_pem_x509_certificate(made).extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not (path.parent / "server.pem").exists()  # the server makes its own, for its --host
    assert ecsemu("ca", "--data-dir", str(tmp_path / "data")).stdout.strip() == str(path)
    assert path.read_bytes() == made
    bundle = ecsemu("ca", "--data-dir", str(tmp_path / "data"), "--bundle").stdout.strip()
    assert Path(bundle).read_bytes().endswith(made)


# A footmark-style call: a client built from the region alone, no endpoint (footmark has no
# setting for one); then the tea SDK over HTTPS, endpoint and keys from the environment.
SOURCED = """
import os
from aliyunsdkcore.client import AcsClient
from aliyunsdkecs.request.v20140526.DescribeRegionsRequest import DescribeRegionsRequest
from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_ecs20140526.client import Client
from alibabacloud_ecs20140526.models import DescribeRegionsRequest as Regions
from alibabacloud_tea_openapi.models import Config

footmark_like = AcsClient(os.environ["ALICLOUD_ACCESS_KEY"], os.environ["ALICLOUD_SECRET_KEY"],
                          os.environ["ALICLOUD_REGION"])
print(footmark_like.do_action_with_exception(DescribeRegionsRequest()).decode())
tea = Client(Config(credential=CredentialClient(), region_id=os.environ["ALIBABA_CLOUD_REGION"],
                    endpoint=os.environ["ALIBABA_CLOUD_ENDPOINT_ECS"]))
print(tea.describe_regions(Regions()).body.to_map())
"""


def test_ecsemu_env_works_when_sourced(server, tmp_path):
    script = tmp_path / "clients.py"
    script.write_text(SOURCED)
    command = (f'eval "$("{sys.executable}" -m ecsemu env --port {server.port} --ca-dir {server.config.ca_dir})" '
               f'&& "{sys.executable}" {script} '
               f'&& curl --fail --silent "https://$ALIBABA_CLOUD_ENDPOINT_ECS/_ecsemu/health"')
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120,
                          env=bare_environment())
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert json.loads(lines[0])["Regions"]["Region"]            # footmark's way, through HTTP_PROXY
    assert "'RegionId': 'cn-hangzhou'" in lines[1]              # tea, HTTPS
    assert json.loads(lines[2])["Transitions"] == "realistic"   # curl, HTTPS


def test_ecsemu_env_names_what_each_tool_reads(tmp_path):
    done = ecsemu("env", "--port", "9999", "--ca-dir", str(tmp_path), "--region", "cn-beijing")
    assert done.returncode == 0, done.stderr
    exported = dict(line.removeprefix("export ").split("  #")[0].split("=", 1)
                    for line in done.stdout.splitlines() if line.startswith("export "))
    assert exported["ALIBABA_CLOUD_ENDPOINT_ECS"] == exported["ALIBABA_CLOUD_ENDPOINT_VPC"] == "127.0.0.1:9999"
    assert exported["ALIBABA_CLOUD_REGION"] == exported["ALICLOUD_REGION"] == "cn-beijing"
    assert exported["ALIBABA_CLOUD_ACCOUNT_TYPE"] == "Domestic"
    assert exported["NODE_EXTRA_CA_CERTS"] == str(tmp_path / "ca.pem")
    for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "ALIBABA_CLOUD_CA_BUNDLE", "CURL_CA_BUNDLE"):
        assert exported[name] == str(tmp_path / "bundle.pem")
    assert exported["HTTP_PROXY"] == "http://127.0.0.1:9999"
    assert ecsemu("env", "--region", "xx-nowhere-1", "--ca-dir", str(tmp_path)).returncode == 2
    for host, endpoint in [("0.0.0.0", "127.0.0.1:9999"), ("::", "[::1]:9999"), ("::1", "[::1]:9999"),
                           ("ecs.local", "ecs.local:9999")]:
        printed = ecsemu("env", "--host", host, "--port", "9999", "--ca-dir", str(tmp_path)).stdout
        assert f"export ALIBABA_CLOUD_ENDPOINT_ECS={shlex.quote(endpoint)}  #" in printed


def test_every_worker_answers_https_with_the_one_certificate(tmp_path):
    from tests.processes import serve
    with serve(tmp_path, "--data-dir", str(tmp_path / "data"), "--workers", "2") as running:
        context = ssl.create_default_context(cafile=str(tmp_path / "data" / "tls" / "ca.pem"))
        # Enough new connections that the kernel hands some to each worker.
        certificates = set()
        for _ in range(12):
            secure = http.client.HTTPSConnection("127.0.0.1", running.port, timeout=10, context=context)
            assert regions(secure)
            certificates.add(secure.sock.getpeercert(binary_form=True))
            secure.close()
        assert len(certificates) == 1
        assert regions(http.client.HTTPConnection("127.0.0.1", running.port, timeout=10))
