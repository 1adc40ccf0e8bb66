"""The guest agent (guest/agent.sh) run on the host under busybox sh, as the instance's
guest would run it, and a driver that names its port: the real agent, its guest replaced
by a process here.

QEMU gives a virtio-serial port a unix socket the host connects to, one connection at a
time, and relays it to the guest's port; ``HostAgent`` does the same between its socket and
the agent's stdin/stdout (one end of a socket pair)."""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

from ecsemu.guest.agent_channel import AGENT_SCRIPT
from ecsemu.guest.driver import InstanceDriver

BUSYBOX = "/bin/busybox"


class HostAgent:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="agent-", dir="/tmp"))   # short: a socket path has 108 bytes
        self.path = self.dir / "port.sock"
        guest_end, self._guest = socket.socketpair()
        self.process = subprocess.Popen([BUSYBOX, "sh", str(AGENT_SCRIPT), "-"], stdin=guest_end, stdout=guest_end,
                                        env={**os.environ, "ECSEMU_AGENT_STATE": str(self.dir / "state")},
                                        start_new_session=True)   # its jobs in its group, to end with it
        guest_end.close()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(self.path))
        self._listener.listen(1)
        self._stopping = False
        self._thread = threading.Thread(target=self._relay, daemon=True)
        self._thread.start()

    def _relay(self) -> None:
        while not self._stopping:
            try:
                host, _ = self._listener.accept()
            except OSError:
                return
            with host, selectors.DefaultSelector() as selector:
                selector.register(host, selectors.EVENT_READ, self._guest)
                selector.register(self._guest, selectors.EVENT_READ, host)
                while True:
                    ready = selector.select()
                    chunks = [(key.fileobj, key.data, _received(key.fileobj)) for key, _ in ready]
                    if any(source is host and not data for source, _, data in chunks):
                        break   # the host went away; the agent stays, as a guest's does
                    if any(source is self._guest and not data for source, _, data in chunks):
                        return  # the agent ended
                    for _, target, data in chunks:
                        target.sendall(data)

    def close(self) -> None:
        self._stopping = True
        self._listener.close()
        os.killpg(self.process.pid, signal.SIGKILL)   # the agent and its jobs (a guest powered off)
        self.process.wait()
        self._guest.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def _received(source) -> bytes:
    try:
        return source.recv(65536)
    except ConnectionResetError:
        return b""


class HostAgents(InstanceDriver):
    """An instance driver whose Running instances named here have a guest: an agent of
    their own, started at first use (the rest of a driver's duties: the none driver's)."""

    def __init__(self) -> None:
        self.agents: dict[str, HostAgent] = {}

    def boot(self, instance_id: str) -> HostAgent:
        self.agents[instance_id] = HostAgent()
        return self.agents[instance_id]

    def agent_socket(self, instance_id: str) -> Path | None:
        agent = self.agents.get(instance_id)
        return agent.path if agent is not None else None

    def close(self) -> None:
        """Ends every agent (the emulator that was given this driver closes it too: once is enough)."""
        agents, self.agents = self.agents, {}
        for agent in agents.values():
            agent.close()
