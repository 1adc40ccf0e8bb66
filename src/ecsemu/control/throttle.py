"""The rate limits in force, read and replaced at run time:

    GET /_ecsemu/throttle   -> {"Limits": [...]}
    PUT /_ecsemu/throttle   {"Limits": [...]}   (all replaced, every count started afresh;
                                                {"Limits": []} lifts them)

A limit is ``{"Action", "Account", "Rate", "Burst", "Code"}`` (domain/throttling.py).
With ``--workers`` > 1 a PUT would reach one process only: it is refused, and the limits
are set at start (``--throttle``, ``--throttle-config``), which every process reads."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ..domain.throttling import as_document, parse_document
from ..emulator import Emulator
from .guard import ControlError, endpoint, json_body


def throttle_routes(emulator: Emulator) -> list[Route]:
    async def show(request: Request) -> dict:
        return as_document(emulator.throttle.limits)

    async def replace(request: Request) -> dict:
        body = await json_body(request)
        if emulator.config.workers > 1:
            raise ControlError(409, "NotShared", "This server runs several processes, and a change would reach "
                                                 "one of them: set the limits at start with --throttle or "
                                                 "--throttle-config.")
        try:
            limits = parse_document(body, "The body")
        except ValueError as exc:
            raise ControlError(400, "InvalidLimits", str(exc)) from None
        emulator.throttle.replace(limits)
        return as_document(limits)

    return [
        Route("/_ecsemu/throttle", endpoint(show), methods=["GET"]),
        Route("/_ecsemu/throttle", endpoint(replace), methods=["PUT"]),
    ]
