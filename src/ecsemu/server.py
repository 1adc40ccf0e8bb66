"""Running an emulator over HTTP(S) with uvicorn."""

from __future__ import annotations

import logging
import socket
import sys
import tempfile
from pathlib import Path

import uvicorn

from .app import create_app
from .config import Config
from .emulator import Emulator
from .http_protocol import bounded_protocol

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format=LOG_FORMAT, stream=sys.stderr)


def uvicorn_config(config: Config, app, *, announce=print) -> uvicorn.Config:
    """uvicorn's settings for this emulator; makes the self-signed certificate if asked."""
    certfile = keyfile = None
    if config.tls_self_signed:
        from .tls import make_self_signed  # here: cryptography's x509 costs ~20 ms at every start

        tls_dir = (Path(tempfile.mkdtemp(prefix="ecsemu-tls-")) if config.in_memory
                   else config.data_dir / "tls")
        certfile, keyfile, fingerprint = make_self_signed(tls_dir, [config.host])
        announce(f"ecsemu: self-signed certificate {certfile}")
        announce(f"ecsemu: SHA-256 fingerprint {fingerprint}")
    elif config.tls_cert is not None:
        certfile, keyfile = config.tls_cert, config.tls_key
    # uvicorn's own access line carries the raw query, Signature and Password included;
    # ours (ecsemu.access) redacts. uvicorn decides per connection from hasHandlers(),
    # which a root handler (pytest's, an embedding app's) would turn on: switch it off.
    logging.getLogger("uvicorn.access").disabled = True
    return uvicorn.Config(
        app,
        host=config.host,
        port=config.port,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        access_log=False,          # ours is richer: see ecsemu.gateway
        log_config=None,           # keep the logging set up by configure_logging
        log_level=config.log_level,
        timeout_graceful_shutdown=10,
        http=bounded_protocol(config.head_timeout),  # bounded request heads, and a deadline for them
        server_header=False,
        # The control plane trusts loopback peers: it must see the real peer, never one an
        # X-Forwarded-For header claims. (It also spares a middleware on every request.)
        proxy_headers=False,
    )


def serve(config: Config) -> None:
    """Runs until SIGINT/SIGTERM, then finishes the requests in flight and stops."""
    configure_logging(config.log_level)
    if not config.in_memory:
        config.data_dir.mkdir(parents=True, exist_ok=True)
    emulator = Emulator(config)
    server_config = uvicorn_config(config, create_app(emulator))
    scheme = "https" if config.tls else "http"
    print(f"ecsemu: ECS API 2014-05-26 on {scheme}://{_display_host(config.host)}:{config.port}/", flush=True)
    if not config.strict_auth:
        print("ecsemu: loose auth: unknown AccessKeyIds are accepted as their own account, "
              "signature unchecked (use --strict-auth to refuse them)", flush=True)
    try:
        uvicorn.Server(server_config).run()
    finally:
        emulator.close()


def _display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def free_loopback_socket() -> socket.socket:
    """A listening socket on 127.0.0.1 with a port the OS chose."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    return sock
