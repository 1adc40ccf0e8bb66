"""The emulator's own endpoints under ``/_ecsemu/``: loopback callers only by default."""

from __future__ import annotations

import ipaddress

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .emulator import Emulator


def _from_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def control_routes(emulator: Emulator) -> list[Route]:
    def loopback_only(endpoint):
        async def guarded(request: Request):
            if not _from_loopback(request):
                return JSONResponse({"Code": "Forbidden", "Message": "The control plane answers loopback callers only."},
                                    status_code=403)
            return await endpoint(request)
        return guarded

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"Status": "ok", "Actions": len(emulator.actions)})

    return [Route("/_ecsemu/health", loopback_only(health), methods=["GET"])]
