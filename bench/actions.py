"""Request builders for bench/load.py: one function per benchmarked action.

A builder takes a request count and the ``host:port`` to address, and returns that many
raw HTTP/1.1 requests (bytes), each signed as an SDK would sign it. They are all made
before the timed phase, because signing is the client's cost, not the server's, and each
carries a fresh SignatureNonce, because the server refuses a reused one.

To benchmark another action, add a builder here and an entry in BUILDERS.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timezone

from ecsemu.wire import signing

ACCESS_KEY_ID = "testid"       # the emulator's built-in development key
ACCESS_KEY_SECRET = "testsecret"
API_VERSION = "2014-05-26"
# Unreserved characters only, so percent-encoding leaves it alone, as it does a hex nonce.
NONCE_SLOT = "NONCExSLOTxNONCExSLOTxNONCExSLOT"


def v1_get_requests(params: dict[str, str], count: int, host: str) -> list[bytes]:
    """``count`` v1-signed ``GET /?...`` requests for ``params`` (Action, Version, ...),
    each with a new nonce. The timestamp is the same for all: the run lasts seconds,
    the server allows 15 minutes of skew.

    Only the nonce differs between requests, so the string-to-sign and the query are
    built once by ``ecsemu.wire.signing`` around a placeholder and the nonce is dropped
    in; the first request is checked against a from-scratch signature.
    """
    common = {
        "Format": "JSON",
        "AccessKeyId": ACCESS_KEY_ID,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": NONCE_SLOT,
        "Timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    template = {**params, **common}
    string_to_sign = signing.v1_string_to_sign("GET", template)
    query = "&".join(f"{signing.percent_encode(k)}={signing.percent_encode(v)}"
                     for k, v in template.items())
    head = f"GET /?{query}&Signature="
    tail = f" HTTP/1.1\r\nHost: {host}\r\nUser-Agent: ecsemu-bench\r\n\r\n"

    requests = []
    for _ in range(count):
        nonce = os.urandom(16).hex()
        signature = signing.v1_signature(ACCESS_KEY_SECRET, string_to_sign.replace(NONCE_SLOT, nonce))
        requests.append(
            (head.replace(NONCE_SLOT, nonce) + signing.percent_encode(signature) + tail).encode())

    if requests:  # the shortcut must give what signing from scratch gives
        first = dict(template, SignatureNonce=requests[0].split(b"SignatureNonce=")[1][:32].decode())
        want = signing.v1_signature(ACCESS_KEY_SECRET, signing.v1_string_to_sign("GET", first))
        assert f"&Signature={signing.percent_encode(want)} ".encode() in requests[0], "signing shortcut broke"
    return requests


def describe_regions(count: int, host: str) -> list[bytes]:
    return v1_get_requests(
        {"Action": "DescribeRegions", "Version": API_VERSION, "RegionId": "cn-hangzhou"}, count, host)


BUILDERS: dict[str, Callable[[int, str], list[bytes]]] = {
    "DescribeRegions": describe_regions,
}
