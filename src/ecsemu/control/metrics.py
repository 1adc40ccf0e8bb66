"""``GET /_ecsemu/metrics``: the Prometheus text format (metrics/exposition.py); and
``GET /_ecsemu/web/traffic.json``: calls answered and errors as JSON, which the console's
chart polls. That one is among the pages, which the gate does not ask for the control
token (the console cannot send it): two counts, nothing a page does not already show."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..emulator import Emulator
from .guard import endpoint


def metrics_routes(emulator: Emulator) -> list[Route]:
    # metrics.exposition is imported at the first scrape, not at start: prometheus_client
    # brings http.client and urllib.request, tens of milliseconds of every server's start.
    async def metrics(request: Request) -> Response:
        from ..metrics.exposition import CONTENT_TYPE, exposition
        # Counts resources in the store, and reads the other workers' files: off the loop.
        return Response(await run_in_threadpool(exposition, emulator), media_type=CONTENT_TYPE)

    async def traffic(request: Request) -> dict:
        from ..metrics.exposition import totals
        return await run_in_threadpool(totals, emulator)

    return [
        Route("/_ecsemu/metrics", endpoint(metrics), methods=["GET"]),
        Route("/_ecsemu/web/traffic.json", endpoint(traffic), methods=["GET"]),
    ]
