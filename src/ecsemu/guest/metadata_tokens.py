"""Metadata tokens (hardened mode), verifiable without a table: a token carries its expiry
and a nonce, and an HMAC over them and the instance's ID under a key kept with the state
(store/instance_metadata.py). So a token is good for its own instance only, until its
expiry by the emulator's clock, in every process and after a restart."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

TTL_HEADER = "x-aliyun-ecs-metadata-token-ttl-seconds"
TOKEN_HEADER = "x-aliyun-ecs-metadata-token"
MIN_TTL, MAX_TTL = 1, 21600       # seconds, as ECS takes them
MAX_TOKEN = 256                   # characters of a token header looked at: ours are ~60


def _mac(key: bytes, instance_id: str, claims: str) -> bytes:
    return hmac.new(key, f"{instance_id}|{claims}".encode(), hashlib.sha256).digest()[:20]


def issue(key: bytes, instance_id: str, now: float, ttl: int) -> str:
    """A token of ``instance_id`` good for ``ttl`` seconds from ``now``."""
    claims = f"{int((now + ttl) * 1000)}.{secrets.token_hex(8)}"
    return base64.urlsafe_b64encode(claims.encode() + b"." + _mac(key, instance_id, claims)).decode()


def valid(key: bytes, token: str, instance_id: str, now: float) -> bool:
    """Whether ``token`` was issued for ``instance_id`` with this key and is not expired."""
    if len(token) > MAX_TOKEN:
        return False
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
        expires, nonce, mac = raw.split(b".", 2)
        claims = f"{int(expires)}.{nonce.decode('ascii')}"
    except (ValueError, binascii.Error, UnicodeError):
        return False
    return hmac.compare_digest(mac, _mac(key, instance_id, claims)) and now * 1000 < int(expires)


def ttl_of(text: str | None) -> int | None:
    """The TTL a token request asks for, None when absent or not a whole number in range."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return None
    ttl = int(text)
    return ttl if MIN_TTL <= ttl <= MAX_TTL else None
