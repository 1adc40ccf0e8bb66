"""The two request-signing schemes of Alibaba Cloud's RPC APIs, as pure functions.

v1 (HMAC-SHA1 over the sorted, percent-encoded parameters) and V3 (ACS3-HMAC-SHA256 over
a canonical request). The server verifies with these; the benchmark and tests sign with
them. Worked values from the public docs are unit tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping

V3_ALGORITHM = "ACS3-HMAC-SHA256"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
# The ASCII characters that are escaped, '%' first so that no escape is escaped again.
_ASCII_RESERVED = ("%", *(chr(i) for i in range(128) if chr(i) not in _UNRESERVED and chr(i) != "%"))
_ASCII_RESERVED_IN_QUERY = tuple(c for c in _ASCII_RESERVED if c not in "&=")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _utf8_escapes(text: str) -> str:
    return "".join(f"%{byte:02X}" for byte in text.encode("utf-8", "surrogatepass"))


def _encode(text: str, reserved: tuple[str, ...]) -> str:
    # str.replace and `in` run in C; on this hot path they beat a regex or quote().
    for char in reserved:
        if char in text:
            text = text.replace(char, f"%{ord(char):02X}")
    if not text.isascii():
        text = _NON_ASCII_RUN.sub(lambda m: _utf8_escapes(m.group()), text)
    return text


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as both schemes use it: unreserved characters stay, the rest is
    %XY (UTF-8, upper-case hex): space is %20, '*' is %2A, '~' stays."""
    return _encode(value, _ASCII_RESERVED)


def canonical_query(params: Iterable[tuple[str, str]]) -> str:
    """Sorted by name (byte order, as the SDKs sort), ``name=value`` percent-encoded,
    joined with '&'."""
    pairs = sorted(params)
    joined = "&".join([f"{k}={v}" for k, v in pairs])
    if joined.count("=") == len(pairs) and joined.count("&") == max(len(pairs) - 1, 0):
        # No name or value holds '&' or '=': encoding the whole string at once is the same.
        return _encode(joined, _ASCII_RESERVED_IN_QUERY)
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in pairs)


# --- v1 ---------------------------------------------------------------------------------

def v1_string_to_sign(method: str, params: Mapping[str, str]) -> str:
    """Every parameter but Signature, empty ones included."""
    query = canonical_query((k, v) for k, v in params.items() if k != "Signature")
    # The canonical query holds only unreserved characters, %XY escapes, '&' and '=':
    # encoding it again touches just those three.
    encoded = query.replace("%", "%25").replace("&", "%26").replace("=", "%3D")
    return f"{method.upper()}&%2F&{encoded}"


def v1_signature(secret: str, string_to_sign: str) -> str:
    digest = hmac.digest(f"{secret}&".encode(), string_to_sign.encode(), "sha1")
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
    return hmac.digest(secret.encode(), string_to_sign.encode(), "sha256").hex()
