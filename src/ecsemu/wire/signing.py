"""The two request-signing schemes of Alibaba Cloud's RPC APIs, as pure functions.

v1 (HMAC-SHA1 over the sorted, percent-encoded parameters) and V3 (ACS3-HMAC-SHA256 over
a canonical request). The server verifies with these; the benchmark and tests sign with
them. Worked values from the public docs are unit tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import quote

V3_ALGORITHM = "ACS3-HMAC-SHA256"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as both schemes use it: unreserved characters stay, the rest is
    %XY in upper case (space is %20, '*' is %2A, '~' stays)."""
    return quote(value, safe="-_.~")


def canonical_query(params: Iterable[tuple[str, str]]) -> str:
    """Sorted by name (byte order), ``name=value`` percent-encoded, joined with '&'."""
    encoded = sorted((percent_encode(k), percent_encode(v)) for k, v in params)
    return "&".join(f"{k}={v}" for k, v in encoded)


# --- v1 ---------------------------------------------------------------------------------

def v1_string_to_sign(method: str, params: Mapping[str, str]) -> str:
    """Every parameter but Signature, empty ones included."""
    query = canonical_query((k, v) for k, v in params.items() if k != "Signature")
    return f"{method.upper()}&%2F&{percent_encode(query)}"


def v1_signature(secret: str, string_to_sign: str) -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


# --- V3 ---------------------------------------------------------------------------------

def v3_canonical_request(
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    signed_headers: list[str],
    payload_sha256: str,
) -> str:
    """``headers`` maps lower-case names to values (repeated headers already joined by ',')."""
    canonical_headers = "".join(
        f"{name}:{headers.get(name, '').strip()}\n" for name in signed_headers)
    return "\n".join([
        method.upper(),
        path or "/",
        canonical_query(query),
        canonical_headers,
        ";".join(signed_headers),
        payload_sha256,
    ])


def v3_string_to_sign(canonical_request: str) -> str:
    return f"{V3_ALGORITHM}\n{hashlib.sha256(canonical_request.encode()).hexdigest()}"


def v3_signature(secret: str, string_to_sign: str) -> str:
    return hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()
