"""Instance passwords: the complexity rules (spec C5) and how they are kept (a salted,
slow hash; the clear text is never stored, echoed or logged)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import string

SPECIALS = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/\""
_ALLOWED = set(string.ascii_letters + string.digits + SPECIALS)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def is_valid(password: str, *, windows: bool) -> bool:
    """8-30 characters from letters, digits and the specials, at least three of the four
    classes; a Windows password must not start with '/'."""
    if not 8 <= len(password) <= 30 or not set(password) <= _ALLOWED:
        return False
    if windows and password.startswith("/"):
        return False
    classes = (
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(c in SPECIALS for c in password),
    )
    return sum(classes) >= 3


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_password(password: str, stored: str) -> bool:
    _scheme, salt, digest = stored.split("$")
    computed = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), **_SCRYPT)
    return hmac.compare_digest(computed, base64.b64decode(digest))
