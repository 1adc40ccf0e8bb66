"""SSH key pair rules (spec B25-B30, C5): names, the public key formats ImportKeyPair takes,
fingerprints as the real service shows them, and the key CreateKeyPair makes.

A fingerprint is the MD5 digest of the public key blob in the colon-separated hex form of
RFC 4716 (``89:f0:ba:…``), which is what ``ssh-keygen -l -E md5`` prints after ``MD5:``. A
certificate's fingerprint is its key's, as OpenSSH computes it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

QUOTA_PER_REGION = 500          # key pairs an account may hold in one region
RSA_BITS = 2048                 # the size of the keys CreateKeyPair makes
BOUND_STATUSES = ("Running", "Stopped")  # an instance takes or gives up a key pair only in these

_NAME_PUNCTUATION = frozenset(":_.-")

_ECDSA_CURVES = {"ecdsa-sha2-nistp256": "nistp256", "ecdsa-sha2-nistp384": "nistp384",
                 "ecdsa-sha2-nistp521": "nistp521"}
# The plain key types ImportKeyPair takes, and the fields their blobs hold after the type.
PLAIN_TYPES = ("ssh-rsa", "ssh-dss", *_ECDSA_CURVES, "ssh-ed25519")
_FIELDS = {"ssh-rsa": ("mpint", "mpint"),                        # e, n
           "ssh-dss": ("mpint", "mpint", "mpint", "mpint"),      # p, q, g, y
           **{name: ("string", "string") for name in _ECDSA_CURVES},  # curve, Q
           "ssh-ed25519": ("string",)}                           # the 32-byte key
# OpenSSH certificates (PROTOCOL.certkeys): the type -> (its key's type, format version).
CERTIFICATE_TYPES = {
    "ssh-rsa-cert-v00@openssh.com": ("ssh-rsa", 0),
    "ssh-rsa-cert-v01@openssh.com": ("ssh-rsa", 1),
    "ssh-dss-cert-v00@openssh.com": ("ssh-dss", 0),
    "ssh-dss-cert-v01@openssh.com": ("ssh-dss", 1),
    **{f"{name}-cert-v01@openssh.com": (name, 1) for name in _ECDSA_CURVES},
}
_RFC4716_BEGIN = "---- BEGIN SSH2 PUBLIC KEY ----"
_RFC4716_END = "---- END SSH2 PUBLIC KEY ----"


# --- names -----------------------------------------------------------------------------------

def valid_name(name: str) -> bool:
    """2-128 characters; starts with a letter (any script's, Chinese included); then
    letters, digits, ``:`` ``_`` ``.`` ``-``; not ``http://`` or ``https://``."""
    if not 2 <= len(name) <= 128 or not name[0].isalpha():
        return False
    if name.startswith(("http://", "https://")):
        return False
    return all(c.isalnum() or c in _NAME_PUNCTUATION for c in name)


# --- public keys -----------------------------------------------------------------------------

class MalformedKey(ValueError):
    """The text is not a public key of a type the service takes."""


@dataclass(frozen=True)
class PublicKey:
    key_type: str       # as the blob names it: ssh-rsa, ecdsa-sha2-nistp256, ssh-rsa-cert-v01@openssh.com…
    blob: bytes         # the decoded key (or certificate)
    comment: str

    @property
    def openssh(self) -> str:
        """The one-line OpenSSH form, ``<type> <base64> [comment]``."""
        line = f"{self.key_type} {base64.b64encode(self.blob).decode()}"
        return f"{line} {self.comment}" if self.comment else line

    @property
    def fingerprint(self) -> str:
        return fingerprint(_plain_blob(self.key_type, self.blob))


def fingerprint(blob: bytes) -> str:
    """MD5 of a plain public key blob, as ``aa:bb:…`` (16 pairs)."""
    digest = hashlib.md5(blob).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def parse_public_key(text: str) -> PublicKey:
    """One public key: OpenSSH's one-line form (``ssh-rsa AAAA… comment``, as in
    ``id_rsa.pub``) or RFC 4716 (``---- BEGIN SSH2 PUBLIC KEY ----``). Raises MalformedKey."""
    text = text.strip()
    if text.startswith(_RFC4716_BEGIN):
        blob, comment = _rfc4716(text)
        key_type = _Reader(blob).string().decode("ascii", "replace")
    else:
        if "\n" in text or "\r" in text:
            raise MalformedKey("more than one line")
        parts = text.split(None, 2)
        if len(parts) < 2:
            raise MalformedKey("no key data")
        key_type, data = parts[0], parts[1]
        comment = parts[2] if len(parts) == 3 else ""
        blob = _b64decode(data)
        if _Reader(blob).string() != key_type.encode():
            raise MalformedKey("the key data is of another type")
    if key_type not in PLAIN_TYPES and key_type not in CERTIFICATE_TYPES:
        raise MalformedKey(f"key type {key_type!r} is not supported")
    _check(key_type, blob)
    return PublicKey(key_type, blob, comment.strip())


def _b64decode(data: str) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise MalformedKey("the key data is not base64") from None


def _rfc4716(text: str) -> tuple[bytes, str]:
    """The blob and Comment header of an RFC 4716 block."""
    lines = [line.strip() for line in text.splitlines()]
    if lines[-1] != _RFC4716_END:
        raise MalformedKey("no END line")
    body: list[str] = []
    comment, continued = "", None
    for line in lines[1:-1]:
        if continued is not None:             # a header continued with a trailing backslash
            continued += line
        elif ":" in line and not body:
            continued = line
        else:
            body.append(line)
            continue
        if continued.endswith("\\"):
            continued = continued[:-1]
            continue
        tag, _, value = continued.partition(":")
        if tag.strip().lower() == "comment":
            comment = value.strip().strip('"')
        continued = None
    if continued is not None or not body:
        raise MalformedKey("no key data")
    return _b64decode("".join(body)), comment


def _check(key_type: str, blob: bytes) -> None:
    """The blob holds exactly what its type says, and the key itself is sound."""
    reader = _Reader(blob)
    reader.string()
    if key_type in CERTIFICATE_TYPES:
        plain_type, version = CERTIFICATE_TYPES[key_type]
        if version == 1:
            reader.string()                     # nonce
        _read_fields(reader, plain_type)
        if reader.remaining() == 0:             # a certificate has its signature after the key
            raise MalformedKey("certificate without its signed part")
        if version == 1:
            reader.uint64(), reader.uint32()    # serial, type
            for _ in range(2):                  # key id, principals
                reader.string()
            reader.uint64(), reader.uint64()    # valid after, valid before
            for _ in range(5):                  # critical options, extensions, reserved, CA key, signature
                reader.string()
            reader.end()
    else:
        _read_fields(reader, key_type)
        reader.end()
    _check_key(_plain_blob(key_type, blob))


def _read_fields(reader: _Reader, plain_type: str) -> list[bytes]:
    fields = []
    for kind in _FIELDS[plain_type]:
        fields.append(reader.mpint() if kind == "mpint" else reader.string())
    return fields


def _plain_blob(key_type: str, blob: bytes) -> bytes:
    """A plain key's blob; for a certificate, the blob of the key it certifies."""
    if key_type not in CERTIFICATE_TYPES:
        return blob
    plain_type, version = CERTIFICATE_TYPES[key_type]
    reader = _Reader(blob)
    reader.string()
    if version == 1:
        reader.string()
    start = reader.pos
    _read_fields(reader, plain_type)
    return _ssh_string(plain_type.encode()) + blob[start:reader.pos]


def _check_key(plain: bytes) -> None:
    """The numbers make a key: cryptography loads RSA, ECDSA and Ed25519 keys (checking the
    curve point and key sizes); DSA, which it is dropping, is checked for sane values."""
    reader = _Reader(plain)
    key_type = reader.string().decode()
    fields = _read_fields(reader, key_type)
    if key_type == "ssh-dss":
        p, q, g, y = (int.from_bytes(f, "big") for f in fields)
        if not (p > 3 and 1 < q < p and 1 < g < p and 1 < y < p):
            raise MalformedKey("not a DSA key")
        return
    if key_type in _ECDSA_CURVES and fields[0] != _ECDSA_CURVES[key_type].encode():
        raise MalformedKey("the curve does not match the key type")
    line = f"{key_type} {base64.b64encode(plain).decode()}".encode()
    # Imported here, as in generate(): cryptography costs a tenth of the server's start, and
    # only the key pair actions need it.
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    try:
        serialization.load_ssh_public_key(line)
    except (ValueError, UnsupportedAlgorithm):
        raise MalformedKey("not a valid key") from None


class _Reader:
    """The SSH wire encoding (RFC 4251 section 5) of a key blob."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise MalformedKey("the key data is cut short")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def uint32(self) -> int:
        return struct.unpack(">I", self._take(4))[0]

    def uint64(self) -> int:
        return struct.unpack(">Q", self._take(8))[0]

    def string(self) -> bytes:
        return self._take(self.uint32())

    def mpint(self) -> bytes:
        value = self.string()
        if not value or value[0] & 0x80:       # public key numbers are positive
            raise MalformedKey("a key number is not positive")
        return value

    def remaining(self) -> int:
        return len(self.data) - self.pos

    def end(self) -> None:
        if self.remaining():
            raise MalformedKey("data after the key")


def _ssh_string(value: bytes) -> bytes:
    return struct.pack(">I", len(value)) + value


# --- CreateKeyPair ---------------------------------------------------------------------------

@dataclass(frozen=True)
class NewKeyPair:
    private_key_pem: str    # PKCS#8, unencrypted: returned once, never stored
    public_key: PublicKey


def generate() -> NewKeyPair:
    """A fresh RSA key pair, as CreateKeyPair makes."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    line = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    key_type, data = line.decode().split()
    return NewKeyPair(pem, PublicKey(key_type, base64.b64decode(data), ""))
