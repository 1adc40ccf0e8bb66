"""Which site a browser says a request comes from: what lets the emulator refuse a web page
that calls it from another origin (docs/security.md). Clients other than browsers send
neither ``Origin`` nor ``Sec-Fetch-Site``, so they pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit


def split_host(host: str) -> tuple[str, int | None] | None:
    """``name[:port]`` or ``[v6]:port`` -> (lower-case name without brackets, port);
    None when it is not a well-formed Host."""
    host = host.strip().lower()
    port_text = ""
    if host.startswith("["):
        end = host.find("]")
        if end < 0:
            return None
        name, rest = host[1:end], host[end + 1:]
        if rest:
            if not rest.startswith(":"):
                return None
            port_text = rest[1:]
    else:
        name, colon, port_text = host.partition(":")
        if colon and not port_text:
            return None
    if port_text and not (port_text.isascii() and port_text.isdigit() and len(port_text) <= 5):
        return None
    if not name:
        return None
    return name, int(port_text) if port_text else None


DEFAULT_PORTS = {"http": 80, "https": 443}


def same_origin(origin: str, scheme: str, host: str) -> bool:
    """Whether an ``Origin`` header names this request's own origin: scheme://Host."""
    try:
        parts = urlsplit(origin.strip())
        origin_port = parts.port
    except ValueError:
        return False
    scheme = scheme.lower()
    if parts.scheme.lower() != scheme or not parts.hostname or parts.path or parts.query:
        return False
    split = split_host(host)
    if split is None:
        return False
    name, port = split
    default = DEFAULT_PORTS.get(scheme)
    return (parts.hostname.lower() == name
            and (origin_port if origin_port is not None else default) == (port if port is not None else default))


def cross_site(headers: Mapping[str, str], scheme: str) -> str | None:
    """Why a browser's request comes from another origin (its ``Origin`` is not the
    request's own scheme://Host, or ``Sec-Fetch-Site`` is not ``same-origin`` or ``none``:
    ``same-site`` is another port of localhost), or None. ``headers``: lower-case names."""
    origin = headers.get("origin")
    if origin is not None and not same_origin(origin, scheme, headers.get("host") or ""):
        return "A request from another origin"
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site.strip().lower() not in ("same-origin", "none"):
        return f"A {fetch_site[:20]} request"
    return None
