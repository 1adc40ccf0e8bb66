"""Every request the official clients were captured sending verifies as they signed it.

``data/client_captures.jsonl`` holds 237 real requests of twelve client variants (old and
new Python SDKs, footmark with and without a proxy, Node pop-core GET/POST, Node tea),
signed with AccessKeyId ``testAccessKeyId``. Each is parsed and authenticated exactly as
the server does; the clock is set to the capture's own time, since they are old.
"""

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ecsemu.accounts import AccessKey, KeyRing
from ecsemu.clock import ManualClock
from ecsemu.store import Database
from ecsemu.store.nonces import NonceStore
from ecsemu.wire.auth import Authenticator
from ecsemu.wire.request import build_request

CAPTURES = [json.loads(line) for line in
            (Path(__file__).parent.parent / "data" / "client_captures.jsonl").read_text().splitlines()]
KEY = AccessKey("testAccessKeyId", "testAccessKeySecret", "1111222233334444")


@pytest.fixture(scope="module")
def db():
    database = Database.open()
    yield database
    database.dispose()


def _request(capture):
    target = urlsplit(capture["request_target"])  # origin-form or absolute-form
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in capture["headers"]]
    return build_request(capture["method"], target.path or "/", target.query.encode(), headers,
                         capture["body"].encode())


def _signed_time(request):
    value = request.params.get("Timestamp") or request.headers["x-acs-date"]
    return datetime.fromisoformat(value).timestamp()


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda c: f"{c['seq']}-{c['variant']}-{c['mode']}")
def test_captured_request_authenticates(db, capture):
    request = _request(capture)
    clock = ManualClock(_signed_time(request))
    auth = Authenticator(KeyRing([KEY]), NonceStore(db, clock), clock, strict=True, max_skew=900)
    principal = auth.authenticate(request)
    assert principal.account_id == KEY.account_id and principal.verified
    assert request.action in ("ReInitDisk", "DescribeDisks")


def test_captures_cover_every_client_variant():
    variants = {c["variant"] for c in CAPTURES}
    assert {"py_core", "py_tea", "py_tea_v2sig", "footmark_proxy", "node_popcore_post", "node_tea"} <= variants
    assert len(CAPTURES) == 237


def test_a_tampered_capture_fails(db):
    from ecsemu import errors
    capture = next(c for c in CAPTURES if c["variant"] == "node_tea")
    request = _request(capture)
    request.query.append(("DiskId", "d-other"))
    clock = ManualClock(_signed_time(request))
    auth = Authenticator(KeyRing([KEY]), NonceStore(db, clock), clock, strict=True, max_skew=900)
    with pytest.raises(errors.EcsError) as raised:
        auth.authenticate(request)
    assert raised.value.code == "SignatureDoesNotMatch"
