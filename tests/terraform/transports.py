"""The three ways the Terraform provider puts an ECS call on the wire (terraform-calls.md
§1.2), built by hand so that every byte is the provider's, not a Python SDK's:

- R, tea-rpc ``RpcPost``: Action/Version/Format=json and the v1 signature in the query,
  the business parameters form-encoded in a POST body; lists flattened to ``Key.N``,
  booleans ``true``/``false``, empty strings sent, nothing added (no RegionId); with
  autoRetry, up to 3 resends at once on a 5xx, a network error or a 2xx that is not JSON;
  a 2xx with an error-looking ``Code`` or ``Success`` other than true is still an error
  (``formatError``).
- L, the legacy Go SDK's typed requests: everything in a GET query, ``RegionId`` added
  when the request has none, empty strings dropped, ``SignatureType=`` signed.
- C, ``CommonRequest`` through the legacy SDK: as L, but over HTTPS whatever the
  provider's ``protocol`` says, to the same host:port; its ``QueryParams`` map is sent as
  it is, so an empty string is sent too (``Description=``).

Each call returns the decoded JSON body, or raises ``ApiError`` carrying what the
provider's error classification (``reading.py``) looks at.
"""

from __future__ import annotations

import http.client
import json
import ssl
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ecsemu.accounts import DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET
from ecsemu.wire import signing

VERSION = "2014-05-26"          # ECS; the VPC product's calls go to its own endpoint as 2016-04-28
VPC_VERSION = "2016-04-28"
# tea-rpc's AllowRetry: maxAttempts 3 more after the first.
R_RESENDS = 3
# getSdkConfig: WithMaxRetryTime(5).
L_RETRIES = 5


@dataclass
class ApiError(Exception):
    """A failed call as the provider sees it: tea.SDKError (R) or a legacy ServerError (L, C)."""

    via: str
    action: str
    status: int
    code: str
    message: str
    body: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.action} ({self.via}): HTTP {self.status} {self.code}: {self.message}"


@dataclass
class Sent:
    """One request as it left, for the tests that look at the traffic."""

    via: str
    action: str
    method: str
    scheme: str
    params: dict[str, str]
    status: int


@dataclass
class Wire:
    """Where the provider sends to (its ``endpoints { ecs = host:port }``) and what it sent."""

    host: str
    port: int
    region: str
    key_id: str = DEVELOPMENT_KEY_ID
    secret: str = DEVELOPMENT_KEY_SECRET
    tls: ssl.SSLContext | None = None  # trusted for C's HTTPS
    sent: list[Sent] = field(default_factory=list)
    version: str = VERSION             # the product addressed: ECS, or VPC (``endpoints { vpc = … }``)

    def __call__(self, via: str, action: str, params: Mapping[str, Any], *,
                 query: Mapping[str, Any] | None = None, auto_retry: bool = True) -> dict[str, Any]:
        if via == "R":
            return self.rpc_post(action, params, query=query or {}, auto_retry=auto_retry)
        if via == "L":
            return self.legacy(action, params)
        if via == "C":
            return self.common_request(action, params)
        raise ValueError(f"unknown transport {via!r}")

    # --- R ---------------------------------------------------------------------------------

    def rpc_post(self, action: str, body: Mapping[str, Any], *, query: Mapping[str, Any],
                 auto_retry: bool) -> dict[str, Any]:
        form = flatten(body, keep_empty=True)
        attempts = 1 + (R_RESENDS if auto_retry else 0)
        for attempt in range(attempts):
            signed = {**self._v1_common(action, fmt="json"), **flatten(query, keep_empty=True)}
            signed["Signature"] = _sign(self.secret, "POST", {**signed, **form})
            try:
                status, raw = self._send("R", action, "POST", "http", signed, form)
                reply = json.loads(raw)
            except (OSError, ValueError):  # tea.Retryable: any non-HTTP error, a non-JSON body
                if attempt + 1 < attempts:
                    continue
                raise
            if status >= 500 and attempt + 1 < attempts:
                continue
            if status >= 400:
                raise ApiError("R", action, status, str(reply.get("Code", "")),
                               f"code: {status}, {reply.get('Message', '')} request id: {reply.get('RequestId', '')}",
                               reply)
            _format_error(action, status, reply)
            return reply
        raise AssertionError("unreachable")

    # --- L and C ---------------------------------------------------------------------------

    def legacy(self, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
        return self._query_call("L", "http", action, params, keep_empty=False)

    def common_request(self, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
        return self._query_call("C", "https", action, params, keep_empty=True)

    def _query_call(self, via: str, scheme: str, action: str, params: Mapping[str, Any], *,
                    keep_empty: bool) -> dict[str, Any]:
        business = flatten(params, keep_empty=keep_empty)
        business.setdefault("RegionId", self.region)  # completeRpcSignParams
        for attempt in range(1 + L_RETRIES):
            signed = {**self._v1_common(action, fmt="JSON"), "SignatureType": "", **business}
            signed["Signature"] = _sign(self.secret, "GET", signed)
            status, raw = self._send(via, action, "GET", scheme, signed, {})
            if status >= 500 and attempt < L_RETRIES:
                continue
            reply = json.loads(raw)
            if status >= 400:
                raise ApiError(via, action, status, str(reply.get("Code", "")), str(reply.get("Message", "")), reply)
            return reply
        raise AssertionError("unreachable")

    # --- shared ----------------------------------------------------------------------------

    def _v1_common(self, action: str, *, fmt: str) -> dict[str, str]:
        return {
            "Action": action, "Format": fmt, "Version": self.version,
            "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "SignatureNonce": uuid.uuid4().hex, "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
            "AccessKeyId": self.key_id,
        }

    def _send(self, via: str, action: str, method: str, scheme: str, query: dict[str, str],
              form: dict[str, str]) -> tuple[int, bytes]:
        conn: http.client.HTTPConnection
        if scheme == "https":
            conn = http.client.HTTPSConnection(self.host, self.port, timeout=30,
                                               context=self.tls or ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        body = _encode(form).encode() if method == "POST" else None
        headers = {"x-acs-action": action, "x-acs-version": self.version, "User-Agent": "terraform-replay"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, "/?" + _encode(query), body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        self.sent.append(Sent(via, action, method, scheme, {**query, **form}, response.status))
        return response.status, raw


def flatten(params: Mapping[str, Any], *, keep_empty: bool) -> dict[str, str]:
    """tea-rpc-utils ``Query()``: lists become ``Key.N`` (1-based), maps ``Key.Field``,
    recursively; booleans ``true``/``false``; None dropped; empty strings kept when the
    transport sends them (R, C) and dropped when it does not (L)."""
    flat: dict[str, str] = {}

    def put(prefix: str, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, Mapping):
            for key, item in value.items():
                put(f"{prefix}.{key}" if prefix else key, item)
        elif isinstance(value, (list, tuple)):
            for n, item in enumerate(value, start=1):
                put(f"{prefix}.{n}", item)
        elif isinstance(value, bool):
            flat[prefix] = "true" if value else "false"
        elif value != "" or keep_empty:
            flat[prefix] = str(value)

    put("", params)
    return flat


def json_list(*items: str) -> str:
    """``convertListToJsonString``: a JSON array written without spaces."""
    return json.dumps(list(items), separators=(",", ":"))


def _format_error(action: str, status: int, reply: dict[str, Any]) -> None:
    """connectivity/client.go ``formatError``: a 2xx reply that still reads as an error."""
    code = reply.get("Code", reply.get("code"))
    message = reply.get("Message", reply.get("message"))
    if code is not None and str(code) not in ("success", "ok", "200", "0") and message:
        raise ApiError("R", action, status, str(code), str(message), reply)
    if "Success" in reply and reply["Success"] is not True:
        raise ApiError("R", action, status, "", f"Success is {reply['Success']!r}", reply)


def _sign(secret: str, method: str, params: Mapping[str, str]) -> str:
    return signing.v1_signature(secret, signing.v1_string_to_sign(method, params))


def _encode(params: Mapping[str, str]) -> str:
    return "&".join(f"{signing.percent_encode(k)}={signing.percent_encode(v)}" for k, v in params.items())
