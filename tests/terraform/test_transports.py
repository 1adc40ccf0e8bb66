"""What each transport puts on the wire (terraform-calls.md §1.2), seen by a stub server
that records requests and answers as told."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from ecsemu.accounts import DEVELOPMENT_KEY_SECRET
from ecsemu.config import Config
from ecsemu.testing import EmulatorServer
from ecsemu.wire import signing

from .transports import ApiError, Wire


class Stub(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[tuple[str, dict[str, str], dict[str, str]]] = []  # method, query, form
        self.answers: list[tuple[int, bytes]] = []


class _Handler(BaseHTTPRequestHandler):
    server: Stub

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        self.server.seen.append((self.command, query, form))
        status, body = self.server.answers.pop(0) if self.server.answers else (200, b'{"RequestId":"r"}')
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def wire_to(stub: Stub) -> Wire:
    return Wire("127.0.0.1", stub.server_address[1], "cn-hangzhou")


def test_r_signs_the_query_and_the_form_together_and_adds_nothing(stub):
    wire_to(stub)("R", "DeleteDisk", {"DiskId": "d-1", "Description": ""})
    method, query, form = stub.seen[0]
    assert method == "POST" and form == {"DiskId": "d-1", "Description": ""}
    assert query["Action"] == "DeleteDisk" and query["Format"] == "json" and "RegionId" not in {**query, **form}
    everything = {**query, **form}
    expected = signing.v1_signature(DEVELOPMENT_KEY_SECRET, signing.v1_string_to_sign("POST", everything))
    assert query["Signature"] == expected


def test_r_resends_a_5xx_three_times_then_fails(stub):
    stub.answers = [(500, b'{"Code":"InternalError","Message":"x"}')] * 4
    with pytest.raises(ApiError) as failed:
        wire_to(stub)("R", "DescribeDisks", {"RegionId": "cn-hangzhou"})
    assert len(stub.seen) == 4 and failed.value.message.startswith("code: 500, x")
    stub.seen.clear()
    stub.answers = [(503, b"{}")] * 4
    with pytest.raises(ApiError):
        wire_to(stub)("R", "AttachDisk", {"DiskId": "d-1"}, auto_retry=False)
    assert len(stub.seen) == 1


def test_r_takes_an_error_looking_success_as_an_error(stub):
    stub.answers = [(200, json.dumps({"Code": "Forbidden", "Message": "no"}).encode()),
                    (200, b'{"Success": false}'), (200, b'{"Code": "200", "Message": "fine"}')]
    for _ in range(2):
        with pytest.raises(ApiError):
            wire_to(stub)("R", "DescribeDisks", {})
    assert wire_to(stub)("R", "DescribeDisks", {}) == {"Code": "200", "Message": "fine"}


def test_l_is_a_get_with_region_and_without_empty_values(stub):
    wire_to(stub)("L", "DescribeImages", {"ImageOwnerAlias": "", "Status": "Available", "Tag": [{"Key": "k"}]})
    method, query, form = stub.seen[0]
    assert method == "GET" and form == {}
    assert query["RegionId"] == "cn-hangzhou" and "ImageOwnerAlias" not in query and query["Tag.1.Key"] == "k"
    assert query["SignatureType"] == "" and query["Format"] == "JSON"


def test_c_is_an_https_get_whatever_the_protocol(tmp_path):
    """CommonRequest against the emulator's port, which answers HTTPS beside HTTP."""
    config = Config(data_dir=tmp_path, transitions="instant")
    with EmulatorServer(config) as server:
        trusted = ssl.create_default_context(cafile=str(server.ca_cert))
        wire = Wire("127.0.0.1", server.port, "cn-hangzhou", tls=trusted)
        group_id = wire("C", "CreateSecurityGroup", {"SecurityGroupName": "tf-c"})["SecurityGroupId"]
        found = wire("C", "DescribeSecurityGroups", {"SecurityGroupId": group_id, "VpcId": ""})
    assert [g["SecurityGroupId"] for g in found["SecurityGroups"]["SecurityGroup"]] == [group_id]
    assert {(sent.method, sent.scheme) for sent in wire.sent} == {("GET", "https")}
    assert all(sent.params["RegionId"] == "cn-hangzhou" for sent in wire.sent)
    assert wire.sent[-1].params["VpcId"] == "", "CommonRequest sends its QueryParams as they are, empty ones too"


def test_the_replays_wire_sends_c_over_https_to_the_emulators_own_port(wire, emulator):
    """The ``wire`` fixture every replay uses: L over HTTP and C over HTTPS, one port,
    the emulator's local CA trusted."""
    wire("L", "DescribeRegions", {})
    wire("C", "DescribeRegions", {})
    assert [(sent.via, sent.scheme, sent.status) for sent in wire.sent] == [("L", "http", 200), ("C", "https", 200)]
    assert wire.port == emulator.port
