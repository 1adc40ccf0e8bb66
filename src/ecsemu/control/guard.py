"""What every control endpoint shares: loopback callers only, JSON in and out, errors
as ``{"Code", "Message"}`` with an HTTP status."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


class ControlError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def from_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise ControlError(400, "InvalidBody", "The body must be a JSON object.") from None
    if not isinstance(body, dict):
        raise ControlError(400, "InvalidBody", "The body must be a JSON object.")
    return body


def endpoint(handler):
    """Wraps ``handler(request)`` (which returns a dict or a Response): loopback only, and
    a ControlError becomes its JSON error."""
    async def guarded(request: Request) -> Response:
        if not from_loopback(request):
            return JSONResponse({"Code": "Forbidden", "Message": "The control plane answers loopback callers only."},
                                status_code=403)
        try:
            result = await handler(request)
        except ControlError as exc:
            return JSONResponse({"Code": exc.code, "Message": exc.message}, status_code=exc.status)
        return result if isinstance(result, Response) else JSONResponse(result)
    return guarded
