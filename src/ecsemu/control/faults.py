"""Control endpoints over fault rules (faults.py, domain/faults.py):

    POST   /_ecsemu/faults            a rule (JSON body): answered with the rule and its RuleId
    GET    /_ecsemu/faults            every rule, with Matches, Injected, Remaining, Active
    DELETE /_ecsemu/faults            clears them all
    DELETE /_ecsemu/faults/{RuleId}   clears one

Their database work runs in a worker thread, as the other control endpoints' does.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from ..domain.faults import RuleRefused
from ..emulator import Emulator
from .guard import ControlError, endpoint, json_body


def fault_routes(emulator: Emulator) -> list[Route]:
    book = emulator.faults

    async def add(request: Request) -> dict:
        body = await json_body(request)
        try:
            rule = await run_in_threadpool(book.add, body)
        except RuleRefused as exc:
            raise ControlError(400, exc.code, exc.message) from None
        return {**rule.body(), "Matches": 0, "Injected": 0, "Remaining": rule.count, "Active": True}

    async def listed(request: Request) -> dict:
        return {"Rules": await run_in_threadpool(book.listed)}

    async def clear(request: Request) -> dict:
        return {"Removed": await run_in_threadpool(book.remove)}

    async def clear_one(request: Request) -> dict:
        rule_id = request.path_params["rule_id"]
        if not await run_in_threadpool(book.remove, rule_id):
            raise ControlError(404, "InvalidRuleId.NotFound", f"No fault rule {rule_id[:64]}.")
        return {"Removed": 1}

    return [
        Route("/_ecsemu/faults", endpoint(add), methods=["POST"]),
        Route("/_ecsemu/faults", endpoint(listed), methods=["GET"]),
        Route("/_ecsemu/faults", endpoint(clear), methods=["DELETE"]),
        Route("/_ecsemu/faults/{rule_id}", endpoint(clear_one), methods=["DELETE"]),
    ]
