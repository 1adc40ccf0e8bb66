"""The ASGI application: ``/`` is the ECS RPC endpoint, the rest is the emulator's own."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from . import errors
from .control import control_routes
from .control.guard import CONTROL_PREFIX, ControlError, Gate, refuse
from .emulator import Emulator
from .gateway import RpcGateway, new_request_id
from .priority import CHANGES_NICENESS, lower_priority
from .web import is_page_request, web_routes
from .wire import render

log = logging.getLogger("ecsemu.scheduler")
TICK_SECONDS = 0.2  # how often realistic mode applies due transitions between requests


@contextlib.asynccontextmanager
async def _lifespan(emulator: Emulator, changes: ThreadPoolExecutor, reads: ThreadPoolExecutor):
    """At start, finish what came due while the server was down; in realistic mode, keep
    applying due transitions between requests, so that every process sharing a database
    moves them along. At the end, let the worker threads go."""
    emulator.apply_due()
    ticker = (asyncio.create_task(_tick(emulator, changes)) if emulator.config.transitions == "realistic"
              else None)
    try:
        yield
    finally:
        if ticker is not None:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
        changes.shutdown(wait=False)
        reads.shutdown(wait=False)


async def _tick(emulator: Emulator, changes: ThreadPoolExecutor) -> None:
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(TICK_SECONDS)
        try:
            await loop.run_in_executor(changes, emulator.apply_due)  # database work: off the loop
        except Exception:  # a database hiccup must not stop the loop; the next tick retries
            log.exception("applying due transitions failed")


def create_app(emulator: Emulator):
    # RPC calls and the tick run in these, never on the event loop (gateway.py); changes
    # at a lower priority than reads (priority.py).
    threads = emulator.config.worker_threads
    reads = ThreadPoolExecutor(threads, thread_name_prefix="ecsemu-read")
    changes = ThreadPoolExecutor(threads, thread_name_prefix="ecsemu-change", initializer=lower_priority,
                                 initargs=(CHANGES_NICENESS,))
    gateway = RpcGateway(emulator, reads, changes)

    async def not_found(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith(CONTROL_PREFIX):  # the emulator's own: its error shape
            return ControlError(404, "NotFound", f"No control endpoint at {request.url.path[:200]}.").response()
        error = errors.INVALID_ACTION_NOT_FOUND  # a client that lost its way: an ECS answer
        body = render.error(error.status, error.code, error.message, new_request_id(),
                            request.url.hostname or "", xml=False)
        return Response(body.body, status_code=body.status, media_type=body.content_type)

    async def method_not_allowed(request: Request, exc: Exception) -> Response:
        return ControlError(405, "MethodNotAllowed",
                            f"{request.method[:20]} is not allowed on {request.url.path[:200]}.").response()

    rest = Starlette(routes=[*control_routes(emulator), *web_routes(emulator)],
                     exception_handlers={404: not_found, 405: method_not_allowed},
                     lifespan=lambda _app: _lifespan(emulator, changes, reads))

    gate = Gate(emulator.config)

    async def app(scope, receive, send) -> None:
        # The RPC path is the hot one: it skips the router and its middleware. It answers
        # any client that signs; everything else (control plane, pages) only the local
        # user, as the gate decides (docs/security.md).
        if scope["type"] == "http":
            if scope["path"] == "/" and not is_page_request(scope):
                await gateway(scope, receive, send)
                return
            refusal = gate.check(scope)
            if refusal is not None:
                await refuse(refusal, scope, receive, send)
                return
        await rest(scope, receive, send)

    app.emulator = emulator  # type: ignore[attr-defined]
    return app
