"""What may be logged of a request: everything but secrets."""

from __future__ import annotations

from collections.abc import Mapping

from .limits import LOG_FIELD_CHARS

# Request parameters and headers whose values never reach a log.
SECRET_NAMES = frozenset({
    "password", "signature", "accesskeysecret", "securitytoken", "authorization",
    "x-acs-security-token", "privatekeybody",
})
REDACTED = "***"


def redacted(values: Mapping[str, str]) -> dict[str, str]:
    """Secrets hidden, every name and value clipped."""
    return {clipped(k): REDACTED if k.lower() in SECRET_NAMES else clipped(v) for k, v in values.items()}


def clipped(text: str) -> str:
    """At most LOG_FIELD_CHARS characters, saying how many were cut."""
    if len(text) <= LOG_FIELD_CHARS:
        return text
    return f"{text[:LOG_FIELD_CHARS]}...[{len(text) - LOG_FIELD_CHARS} more characters cut]"
