"""HTTP and HTTPS on one port: the first byte a client sends decides.

The Terraform provider sends some calls over HTTPS to the endpoint it was given for HTTP
(ModifySecurityGroupRule, RevokeSecurityGroup…), so one ``host:port`` must answer both.
A TLS connection opens with a handshake record, whose first byte is 0x16; no HTTP
request starts with it (a method is a token of letters).

Every connection starts with ``TlsOrPlain``. At its first bytes it builds the HTTP
protocol and hands the transport over: directly for plain HTTP, through the event loop's
own TLS layer for HTTPS, feeding it the bytes already read. From then on the transport
talks to that protocol with nothing in between: a keep-alive connection's later requests
never pass through here.
"""

from __future__ import annotations

import asyncio
import asyncio.sslproto
import ssl
from typing import Any

from .http_protocol import BoundedHttpToolsProtocol, answer_and_close

TLS_HANDSHAKE = 0x16
# Closing a TLS connection waits for the client's close_notify (30 s by default): an idle
# keep-alive client that never reads would hold a graceful stop that long.
TLS_SHUTDOWN_SECONDS = 1.0


class TlsOrPlain(asyncio.Protocol):
    """The protocol uvicorn makes per connection (its ``http`` class): waits for the first
    bytes, then gives the connection to ``http_class``, over TLS when they are a handshake."""

    http_class: type[BoundedHttpToolsProtocol] = BoundedHttpToolsProtocol
    ssl_context: ssl.SSLContext

    def __init__(self, **uvicorn_arguments: Any) -> None:
        # config, server_state, app_state, _loop: what uvicorn gives an HTTP protocol.
        self._arguments = uvicorn_arguments
        self._loop = uvicorn_arguments.get("_loop") or asyncio.get_running_loop()
        self._connections = uvicorn_arguments["server_state"].connections
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        self._transport = transport
        self._connections.add(self)  # a graceful stop closes it too (shutdown)
        # A client that sends nothing is answered as a slow HTTP head would be.
        self._silence = self._loop.call_later(self.http_class.head_seconds, self._silent)

    def data_received(self, data: bytes) -> None:
        transport = self._transport
        assert transport is not None
        self._silence.cancel()
        self._connections.discard(self)
        http = self.http_class(**self._arguments)
        if data[0] == TLS_HANDSHAKE:
            tls = _tls_protocol(self._loop, http, self.ssl_context, self.http_class.head_seconds)
            transport.set_protocol(tls)
            tls.connection_made(transport)
            _feed(tls, transport, data)
        else:
            transport.set_protocol(http)
            http.connection_made(transport)
            http.data_received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self._silence.cancel()
        self._connections.discard(self)

    def shutdown(self) -> None:
        """uvicorn's graceful stop: nothing was asked yet, nothing to finish."""
        if self._transport is not None:
            self._transport.close()

    def _silent(self) -> None:
        if self._transport is not None and not self._transport.is_closing():
            answer_and_close(self._transport, 408)


def _tls_protocol(loop: asyncio.AbstractEventLoop, app_protocol, context: ssl.SSLContext, handshake_seconds: float):
    """The loop's own TLS layer, server side, over ``app_protocol`` (what ``loop.start_tls``
    builds, without losing the bytes already read)."""
    protocol_class: Any = asyncio.sslproto.SSLProtocol
    try:
        import uvloop
        if isinstance(loop, uvloop.Loop):
            from uvloop.loop import SSLProtocol as protocol_class  # type: ignore[attr-defined,no-redef]
    except ImportError:
        pass
    return protocol_class(loop, app_protocol, context, None, server_side=True,
                          ssl_handshake_timeout=handshake_seconds, ssl_shutdown_timeout=TLS_SHUTDOWN_SECONDS)


def _feed(protocol, transport, data: bytes) -> None:
    """Hands bytes already read to a buffered protocol, as the transport would have."""
    view = memoryview(data)
    while view and not transport.is_closing():
        buffer = protocol.get_buffer(len(view))
        size = min(len(buffer), len(view))
        buffer[:size] = view[:size]
        protocol.buffer_updated(size)
        view = view[size:]


def one_port_protocol(http_class: type[BoundedHttpToolsProtocol], context: ssl.SSLContext) -> type[TlsOrPlain]:
    """The protocol class for uvicorn: ``http_class`` over plain HTTP or over TLS with
    ``context``, on one port; a CONNECT tunnel's bytes start over here."""
    first_bytes: type[TlsOrPlain] = type("TlsOrPlain", (TlsOrPlain,), {"ssl_context": context})
    first_bytes.http_class = type(http_class.__name__, (http_class,), {"tunnel": first_bytes})
    return first_bytes
