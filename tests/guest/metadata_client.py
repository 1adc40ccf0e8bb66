"""A client of an instance's metadata service through the host route, as curl in the guest
would ask http://100.100.100.200/… (no proxy, no redirect)."""

from __future__ import annotations

import urllib.error
import urllib.request

TTL = "X-aliyun-ecs-metadata-token-ttl-seconds"
TOKEN = "X-aliyun-ecs-metadata-token"
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def ask(server, instance_id: str, path: str, method: str = "GET",
        headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """(status, headers by lower-case name, body) of one request."""
    request = urllib.request.Request(f"{server.url}/_ecsemu/metadata/{instance_id}{path}", method=method,
                                     headers=headers or {})
    try:
        with _OPENER.open(request) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def item(server, instance_id: str, path: str, token: str | None = None) -> str:
    """The text at ``/latest/meta-data/<path>`` (or ``path`` itself when it starts with /)."""
    full = path if path.startswith("/") else f"/latest/meta-data/{path}"
    status, _, body = ask(server, instance_id, full, headers={TOKEN: token} if token else None)
    assert status == 200, (full, status, body[:200])
    return body.decode()


def status_of(server, instance_id: str, path: str, method: str = "GET", **headers: str) -> int:
    return ask(server, instance_id, path, method, {name.replace("_", "-"): value
                                                   for name, value in headers.items()})[0]


def token(server, instance_id: str, ttl: int = 60) -> str:
    status, headers, body = ask(server, instance_id, "/latest/api/token", "PUT", {TTL: str(ttl)})
    assert status == 200, (status, body[:200])
    assert headers[TTL.lower()] == str(ttl)
    return body.decode()


def is_error_page(body: bytes, status: int) -> bool:
    """The metadata server's error page, titled ``<status> - <reason>``."""
    text = body.decode()
    return text.startswith("<?xml") and f"<title>{status} - " in text and f"<h1>{status} - " in text
