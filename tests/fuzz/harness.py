"""Sending fuzz requests over a raw socket, and what every answer must be.

``Harness`` keeps one keep-alive connection to the server (a fresh one for malformed
HTTP), sends each ``FuzzRequest`` byte for byte, reads the answer with a timeout, learns
resource IDs from successful answers (and makes new resources when a reset forgot them),
and ``problems(request, answer)`` lists what is wrong with an answer:

- no answer (a hang, or a closed connection) to well-formed HTTP;
- any status of 500 or more;
- on ``/``: an error that is not the ECS error body: JSON with exactly RequestId, HostId,
  Code, Message and Recommend, or the same as XML ``<Error>`` when XML was asked for;
- a head past the documented bounds (docs/limits.md: the target, all headers) answered
  otherwise than 414 / 431, an RPC body past its bound otherwise than 413 (an ECS error in
  the format the query and headers ask for: the body is never read);
- on the control plane (``/_ecsemu/``, the web pages aside): an error that is not JSON
  ``{"Code", "Message"}``.
"""

from __future__ import annotations

import json
import socket
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field

from ecsemu.wire.limits import MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_TARGET_BYTES

from .generators import Context, FuzzRequest, World, assemble_v1, v1_call, v1_common

IDLE_SECONDS = 2.0   # a kept-alive connection idle this long is replaced (the server may close it at 5 s)
ECS_ERROR_KEYS = {"RequestId", "HostId", "Code", "Message", "Recommend"}
CONTROL_ERROR_KEYS = {"Code", "Message"}


@dataclass
class Answer:
    status: int | None               # None: no answer (see ``failure``)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    failure: str | None = None       # timeout | closed without an answer | truncated answer
    seconds: float = 0.0

    def json(self):
        return json.loads(self.body)


class _Closed(Exception):
    pass


class Connection:
    """One HTTP/1.1 connection to 127.0.0.1, read by hand (no client library second-guessing
    what is sent)."""

    def __init__(self, port: int, timeout: float) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buffer = bytearray()
        self.open = True
        self.used = time.monotonic()

    def close(self) -> None:
        self.open = False
        self.sock.close()

    def exchange(self, data: bytes, *, head: bool, half_close: bool) -> Answer:
        started = time.perf_counter()
        try:
            try:
                self.sock.sendall(data)
                if half_close:
                    self.sock.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError):
                pass   # the server may answer (e.g. 400) and close before reading everything
            status, headers, body = self._read_response(head)
        except TimeoutError:
            self.close()
            return Answer(None, failure="timeout", seconds=time.perf_counter() - started)
        except _Closed as closed:
            self.close()
            return Answer(None, failure=str(closed), seconds=time.perf_counter() - started)
        except ConnectionResetError:
            self.close()
            return Answer(None, failure="connection reset", seconds=time.perf_counter() - started)
        if half_close or "close" in headers.get("connection", "").lower():
            self.close()
        self.used = time.monotonic()
        return Answer(status, headers, body, seconds=time.perf_counter() - started)

    def _fill(self, nothing_yet: bool) -> None:
        chunk = self.sock.recv(262_144)
        if not chunk:
            raise _Closed("closed without an answer" if nothing_yet else "truncated answer")
        self._buffer += chunk

    def _read_response(self, head: bool) -> tuple[int, dict[str, str], bytes]:
        while True:
            while (end := self._buffer.find(b"\r\n\r\n")) < 0:
                self._fill(not self._buffer)
            lines = bytes(self._buffer[:end]).decode("latin-1").split("\r\n")
            del self._buffer[:end + 4]
            parts = lines[0].split(" ", 2)
            if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
                raise _Closed(f"not an HTTP response: {lines[0][:80]!r}")
            status = int(parts[1])
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                headers[name] = f"{headers[name]},{value.strip()}" if name in headers else value.strip()
            if 100 <= status < 200:
                continue   # 100 Continue: the real answer follows
            if head or status in (204, 304):
                return status, headers, b""
            if "chunked" in headers.get("transfer-encoding", "").lower():
                return status, headers, self._read_chunked()
            if "content-length" in headers:
                length = int(headers["content-length"])
                while len(self._buffer) < length:
                    self._fill(False)
                body = bytes(self._buffer[:length])
                del self._buffer[:length]
                return status, headers, body
            try:   # no framing: the body runs to the end of the connection
                while True:
                    self._fill(False)
            except _Closed:
                body = bytes(self._buffer)
                self._buffer.clear()
                self.open = False
                return status, headers, body

    def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            while (end := self._buffer.find(b"\r\n")) < 0:
                self._fill(False)
            size = int(bytes(self._buffer[:end]).split(b";")[0], 16)
            del self._buffer[:end + 2]
            while len(self._buffer) < size + 2:
                self._fill(False)
            body += self._buffer[:size]
            del self._buffer[:size + 2]
            if size == 0:
                return bytes(body)


# --- what an answer must be -------------------------------------------------------------

def problems(request: FuzzRequest, answer: Answer) -> list[str]:
    """What is wrong with ``answer`` to ``request``; empty if nothing."""
    if answer.status is None:
        if answer.failure == "timeout":
            return [f"no answer within {answer.seconds:.0f} s"]
        return [answer.failure or "no answer"] if request.well_formed else []
    found = []
    if answer.status >= 500:
        found.append(f"HTTP {answer.status}")
    if not request.well_formed:
        return found
    target_bytes, header_bytes = request.head_sizes()
    if target_bytes > MAX_TARGET_BYTES or header_bytes > MAX_HEADER_BYTES:
        # Refused as a head, before it is a request of either surface (docs/limits.md).
        want = 414 if target_bytes > MAX_TARGET_BYTES else 431
        if answer.status != want and not (target_bytes > MAX_TARGET_BYTES and answer.status == 431):
            found.append(f"a head of {target_bytes} target bytes and {header_bytes} header bytes was answered "
                         f"{answer.status}, not {want}: {answer.body[:200]!r}")
        return found
    if request.surface == "rpc" and request.content_bytes() > MAX_BODY_BYTES:
        # Refused unread (docs/limits.md): 413, in the format the query and headers ask for.
        if answer.status != 413:
            found.append(f"a body of {request.content_bytes()} bytes was answered {answer.status}, not 413")
        if request.method != "HEAD":
            found += ecs_error_problems(answer, request.expect_xml_head)
        return found
    if answer.status < 400 or request.method == "HEAD":
        return found
    if request.surface == "rpc":
        found += ecs_error_problems(answer, request.expect_xml)
    elif request.surface == "control":
        found += control_error_problems(answer)
    return found


def ecs_error_problems(answer: Answer, expect_xml: bool | None) -> list[str]:
    content_type = answer.headers.get("content-type", "")
    is_xml, is_json = content_type.startswith("text/xml"), content_type.startswith("application/json")
    if expect_xml is True and not is_xml:
        return [f"XML was asked for; the error came as {content_type!r}: {answer.body[:200]!r}"]
    if expect_xml is False and not is_json:
        return [f"JSON was asked for; the error came as {content_type!r}: {answer.body[:200]!r}"]
    if is_json:
        try:
            body = json.loads(answer.body)
        except ValueError:
            return [f"error body is not JSON: {answer.body[:200]!r}"]
        if not isinstance(body, dict) or set(body) != ECS_ERROR_KEYS:
            return [f"error body is not an ECS error: {answer.body[:300]!r}"]
        if not all(isinstance(value, str) for value in body.values()) or not body["Code"]:
            return [f"ECS error with a non-string or empty member: {answer.body[:300]!r}"]
        return []
    if is_xml:
        try:
            root = ElementTree.fromstring(answer.body)
        except ElementTree.ParseError:
            return [f"error body is not XML: {answer.body[:200]!r}"]
        tags = [child.tag for child in root]
        if root.tag != "Error" or sorted(tags) != sorted(ECS_ERROR_KEYS) or any(len(child) for child in root):
            return [f"XML error is not an ECS <Error>: {answer.body[:300]!r}"]
        return []
    return [f"error is neither JSON nor XML ({content_type!r}): {answer.body[:200]!r}"]


def control_error_problems(answer: Answer) -> list[str]:
    content_type = answer.headers.get("content-type", "")
    if not content_type.startswith("application/json"):
        return [f"control-plane error is not JSON ({content_type!r}): {answer.body[:200]!r}"]
    try:
        body = json.loads(answer.body)
    except ValueError:
        return [f"control-plane error body is not JSON: {answer.body[:200]!r}"]
    if not isinstance(body, dict) or set(body) != CONTROL_ERROR_KEYS or not all(
            isinstance(value, str) for value in body.values()):
        return [f'control-plane error is not {{"Code", "Message"}}: {answer.body[:300]!r}']
    return []


def outcome(answer: Answer) -> tuple[str, str]:
    """(status, Code) of an answer, for counting distinct outcomes."""
    if answer.status is None:
        return ("-", answer.failure or "no answer")
    code = "-"
    content_type = answer.headers.get("content-type", "")
    if answer.status >= 400:
        if content_type.startswith("application/json"):
            try:
                body = json.loads(answer.body)
                if isinstance(body, dict):
                    code = str(body.get("Code", "-"))
            except ValueError:
                pass
        elif content_type.startswith("text/xml"):
            start, end = answer.body.find(b"<Code>"), answer.body.find(b"</Code>")
            if 0 <= start < end:
                code = answer.body[start + 6:end].decode("utf-8", "replace")
        else:
            code = f"({content_type.split(';')[0] or 'no type'})"
    return (str(answer.status), code)


# --- the harness ------------------------------------------------------------------------

class Harness:
    """Sends fuzz requests to one server and keeps its world of resource IDs current."""

    def __init__(self, port: int, *, timeout: float = 10.0, context: Context | None = None) -> None:
        """``context``: share another harness's (its world of IDs), on a connection of our own."""
        self.port = port
        self.timeout = timeout
        self._connection: Connection | None = None
        self.previous = "(none)"   # the last exchange on the kept-alive connection, for diagnosis
        if context is not None:
            self.context = context
            return
        self.context = Context(port=port, files_dir="/nonexistent", world=World())
        health = self.health()
        if health.status != 200:
            raise RuntimeError(f"the server does not answer its health check: {health}")
        self.context.files_dir = health.json()["FilesDir"]

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def send(self, request: FuzzRequest) -> Answer:
        """Sends the request; learns IDs from a success; after a reset, makes new resources."""
        answer = self.exchange(request)
        if answer.status is not None and 200 <= answer.status < 300 and answer.body:
            self.context.world.harvest(answer.body)
            if request.surface == "control" and request.method == "POST" and request.target == "/_ecsemu/reset":
                self.context.world.clear()
                self.seed()
        return answer

    def exchange(self, request: FuzzRequest) -> Answer:
        fresh = not request.well_formed or request.half_close
        if fresh:   # malformed HTTP: on a connection of its own, closed afterwards
            connection = Connection(self.port, self.timeout)
        else:
            stale = self._connection is not None and time.monotonic() - self._connection.used > IDLE_SECONDS
            if self._connection is None or not self._connection.open or stale:
                if self._connection is not None:
                    self._connection.close()
                self._connection = Connection(self.port, self.timeout)
                self.previous = "(a new connection)"
            connection = self._connection
        try:
            answer = connection.exchange(request.wire(), head=request.method == "HEAD", half_close=request.half_close)
        finally:
            if fresh or request.method == "HEAD":
                connection.close()
        if not fresh:
            self.previous = f"{request.label} -> {outcome(answer)}"
        return answer

    def health(self) -> Answer:
        request = FuzzRequest("health", "control", "GET", "/_ecsemu/health", [("Host", f"127.0.0.1:{self.port}")])
        return self.exchange(request)

    def call(self, action: str, **params: str) -> Answer:
        return self.send(v1_call(self.context, action, params))

    def default_vswitch(self) -> str:
        """The region's first zone's default vSwitch, made with the default VPC (listed by
        the VPC product's DescribeVpcs in zone order)."""
        query = v1_common(self.context, "DescribeVpcs", "JSON", Version="2016-04-28") + [
            ("RegionId", "cn-hangzhou"), ("IsDefault", "true")]
        answer = self.send(assemble_v1(self.context, "setup DescribeVpcs", "GET", query, None))
        vpcs = answer.json().get("Vpcs", {}).get("Vpc", []) if answer.status == 200 else []
        return vpcs[0]["VSwitchIds"]["VSwitchId"][0] if vpcs else ""

    def seed(self) -> None:
        """A few resources of each kind, so that calls can name real ones."""
        ctx = self.context
        group = self.call("CreateSecurityGroup", RegionId="cn-hangzhou")
        group_id = group.json().get("SecurityGroupId", "") if group.status == 200 else ""
        image = "aliyun_3_x64_20G_alibase_20240819.vhd"
        self.call("RunInstances", RegionId="cn-hangzhou", SecurityGroupId=group_id, InstanceType="ecs.g7.large",
                  VSwitchId=self.default_vswitch(), ImageId=image, Amount="2", **{"DataDisk.1.Size": "20"})
        instances = list(ctx.world.ids["i"])
        if instances:
            self.call("StopInstance", InstanceId=instances[0])
        self.call("CreateDisk", RegionId="cn-hangzhou", ZoneId="cn-hangzhou-b", DiskCategory="cloud_essd", Size="20")
        self.call("DescribeDisks", RegionId="cn-hangzhou", PageSize="100")
        disks = list(ctx.world.ids["d"])
        if disks:
            self.call("CreateSnapshot", DiskId=disks[0])
        snapshots = list(ctx.world.ids["s"])
        if snapshots:
            self.call("CreateImage", RegionId="cn-hangzhou", SnapshotId=snapshots[0], ImageName="fuzz-image")
        self.call("CreateKeyPair", RegionId="cn-hangzhou", KeyPairName=f"fuzz-kp-{ctx.serial()}")
        self.call("DescribeInstances", RegionId="cn-hangzhou", PageSize="100")
