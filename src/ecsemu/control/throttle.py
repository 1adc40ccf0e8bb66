"""The rate limits in force, read and replaced at run time:

    GET /_ecsemu/throttle   -> {"Limits": [...]}
    PUT /_ecsemu/throttle   {"Limits": [...]}   (all replaced, every count started afresh;
                                                {"Limits": []} lifts them)

A limit is ``{"Action", "Account", "Rate", "Burst", "Code"}`` (domain/throttling.py).
With ``--workers`` > 1 a PUT reaches every process (shared_limits.py): it answers once
they all apply the new limits."""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from ..domain.throttling import as_document, parse_document
from ..emulator import Emulator
from ..shared_limits import LOOK_EVERY
from .guard import ControlError, endpoint, json_body


def throttle_routes(emulator: Emulator) -> list[Route]:
    async def show(request: Request) -> dict:
        return as_document(await run_in_threadpool(lambda: emulator.throttle.limits))  # may read the file

    async def replace(request: Request) -> dict:
        body = await json_body(request)
        try:
            limits = parse_document(body, "The body")
        except ValueError as exc:
            raise ControlError(400, "InvalidLimits", str(exc)) from None
        await run_in_threadpool(emulator.throttle.publish, limits)  # a file write with --workers
        if emulator.throttle.shared is not None:
            # Each other process looks at the file at most this long after it changed.
            await asyncio.sleep(LOOK_EVERY)
        return as_document(limits)

    return [
        Route("/_ecsemu/throttle", endpoint(show), methods=["GET"]),
        Route("/_ecsemu/throttle", endpoint(replace), methods=["PUT"]),
    ]
