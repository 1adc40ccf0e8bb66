"""What the fuzzer sends: hostile HTTP requests for ecsemu, drawn from one source of choices.

Every generator takes a ``Source`` (``choice``, ``integer``, ``chance``) and a ``Context``
(the server's port, the resource IDs seen so far, where files may be written) and returns
one ``FuzzRequest``: the exact bytes to send and what the answer must look like. The test
suite drives them with hypothesis (each choice is one draw), the long run in bench/fuzz.py
with a seeded ``random.Random`` (``RandomSource``), so both send the same kinds of
requests from the same value lists.

Choices are laid out so that the first option, ``integer``'s low end and a ``chance``
answered False are the tame ones (what hypothesis tends towards).

The generators:

- ``signed_v1`` / ``signed_v3``: correctly signed calls (v1 HMAC-SHA1 in the query or form,
  V3 ACS3-HMAC-SHA256 in headers) of real actions with their declared parameters, values
  drawn from realistic ones (IDs of real resources) and hostile ones.
- ``broken_rpc``: the RPC protocol broken one way at a time: missing or duplicate common
  parameters, bad timestamps and nonces, bad signatures and Authorization headers, odd
  methods and content types, header garbage, too many parameters.
- ``malformed_http``: HTTP that does not parse or frames its body wrongly (on a fresh
  connection of its own).
- ``control_plane``: ``/_ecsemu/...`` calls: the real routes with hostile JSON bodies,
  query strings and guard headers (Host, Origin, Sec-Fetch-Site, Content-Type), and random
  paths and methods.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar
from urllib.parse import unquote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from ecsemu.accounts import DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET
from ecsemu.actions import API_VERSION, all_actions
from ecsemu.actions.params import Kind, Param, Type
from ecsemu.catalog.images import PUBLIC_IMAGES
from ecsemu.catalog.instance_types import INSTANCE_TYPE_FAMILIES, INSTANCE_TYPES
from ecsemu.wire import signing

T = TypeVar("T")


# --- where choices come from ------------------------------------------------------------

class Source(Protocol):
    def choice(self, options: Sequence[T]) -> T: ...
    def integer(self, low: int, high: int) -> int: ...
    def chance(self, probability: float) -> bool: ...


class RandomSource:
    """Choices from a seeded ``random.Random``: the long run's source."""

    def __init__(self, seed: int | str) -> None:
        self._rng = random.Random(seed)

    def choice(self, options: Sequence[T]) -> T:
        return options[self._rng.randrange(len(options))]

    def integer(self, low: int, high: int) -> int:
        return self._rng.randint(low, high)

    def chance(self, probability: float) -> bool:
        return self._rng.random() < probability


# --- hostile values -----------------------------------------------------------------------

class Wire(str):
    """A value sent exactly as written, not percent-encoded: malformed escapes, raw '&'."""


class RawJSON(str):
    """JSON text put into a body as it is (a 5000-digit number, NaN, deep nesting)."""


DEEP = 100_000
HUGE_DIGITS = "9" * 5000
OVER_INT_DIGITS = "1" + "0" * 4300      # one digit past CPython's int/str conversion limit
LONG = "a" * 70_000

NUMBERS = [
    "0", "-1", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
    "9223372036854775808", "99999999999999999999", HUGE_DIGITS, "-" + HUGE_DIGITS, OVER_INT_DIGITS,
    "²", "١٢", "１０", "𝟗", "NaN", "nan", "Infinity", "-Infinity", "inf", "1e3", "1e999", "1.5", "0x10",
    "1_000", "+1", " 1", "1 ", "01", "-0", "", "\x00", "1\x00",
]
BOOLEANS = ["True", "TRUE", "1", "0", "yes", "", "truee", "\x00", "ｔｒｕｅ"]
STRINGS = [
    "", " ", "\x00", "a\x00b", "é€𝄞", "\u202e", "\ufeff", "\ud800", "\udfff", "a" * 256, "a" * 4096, LONG,
    "<Error>&amp;</Error>", "]]>", "'\"\\", "../../../etc/passwd", "%s%n%x", "${jndi:ldap://x}",
    "\r\nX-Injected: 1", "null", "true", "[]", "{}", "²", "NaN", "*", "\t", "Abcd1234!", "ＡＢＣ",
    "i-bp" + "0" * 18, "d-" + "z" * 100, "\x7f\x1b[31m",
]
# Percent escapes that are not valid UTF-8, or not escapes at all, and raw separators.
WIRE = [Wire(w) for w in (
    "%", "%G1", "%2", "%FF", "%C3%28", "%ED%A0%80", "%F4%90%80%80", "%00", "%C0%AF", "%E2%82",
    "+", "%25FF", "a%", "%%%%", "&", "=", "==", "&&=&", "%u0041", "%FF" * 2000,
)]
JSON_ARRAYS = [
    "[" * DEEP, "[" * DEEP + "]" * DEEP, "[" * 1000 + "]" * 1000, "[" * 30 + "]" * 30, "]", "[", "[1,2",
    "[NaN]", "[Infinity, -Infinity]", "[1e999]", "[" + HUGE_DIGITS + "]", "[" + OVER_INT_DIGITS + "]",
    "[-0]", "[1.5]", '["a"]', "[null]", "[true]", "[[]]", "[{}]", '[{"a": [1]}]', "{}", '"d-x"', "1", "null",
    json.dumps(["d-x"] * 10_000), json.dumps([LONG]), '["\\ud800"]', '["\\u0000"]', '["a"\x00]', " [ ] ",
    "\ufeff[]", "[" + "1," * 20_000 + "1]", '{"a":' * 1000 + "1" + "}" * 1000, "[" + '"²"' + "]",
]
INDICES = [
    "0", "-1", "01", "1.5", "", "a", "²", "١", "１", "99999999999999999999", HUGE_DIGITS, OVER_INT_DIGITS,
    "2147483648", " 1", "1e3", "+1", "0x1", "\x00", "1.", ".1",
]
TIMESTAMPS = [
    "", "2024-13-45T99:99:99Z", "0000-00-00T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
    "1970-01-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-01-01T00:00:00", "2024-01-01 00:00:00Z",
    "2024-01-01T00:00:00.1234567Z", "٢٠٢٤-٠١-٠١T٠٠:٠٠:٠٠Z", "２０２４-01-01T00:00:00Z", "1" * 5000, "NaN",
    "\x00", "2024-01-01T00:00:00+08:00", "9999-12-31T23:59:59.999999Z", "-001-01-01T00:00:00Z",
]
ACTION_NAMES = [
    "", "describeregions", "DescribeRegions ", "Describe\x00Regions", "__init__", "../DescribeRegions",
    "DescribeRegions\u200b", "a" * 10_000, "InternalError", "toString", "constructor", "ＤescribeRegions",
]
VERSIONS = ["", "2014-05-27", "2014-5-26", "2014-05-26 ", "2014-05-26\x00", "٢٠١٤-٠٥-٢٦", "9" * 5000]
UNKNOWN_NAMES = ["Unknown.Thing", "X", "Tag", "Tag.", "Tag..Key", "DataDisk.1", ".", "", "Action.1",
                 "\x00", "é", "a" * 5000, "Format.Format", "RegionId.1"]
METHODS_ODD = ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "M-SEARCH", "PURGE",
               "LINK", "SEARCH"]
CONTENT_TYPES = [
    "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
    "APPLICATION/X-WWW-FORM-URLENCODED", " application/x-www-form-urlencoded ;", "text/plain",
    "application/json", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded; charset=latin-1",
    "", "application/x-www-form-urlencoded\x00", "*/*", "a" * 10_000, "application/xml",
]
# Values of Authorization for a V3 request, none of them a valid signature.
AUTHORIZATIONS = [
    "ACS3-HMAC-SHA256", "ACS3-HMAC-SHA256 ", "ACS3-HMAC-SHA256 Credential=", "ACS3-X",
    "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=,Signature=",
    "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host,Signature=zz",
    "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host,Signature=" + "0" * 100_000,
    "ACS3-HMAC-SHA256 Credential=" + "a" * 100_000 + ",SignedHeaders=host,Signature=00",
    "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=" + ";".join(["x-acs-x"] * 10_000) + ",Signature=00",
    "ACS3-HMAC-SHA256 " + " " * 50_000 + "Credential=testid,SignedHeaders=host,Signature=00",
    "ACS3-HMAC-SHA256 Credential=testid ,  SignedHeaders=host , Signature=00 ",
    "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host,Signature=00,Signature=11",
    "ACS3-HMAC-SHA256 Credential=unknown-key,SignedHeaders=host,Signature=00",
    "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=" + ";" * 1000 + ",Signature=00",
    "acs3-hmac-sha256 Credential=testid,SignedHeaders=host,Signature=00",
    "ACS3-HMAC-SHA256 Credential=\x00,SignedHeaders=host,Signature=00",
]
HOSTS = ["ecs.cn-hangzhou.aliyuncs.com", "ecs.us-east-1.aliyuncs.com", "", "evil.example", "127.0.0.1",
         "localhost", "[::1]", "127.0.0.1.evil.example", "a" * 10_000, "127.0.0.1:99999", "ecs..aliyuncs.com",
         "[::ffff:127.0.0.1]:80", "0x7f.1", "2130706433", "LOCALHOST", "127.0.0.1:8080@evil.example"]

# --- JSON for the control plane ---------------------------------------------------------

NAN, INF = float("nan"), float("inf")
JSON_VALUES: list[Any] = [
    0, 1, 5, -1, 1.5, 1e308, -1e308, NAN, INF, -INF, True, False, None, "", "5", "²", "a" * 10_000, [], {},
    [1], {"a": 1}, 10**30, RawJSON(HUGE_DIGITS), RawJSON("-" + HUGE_DIGITS), RawJSON("1e999"),
    RawJSON("[" * DEEP + "]" * DEEP), RawJSON('{"a":' * 10_000 + "1" + "}" * 10_000), "\x00", "\ud800",
    RawJSON("1" + "0" * 400), RawJSON("-0"), RawJSON("0.0000000000000000000000000001"),
]
JSON_BODIES = [
    b"", b"{}", b"[]", b"null", b"1", b'"s"', b"{", b"[" * DEEP, b"[" * DEEP + b"]" * DEEP,
    b'{"a":' * 10_000 + b"1" + b"}" * 10_000, b'{"seconds": ' + HUGE_DIGITS.encode() + b"}",
    b'{"seconds": 1e999}', b'{"seconds": NaN}', b'{"seconds": -Infinity}', "{}".encode("utf-16"),
    b"\xef\xbb\xbf{}", b"\xc3\x28", b'{"a": "\x00"}', b'{"seconds": 1, "seconds": 2}', b" " * 100_000,
    b'{"seconds": 5}{"seconds": 5}', b"\x00" * 100, b'{"Hold": true, "Hold": "x"}', b"\xff" * 1000,
    "{}".encode("utf-32"), b'{"\\ud800": 1}',
]
CONTROL_CONTENT_TYPES = [
    "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", " application/json ", "text/plain",
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json-patch+json",
    "application/jsonx", "", "text/html", "application/json\x00", "a" * 10_000,
]
ORIGINS = ["http://evil.example", "null", "https://127.0.0.1.evil.example", "file://", "", "http://localhost",
           "http://[::1]", "a" * 10_000]
FETCH_SITES = ["cross-site", "same-site", "same-origin", "none", "", "CROSS-SITE", "cross-site, cross-site"]
SEGMENTS = [
    "health", "reset", "clock", "advance", "instances", "locks", "security", "financial", "snapshots", "disks",
    "data", "export", "images", "import", "web", "api.json", "index.html", "..", ".", "", "%2e%2e", "%2F",
    "%00", "%FF", "%C3%28", "a" * 300, "a" * 10_000, "%C2%B2", "%E2%80%AE", "_ecsemu", "*", ";", "~",
    "health%00", "HEALTH", "health.json", "%252e%252e",
]
OFFSETS = ["0", "4096", "512", "", "-1", "²", "١", "１", HUGE_DIGITS, OVER_INT_DIGITS, "18446744073709551616",
           "9223372036854775808", "1e3", " 1", "0x10", "1.5", "NaN", "%FF", "%00", "99999999999999999999"]
LENGTHS = ["1", "16", "4096", "0", "65536", "1048576", "67108864", "67108865", "", "-1", "²", HUGE_DIGITS,
           "1e3", "%C2%B2"]
CONTROL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND"]


def _public_key() -> str:
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode() + " fuzz"


PUBLIC_KEY = _public_key()
IMAGE_IDS = [image.image_id for image in PUBLIC_IMAGES]

# Realistic values by parameter (or member) name, where neither the world nor an enum gives one.
GOOD: dict[str, list[str]] = {
    "RegionId": ["cn-hangzhou", "cn-shanghai", "us-east-1"],
    "ZoneId": ["cn-hangzhou-b", "cn-hangzhou-g", "cn-hangzhou-k"],
    "InstanceType": [t.type_id for t in INSTANCE_TYPES[:4]],
    "InstanceTypeFamily": list(INSTANCE_TYPE_FAMILIES[:3]),
    "Password": ["Abcd1234!", "weak"],
    "Size": ["20", "40", "2000", "32768"],
    "NewSize": ["50", "100", "32768"],
    "DiskCategory": ["cloud_essd", "cloud", "cloud_auto"],
    "Category": ["cloud_essd", "cloud_efficiency"],
    "Device": ["/dev/xvdb", "/dev/xvdz", "/dev/vda"],
    "PublicKeyBody": [PUBLIC_KEY],
    "UserData": ["ZWNobyBoaQ=="],
    "HostName": ["fuzz-host"],
    "AutoReleaseTime": ["2099-01-01T00:00:00Z", "2000-01-01T00:00:00Z"],
    "Platform": ["Ubuntu", "CentOS", "Windows Server 2022"],
    "PrivateIpAddresses": ["10.0.0.1", "192.168.0.1"],
    "PublicIpAddresses": ["47.0.0.1"],
    "ImageOwnerId": ["1234567890123456"],
    "Key": ["env", "team"],
    "Value": ["test", ""],
    "ClientToken": ["fuzz-token-1", "fuzz-token-2"],
    "Type": ["offline", "online"],
}
NAMES = ["fuzz-name", "fuzz-name-2", "Fuzz_Name.3"]
# Parameters (singular spelling) that name a resource, and the kind of ID they take.
ID_KINDS = {"InstanceId": "i", "DiskId": "d", "SnapshotId": "s", "ImageId": "m", "SecurityGroupId": "sg",
            "KeyPairName": "kp", "VpcId": "vpc", "VSwitchId": "vsw"}
ACTIONS = [declaration for _, declaration in sorted(all_actions().items())]


# --- the world: IDs of real resources, for calls that reach deep -------------------------

_ID = re.compile(rb"\b(i|d|s|m|sg|vpc|vsw)-[0-9a-z]{20}\b")
_KEY_PAIR = re.compile(rb'"KeyPairName":"([^"\\]{1,128})"|<KeyPairName>([^<]{1,128})</KeyPairName>')


class World:
    """IDs the server has answered with lately (a bounded pool per kind), plus a fake one of each."""

    FAKE: ClassVar[dict[str, str]] = {
        "i": "i-bpnothing000000000", "d": "d-bpnothing000000000", "s": "s-bpnothing000000000",
        "m": "m-bpnothing000000000", "sg": "sg-bpnothing000000000", "kp": "fuzz-kp-none",
        "vpc": "vpc-bpnothing00000000", "vsw": "vsw-bpnothing00000000"}

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self.ids: dict[str, deque[str]] = {kind: deque(maxlen=size) for kind in self.FAKE}

    def harvest(self, body: bytes) -> None:
        for match in _ID.finditer(body):
            self._add(match.group(1).decode(), match.group(0).decode())
        if b"KeyPairName" in body:
            for match in _KEY_PAIR.finditer(body):
                self._add("kp", (match.group(1) or match.group(2)).decode("utf-8", "replace"))

    def _add(self, kind: str, value: str) -> None:
        pool = self.ids[kind]
        if value not in pool:
            pool.append(value)

    def clear(self) -> None:
        for pool in self.ids.values():
            pool.clear()

    def pick(self, src: Source, kind: str) -> str:
        # The same draws whatever the pool holds (hypothesis wants generation not to depend
        # on outside state): a chance, then an index taken modulo the pool's size.
        fake, index = src.chance(0.05), src.integer(0, self._size - 1)
        pool = self.ids[kind]
        try:
            return self.FAKE[kind] if fake or not pool else pool[index % len(pool)]
        except (IndexError, ZeroDivisionError):   # emptied meanwhile (bench/fuzz.py generates in another thread)
            return self.FAKE[kind]


@dataclass
class Context:
    port: int
    files_dir: str                  # where the control plane reads and writes files (health's FilesDir)
    world: World = field(default_factory=World)
    key_id: str = DEVELOPMENT_KEY_ID
    secret: str = DEVELOPMENT_KEY_SECRET
    serial: Callable[[], int] = field(default_factory=lambda: itertools.count(1).__next__)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"


# --- the request ------------------------------------------------------------------------

@dataclass
class FuzzRequest:
    label: str                       # what kind of request, for grouping failures
    surface: str                     # rpc | control | web | other: which checks apply to the answer
    method: str
    target: str
    headers: list[tuple[str, str]]   # sent in this order, exactly; Content-Length added unless present
    body: bytes = b""
    expect_xml: bool | None = None   # rpc: the error format the client asked for (None: either)
    expect_xml_head: bool | None = None   # the same from the query and headers alone (body refused)
    framing_ok: bool = True          # False: deliberately malformed HTTP (answered by the HTTP layer)
    half_close: bool = False         # shut our side after sending (the server may wait for more)
    raw: bytes | None = None         # malformed_http: the exact bytes, instead of the fields above

    @property
    def well_formed(self) -> bool:
        """Valid HTTP/1.1, so the answer comes from the application, not the HTTP parser:
        not deliberately malformed, no control characters in a header, a token method."""
        if not self.framing_ok or self.raw is not None or not _TOKEN.fullmatch(self.method):
            return False
        return not any(not _TOKEN.fullmatch(name) or _CTL.search(value) for name, value in self.headers)

    def sent_headers(self) -> list[tuple[str, str]]:
        """The headers as sent: ours, and Content-Length unless the body is framed otherwise."""
        names = {name.lower() for name, _ in self.headers}
        headers = list(self.headers)
        if "content-length" not in names and "transfer-encoding" not in names and (
                self.body or self.method in ("POST", "PUT", "PATCH")):
            headers.append(("Content-Length", str(len(self.body))))
        return headers

    def head_sizes(self) -> tuple[int, int]:
        """Bytes of the target, and of all header names and values: what the server bounds."""
        return (len(self.target.encode("utf-8", "surrogateescape")),
                sum(len(f"{name}{value}".encode("utf-8", "surrogateescape")) for name, value in self.sent_headers()))

    def content_bytes(self) -> int:
        """Bytes of the body's content, what the server bounds: a chunked body's without
        its framing."""
        if not any(name.lower() == "transfer-encoding" and value == "chunked" for name, value in self.headers):
            return len(self.body)
        size, at = 0, 0
        while True:
            end = self.body.index(b"\r\n", at)
            length = int(self.body[at:end], 16)
            if length == 0:
                return size
            size, at = size + length, end + 2 + length + 2

    def wire(self) -> bytes:
        if self.raw is not None:
            return self.raw
        lines = [f"{self.method} {self.target} HTTP/1.1"]
        lines += [f"{name}: {value}" for name, value in self.sent_headers()]
        return "\r\n".join(lines).encode("utf-8", "surrogateescape") + b"\r\n\r\n" + self.body

    def __repr__(self) -> str:
        return f"<{self.label}>\n{self.describe()}"

    def _repr_pretty_(self, printer, cycle) -> None:   # hypothesis's report: the reproducer, cut short
        printer.text(repr(self))

    def describe(self, limit: int = 240) -> str:
        """A reproducer, long values cut short."""
        if self.raw is not None:
            return f"raw bytes ({self.label}): {_short(self.raw, limit * 2)}"
        lines = [f"{self.method} {_short(self.target, limit * 2)} HTTP/1.1"]
        lines += [f"{name}: {_short(value, limit)}" for name, value in self.headers]
        if self.body:
            lines.append(f"body: {_short(self.body, limit * 2)}")
        return "\n".join(lines)


_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_CTL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _short(value: str | bytes, limit: int) -> str:
    text = repr(value[:limit])
    if len(value) > limit:
        text += f"... [{len(value)} {'bytes' if isinstance(value, bytes) else 'chars'} in all]"
    return text


# --- encoding and signing ---------------------------------------------------------------

_ENCODED: dict[str, str] = {}
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")


def encode(value: str) -> str:
    if isinstance(value, Wire):
        return str(value)
    if len(value) < 512:
        return value if _UNRESERVED.fullmatch(value) else signing.percent_encode(value)
    cached = _ENCODED.get(value)   # the big constants: encode each once
    if cached is None:
        cached = _ENCODED[value] = signing.percent_encode(value)
    return cached


def join(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{encode(name)}={encode(value)}" for name, value in pairs)


def utc_now(offset: float = 0) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + offset))


def is_form(content_type: str | None) -> bool:
    return (content_type or "").split(";", 1)[0].strip().lower() == "application/x-www-form-urlencoded"


def _decode(text: str) -> str:
    return unquote(text.replace("+", " ")) if "%" in text or "+" in text else text


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """``urllib.parse.parse_qsl(text, keep_blank_values=True)``, faster on plain pairs:
    '+' is a space, %XY escapes are UTF-8 (invalid sequences replaced), empty values kept."""
    pairs = []
    for part in text.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((_decode(name), _decode(value)))
    return pairs


def server_params(query: str, body: bytes, content_type: str | None) -> dict[str, str]:
    """The parameters the server sees: query, then a form body over it."""
    params = dict(parse_pairs(query))
    if body and is_form(content_type):
        params.update(parse_pairs(body.decode("utf-8", "replace")))
    return params


def expected_format(params: dict[str, str], v3: bool) -> bool | None:
    """Is the error to be XML? ``Format`` in any case, else XML for v1 and JSON for V3;
    None when Format is no format at all (either will do)."""
    value = params.get("Format")
    if value is None:
        return not v3
    return {"xml": True, "json": False}.get(value.lower())


def v1_common(ctx: Context, action: str, fmt: str | None, **changes: str | None) -> list[tuple[str, str]]:
    common = {"Action": action, "Version": API_VERSION, "AccessKeyId": ctx.key_id, "SignatureMethod": "HMAC-SHA1",
              "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex, "Timestamp": utc_now(), "Format": fmt}
    common.update(changes)
    return [(name, value) for name, value in common.items() if value is not None]


def assemble_v1(ctx: Context, label: str, method: str, query: list[tuple[str, str]],
                form: list[tuple[str, str]] | None, *, content_type: str | None = None,
                signature: str | None = None, secret: str | None = None, host: str | None = None,
                headers: list[tuple[str, str]] | None = None, sign: bool = True) -> FuzzRequest:
    """A v1 request: ``query`` in the target, ``form`` (if not None) as the body. The
    Signature is computed over what the server will see, and appended last (to the form
    when the server reads one, else to the query); ``signature`` replaces it."""
    query_text, body = join(query), (join(form).encode() if form is not None else b"")
    if form is not None and content_type is None:
        content_type = "application/x-www-form-urlencoded"
    params = server_params(query_text, body, content_type)
    if sign:
        value = signature if signature is not None else signing.v1_signature(
            secret or ctx.secret, signing.v1_string_to_sign(method, params))
        piece = f"Signature={encode(value)}"
        if body and is_form(content_type):
            body += b"&" + piece.encode()
            params["Signature"] = value
        else:
            query_text = f"{query_text}&{piece}" if query_text else piece
            params.setdefault("Signature", value)
    sent = [("Host", ctx.host if host is None else host)]
    if content_type is not None:
        sent.append(("Content-Type", content_type))
    sent += headers or []
    v3 = any(n.lower() == "authorization" and v.startswith("ACS3-") for n, v in sent)
    return FuzzRequest(label, "rpc", method, "/?" + query_text if query_text else "/", sent, body,
                       expect_xml=expected_format(params, v3),
                       expect_xml_head=expected_format(server_params(query_text, b"", None), v3))


def assemble_v3(ctx: Context, label: str, method: str, query: list[tuple[str, str]], body: bytes = b"", *,
                action: str, content_type: str | None = None, extra: dict[str, str] | None = None,
                drop: tuple[str, ...] = (), signed: list[str] | None = None, secret: str | None = None,
                authorization: str | None = None) -> FuzzRequest:
    """A V3 request signing every header it sends (``signed`` overrides the list)."""
    query_text = join(query)
    headers = {
        "host": ctx.host, "x-acs-action": action, "x-acs-version": API_VERSION, "x-acs-date": utc_now(),
        "x-acs-signature-nonce": uuid.uuid4().hex, "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
        "accept": "application/json",
    }
    if content_type is not None:
        headers["content-type"] = content_type
    headers.update(extra or {})
    for name in drop:
        headers.pop(name, None)
    if authorization is None:
        names = sorted(headers) if signed is None else signed
        canonical = signing.v3_canonical_request(method, "/", parse_pairs(query_text),
                                                 headers, names, hashlib.sha256(body).hexdigest())
        signature = signing.v3_signature(secret or ctx.secret, signing.v3_string_to_sign(canonical))
        authorization = (f"ACS3-HMAC-SHA256 Credential={ctx.key_id},SignedHeaders={';'.join(names)},"
                         f"Signature={signature}")
    sent = [(name, value) for name, value in headers.items()] + [("Authorization", authorization)]
    params = server_params(query_text, body, content_type)
    v3 = authorization.startswith("ACS3-")
    return FuzzRequest(label, "rpc", method, "/?" + query_text if query_text else "/", sent, body,
                       expect_xml=expected_format(params, v3),
                       expect_xml_head=expected_format(server_params(query_text, b"", None), v3))


# --- parameter values -------------------------------------------------------------------

def hostile_value(src: Source, param: Param) -> str:
    if param.type in (Type.INTEGER, Type.LONG, Type.FLOAT):
        pool = NUMBERS
    elif param.type is Type.BOOLEAN:
        pool = BOOLEANS
    else:
        pool = STRINGS
    if src.chance(0.2):
        return src.choice(WIRE)
    return src.choice(pool)


def good_value(src: Source, ctx: Context, param: Param) -> str:
    name = param.name
    singular = name[:-1] if name.endswith("s") and name[:-1] in ID_KINDS else name
    if singular in ID_KINDS:
        if singular == "ImageId" and src.chance(0.5):
            return src.choice(IMAGE_IDS)
        if singular == "KeyPairName" and src.chance(0.2):
            return f"fuzz-kp-{ctx.serial()}"
        return ctx.world.pick(src, ID_KINDS[singular])
    if param.enum:
        return src.choice(param.enum)
    if name in GOOD:
        return src.choice(GOOD[name])
    if param.type is Type.BOOLEAN:
        return src.choice(["true", "false"])
    if param.type in (Type.INTEGER, Type.LONG):
        low = param.minimum if param.minimum is not None else 1
        high = param.maximum if param.maximum is not None else 100
        return str(src.choice([low, min(high, low + 1), high, (low + high) // 2]))
    if name.endswith("Name"):
        return src.choice(NAMES)
    return src.choice(["fuzz", "a description"])


def scalar_value(src: Source, ctx: Context, param: Param) -> str:
    return hostile_value(src, param) if src.chance(0.25) else good_value(src, ctx, param)


def json_array_value(src: Source, ctx: Context, param: Param) -> str:
    if src.chance(0.3):
        return src.choice(JSON_ARRAYS)
    return json.dumps([good_value(src, ctx, param) for _ in range(src.integer(0, 3))])


def indices(src: Source, param: Param) -> list[str]:
    """The N of ``Name.N`` items: a few, a hostile one, one past the limit, or very many."""
    mode = src.integer(0, 9)
    if mode < 7:
        return [str(n) for n in range(1, src.integer(1, 3) + 1)]
    if mode == 7:
        return [src.choice(INDICES)]
    if mode == 8:
        return [str((param.max_items or 100) + 1)]
    return [str(n) for n in range(1, src.choice([50, 500, 5000]) + 1)]


def param_pairs(src: Source, ctx: Context, param: Param, prefix: str = "") -> list[tuple[str, str]]:
    """Wire (name, value) pairs for one declared parameter, in its own wire form."""
    name = prefix + param.name
    if param.kind is Kind.SCALAR:
        return [(name, scalar_value(src, ctx, param))]
    if param.kind is Kind.JSON_ARRAY:
        return [(name, json_array_value(src, ctx, param))]
    if param.kind is Kind.LIST:
        numbers = indices(src, param)
        if len(numbers) > 3:   # many items: one value for all, to keep the draw short
            value = scalar_value(src, ctx, param)
            return [(f"{name}.{n}", value) for n in numbers]
        return [(f"{name}.{n}", scalar_value(src, ctx, param)) for n in numbers]
    if param.kind is Kind.OBJECT:
        pairs = [pair for member in param.fields if src.chance(0.6)
                 for pair in param_pairs(src, ctx, member, f"{name}.")]
        if src.chance(0.1):
            pairs.append((f"{name}.{src.choice(['Nope', '', '1', 'Category.x'])}", src.choice(STRINGS)))
        return pairs
    pairs = []   # OBJECT_LIST
    numbers = indices(src, param)
    if len(numbers) > 3:
        member = param.fields[0]
        value = scalar_value(src, ctx, member)
        return [(f"{name}.{n}.{member.name}", value) for n in numbers]
    for n in numbers:
        for member in param.fields:
            if src.chance(0.6):
                pairs += param_pairs(src, ctx, member, f"{name}.{n}.")
        if src.chance(0.05):
            pairs.append((f"{name}.{n}", src.choice(STRINGS)))   # the item itself, not a member
    return pairs


def action_params(src: Source, ctx: Context, declaration) -> list[tuple[str, str]]:
    pairs = []
    for param in declaration.params:
        skip = src.chance(0.1) if param.required else not src.chance(0.45)
        if not skip:
            pairs += param_pairs(src, ctx, param)
    if src.chance(0.1):
        pairs.append((src.choice(UNKNOWN_NAMES), src.choice(STRINGS)))
    return pairs


FORMATS = ["JSON", "XML", None, "json", "Xml"]


# --- signed calls -------------------------------------------------------------------------

def signed_v1(src: Source, ctx: Context) -> FuzzRequest:
    """A correctly signed v1 call of a real action: GET with everything in the query, POST
    with everything in a form body, or split between them."""
    declaration = src.choice(ACTIONS)
    params = action_params(src, ctx, declaration)
    common = v1_common(ctx, declaration.name, src.choice(FORMATS))
    placement = src.integer(0, 2)
    label = f"v1 {declaration.name}"
    if placement == 0:
        return assemble_v1(ctx, label, "GET", common + params, None)
    if placement == 1:
        return assemble_v1(ctx, label, "POST", [], common + params)
    return assemble_v1(ctx, label, "POST", common, params)


def signed_v3(src: Source, ctx: Context) -> FuzzRequest:
    """A correctly signed V3 call: parameters in the query, or in a form body."""
    declaration = src.choice(ACTIONS)
    params = action_params(src, ctx, declaration)
    fmt = src.choice(FORMATS)
    if fmt is not None:
        params.append(("Format", fmt))
    label = f"v3 {declaration.name}"
    if src.chance(0.3):
        body = join(params).encode()
        return assemble_v3(ctx, label, "POST", [], body, action=declaration.name,
                           content_type="application/x-www-form-urlencoded")
    return assemble_v3(ctx, label, src.choice(["POST", "GET"]), params, action=declaration.name)


def v1_call(ctx: Context, action: str, params: dict[str, str]) -> FuzzRequest:
    """A plain, valid v1 GET call (JSON): for setting up the world."""
    return assemble_v1(ctx, f"setup {action}", "GET", v1_common(ctx, action, "JSON") + list(params.items()), None)


# --- the RPC protocol, broken one way at a time -------------------------------------------

_NONCES = ["fuzz-nonce-1", "fuzz-nonce-2"]   # reused across requests: all but the first are replays


def broken_rpc(src: Source, ctx: Context) -> FuzzRequest:
    mutation = src.choice(_RPC_MUTATIONS)
    return mutation(src, ctx)


def _small_call(src: Source, ctx: Context) -> tuple[str, list[tuple[str, str]]]:
    declaration = src.choice(ACTIONS)
    return declaration.name, action_params(src, ctx, declaration) if src.chance(0.5) else []


def _missing_common(src: Source, ctx: Context) -> FuzzRequest:
    action, params = _small_call(src, ctx)
    name = src.choice(["Action", "Version", "AccessKeyId", "SignatureNonce", "Timestamp", "SignatureMethod",
                       "SignatureVersion", "Format"])
    common = v1_common(ctx, action, src.choice(FORMATS), **{name: None})
    if name in ("Action", "Version") and src.chance(0.5):   # V3: no x-acs-action / x-acs-version either
        return assemble_v3(ctx, f"V3 missing {name}", "POST", params, action=action,
                           drop=(f"x-acs-{name.lower()}",))
    return assemble_v1(ctx, f"missing {name}", "GET", common + params, None)


def _missing_signature(src: Source, ctx: Context) -> FuzzRequest:
    action, params = _small_call(src, ctx)
    return assemble_v1(ctx, "missing Signature", src.choice(["GET", "POST"]),
                       v1_common(ctx, action, src.choice(FORMATS)) + params, None, sign=False)


def _duplicate_params(src: Source, ctx: Context) -> FuzzRequest:
    """The same parameter twice with different values: in the query, or in query and form."""
    action, params = _small_call(src, ctx)
    name = src.choice(["Action", "Version", "Format", "AccessKeyId", "Timestamp", "SignatureNonce", "RegionId",
                       "Signature", "DiskIds"])
    other = src.choice(["DescribeRegions", "", "XML", "JSON", "2014-05-26", "x", src.choice(STRINGS)])
    common = v1_common(ctx, action, src.choice(FORMATS))
    if src.chance(0.5):
        return assemble_v1(ctx, f"duplicate {name}", "GET", common + params + [(name, other)], None)
    return assemble_v1(ctx, f"duplicate {name} in query and form", "POST", common + params, [(name, other)])


def _bad_timestamp(src: Source, ctx: Context) -> FuzzRequest:
    action, params = _small_call(src, ctx)
    stamp = src.choice(TIMESTAMPS + [utc_now(-20 * 60), utc_now(20 * 60), utc_now(-14 * 60) + ".999999"])
    if src.chance(0.5):
        return assemble_v1(ctx, "bad Timestamp", "GET", v1_common(ctx, action, src.choice(FORMATS),
                                                                  Timestamp=stamp) + params, None)
    return assemble_v3(ctx, "bad x-acs-date", "POST", params, action=action, extra={"x-acs-date": stamp})


def _bad_action_or_version(src: Source, ctx: Context) -> FuzzRequest:
    action = src.choice(ACTION_NAMES)
    version = src.choice([API_VERSION] + VERSIONS)
    if src.chance(0.5):
        return assemble_v1(ctx, "bad Action/Version", "GET",
                           v1_common(ctx, action, src.choice(FORMATS), Version=version), None)
    return assemble_v3(ctx, "bad x-acs-action/version", "POST", [], action=action,
                       extra={"x-acs-version": version})


def _odd_method(src: Source, ctx: Context) -> FuzzRequest:
    action, params = _small_call(src, ctx)
    method = src.choice(METHODS_ODD)
    if src.chance(0.5):
        request = assemble_v1(ctx, f"method {method}", method, v1_common(ctx, action, src.choice(FORMATS)) + params,
                              None)
    else:
        request = assemble_v3(ctx, f"V3 method {method}", method, params, action=action)
    return request


def _odd_content_type(src: Source, ctx: Context) -> FuzzRequest:
    action, params = _small_call(src, ctx)
    content_type = src.choice(CONTENT_TYPES)
    common = v1_common(ctx, action, src.choice(FORMATS))
    kind = src.integer(0, 3)
    if kind == 0:   # a form body under an odd type
        return assemble_v1(ctx, "form under odd Content-Type", "POST", [], common + params,
                           content_type=content_type)
    if kind == 1:   # JSON body
        request = assemble_v1(ctx, "JSON body", "POST", common, None, content_type=content_type)
        request.body = json.dumps(dict(params)).encode()
        return request
    if kind == 2:   # binary garbage body on a signed GET
        request = assemble_v1(ctx, "GET with a body", "GET", common + params, None, content_type=content_type)
        request.body = src.choice([b"\xff\xfe\x00", b"a=1&" * 10_000, b"%FF=%FF", b"\x00" * 1000, b"Action=X"])
        return request
    body = join(params).encode()   # V3 with a form body under an odd type
    return assemble_v3(ctx, "V3 body under odd Content-Type", "POST", [], body, action=action,
                       content_type=content_type)


def _bad_nonce(src: Source, ctx: Context) -> FuzzRequest:
    action, params = _small_call(src, ctx)
    nonce = src.choice(_NONCES + ["", " ", "a" * 100_000, "\x00", "²", Wire("%FF")])
    if src.chance(0.5):
        return assemble_v1(ctx, "odd SignatureNonce", "GET",
                           v1_common(ctx, action, src.choice(FORMATS), SignatureNonce=nonce) + params, None)
    if isinstance(nonce, Wire):
        nonce = "\xff"
    return assemble_v3(ctx, "odd x-acs-signature-nonce", "POST", params, action=action,
                       extra={"x-acs-signature-nonce": nonce})


def _bad_signature(src: Source, ctx: Context) -> FuzzRequest:
    action, params = _small_call(src, ctx)
    kind = src.integer(0, 5)
    common = v1_common(ctx, action, src.choice(FORMATS))
    if kind == 0:
        return assemble_v1(ctx, "wrong Signature", "GET", common + params, None,
                           signature=src.choice(["", "x", "a" * 100_000, "AAAA", "\x00", "²"]))
    if kind == 1:
        return assemble_v1(ctx, "wrong secret", "GET", common + params, None, secret="not-the-secret")
    if kind == 2:
        changes = src.choice([{"SignatureMethod": "HMAC-SHA256"}, {"SignatureVersion": "2.0"},
                              {"SignatureMethod": ""}, {"SignatureVersion": "1.0\x00"}])
        return assemble_v1(ctx, f"odd {next(iter(changes))}", "GET",
                           v1_common(ctx, action, src.choice(FORMATS), **changes) + params, None)
    if kind == 3:
        key = src.choice(["", "unknown-key", "a" * 100_000, "\x00", "otherid", "²"])
        return assemble_v1(ctx, "odd AccessKeyId", "GET",
                           v1_common(ctx, action, src.choice(FORMATS), AccessKeyId=key) + params, None)
    if kind == 4:
        return assemble_v3(ctx, "V3 bad Authorization", "POST", params, action=action,
                           authorization=src.choice(AUTHORIZATIONS))
    return assemble_v3(ctx, "V3 wrong secret", "POST", params, action=action, secret="not-the-secret")


def _v3_signed_headers(src: Source, ctx: Context) -> FuzzRequest:
    """V3 whose SignedHeaders leave out, invent, repeat or misspell headers, or whose
    content hash does not match its body (each signed consistently)."""
    action, params = _small_call(src, ctx)
    base = ["accept", "host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce",
            "x-acs-version"]
    kind = src.integer(0, 6)
    if kind == 0:
        signed = [name for name in base if src.chance(0.5)]
    elif kind == 1:
        signed = base + ["x-not-sent"]
    elif kind == 2:
        signed = base + base
    elif kind == 3:
        signed = [name.upper() for name in base]
    elif kind == 4:
        signed = [""]
    elif kind == 5:
        signed = base[::-1]
    else:
        return assemble_v3(ctx, "V3 x-acs-content-sha256 of another body", "POST", params, b"Action=X",
                           action=action, content_type="application/x-www-form-urlencoded",
                           extra={"x-acs-content-sha256": hashlib.sha256(b"").hexdigest()})
    drop = ("host",) if src.chance(0.2) else ()
    return assemble_v3(ctx, f"V3 SignedHeaders variant {kind}", "POST", params, action=action, signed=signed,
                       drop=drop)


def _header_garbage(src: Source, ctx: Context) -> FuzzRequest:
    """A correctly signed call with odd headers around it."""
    action, params = _small_call(src, ctx)
    kind = src.integer(0, 10)
    common = v1_common(ctx, action, src.choice(FORMATS))
    extra: list[tuple[str, str]] = []
    host = None
    if kind == 0:
        extra = [("X-Fuzz", "a" * src.choice([8_000, 60_000]))]
    elif kind == 1:
        extra = [(f"X-Fuzz-{n}", "x") for n in range(src.choice([100, 1000]))]
    elif kind == 2:
        extra = [("X-Fuzz", "\xff\xfe\x80 é")]
    elif kind == 3:
        extra = [("x-acs-action", src.choice(["DescribeRegions", "", "Nope", "a" * 5000]))]
    elif kind == 4:
        extra = [("Authorization", src.choice(AUTHORIZATIONS + ["Basic dGVzdDp0ZXN0", "Bearer x", ""]))]
    elif kind == 5:
        host = src.choice(HOSTS)
    elif kind == 6:
        extra = [("Accept", src.choice(["application/xml", "*/*", "", "a" * 5000])),
                 ("Accept-Encoding", src.choice(["gzip", "br", "identity;q=0", "*"]))]
    elif kind == 7:
        extra = [("Expect", "100-continue")]
        return assemble_v1(ctx, "Expect: 100-continue", "POST", [], common + params, headers=extra)
    elif kind == 8:
        request = assemble_v1(ctx, "chunked form body", "POST", [], common + params)
        request.headers.append(("Transfer-Encoding", "chunked"))
        request.body = _chunked(request.body, src.choice([1, 7, 4096]))
        return request
    elif kind == 9:
        extra = [("Content-Encoding", src.choice(["gzip", "deflate", "br", "x"]))]
        return assemble_v1(ctx, "Content-Encoding on a plain body", "POST", [], common + params, headers=extra)
    else:   # what a browser adds to a call made by a web page
        extra = [("Origin", src.choice(ORIGINS + [f"http://{ctx.host}"]))]
        if src.chance(0.5):
            extra.append(("Sec-Fetch-Site", src.choice(FETCH_SITES)))
    return assemble_v1(ctx, f"header garbage {kind}", "GET", common + params, None, headers=extra, host=host)


def _chunked(body: bytes, size: int) -> bytes:
    pieces = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(pieces) + b"0\r\n\r\n"


def _many_params(src: Source, ctx: Context) -> FuzzRequest:
    """Thousands of parameters, or one enormous one, correctly signed."""
    action, params = _small_call(src, ctx)
    kind = src.integer(0, 3)
    if kind == 0:
        extra = [(f"X{n}", "1") for n in range(src.choice([1000, 10_000]))]
    elif kind == 1:
        extra = [(f"Tag.{n}.Key", "k") for n in range(1, src.choice([1000, 10_000]) + 1)]
    elif kind == 2:
        extra = [("Description", src.choice([_A_100K, _A_1M, _A_2M]))]   # the body limit is 1 MiB
    else:
        extra = [(f"DataDisk.{src.choice(INDICES[9:12])}.Size", "20"), (f"Tag.{HUGE_DIGITS}.Key", "k")]
    common = v1_common(ctx, action, src.choice(FORMATS))
    if src.chance(0.5):
        return assemble_v1(ctx, f"many params {kind}", "GET", common + params + extra, None)
    return assemble_v1(ctx, f"many params {kind} (form)", "POST", [], common + params + extra)


_A_100K, _A_1M, _A_2M = "a" * 100_000, "a" * 1_000_000, "a" * 2_000_000


_RPC_MUTATIONS: list[Callable[[Source, Context], FuzzRequest]] = [
    _missing_common, _missing_signature, _duplicate_params, _bad_timestamp, _bad_action_or_version, _odd_method,
    _odd_content_type, _bad_nonce, _bad_signature, _v3_signed_headers, _header_garbage, _many_params,
]


# --- HTTP that does not parse, or frames its body wrongly ---------------------------------

def malformed_http(src: Source, ctx: Context) -> FuzzRequest:
    """Bytes an HTTP parser must refuse or frame carefully. Sent on a fresh connection;
    where the server may wait for more, our side is shut after sending."""
    base = v1_call(ctx, "DescribeRegions", {})
    target = base.target
    line = f"POST {target} HTTP/1.1\r\nHost: {ctx.host}\r\n"
    form = b"Format=JSON"
    kind = src.integer(0, 11)
    half_close = False
    if kind == 0:
        value = src.choice(["abc", "-1", "1e3", "²", " 5", "5 ", "0x10", "+5", "", "11, 11", "99999999999999999999",
                            HUGE_DIGITS])
        raw = f"{line}Content-Length: {value}\r\n\r\n".encode() + form
        half_close = True
    elif kind == 1:
        raw = f"{line}Content-Length: 11\r\nContent-Length: 5\r\n\r\n".encode() + form
        half_close = True
    elif kind == 2:
        raw = f"{line}Content-Length: 11\r\nTransfer-Encoding: chunked\r\n\r\n".encode() + _chunked(form, 4)
    elif kind == 3:
        coding = src.choice(["gzip", "chunked, chunked", "identity", "xchunked", "chunked, gzip", " chunked"])
        raw = f"{line}Transfer-Encoding: {coding}\r\n\r\n".encode() + _chunked(form, 4)
        half_close = True
    elif kind == 4:
        chunk = src.choice([b"zz\r\nab\r\n0\r\n\r\n", b"ffffffffffffffffff\r\nab\r\n", b"5\r\nab\r\n0\r\n\r\n",
                            b"-1\r\nab\r\n0\r\n\r\n", b"2;x=\x00\r\nab\r\n0\r\n\r\n", b"2\r\nab"])
        raw = f"{line}Transfer-Encoding: chunked\r\n\r\n".encode() + chunk
        half_close = True
    elif kind == 5:
        raw = f"{line}Content-Length: 2\r\n\r\n".encode() + form + b"GARBAGE / HTTP/1.1\r\n\r\n"
    elif kind == 6:
        header = src.choice([b"NoColon", b" Leading: space", b"Bad Name: x", b"X: a\x00b", b"X: a\r\n folded",
                             b": empty-name", b"X" * 70_000 + b": x", b"X:\xff\xfe", b"X: a\rb", b"\x00: x"])
        raw = f"GET {target} HTTP/1.1\r\nHost: {ctx.host}\r\n".encode() + header + b"\r\n\r\n"
    elif kind == 7:
        raw = f"GET {target} HTTP/1.1\nHost: {ctx.host}\n\n".encode()   # bare LF
    elif kind == 8:
        version = src.choice(["HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "", "HTTP/1.1 extra", "http/1.1", "HTTP/1.01"])
        raw = f"GET {target} {version}".rstrip().encode() + f"\r\nHost: {ctx.host}\r\n\r\n".encode()
        half_close = True
    elif kind == 9:
        odd = src.choice(["/? a=b", "/\x00", "/é", "/?Action=\xff", "*", "http://evil.example/?Action=X",
                          f"http://{ctx.host}{target}", "//", "/%", "/" + "a" * 200_000, "?Action=X", ""])
        raw = f"GET {odd} HTTP/1.1\r\nHost: {ctx.host}\r\n\r\n".encode("utf-8", "surrogateescape")
    elif kind == 10:
        method = src.choice(["get", "G\x00T", "GE T", "", "CONNECT", "X" * 10_000, "PRI"])
        raw = f"{method} {target} HTTP/1.1\r\nHost: {ctx.host}\r\n\r\n".encode()
        half_close = True
    else:
        raw = f"{line}Content-Length: 1000\r\n\r\n".encode() + form   # body shorter than announced
        half_close = True
    return FuzzRequest(f"malformed HTTP {kind}", "rpc", "", "", [], raw=raw, framing_ok=False, half_close=half_close)


# --- the control plane ------------------------------------------------------------------

def to_json(value: Any) -> str:
    if isinstance(value, RawJSON):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {to_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_json(v) for v in value) + "]"
    return json.dumps(value)   # NaN and Infinity as Python's json writes them


def json_value(src: Source, depth: int = 0) -> Any:
    kind = src.integer(0, 9)
    if kind < 7 or depth >= 3:
        return src.choice(JSON_VALUES)
    if kind < 9:
        return [json_value(src, depth + 1) for _ in range(src.integer(0, 3))]
    return {src.choice(["seconds", "Hold", "Path", "a", "", "\x00"]): json_value(src, depth + 1)
            for _ in range(src.integer(0, 3))}


def _fields(src: Source, good: dict[str, list[Any]]) -> dict[str, Any]:
    """A body with the route's fields: each present or not, good or hostile."""
    body = {}
    for name, values in good.items():
        if src.chance(0.85):
            body[name] = json_value(src) if src.chance(0.3) else src.choice(values)
    if src.chance(0.1):
        body[src.choice(["Extra", "", "seconds ", "hold"])] = json_value(src)
    return body


def _file_paths(ctx: Context) -> list[str]:
    """Paths for export and import: in the files directory, escaping it (into our own
    temporary directory), relative, or odd; never anywhere else on the machine."""
    n = ctx.serial()
    files = ctx.files_dir.rstrip("/")
    return [f"{files}/fuzz-{n}.raw", f"{files}/fuzz-1.raw", f"{files}/../fuzz-escape-{n}.raw",
            f"{files}/../../fuzz-escape-{n}.raw", f"{files}/no-such-dir/fuzz.raw", f"{files}/", files,
            f"{files}/fuzz\x00.raw", f"fuzz-relative-{n}.raw", f"../fuzz-relative-{n}.raw", "",
            f"{files}/" + "a" * 5000, f"{files}/%2e%2e/fuzz.raw"]


def _route(src: Source, ctx: Context) -> tuple[str, str, dict[str, Any] | bytes | None, str]:
    """(method, path with query, body, label) for one of the real routes."""
    world = ctx.world
    route = src.integer(0, 11)
    if route == 0:
        return "GET", "/_ecsemu/health", None, "health"
    if route == 1:
        return "POST", "/_ecsemu/clock/advance", _fields(src, {"seconds": [5, 0, 1.5]}), "advance"
    if route in (2, 3):
        instance = world.pick(src, "i")
        if route == 2:
            body = _fields(src, {"LockReason": ["security", "financial", "boredom"]})
            return "POST", f"/_ecsemu/instances/{instance}/locks", body, "lock"
        reason = src.choice(["security", "financial", "boredom", "%00", "a" * 5000])
        return "DELETE", f"/_ecsemu/instances/{instance}/locks/{reason}", None, "unlock"
    if route == 4:
        body = _fields(src, {"CreationTime": ["2013-07-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
                                              "2013-07-01T00:00:00+14:00", "last year", "2013-07-01"],
                             "Hold": [True, False, "true"]})
        return "PATCH", f"/_ecsemu/snapshots/{world.pick(src, 's')}", body, "snapshot"
    if route in (5, 6, 7):
        disk = world.pick(src, "d")
        query = [("offset", src.choice(OFFSETS))] if src.chance(0.8) else []
        if route == 5:
            if src.chance(0.8):
                query.append(("length", src.choice(LENGTHS)))
            if src.chance(0.1):
                query.append(("offset", src.choice(OFFSETS)))
            return "GET", f"/_ecsemu/disks/{disk}/data?" + _control_query(query), None, "read"
        if route == 6:
            data = src.choice([b"MARKER", b"", b"\x00" * 4096, b"x" * 1_000_000])
            return "PUT", f"/_ecsemu/disks/{disk}/data?" + _control_query(query), data, "write"
        body = _fields(src, {"Path": _file_paths(ctx), "Format": ["raw", "qcow2", "vmdk", "", "RAW"]})
        return "POST", f"/_ecsemu/disks/{disk}/export", body, "export"
    if route == 8:
        body = _fields(src, {"Path": _file_paths(ctx), "ImageName": ["fuzz-image", "x", "a" * 200, "1bad"],
                             "OSType": ["linux", "windows", "beos"], "RegionId": ["cn-hangzhou", "nowhere"],
                             "AccessKeyId": ["testid", "unknown-key", ""]})
        return "POST", "/_ecsemu/images/import", body, "import"
    if route == 9:
        if src.chance(0.15):   # rare: it forgets every resource (the harness makes new ones)
            return "POST", "/_ecsemu/reset", None, "reset"
        return "GET", "/_ecsemu/health", None, "health"
    if route == 10:   # a real route with a raw, hostile body
        method, path = src.choice([("POST", "/_ecsemu/clock/advance"),
                                   ("POST", f"/_ecsemu/instances/{world.pick(src, 'i')}/locks"),
                                   ("PATCH", f"/_ecsemu/snapshots/{world.pick(src, 's')}"),
                                   ("POST", f"/_ecsemu/disks/{world.pick(src, 'd')}/export"),
                                   ("POST", "/_ecsemu/images/import")])
        return method, path, src.choice(JSON_BODIES), "raw body"
    segments = [src.choice(SEGMENTS) for _ in range(src.integer(1, 4))]   # a random path
    path = "/_ecsemu/" + "/".join(segments)
    if src.chance(0.3):
        path += "?" + _control_query([(src.choice(["offset", "length", "x", ""]), src.choice(OFFSETS))])
    return src.choice(CONTROL_METHODS), path, (json_value(src) if src.chance(0.5) else None), "random path"


def _control_query(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{k}={v if v.startswith('%') else encode(v)}" for k, v in pairs)


def control_plane(src: Source, ctx: Context) -> FuzzRequest:
    method, path, body, label = _route(src, ctx)
    if src.chance(0.1):
        method = src.choice(CONTROL_METHODS)   # a known path, another method
    if isinstance(body, (dict, list)) or (body is not None and not isinstance(body, bytes)):
        payload = to_json(body).encode("utf-8", "surrogatepass")
    else:
        payload = body or b""
    headers = [("Host", ctx.host)]
    kind = src.integer(0, 9)
    if kind == 7:
        headers = [("Host", src.choice(HOSTS))] if src.chance(0.8) else []
    elif kind == 8:
        headers.append(("Origin", src.choice(ORIGINS)))
        if src.chance(0.5):
            headers.append(("Sec-Fetch-Site", src.choice(FETCH_SITES)))
    elif kind == 9:
        headers.append(src.choice([("Host", "evil.example"), ("Authorization", "Bearer " + "a" * 100),
                                   ("X-Forwarded-For", "10.1.2.3"), ("Forwarded", "for=10.1.2.3"),
                                   ("X-Real-IP", "10.1.2.3"), ("Sec-Fetch-Site", "cross-site")]))
    if payload or method in ("POST", "PATCH", "PUT"):
        if method == "PUT" and src.chance(0.8):
            headers.append(("Content-Type", "application/octet-stream"))
        elif src.chance(0.8):
            headers.append(("Content-Type", "application/json"))
        elif src.chance(0.7):
            headers.append(("Content-Type", src.choice(CONTROL_CONTENT_TYPES)))
    decoded = unquote(path.split("?", 1)[0])
    surface = "web" if decoded == "/_ecsemu/web" or decoded.startswith("/_ecsemu/web/") else "control"
    return FuzzRequest(f"control {method} {label}", surface, method, path, headers, payload)


# --- all of it --------------------------------------------------------------------------

GENERATORS: dict[str, Callable[[Source, Context], FuzzRequest]] = {
    "signed_v1": signed_v1, "signed_v3": signed_v3, "broken_rpc": broken_rpc, "malformed_http": malformed_http,
    "control_plane": control_plane,
}
# The long run's mix: mostly calls that parse and reach the handlers.
WEIGHTS = {"signed_v1": 30, "signed_v3": 20, "broken_rpc": 22, "malformed_http": 6, "control_plane": 22}
_MIX = [name for name, weight in WEIGHTS.items() for _ in range(weight)]


def any_request(src: Source, ctx: Context) -> FuzzRequest:
    return GENERATORS[src.choice(_MIX)](src, ctx)
