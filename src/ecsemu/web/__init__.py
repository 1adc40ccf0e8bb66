"""The web pages the emulator serves: API Explorer, error center, console.

    GET /                           the page (a bare GET: no query, no x-acs-action header)
    GET /_ecsemu/web/api.json       the API description the page renders (description.py)
    GET /_ecsemu/web/<file>         the page's scripts and style (static/)

Plain HTML, CSS and JavaScript modules with nothing fetched from elsewhere. The page signs
its calls in the browser and sends them to ``/`` like any client. ``web_routes(emulator)``
returns the Starlette routes; ``is_page_request(scope)`` says whether a request to ``/`` is a
browser asking for the page rather than an RPC call.

The files are read and gzipped, and api.json built, on the first request for any of them,
not at start: most servers (a test suite's) never serve a page, and starting is what every
user waits for.

The pages are for the local user: the app's gate (``control.guard.Gate``) answers them only
to a loopback ``Host`` (or the ``--host`` served), so a DNS-rebinding page cannot read
them; they only GET, so a browser's cross-site checks never stand in their way.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..emulator import Emulator

STATIC = Path(__file__).parent / "static"
PREFIX = "/_ecsemu/web"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
}
# Nothing but this server: the page works offline and cannot be made to load anything else.
_SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def is_page_request(scope) -> bool:
    """A bare ``GET /``: no query and no x-acs-action header. No RPC client sends that
    (every call names its action), so it is a person with a browser."""
    if scope["method"] != "GET" or scope["query_string"]:
        return False
    return not any(name == b"x-acs-action" for name, _ in scope["headers"])


@dataclass(frozen=True)
class _Asset:
    """One file, ready to send: its bytes, gzipped bytes and entity tag."""

    body: bytes
    gzipped: bytes
    media_type: str
    etag: str

    @classmethod
    def of(cls, body: bytes, media_type: str) -> _Asset:
        return cls(body, gzip.compress(body, mtime=0), media_type,
                   '"' + hashlib.sha256(body).hexdigest()[:20] + '"')

    def response(self, request: Request) -> Response:
        headers = {"etag": self.etag, "cache-control": "no-cache", "vary": "accept-encoding",
                   **_SECURITY_HEADERS}
        if request.headers.get("if-none-match") == self.etag:
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(self.gzipped, media_type=self.media_type,
                             headers={**headers, "content-encoding": "gzip"})
        return Response(self.body, media_type=self.media_type, headers=headers)


def _static_assets() -> dict[str, _Asset]:
    return {path.name: _Asset.of(path.read_bytes(), _TYPES[path.suffix])
            for path in sorted(STATIC.iterdir()) if path.suffix in _TYPES}


def web_routes(emulator: Emulator) -> list[Route]:
    built: dict[str, _Asset] = {}

    def assets() -> dict[str, _Asset]:
        """Every asset, built on first use (a second build by a racing thread is harmless)."""
        if not built:
            from .description import describe

            found = _static_assets()
            found["api.json"] = _Asset.of(orjson.dumps(describe(emulator.products)), _TYPES[".json"])
            built.update(found)
        return built

    async def index(request: Request) -> Response:
        return assets()["index.html"].response(request)

    async def asset(request: Request) -> Response:
        found = assets().get(request.path_params["name"])
        if found is None:
            return Response("Not found", status_code=404, media_type="text/plain")
        return found.response(request)

    return [
        Route("/", index, methods=["GET"]),
        Route(f"{PREFIX}/", index, methods=["GET"]),
        Route(f"{PREFIX}/{{name}}", asset, methods=["GET"]),
    ]
