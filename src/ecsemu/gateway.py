"""The RPC endpoint: one request in, one ECS answer out.

parse -> format -> action and version -> authenticate -> rate limits -> region -> parameters -> handler
-> render. Every failure on the way is an ``EcsError`` rendered as the real gateway would;
anything else is ``InternalError`` (500), logged with its traceback and never shown.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor
from dataclasses import dataclass, fields
from functools import cache
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError

from . import errors
from .access_line import RENDERERS
from .actions.declaration import CallContext
from .actions.products import for_request
from .catalog.regions import DEFAULT_REGION_ID, REGIONS_BY_ID, region_from_host
from .domain.faults import FaultRule
from .emulator import Emulator
from .errors import EcsError
from .guest.image import GuestImageMissing
from .metrics.counts import UNKNOWN
from .storage.base import out_of_space
from .wire import render
from .wire.limits import BODY_SECONDS, MAX_BODY_BYTES, MAX_PARAMETERS, BodyTooLarge, read_bounded
from .wire.origin import cross_site
from .wire.redact import clipped, redacted
from .wire.request import RpcRequest, build_request

T = TypeVar("T")
access_log = logging.getLogger("ecsemu.access")
log = logging.getLogger("ecsemu.gateway")

# Version 4 and the RFC 4122 variant, set in a random 128-bit number.
_UUID4_MASK = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)
_UUID4_BITS = (0x4 << 76) | (0x2 << 62)

_FORMATS = {"json": False, "xml": True}  # Format value (any case) -> is XML


@dataclass
class Outcome:
    """What the access log says of one request."""

    request_id: str
    action: str | None = None
    account_id: str | None = None
    code: str | None = None
    idempotency: str | None = None   # a ClientToken's call: first, replayed, mismatch or processing
    endpoint: str = ""   # the product's public host, the error's HostId when the request names none
    xml: bool = False    # the answer's format (Format)
    fault: str | None = None  # the fault rule that struck the call (faults.py)

    def note_idempotency(self, what: str) -> None:
        self.idempotency = what


@dataclass(frozen=True)
class Deferred:
    """A fault's latency: ``rest`` (the call's remainder, answered) runs in a worker thread
    once the event loop has waited ``seconds``, so the wait holds no thread."""

    seconds: float
    rest: Callable[[], render.WireResponse | Dropped]


class Dropped:
    """A fault's dropped connection: closed without an answer."""


DROPPED = Dropped()


# Fields of Outcome the access line shows under names of their own (endpoint: not at all);
# any other field is shown, CamelCased, whenever it is set (neither None nor "").
_NAMED = frozenset({"request_id", "action", "account_id", "code", "endpoint", "xml"})


@cache
def _more_fields(kind: type) -> tuple[tuple[str, str], ...]:
    """(field, name in the line) of each further field of ``kind``."""
    return tuple((field.name, field.name.title().replace("_", "")) for field in fields(kind)
                 if field.name not in _NAMED)


def new_request_id() -> str:
    """An upper-case UUID4, as the real service's RequestIds are."""
    hexa = f"{random.getrandbits(128) & _UUID4_MASK | _UUID4_BITS:032X}"
    return f"{hexa[:8]}-{hexa[8:12]}-{hexa[12:16]}-{hexa[16:20]}-{hexa[20:]}"


def handle(emulator: Emulator, request: RpcRequest,
           refusal: EcsError | None = None) -> tuple[render.WireResponse | Deferred | Dropped, Outcome]:
    """``refusal``: the request was refused while it arrived (its body too large). A fault
    rule may defer the rest of the call (``Deferred``: its latency) or drop it."""
    outcome = Outcome(new_request_id(), endpoint=f"{emulator.products[0].host_prefix}.aliyuncs.com")

    def call() -> render.WireResponse | Deferred | Dropped:
        outcome.xml = _wants_xml(request)
        if refusal is not None:
            raise refusal
        return _dispatch(emulator, request, outcome)
    return _answered(request, outcome, call), outcome


def _answered(request: RpcRequest, outcome: Outcome, call: Callable[[], T]) -> T | render.WireResponse:
    """``call()``, or the error it raised as the gateway answers it."""
    try:
        return call()
    except EcsError as exc:
        outcome.code = exc.code
        return _error(request, outcome, exc.status, exc.code, exc.message, outcome.xml)
    except Exception as exc:
        error = errors.INTERNAL_ERROR
        if out_of_space(exc):
            # The emulator's own disk is full: nothing was changed (the transaction rolled
            # back, the storage step removed its partial file); retrying later works.
            log.warning("%s refused: no space left on the emulator's disk (RequestId %s): %s",
                        outcome.action, outcome.request_id, exc)
            error = errors.SERVICE_UNAVAILABLE
        elif isinstance(exc, GuestImageMissing):
            # The bootable image cannot be built on this host: nothing was changed, and
            # installing the package the log names makes the call work.
            log.warning("%s refused (RequestId %s): %s", outcome.action, outcome.request_id, exc)
            error = errors.SERVICE_UNAVAILABLE
        else:
            log.exception("InternalError in %s (RequestId %s); parameters: %s",
                          outcome.action, outcome.request_id, redacted(request.params))
        outcome.code = error.code
        return _error(request, outcome, error.status, error.code, error.message, outcome.xml)


def _dispatch(emulator: Emulator, request: RpcRequest, outcome: Outcome) -> render.WireResponse | Deferred | Dropped:
    if request.method not in ("GET", "POST"):
        raise errors.UNSUPPORTED_HTTP_METHOD()
    reason = cross_site(request.headers, request.scheme)
    if reason is not None:  # a web page the user has open, not a client of theirs
        raise errors.CROSS_SITE_CALL(reason=reason)
    if len(request.params) > MAX_PARAMETERS:
        raise errors.TOO_MANY_PARAMETERS(limit=str(MAX_PARAMETERS))
    name = request.action
    if not name:
        raise errors.MISSING_PARAMETER(name="Action")
    outcome.action = name
    version = request.version
    if not version:
        raise errors.MISSING_PARAMETER(name="Version")
    product = for_request(emulator.products, request.host, version)
    if product is None:
        raise errors.INVALID_VERSION()
    outcome.endpoint = f"{product.host_prefix}.aliyuncs.com"
    action = product.actions.get(name)
    if action is None:
        raise errors.INVALID_ACTION_NOT_FOUND()
    principal = emulator.authenticator.authenticate(request)
    outcome.account_id = principal.account_id
    throttled = emulator.throttle.admit(principal.account_id, name)  # before any work the call asks for
    if throttled is not None:
        raise throttled()

    def run() -> render.WireResponse:
        args = action.parse(request.params)
        context = CallContext(
            emulator=emulator,
            request_id=outcome.request_id,
            account_id=principal.account_id,
            region_id=_region(request, args),
            endpoint=request.host,
        )
        token = action.client_token
        if token is not None and args[token.name]:  # sent: idempotency.py answers a repeat as the first
            payload = emulator.client_tokens.run(
                token, f"{product.code}:{name}", principal.account_id, outcome.request_id, args,
                lambda: _run_with_retries(action.handler, context, args), outcome.note_idempotency)
        else:
            payload = _run_with_retries(action.handler, context, args)
        return render.success(name, dict(payload), outcome.request_id, outcome.xml)

    rule = emulator.faults.strike(product.code, name, principal.account_id, request.params)
    if rule is None:
        return run()
    outcome.fault = rule.rule_id
    if rule.latency_ms:  # the rest after the wait, which the event loop makes (RpcGateway)
        return Deferred(rule.latency_ms / 1000, lambda: _answered(request, outcome,
                                                                  lambda: _struck(emulator, rule, run)))
    return _struck(emulator, rule, run)


def _struck(emulator: Emulator, rule: FaultRule, run: Callable[[], render.WireResponse]) \
        -> render.WireResponse | Dropped:
    """What a fault rule makes of the call (after its latency, if any)."""
    if rule.error is not None:
        raise EcsError(rule.error, rule.error.message)
    if rule.drop_connection:
        return DROPPED
    if rule.hold_seconds:
        with emulator.faults.holding(rule.hold_seconds):
            return run()
    return run()


# PostgreSQL gives up one of two transactions that wait on each other (deadlock), or that
# cannot both hold under its isolation (serialization): that one rolled back whole, so it
# is run again, as a client would retry it, but without a second nonce claim.
_RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
_ATTEMPTS = 5


def _run_with_retries(handler, context: CallContext, args: dict):
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return handler(context, args)
        except DBAPIError as exc:
            if attempt == _ATTEMPTS or getattr(exc.orig, "sqlstate", None) not in _RETRYABLE_SQLSTATES:
                raise
            log.info("retrying %s after %s (attempt %d)", type(exc.orig).__name__, context.request_id, attempt)
            time.sleep(random.uniform(0.001, 0.01) * attempt)


async def _in_thread(workers: Executor, call: Callable[..., T], *args) -> T:
    """``call(*args)`` in one of ``workers``, awaited: its result handed to the event loop
    with one thread-safe callback (``run_in_executor`` chains a second future to it, a
    sixth of a DescribeRegions' cost)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def run() -> None:
        try:
            result = call(*args)
        except BaseException as exc:  # handed to the awaiting task, as run_in_executor does
            loop.call_soon_threadsafe(_settle, done, None, exc)
        else:
            loop.call_soon_threadsafe(_settle, done, result, None)

    workers.submit(run)
    return await done


def _settle(done: asyncio.Future, result: Any, exc: BaseException | None) -> None:
    if done.cancelled():  # the client went away while the call ran
        return
    if exc is not None:
        done.set_exception(exc)
    else:
        done.set_result(result)


def _wants_xml(request: RpcRequest) -> bool:
    """``Format`` in any case; absent means JSON for V3 clients (they only parse JSON) and
    the documented default, XML, for v1 ones."""
    value = request.params.get("Format")
    if value is None:
        return not request.is_v3
    try:
        return _FORMATS[value.lower()]
    except KeyError:
        raise errors.INVALID_PARAMETER_FORMAT() from None


def _region(request: RpcRequest, args: dict) -> str:
    """The action's RegionId, else one the client added anyway (the old Python SDK adds
    its own), else the endpoint host's, else the default."""
    declared = args.get("RegionId")
    if declared:
        return declared
    extra = request.params.get("RegionId")
    if extra in REGIONS_BY_ID:
        return extra
    return region_from_host(request.host) or DEFAULT_REGION_ID


def _error(request: RpcRequest, outcome: Outcome, status: int, code: str, message: str,
           xml: bool) -> render.WireResponse:
    host_id = request.host.rsplit(":", 1)[0] if request.host else outcome.endpoint
    return render.error(status, code, message, outcome.request_id, host_id, xml)


class RpcGateway:
    """The ASGI application behind ``/``. The event loop only reads the request and writes
    the answer; the call itself (authentication with its nonce, the database, password
    hashing, key generation, storage tools) runs in a worker thread, so that one slow call
    never stalls the others: reads (Describe*, List*) in ``reads``, the rest in ``changes``,
    whose threads run at a lower priority (priority.py)."""

    def __init__(self, emulator: Emulator, reads: Executor, changes: Executor) -> None:
        self.emulator = emulator
        self._reads = reads
        self._changes = changes
        self._metrics = emulator.metrics
        self._render_line = RENDERERS[emulator.config.log_format]

    async def __call__(self, scope, receive, send) -> None:
        started = time.perf_counter()
        refusal = None
        try:
            body = await _read_body(scope, receive)
        except EcsError as exc:  # too large, or too slow: answered without reading the rest,
            body, refusal = b"", exc  # which the connection drops while it lingers (http_protocol.py)
        request = build_request(scope["method"], scope["path"], scope["query_string"],
                                scope["headers"], body, scope.get("scheme", "http"))
        product = for_request(self.emulator.products, request.host, request.version or "")
        action = product.actions.get(request.action or "") if product is not None else None
        workers = self._changes if action is not None and not action.read_only else self._reads
        response, outcome = await _in_thread(workers, handle, self.emulator, request, refusal)
        while isinstance(response, Deferred):
            await asyncio.sleep(response.seconds)
            response = await _in_thread(workers, response.rest)
        if isinstance(response, Dropped):
            await _drop(scope, receive)
            _log_access(request, None, outcome, time.perf_counter() - started, self._render_line)
            return
        headers = [
            (b"content-type", response.content_type.encode()),
            (b"content-length", str(len(response.body)).encode()),
            (b"x-acs-request-id", outcome.request_id.encode()),
        ]
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})
        seconds = time.perf_counter() - started
        self._metrics.request(product.code if product is not None else UNKNOWN,
                              action.name if action is not None else UNKNOWN,
                              outcome.code, response.status, seconds)
        _log_access(request, response, outcome, seconds, self._render_line)


async def _drop(scope, receive) -> None:
    """Closes the connection without an answer, as a broken network would; the server's
    protocol (http_protocol.py) puts the means in the scope. Then waits until the server
    has seen the connection go, so that it does not answer in our place."""
    close = scope.get("extensions", {}).get("ecsemu.close_connection")
    if close is None:  # another server: the nearest thing, an answer it cannot parse
        raise ConnectionAbortedError("fault rule: connection dropped")
    close()
    while (await receive())["type"] != "http.disconnect":
        pass


async def _read_body(scope, receive) -> bytes:
    """The body, refused (RequestEntityTooLarge) as soon as it is known to pass
    MAX_BODY_BYTES: at once from Content-Length, else while chunks arrive; memory stays
    bounded whatever is sent. A body that takes longer than BODY_SECONDS is refused too."""
    # Most calls carry no body (everything in the query): skip the wait for one.
    framing = {name: value for name, value in scope["headers"]
               if name in (b"content-length", b"transfer-encoding")}
    if not framing or framing.get(b"content-length") == b"0":
        return b""
    declared = framing.get(b"content-length")
    try:
        async with asyncio.timeout(BODY_SECONDS):
            return await read_bounded(_chunks(receive), declared.decode("latin-1") if declared else None,
                                      MAX_BODY_BYTES)
    except BodyTooLarge:
        raise errors.REQUEST_TOO_LARGE(limit=str(MAX_BODY_BYTES)) from None
    except TimeoutError:
        raise errors.REQUEST_TIMEOUT(seconds=str(int(BODY_SECONDS))) from None


async def _chunks(receive) -> AsyncIterator[bytes]:
    """An ASGI request's body, as it arrives."""
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


def _log_access(request: RpcRequest, response: render.WireResponse | None, outcome: Outcome,
                seconds: float, render_line: Callable[[dict[str, Any]], str]) -> None:
    if not access_log.isEnabledFor(logging.INFO):
        return
    line: dict[str, Any] = {
        "RequestId": outcome.request_id,
        "Action": clipped(outcome.action) if outcome.action else outcome.action,
        "Account": outcome.account_id,
        "Status": response.status if response is not None else None,  # None: dropped
        "Code": outcome.code,
        "LatencyMs": round(seconds * 1000, 3),
    }
    kind: type = type(outcome)
    for name, shown in _more_fields(kind):  # what other steps noted (a fault injected, an idempotent replay)
        value = getattr(outcome, name)
        if value is not None and value != "":
            line[shown] = value
    if access_log.isEnabledFor(logging.DEBUG):
        line["Params"] = redacted(request.params)
    access_log.info(render_line(line))
