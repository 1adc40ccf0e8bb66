"""The web pages the emulator serves: API Explorer, error center, console (being written).

``web_routes(emulator)`` returns the Starlette routes; ``is_page_request(scope)`` says
whether a request to ``/`` is a browser asking for the explorer rather than an RPC call.
"""

from __future__ import annotations

from starlette.routing import Route

from ..emulator import Emulator


def is_page_request(scope) -> bool:
    """A bare ``GET /``: no query and no x-acs-action header. No RPC client sends that
    (every call names its action), so it is a person with a browser."""
    if scope["method"] != "GET" or scope["query_string"]:
        return False
    return not any(name == b"x-acs-action" for name, _ in scope["headers"])


def web_routes(emulator: Emulator) -> list[Route]:
    return []
