"""What may be logged of a request: everything but secrets."""

from __future__ import annotations

from collections.abc import Mapping

# Request parameters and headers whose values never reach a log.
SECRET_NAMES = frozenset({
    "password", "signature", "accesskeysecret", "securitytoken", "authorization",
    "x-acs-security-token", "privatekeybody",
})
REDACTED = "***"


def redacted(values: Mapping[str, str]) -> dict[str, str]:
    return {k: REDACTED if k.lower() in SECRET_NAMES else v for k, v in values.items()}
