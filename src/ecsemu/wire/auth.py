"""Who sent this request, and may they? Signature v1 and V3, timestamp window, nonce reuse.

The order of checks follows the gateway: the common parameters must be present and well
formed, the key must be known (strict mode) and the signature must match; only a request
whose signature matched claims its nonce, so a forged request cannot burn a nonce. A V3
signature must cover what makes the request: ``host``, ``content-type`` and every
``x-acs-*`` header sent, with ``x-acs-content-sha256`` the body's hash.

A nonce is remembered until its request's timestamp leaves the window (the timestamp plus
the allowed skew), not merely for a window from now: a timestamp sent from the future
stays acceptable for longer.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from .. import errors
from ..accounts import KeyRing, Principal
from ..clock import Clock
from . import signing
from .request import RpcRequest

log = logging.getLogger("ecsemu.auth")

# Both schemes send UTC ``YYYY-MM-DDThh:mm:ssZ``; some clients add fractions of a second.
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
_V3_AUTHORIZATION = re.compile(
    r"ACS3-HMAC-SHA256\s+Credential=(?P<key>[^,\s]+)\s*,\s*"
    r"SignedHeaders=(?P<headers>[^,\s]+)\s*,\s*Signature=(?P<signature>[0-9a-fA-F]+)\s*")
# Headers a V3 signature must cover whenever the request carries them.
_V3_MUST_SIGN_PREFIX = "x-acs-"
_V3_MUST_SIGN = ("host", "content-type")


class Nonces(Protocol):
    def claim(self, account_id: str, nonce: str, expires_at: float) -> bool:
        """True when fresh (and now taken until ``expires_at``), False on reuse."""


class Authenticator:
    def __init__(self, keys: KeyRing, nonces: Nonces, clock: Clock, *,
                 strict: bool, max_skew: float) -> None:
        self._keys = keys
        self._nonces = nonces
        self._clock = clock
        self._strict = strict
        self._max_skew = max_skew

    def authenticate(self, request: RpcRequest) -> Principal:
        if request.is_v3:
            return self._authenticate_v3(request)
        return self._authenticate_v1(request)

    # --- v1: everything in the parameters ---------------------------------------------

    def _authenticate_v1(self, request: RpcRequest) -> Principal:
        params = request.params
        key_id = _required(params, "AccessKeyId")
        signature = _required(params, "Signature")
        if params.get("SignatureMethod", "HMAC-SHA1") != "HMAC-SHA1":
            raise errors.INVALID_SIGNATURE_METHOD()
        if params.get("SignatureVersion", "1.0") != "1.0":
            raise errors.INVALID_SIGNATURE_VERSION()
        sent = self._check_time(params.get("Timestamp"))
        nonce = _required(params, "SignatureNonce")

        def sign(secret: str) -> tuple[str, str]:
            string_to_sign = signing.v1_string_to_sign(request.method, params)
            return string_to_sign, signing.v1_signature(secret, string_to_sign)

        return self._verify(key_id, signature, sign, nonce, sent)

    # --- V3: the Authorization header over a canonical request ------------------------

    def _authenticate_v3(self, request: RpcRequest) -> Principal:
        match = _V3_AUTHORIZATION.fullmatch(request.headers["authorization"])
        if match is None:
            raise errors.INCOMPLETE_SIGNATURE()
        key_id = match["key"]
        signed_headers = match["headers"].lower().split(";")
        signed = set(signed_headers)
        if any(name not in signed for name in request.headers
               if name.startswith(_V3_MUST_SIGN_PREFIX) or name in _V3_MUST_SIGN):
            raise errors.INCOMPLETE_SIGNATURE()
        sent = self._check_time(request.headers.get("x-acs-date"))
        nonce = request.headers.get("x-acs-signature-nonce")
        if not nonce:
            raise errors.MISSING_PARAMETER(name="x-acs-signature-nonce")
        payload_sha256 = hashlib.sha256(request.body).hexdigest()
        canonical = signing.v3_canonical_request(
            request.method, request.path, request.query, request.headers, signed_headers, payload_sha256)
        string_to_sign = signing.v3_string_to_sign(canonical)
        if request.headers.get("x-acs-content-sha256", payload_sha256).lower() != payload_sha256:
            # The body is not the one that was signed, whoever signed it.
            raise errors.SIGNATURE_DOES_NOT_MATCH(string_to_sign=string_to_sign)

        def sign(secret: str) -> tuple[str, str]:
            return string_to_sign, signing.v3_signature(secret, string_to_sign)

        return self._verify(key_id, match["signature"].lower(), sign, nonce, sent)

    # --- shared steps -------------------------------------------------------------------

    def _verify(self, key_id: str, signature: str,
                sign: Callable[[str], tuple[str, str]], nonce: str, sent: float) -> Principal:
        """``sign(secret)`` gives the server's string-to-sign and the signature it expects;
        ``sent`` is the request's timestamp."""
        key = self._keys.get(key_id)
        if key is None:
            if self._strict:
                raise errors.ACCESS_KEY_NOT_FOUND()
            # Loose mode: an undeclared key acts as an account of its own, unchecked.
            log.info("unknown AccessKeyId %s accepted without signature check (loose mode)", key_id)
            principal = Principal(key_id, KeyRing.account_for_unknown(key_id), verified=False)
        else:
            string_to_sign, want = sign(key.secret)
            # As bytes: compare_digest refuses str with non-ASCII characters (a forged '²').
            if not hmac.compare_digest(want.encode(), signature.encode("utf-8", "surrogatepass")):
                raise errors.SIGNATURE_DOES_NOT_MATCH(string_to_sign=string_to_sign)
            principal = Principal(key_id, key.account_id, verified=True)
        if not self._nonces.claim(principal.account_id, nonce, sent + self._max_skew):
            raise errors.SIGNATURE_NONCE_USED()
        return principal

    def _check_time(self, value: str | None) -> float:
        """The request's timestamp, in seconds, once checked."""
        if not value:
            raise errors.TIMESTAMP_MISSING()
        if _TIMESTAMP.fullmatch(value) is None:
            raise errors.TIMESTAMP_FORMAT()
        try:
            sent = datetime.fromisoformat(value).timestamp()
        except ValueError:  # e.g. month 13
            raise errors.TIMESTAMP_FORMAT() from None
        if abs(self._clock.now() - sent) > self._max_skew:
            raise errors.TIMESTAMP_EXPIRED()
        return sent


def _required(params: dict[str, str], name: str) -> str:
    value = params.get(name)
    if not value:
        raise errors.MISSING_PARAMETER(name=name)
    return value
