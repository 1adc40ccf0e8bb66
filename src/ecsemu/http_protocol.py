"""uvicorn's httptools protocol with the bounds a server next to a browser needs: a
request head (target and headers) of bounded size, which must arrive in bounded time.

A connection that sends nothing, or drips its head a byte at a time, is closed after
HEAD_SECONDS (uvicorn's keep-alive timer only runs between requests). A target or headers
past their limits are answered 414 or 431 and the connection closed, before uvicorn
would have gathered them whole in memory.

A request answered before its body was read (too large) lingers, as nginx's "lingering
close" does: the rest of the body is read and dropped (memory stays flat) for up to
LINGER_SECONDS, so that a client still sending gets to read the answer instead of a
connection reset; then the connection is closed.

A ``CONNECT`` to an ``*.aliyuncs.com`` name (a client given ecsemu as its HTTPS_PROXY) is
answered 200 and the tunnel served here, from its first byte (one_port.py); any other
name is refused: ecsemu forwards nothing.
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .wire.limits import HEAD_SECONDS, LINGER_SECONDS, MAX_HEADER_BYTES, MAX_TARGET_BYTES

_REASONS = {403: b"Forbidden", 408: b"Request Timeout", 414: b"URI Too Long", 431: b"Request Header Fields Too Large"}
# CONNECT is answered for these names only: ecsemu stands in for them, and forwards nothing.
TUNNEL_DOMAIN = b".aliyuncs.com"


class _HeadRefused(Exception):
    """Raised from a parser callback: httptools stops parsing and reports a parser error."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    head_seconds = HEAD_SECONDS

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._target_bytes = self._header_bytes = 0
        self._refusal: int | None = None
        self._head_timer = self.loop.call_later(self.head_seconds, self._head_too_slow)

    def connection_lost(self, exc) -> None:
        self._head_timer.cancel()
        super().connection_lost(exc)

    # --- parser callbacks -----------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._target_bytes = self._header_bytes = 0
        self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self.head_seconds, self._head_too_slow)

    def on_url(self, url: bytes) -> None:
        self._target_bytes += len(url)
        if self._target_bytes > MAX_TARGET_BYTES:
            self._refuse(414)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value)
        if self._header_bytes > MAX_HEADER_BYTES:
            self._refuse(431)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._head_timer.cancel()
        # A fault rule may drop the connection (gateway.py): the means, for the application.
        extensions: dict = self.scope.setdefault("extensions", {})  # type: ignore[assignment]
        extensions["ecsemu.close_connection"] = self.transport.close
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        cycle = self.cycle
        if cycle is not None and cycle.more_body and not self.transport.is_closing():
            self.loop.call_later(LINGER_SECONDS, self._stop_lingering, cycle)

    def _stop_lingering(self, cycle) -> None:
        """Still the same request, its body still coming: enough of it."""
        if self.cycle is cycle and cycle.more_body and not self.transport.is_closing():
            self.transport.close()

    # --- CONNECT: a client whose proxy is ecsemu (HTTPS_PROXY) ------------------------------

    tunnel: type | None = None  # the protocol a tunnel's first bytes go to (one_port.TlsOrPlain)

    def _should_upgrade(self) -> bool:
        # llhttp stops at a CONNECT's head as at an upgrade's; uvicorn then asks this.
        return self.scope.get("method") == "CONNECT" or super()._should_upgrade()

    def handle_websocket_upgrade(self) -> None:
        if self.scope.get("method") == "CONNECT":
            self._open_tunnel()
        else:
            super().handle_websocket_upgrade()

    def _open_tunnel(self) -> None:
        """``CONNECT ecs.<region>.aliyuncs.com:443``: the client takes ecsemu for a proxy to the
        real endpoint. Answer 200 and serve what comes through the tunnel here, TLS (the
        certificate covers that name) or plain. Any other name is refused: nothing is
        forwarded anywhere."""
        host = self.url.rpartition(b":")[0].lower().rstrip(b".")
        if self.tunnel is None or not host.endswith(TUNNEL_DOMAIN):
            self._answer_and_close(403)
            return
        self.connections.discard(self)
        self.transport.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        protocol = self.tunnel(config=self.config, server_state=self.server_state, app_state=self.app_state,
                               _loop=self.loop)
        self.transport.set_protocol(protocol)
        protocol.connection_made(self.transport)

    # --- refusals ---------------------------------------------------------------------------

    def _refuse(self, status: int) -> None:
        self._refusal = status
        raise _HeadRefused(status)

    def send_400_response(self, msg: str) -> None:
        """Called by uvicorn on any parser error, ours included: answer ours as itself."""
        if self._refusal is None:
            super().send_400_response(msg)
        else:
            self._answer_and_close(self._refusal)

    def _head_too_slow(self) -> None:
        if not self.transport.is_closing():
            self._answer_and_close(408)

    def _answer_and_close(self, status: int) -> None:
        answer_and_close(self.transport, status)


def answer_and_close(transport, status: int) -> None:
    """A plain-text refusal, then the connection closed."""
    reason = _REASONS[status]
    transport.write(b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\n"
                    b"content-length: %d\r\nconnection: close\r\n\r\n%s"
                    % (status, reason, len(reason), reason))
    transport.close()


def bounded_protocol(head_seconds: float) -> type[BoundedHttpToolsProtocol]:
    """The protocol class for uvicorn, with this deadline for a request's head."""
    return type("BoundedHttpToolsProtocol", (BoundedHttpToolsProtocol,), {"head_seconds": head_seconds})
