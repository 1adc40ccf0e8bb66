"""Embedding an emulator in a test process: a server on a free loopback port, in a thread.

    with EmulatorServer() as server:
        client = AcsClient(DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET, "cn-hangzhou")
        client.add_endpoint("cn-hangzhou", "Ecs", server.endpoint)

The pytest plugin (``ecsemu.testing.pytest_plugin``, registered automatically) wraps it in
fixtures.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import uvicorn

from ..accounts import DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY_SECRET
from ..app import create_app
from ..clock import Clock
from ..config import Config
from ..emulator import Emulator
from ..server import free_loopback_socket, uvicorn_config

__all__ = ["DEVELOPMENT_KEY_ID", "DEVELOPMENT_KEY_SECRET", "EmulatorServer"]


class EmulatorServer:
    """An emulator serving on 127.0.0.1:<free port> until ``stop()`` (or the ``with`` ends)."""

    def __init__(self, config: Config | None = None, clock: Clock | None = None) -> None:
        base = config or Config(in_memory=True)
        self._socket = free_loopback_socket()
        self.port = self._socket.getsockname()[1]
        self.config = dataclasses.replace(base, host="127.0.0.1", port=self.port)
        self.emulator = Emulator(self.config, clock)
        self._server = uvicorn.Server(uvicorn_config(self.config, create_app(self.emulator),
                                                     announce=lambda _: None))
        self._thread = threading.Thread(target=self._run, name=f"ecsemu-{self.port}", daemon=True)

    @property
    def endpoint(self) -> str:
        """``host:port``, the form the Python SDKs take."""
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """Plain HTTP; the same port answers HTTPS (``https_url``)."""
        return f"http://{self.endpoint}"

    @property
    def https_url(self) -> str:
        return f"https://{self.endpoint}"

    @property
    def ca_cert(self) -> Path:
        """The CA certificate its HTTPS certificate is signed by (tls.py)."""
        from ..tls import Authority
        return self.config.tls_cert if self.config.tls_cert is not None else Authority(self.config.authority_dir).cert

    def _run(self) -> None:
        self._server.run(sockets=[self._socket])

    def start(self) -> EmulatorServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("ecsemu test server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._socket.close()
        self.emulator.close()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
