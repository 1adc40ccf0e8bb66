"""The host's side of the Cloud Assistant agent's port (guest/agent.sh holds the protocol).

A unix socket reaches the guest's virtio-serial port ``org.ecsemu.agent``; one command at a
time is sent over one connection, which is closed when the command is done. Everything
here blocks: it runs on the Cloud Assistant's own threads (cloud_assistant.py), never on
the event loop.
"""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

AGENT_SCRIPT = Path(__file__).with_name("agent.sh")
HELLO_SECONDS = 5.0          # how long a connected agent may take to answer PING
GRACE_SECONDS = 10.0         # after a command's timeout, how long the agent may take to say DONE
MAX_LINE = 64 * 1024         # a DONE line: 24 KiB of output is 32 KiB of base64
WAIT_SECONDS = 1.0           # while a command runs, how often the host looks up from waiting


class AgentUnreachable(Exception):
    """No agent answered on the port: the guest is not up, or its agent is not running."""


class AgentSilent(Exception):
    """The agent took a command and then said nothing more."""


class _StillWaiting(Exception):
    """No line yet (a wait shorter than the command's)."""


@dataclass(frozen=True)
class AgentResult:
    """How one command ended, as the agent said."""

    outcome: str        # exited, timeout, killed, nodir, nouser, error (agent.sh)
    exit_code: int
    output: bytes       # the last 24 KiB
    dropped: int        # bytes cut before them


class AgentChannel:
    """One connection to an agent's port."""

    def __init__(self, path: Path) -> None:
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._buffer = b""
        self._send_lock = threading.Lock()
        try:
            self._socket.settimeout(HELLO_SECONDS)
            self._socket.connect(str(path))
        except OSError as exc:
            self._socket.close()
            raise AgentUnreachable(str(exc)) from None

    def close(self) -> None:
        """Closes the connection; a thread waiting on it wakes (shutdown does that, close alone not)."""
        try:
            self._socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass   # not connected, or closed already
        self._socket.close()

    def __enter__(self) -> AgentChannel:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def hello(self, seconds: float = HELLO_SECONDS) -> str:
        """The agent's version, once it has answered a PING (within ``seconds``)."""
        self._send("PING")
        deadline = time.monotonic() + seconds
        while True:
            fields = self._line(deadline, AgentUnreachable)
            if fields[:2] == ["HELLO", "ecsemu-agent"] and len(fields) == 3:
                return fields[2]

    def run(self, invoke_id: str, script: bytes, *, timeout: int, working_dir: str, username: str,
            started: Callable[[], None] = lambda: None, waiting: Callable[[], None] = lambda: None) -> AgentResult:
        """Runs ``script`` and waits for its end (at most ``timeout`` and a grace);
        ``started`` is called once the agent has taken it, ``waiting`` about every second
        while it runs."""
        self._send(f"RUN {invoke_id} {timeout} {_field(working_dir.encode())} {_field(username.encode())} "
                   f"{_field(script)}")
        deadline = time.monotonic() + timeout + GRACE_SECONDS
        while True:
            try:
                fields = self._line(min(deadline, time.monotonic() + WAIT_SECONDS), _StillWaiting)
            except _StillWaiting:
                if time.monotonic() >= deadline:
                    raise AgentSilent("no answer from the agent") from None
                waiting()
                continue
            if fields == ["STARTED", invoke_id]:
                started()
            elif len(fields) == 6 and fields[:2] == ["DONE", invoke_id]:
                try:
                    return AgentResult(fields[2], int(fields[3]), _unfield(fields[5]), int(fields[4]))
                except ValueError:
                    raise AgentSilent(f"a DONE line it could not read: {fields[:5]}") from None

    def kill(self, invoke_id: str) -> None:
        """Asks the agent to kill the command (its DONE then says ``killed``)."""
        self._send(f"KILL {invoke_id}")

    def _send(self, line: str) -> None:
        with self._send_lock:
            try:
                self._socket.sendall(line.encode("ascii") + b"\n")
            except OSError as exc:
                raise AgentUnreachable(str(exc)) from None

    def _line(self, deadline: float, late: type[Exception]) -> list[str]:
        """The next line's fields; ``late`` when none comes before ``deadline``, AgentSilent
        when the port closes or sends what is no line."""
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise late("no answer from the agent")
            if len(self._buffer) > MAX_LINE:
                raise AgentSilent("a line longer than any the agent sends")
            self._socket.settimeout(left)
            try:
                chunk = self._socket.recv(65536)
            except TimeoutError:
                raise late("no answer from the agent") from None
            except OSError as exc:
                raise AgentSilent(str(exc)) from None
            if not chunk:
                raise AgentSilent("the agent's port closed")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode("ascii", "replace").split(" ")


def _field(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii") if data else "-"


def _unfield(text: str) -> bytes:
    return b"" if text == "-" else base64.b64decode(text)
