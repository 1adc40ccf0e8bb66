"""The ASGI application: ``/`` is the ECS RPC endpoint, the rest is the emulator's own."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from . import errors
from .control import control_routes
from .emulator import Emulator
from .gateway import RpcGateway, new_request_id
from .wire import render


def create_app(emulator: Emulator):
    gateway = RpcGateway(emulator)

    async def not_found(request: Request, exc: Exception) -> Response:
        error = errors.INVALID_ACTION_NOT_FOUND
        body = render.error(error.status, error.code, error.message, new_request_id(),
                            request.url.hostname or "", xml=False)
        return Response(body.body, status_code=body.status, media_type=body.content_type)

    rest = Starlette(routes=control_routes(emulator), exception_handlers={404: not_found})

    async def app(scope, receive, send) -> None:
        # The RPC path is the hot one: it skips the router and its middleware.
        if scope["type"] == "http" and scope["path"] == "/":
            await gateway(scope, receive, send)
        else:
            await rest(scope, receive, send)

    app.emulator = emulator  # type: ignore[attr-defined]
    return app
