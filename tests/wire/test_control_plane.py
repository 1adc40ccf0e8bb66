"""The control plane: loopback callers only, and well-formed answers to bad input."""

import pytest
from starlette.testclient import TestClient

from ecsemu.app import create_app
from ecsemu.config import Config
from ecsemu.emulator import Emulator


def client_from(address: str, transitions: str = "instant") -> TestClient:
    app = create_app(Emulator(Config(in_memory=True, transitions=transitions)))
    return TestClient(app, client=(address, 50000), base_url="http://127.0.0.1")


def test_remote_callers_are_refused():
    with client_from("10.1.2.3") as client:
        for method, path in (("GET", "/_ecsemu/health"), ("POST", "/_ecsemu/reset"),
                             ("POST", "/_ecsemu/clock/advance")):
            response = client.request(method, path)
            assert response.status_code == 403 and response.json()["Code"] == "Forbidden"


def test_loopback_callers_are_served():
    for address in ("127.0.0.1", "::1"):
        with client_from(address) as client:
            assert client.get("/_ecsemu/health").json()["Status"] == "ok"


@pytest.mark.parametrize("method, path, body, status, code", [
    ("POST", "/_ecsemu/clock/advance", {"seconds": 5}, 409, "NotManual"),
    ("POST", "/_ecsemu/clock/advance", {"seconds": -1}, 400, "InvalidSeconds"),
    ("POST", "/_ecsemu/clock/advance", {"seconds": "5"}, 400, "InvalidSeconds"),
    ("POST", "/_ecsemu/instances/i-bpnothing0000000000/locks", {"LockReason": "security"}, 404,
     "InvalidInstanceId.NotFound"),
    ("POST", "/_ecsemu/instances/i-bpnothing0000000000/locks", {"LockReason": "boredom"}, 400, "InvalidLockReason"),
    ("PATCH", "/_ecsemu/snapshots/s-bpnothing0000000000", {"Hold": True}, 404, "InvalidSnapshotId.NotFound"),
    ("PATCH", "/_ecsemu/snapshots/s-bpnothing0000000000", {}, 400, "NothingToChange"),
    ("PATCH", "/_ecsemu/snapshots/s-bpnothing0000000000", {"CreationTime": "last year"}, 400, "InvalidCreationTime"),
])
def test_bad_control_requests(method, path, body, status, code):
    with client_from("127.0.0.1") as client:
        response = client.request(method, path, json=body)
    assert (response.status_code, response.json()["Code"]) == (status, code)


def test_body_must_be_a_json_object():
    with client_from("127.0.0.1", transitions="manual") as client:
        response = client.post("/_ecsemu/clock/advance", content=b"[1, 2",
                               headers={"Content-Type": "application/json"})
        assert (response.status_code, response.json()["Code"]) == (400, "InvalidBody")
        assert client.post("/_ecsemu/clock/advance", json={"seconds": 1.5}).status_code == 200
