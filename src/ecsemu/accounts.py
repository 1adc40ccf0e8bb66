"""Access keys and the accounts they belong to."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# The key of Alibaba's own signature example; always accepted, as Azurite's well-known key.
DEVELOPMENT_KEY_ID = "testid"
DEVELOPMENT_KEY_SECRET = "testsecret"
DEVELOPMENT_ACCOUNT_ID = "1234567890123456"


@dataclass(frozen=True)
class AccessKey:
    key_id: str
    secret: str
    account_id: str

    @classmethod
    def parse(cls, spec: str) -> AccessKey:
        """``ID:SECRET:ACCOUNT_ID`` as given on the command line or in ECSEMU_ACCESS_KEYS."""
        parts = spec.split(":")
        if len(parts) != 3 or not all(parts) or not parts[2].isdigit():
            raise ValueError(f"access key must be ID:SECRET:ACCOUNT_ID (numeric account), got {spec!r}")
        return cls(*parts)


DEVELOPMENT_KEY = AccessKey(DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET, DEVELOPMENT_ACCOUNT_ID)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key used and the account it acts for."""

    key_id: str
    account_id: str
    verified: bool  # False when a loose-mode unknown key was let through unchecked


class KeyRing:
    def __init__(self, keys: list[AccessKey]) -> None:
        self._keys = {DEVELOPMENT_KEY.key_id: DEVELOPMENT_KEY}
        self._keys.update({k.key_id: k for k in keys})

    def get(self, key_id: str) -> AccessKey | None:
        return self._keys.get(key_id)

    @staticmethod
    def account_for_unknown(key_id: str) -> str:
        """A stable 16-digit account ID of its own for a key nobody declared (loose mode)."""
        digest = hashlib.sha256(key_id.encode()).digest()
        return str(10**15 + int.from_bytes(digest[:8], "big") % (9 * 10**15))
