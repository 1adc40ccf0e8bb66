"""The local certificate authority behind HTTPS: made once in a directory and kept, so that
a client told to trust it once keeps trusting every later start; and the server
certificate it signs for the names clients reach ecsemu by.

The directory holds
- ``ca.pem``: the CA certificate, the file clients trust (``NODE_EXTRA_CA_CERTS``);
- ``ca-key.pem``: its key, readable by the owner only;
- ``bundle.pem``: the system's trusted roots followed by ``ca.pem``, for the variables that
  replace a client's roots instead of adding to them (``SSL_CERT_FILE`` for Go and
  Python's ssl, ``REQUESTS_CA_BUNDLE``): the client still reaches the real internet;
- ``server.pem``, ``server-key.pem``: the server certificate and key, re-made when the
  names asked for change or the certificate nears its end; ``server-names.txt`` the names
  it was made for (read instead of the certificate, so that a start that reuses it does
  not import cryptography's x509, ~20 ms).

Several processes may ask at once (``ecsemu ca`` beside a starting server, parallel test
runs): an exclusive lock on ``.lock`` makes one of them write, the others read.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import ipaddress
import os
import ssl
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .catalog.regions import REGIONS

CA_YEARS = 10
SERVER_DAYS = 397            # the longest validity browsers accept for a server certificate
RENEW_AFTER_DAYS = 300       # a start after this re-makes the server certificate
# Addresses a server listens on that no client connects to by that name.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


@dataclass(frozen=True)
class Authority:
    """The files of one CA directory."""

    directory: Path

    @property
    def cert(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def key(self) -> Path:
        return self.directory / "ca-key.pem"

    @property
    def bundle(self) -> Path:
        return self.directory / "bundle.pem"

    @property
    def server_cert(self) -> Path:
        return self.directory / "server.pem"

    @property
    def server_key(self) -> Path:
        return self.directory / "server-key.pem"

    @property
    def server_names(self) -> Path:
        return self.directory / "server-names.txt"


def server_names(hosts: Iterable[str]) -> list[str]:
    """The names the server certificate covers: loopback, every name of the real service's
    endpoints (a wildcard covers one label, hence one per region: ecs.cn-hangzhou.aliyuncs.com),
    and the hosts the server listens on."""
    names = ["localhost", "127.0.0.1", "::1", "*.aliyuncs.com"]
    names += [f"*.{region.region_id}.aliyuncs.com" for region in REGIONS]
    names += [host for host in hosts if host not in WILDCARD_HOSTS]
    return list(dict.fromkeys(names))


def ensure_authority(directory: Path) -> Authority:
    """The CA in ``directory`` (made if missing) and an up-to-date bundle: what clients
    need (``ecsemu ca``, ``ecsemu env``)."""
    return _ensure(directory, None)


def ensure(directory: Path, hosts: Iterable[str] = ()) -> Authority:
    """The CA in ``directory`` (made if missing), with a server certificate for
    ``server_names(hosts)`` and an up-to-date bundle: what a server needs."""
    return _ensure(directory, server_names(hosts))


def _ensure(directory: Path, names: list[str] | None) -> Authority:
    authority = Authority(directory)
    with _locked(directory):
        if not (authority.cert.exists() and authority.key.exists()):
            _make_ca(authority)
        if names is not None and not _server_cert_fits(authority, names):
            _make_server_cert(authority, names)
        _write_bundle(authority)
    return authority


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    """The TLS settings the server answers with."""
    # Not create_default_context: it would load the system's roots, which a server that asks
    # for no client certificate never reads (~10 ms at every start).
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    context.set_alpn_protocols(["http/1.1"])
    return context


# --- making them ----------------------------------------------------------------------------

@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _server_cert_fits(authority: Authority, names: list[str]) -> bool:
    try:
        made_for = authority.server_names.read_text().split()
        made_at = authority.server_cert.stat().st_mtime
        ca_made_at = authority.cert.stat().st_mtime
        authority.server_key.stat()
    except OSError:
        return False
    # A certificate older than the CA (the CA was re-made) was signed by another key.
    return made_for == names and time.time() - made_at < RENEW_AFTER_DAYS * 86400 and made_at >= ca_made_at


def _write_private(path: Path, data: bytes) -> None:
    """Writes a key readable by its owner only, from its first byte."""
    temporary = path.with_name(path.name + ".new")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def _write_public(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".new")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _make_ca(authority: Authority) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    # The name says whose CA it is: a user who finds it in a trust store can tell.
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ecsemu"),
                         x509.NameAttribute(NameOID.COMMON_NAME, f"ecsemu local CA {now:%Y-%m-%d %H:%M:%S}")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(authority.key, _pem_key(key))
    _write_public(authority.cert, _pem_cert(cert))


def _make_server_cert(authority: Authority, names: list[str]) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca_cert = x509.load_pem_x509_certificate(authority.cert.read_bytes())
    ca_key = serialization.load_pem_private_key(authority.key.read_bytes(), password=None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    key = ec.generate_private_key(ec.SECP256R1())
    alternatives: list[x509.GeneralName] = []
    for name in names:
        try:
            alternatives.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternatives.append(x509.DNSName(name))
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ecsemu")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=SERVER_DAYS))
        .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write_private(authority.server_key, _pem_key(key))
    _write_public(authority.server_cert, _pem_cert(cert))
    _write_public(authority.server_names, ("\n".join(names) + "\n").encode())


def _pem_key(key) -> bytes:
    from cryptography.hazmat.primitives import serialization
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _pem_cert(cert) -> bytes:
    from cryptography.hazmat.primitives import serialization
    return cert.public_bytes(serialization.Encoding.PEM)


def system_roots() -> bytes:
    """The roots this system trusts (OpenSSL's default file, else certifi's), or nothing."""
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and os.path.isfile(candidate):
            return Path(candidate).read_bytes()
    try:
        import certifi
    except ImportError:
        return b""
    return Path(certifi.where()).read_bytes()


def _write_bundle(authority: Authority) -> None:
    roots = system_roots()
    bundle = roots + (b"" if not roots or roots.endswith(b"\n") else b"\n") + authority.cert.read_bytes()
    try:
        if authority.bundle.read_bytes() == bundle:
            return
    except OSError:
        pass
    _write_public(authority.bundle, bundle)
