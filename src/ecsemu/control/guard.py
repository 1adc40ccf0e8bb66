"""What every control endpoint shares: who may call it, JSON in and out, errors as
``{"Code", "Message"}`` with an HTTP status.

The control plane and the web pages are for the person running the emulator, never for
a web page they happen to have open (docs/security.md). ``Gate`` decides, before any
routing, whether a request that is not an RPC call may go on:

- its ``Host`` must be a loopback name or address (``localhost``, ``*.localhost``,
  127.0.0.0/8, ``[::1]``) or the ``--host`` the server listens on (unless that is a
  wildcard): a DNS-rebinding page's requests carry its own name;
- a state-changing request (anything but GET, HEAD, OPTIONS) must not be marked
  cross-site by the browser: no ``Origin`` other than the request's own, no
  ``Sec-Fetch-Site`` but ``same-origin`` or ``none``;
- a POST or PATCH must say ``Content-Type: application/json``, which no browser sends
  across origins without a preflight, and no preflight is ever granted;
- with ``--control-token``, the control endpoints (not the pages) ask for
  ``Authorization: Bearer TOKEN``.

The control endpoints also answer loopback peers only, checked first here and again by
``endpoint`` around each handler.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import math
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..config import Config
from ..storage.base import out_of_space
from ..wire.limits import BodyTooLarge, read_bounded
from ..wire.origin import cross_site, split_host

log = logging.getLogger("ecsemu.control")
MAX_JSON_BODY = 1024**2  # bytes of a control request's JSON body
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
JSON_METHODS = frozenset({"POST", "PATCH"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
CONTROL_PREFIX = "/_ecsemu/"
PAGES_PREFIX = "/_ecsemu/web/"
LOOPBACK_ONLY = "The control plane answers loopback callers only."


class ControlError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}

    def response(self) -> JSONResponse:
        return JSONResponse({"Code": self.code, "Message": self.message}, status_code=self.status,
                            headers=self.headers)


def from_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    return _loopback_address(host)


def _loopback_address(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def _loopback_name(name: str) -> bool:
    name = name[:-1] if name.endswith(".") else name
    return name == "localhost" or name.endswith(".localhost") or _loopback_address(name)


class Gate:
    """The checks of every request that is not an RPC call (see the module's text)."""

    def __init__(self, config: Config) -> None:
        own = config.host.strip().lower().strip("[]")
        self._own_host = None if own in WILDCARD_HOSTS else own
        self._token = config.control_token.encode() if config.control_token else None

    def host_allowed(self, host: str | None) -> bool:
        split = split_host(host) if host else None
        if split is None:
            return False
        name = split[0]
        return _loopback_name(name) or (self._own_host is not None and name == self._own_host)

    def check(self, scope) -> ControlError | None:
        """The first reason to refuse this request, or None."""
        control = _is_control(scope["path"])
        client = scope.get("client")
        if control and not _loopback_address(client[0] if client else ""):
            return ControlError(403, "Forbidden", LOOPBACK_ONLY)
        headers = _headers(scope)
        host = headers.get("host")
        if not self.host_allowed(host):
            return ControlError(403, "Forbidden.Host", "The control plane and the web pages answer only requests "
                                                       "to a loopback name (localhost, 127.0.0.1, [::1]) or the "
                                                       "--host the emulator listens on.")
        method = scope["method"].upper()
        if method not in SAFE_METHODS:
            reason = cross_site(headers, scope.get("scheme", "http"))
            if reason is not None:
                return ControlError(403, "Forbidden.CrossSite", f"{reason} cannot change the emulator's state.")
            if method in JSON_METHODS and not _is_json(headers.get("content-type", "")):
                return ControlError(415, "UnsupportedMediaType", f"A {method} to the control plane must be "
                                                                 "Content-Type: application/json.")
        if self._token is not None and control:
            return self._token_refusal(headers.get("authorization"), self._token)
        return None

    @staticmethod
    def _token_refusal(authorization: str | None, token: bytes) -> ControlError | None:
        challenge = {"www-authenticate": 'Bearer realm="ecsemu control"'}
        scheme, _, given = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            return ControlError(401, "Unauthorized.ControlToken", "This emulator has a control token: send "
                                                                  "Authorization: Bearer TOKEN (ecsemu control "
                                                                  "--control-token, or $ECSEMU_CONTROL_TOKEN).",
                                challenge)
        if not hmac.compare_digest(given.strip().encode(), token):
            return ControlError(403, "Forbidden.ControlToken", "The control token does not match the emulator's "
                                                               "--control-token.", challenge)
        return None


def _headers(scope) -> dict[str, str]:
    """Request headers by lower-case name; of a repeated header, the first."""
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        found.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return found


def _is_control(path: str) -> bool:
    return (path.startswith(CONTROL_PREFIX) or path == CONTROL_PREFIX.rstrip("/")) \
        and not path.startswith(PAGES_PREFIX) and path != PAGES_PREFIX.rstrip("/")


def _is_json(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


async def refuse(error: ControlError, scope, receive, send) -> None:
    await error.response()(scope, receive, send)


class _NotFinite(ValueError):
    pass


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400
        raise _NotFinite(text)
    return value


def _no_constant(name: str):  # NaN, Infinity, -Infinity: Python's json reads them, JSON has none
    raise _NotFinite(name)


async def read_limited(request: Request, limit: int, what: str) -> bytes:
    """The body, read chunk by chunk: refused (413) at once when Content-Length says it is
    longer than ``limit``, or as soon as more than ``limit`` bytes have come (chunked)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        declared = declared.strip()
        if not (declared.isascii() and declared.isdigit()):
            raise ControlError(400, "InvalidBody", "Content-Length must be a number of bytes.")
    try:
        return await read_bounded(request.stream(), declared, limit)
    except BodyTooLarge:
        raise ControlError(413, "PayloadTooLarge", f"{what} is at most {limit} bytes.") from None


async def json_body(request: Request) -> dict[str, Any]:
    """The body as a JSON object (empty: ``{}``): at most MAX_JSON_BODY bytes, numbers
    finite (no NaN, Infinity, 1e400), nesting as deep as the parser manages."""
    raw = await read_limited(request, MAX_JSON_BODY, "A control request's body")
    if not raw:
        return {}
    invalid = ControlError(400, "InvalidBody", "The body must be a JSON object.")
    try:
        body = json.loads(raw, parse_constant=_no_constant, parse_float=_finite_float)
    except RecursionError:
        raise ControlError(400, "InvalidBody", "The body is nested too deeply.") from None
    except _NotFinite as exc:
        raise ControlError(400, "InvalidBody", f"Numbers must be finite: {str(exc)[:40]} is not.") from None
    except ValueError:  # also UnicodeDecodeError, and integers of more than 4300 digits
        raise invalid from None
    if not isinstance(body, dict):
        raise invalid
    return body


def endpoint(handler):
    """Wraps ``handler(request)`` (which returns a dict or a Response): loopback only, and
    a ControlError becomes its JSON error."""
    async def guarded(request: Request) -> Response:
        if not from_loopback(request):
            return ControlError(403, "Forbidden", LOOPBACK_ONLY).response()
        try:
            result = await handler(request)
        except ControlError as exc:
            return exc.response()
        except Exception as exc:  # a bug: still a JSON answer, the traceback only in the log
            if out_of_space(exc):
                log.warning("%s %s refused: no space left on the emulator's disk: %s",
                            request.method, request.url.path, exc)
                return ControlError(507, "InsufficientStorage", "No space left on the emulator's disk.").response()
            log.exception("control endpoint %s %s failed", request.method, request.url.path)
            return ControlError(500, "InternalError", "The control plane failed; see the emulator's log.").response()
        return result if isinstance(result, Response) else JSONResponse(result)
    return guarded
