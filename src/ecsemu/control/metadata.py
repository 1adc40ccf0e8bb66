"""The instance metadata service of any instance, from the host (tests, containers):

    GET|HEAD|PUT /_ecsemu/metadata/{InstanceId}/latest/…

answers what the instance's guest reads at http://100.100.100.200/latest/… (guest/metadata.py),
token API and hardened mode included. An instance that does not exist: 404, in the control
plane's words."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..emulator import Emulator
from ..guest.metadata import answer_or_none
from .guard import ControlError, endpoint

METHODS = ["GET", "HEAD", "PUT"]


def metadata_routes(emulator: Emulator) -> list[Route]:
    async def metadata(request: Request) -> Response:
        instance_id = request.path_params["instance_id"]
        path = "/" + request.path_params.get("path", "")
        answer = await run_in_threadpool(answer_or_none, emulator, instance_id, request.method, path,
                                         request.headers)
        if answer is None:
            raise ControlError(404, "InvalidInstanceId.NotFound",
                               f"The instance {instance_id[:64]} does not exist.")
        status, headers, body = answer
        return Response(body, status_code=status, headers=dict(headers))

    return [
        Route("/_ecsemu/metadata/{instance_id}", endpoint(metadata), methods=METHODS),
        Route("/_ecsemu/metadata/{instance_id}/{path:path}", endpoint(metadata), methods=METHODS),
    ]
