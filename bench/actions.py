"""Request builders for bench/load.py: one function per benchmarked action.

A builder takes a request count and the ``host:port`` to address, and returns that many
raw HTTP/1.1 requests (bytes), each signed as an SDK would sign it. They are all made
before the timed phase, because signing is the client's cost, not the server's, and each
carries a fresh SignatureNonce, because the server refuses a reused one.

To benchmark another action, add a builder here and an entry in BUILDERS.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from ecsemu.wire import signing

ACCESS_KEY_ID = "testid"       # the emulator's built-in development key
ACCESS_KEY_SECRET = "testsecret"
API_VERSION = "2014-05-26"
# Unreserved characters only, so percent-encoding leaves it alone, as it does a hex nonce.
NONCE_SLOT = "NONCExSLOTxNONCExSLOTxNONCExSLOT"
# Where a resource ID goes in a parameter value (see ``ids`` below); unreserved, as IDs are.
ID_SLOT = "IDxSLOTxIDxSLOT"
_UNRESERVED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")


def v1_get_requests(params: dict[str, str], count: int, host: str, *, ids: Sequence[str] = (),
                    seed: int = 0) -> list[bytes]:
    """``count`` v1-signed ``GET /?...`` requests for ``params`` (Action, Version, ...),
    each with a new nonce. The timestamp is the same for all: the run lasts seconds,
    the server allows 15 minutes of skew.

    With ``ids``, each request puts one of them, drawn at random (``seed``), wherever
    ``ID_SLOT`` is in ``params``: e.g. ``DiskIds=["<an existing disk>"]``, a different
    disk from one request to the next.

    Only the nonce (and the ID) differ between requests, so the string-to-sign and the
    query are built once by ``ecsemu.wire.signing`` around placeholders and the values
    are dropped in; the first request is checked against a from-scratch signature.
    """
    common = {
        "Format": "JSON",
        "AccessKeyId": ACCESS_KEY_ID,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": NONCE_SLOT,
        "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    template = {**params, **common}
    string_to_sign = signing.v1_string_to_sign("GET", template)
    query = "&".join(f"{signing.percent_encode(k)}={signing.percent_encode(v)}"
                     for k, v in template.items())
    head = f"GET /?{query}&Signature="
    tail = f" HTTP/1.1\r\nHost: {host}\r\nUser-Agent: ecsemu-bench\r\n\r\n"

    if ids:
        assert any(ID_SLOT in value for value in params.values()), "ids given but no ID_SLOT in params"
        assert all(_UNRESERVED.issuperset(i) for i in ids), "IDs must not need percent-encoding"
    pick = random.Random(seed).choice
    requests = []
    first_id = None
    for _ in range(count):
        nonce = os.urandom(16).hex()
        to_sign, request_head = string_to_sign.replace(NONCE_SLOT, nonce), head.replace(NONCE_SLOT, nonce)
        if ids:
            resource_id = pick(ids)
            first_id = first_id or resource_id
            to_sign, request_head = to_sign.replace(ID_SLOT, resource_id), request_head.replace(ID_SLOT, resource_id)
        signature = signing.v1_signature(ACCESS_KEY_SECRET, to_sign)
        requests.append((request_head + signing.percent_encode(signature) + tail).encode())

    if requests:  # the shortcut must give what signing from scratch gives
        first = dict(template, SignatureNonce=requests[0].split(b"SignatureNonce=")[1][:32].decode())
        if first_id:
            first = {key: value.replace(ID_SLOT, first_id) for key, value in first.items()}
        want = signing.v1_signature(ACCESS_KEY_SECRET, signing.v1_string_to_sign("GET", first))
        assert f"&Signature={signing.percent_encode(want)} ".encode() in requests[0], "signing shortcut broke"
    return requests


def describe_regions(count: int, host: str) -> list[bytes]:
    return v1_get_requests(
        {"Action": "DescribeRegions", "Version": API_VERSION, "RegionId": "cn-hangzhou"}, count, host)


def describe_instances_page(count: int, host: str) -> list[bytes]:
    """The first page of the region's instances, 10 to a page."""
    return v1_get_requests(
        {"Action": "DescribeInstances", "Version": API_VERSION, "RegionId": "cn-hangzhou", "PageSize": "10"},
        count, host)


def describe_disks_page(count: int, host: str) -> list[bytes]:
    """The first page of the region's disks, 10 to a page."""
    return v1_get_requests(
        {"Action": "DescribeDisks", "Version": API_VERSION, "RegionId": "cn-hangzhou", "PageSize": "10"},
        count, host)


ONE_ID = json.dumps([ID_SLOT])   # a JSON array of one ID, as the SDKs send DiskIds/InstanceIds


def describe_disks_by_id(count: int, host: str, ids: Sequence[str], seed: int = 0) -> list[bytes]:
    """``DescribeDisks DiskIds=["<one of ids>"]``, a random one of ``ids`` each request."""
    return v1_get_requests(
        {"Action": "DescribeDisks", "Version": API_VERSION, "RegionId": "cn-hangzhou", "DiskIds": ONE_ID},
        count, host, ids=ids, seed=seed)


def describe_instances_by_id(count: int, host: str, ids: Sequence[str], seed: int = 0) -> list[bytes]:
    """``DescribeInstances InstanceIds=["<one of ids>"]``, a random one of ``ids`` each request."""
    return v1_get_requests(
        {"Action": "DescribeInstances", "Version": API_VERSION, "RegionId": "cn-hangzhou",
         "InstanceIds": ONE_ID},
        count, host, ids=ids, seed=seed)


def create_disk(count: int, host: str) -> list[bytes]:
    """``CreateDisk`` of a 20 GiB ESSD data disk, a new disk each request."""
    return v1_get_requests(
        {"Action": "CreateDisk", "Version": API_VERSION, "RegionId": "cn-hangzhou", "ZoneId": "cn-hangzhou-b",
         "DiskCategory": "cloud_essd", "Size": "20"}, count, host)


# Builders that need nothing but an empty emulator, for bench/load.py --action. Those that
# address existing resources (``*_by_id``) are driven by bench/describe.py, which makes them.
BUILDERS: dict[str, Callable[[int, str], list[bytes]]] = {
    "DescribeRegions": describe_regions,
    "DescribeInstances": describe_instances_page,
    "DescribeDisks": describe_disks_page,
    "CreateDisk": create_disk,
}
