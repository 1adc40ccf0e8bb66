"""``ecsemu serve`` as a separate process, as users run it: for restart, crash and
multi-process tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerProcess:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    def kill(self) -> None:
        """kill -9: no shutdown, no cleanup."""
        self.process.kill()
        self.process.wait(timeout=15)


@contextmanager
def serve(log_dir: Path, *args: str, port: int | None = None):
    """Runs ``ecsemu serve --port P ARGS…`` until the block ends; yields a ServerProcess
    once it accepts connections."""
    port = port or free_port()
    log = log_dir / f"server-{port}-{time.monotonic_ns()}.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "ecsemu", "serve", "--port", str(port), *args],
                                   stdout=out, stderr=subprocess.STDOUT)
    server = ServerProcess(process, port, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {log.read_text()}") from None
                time.sleep(0.05)
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
