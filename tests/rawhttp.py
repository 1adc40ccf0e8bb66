"""Signed requests built by hand, sent byte for byte: for tests of the wire protocol."""

from __future__ import annotations

import hashlib
import http.client
import json
import time
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qsl

from ecsemu.accounts import DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET
from ecsemu.wire import signing


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


def utc_now(offset: float = 0) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + offset))


def v1_params(action: str, *, key_id: str = DEVELOPMENT_KEY_ID, secret: str = DEVELOPMENT_KEY_SECRET,
              method: str = "GET", fmt: str | None = "JSON", sign: bool = True, **extra: str) -> dict[str, str]:
    """A complete v1 parameter set, signed; ``extra`` adds or (with None) removes parameters."""
    params = {
        "Action": action, "Version": "2014-05-26", "AccessKeyId": key_id,
        "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
        "SignatureNonce": uuid.uuid4().hex, "Timestamp": utc_now(),
    }
    if fmt is not None:
        params["Format"] = fmt
    for name, value in extra.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    if sign:
        params["Signature"] = signing.v1_signature(secret, signing.v1_string_to_sign(method, params))
    return params


def encode(params: dict[str, str]) -> str:
    return "&".join(f"{signing.percent_encode(k)}={signing.percent_encode(v)}" for k, v in params.items())


def send(port: int, method: str, target: str, headers: dict[str, str] | None = None,
         body: bytes = b"") -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        sent = {"Host": f"127.0.0.1:{port}", **(headers or {})}
        if body or method == "POST":
            sent.setdefault("Content-Length", str(len(body)))
        for name, value in sent.items():
            conn.putheader(name, value)
        conn.endheaders(body or None)
        response = conn.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        conn.close()


def get(port: int, params: dict[str, str]) -> Reply:
    return send(port, "GET", "/?" + encode(params))


def v3_headers(action: str, port: int, query: str = "", *, key_id: str = DEVELOPMENT_KEY_ID,
               secret: str = DEVELOPMENT_KEY_SECRET, method: str = "POST", body: bytes = b"",
               date: str | None = None, nonce: str | None = None, extra: dict | None = None) -> dict[str, str]:
    """Headers of a V3 (ACS3-HMAC-SHA256) request, signing every header sent, as the Python
    tea client does."""
    headers = {
        "host": f"127.0.0.1:{port}",
        "x-acs-action": action,
        "x-acs-version": "2014-05-26",
        "x-acs-date": date or utc_now(),
        "x-acs-signature-nonce": nonce or uuid.uuid4().hex,
        "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
        "accept": "application/json",
        **(extra or {}),
    }
    signed = sorted(headers)
    canonical = signing.v3_canonical_request(method, "/", parse_qsl(query, keep_blank_values=True),
                                             headers, signed, hashlib.sha256(body).hexdigest())
    signature = signing.v3_signature(secret, signing.v3_string_to_sign(canonical))
    headers["Authorization"] = (f"ACS3-HMAC-SHA256 Credential={key_id},"
                                f"SignedHeaders={';'.join(signed)},Signature={signature}")
    del headers["host"]  # sent by rawhttp.send
    return headers

