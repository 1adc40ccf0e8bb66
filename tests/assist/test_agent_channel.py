"""The host's channel (guest/agent_channel.py) and the guest agent (guest/agent.sh) end to
end: the agent under busybox sh on this host, reached through a unix socket as QEMU gives
the port."""

from __future__ import annotations

import base64
import os
import pty
import socket
import subprocess
import threading
import time
import tty
from pathlib import Path

import pytest

from ecsemu.guest.agent_channel import AGENT_SCRIPT, AgentChannel, AgentUnreachable
from tests.assist.host_agent import HostAgent


@pytest.fixture(scope="module")
def agent():
    running = HostAgent()
    yield running
    running.close()


def run(agent: HostAgent, script: str, **options):
    options = {"timeout": 10, "working_dir": "/tmp", "username": "", **options}
    with AgentChannel(agent.path) as channel:
        channel.hello()
        return channel.run("t-test", script.encode(), **options)


def test_it_says_hello_with_its_version(agent):
    with AgentChannel(agent.path) as channel:
        assert channel.hello() == "1.0"


def test_output_and_exit_code(agent):
    result = run(agent, "echo hi; echo oops >&2; exit 3")
    assert (result.outcome, result.exit_code, result.output, result.dropped) == ("exited", 3, b"hi\noops\n", 0)


def test_the_working_directory_and_a_missing_one(agent):
    assert run(agent, "pwd", working_dir="/usr").output == b"/usr\n"
    assert run(agent, "pwd", working_dir="/no/such/dir").outcome == "nodir"


def test_another_user(agent):
    (agent.dir / "state").chmod(0o755)   # the guest's state directory is readable; a test's temporary one not
    agent.dir.chmod(0o755)
    assert run(agent, "id -un; pwd", username="nobody", working_dir="/").output == b"nobody\n/\n"


def test_a_script_of_24_kib(agent):
    script = "# " + "x" * 24000 + "\necho done"
    assert run(agent, script).output == b"done\n"


def test_a_user_that_does_not_exist(agent):
    assert run(agent, "id", username="no-such-user").outcome == "nouser"


def test_a_timeout_kills_the_command_and_what_it_started(agent):
    started = time.monotonic()
    marker = agent.dir / "child.pid"
    result = run(agent, f"echo before; sleep 30 & echo $! > {marker}; sleep 30; echo after", timeout=1)
    assert time.monotonic() - started < 5
    assert (result.outcome, result.exit_code, result.output) == ("timeout", 1, b"before\n")
    assert not _alive(int(marker.read_text()))


def test_output_past_24_kib_is_cut_from_the_start(agent):
    result = run(agent, "i=0; while [ $i -lt 3000 ]; do printf '%09d\\n' $i; i=$((i+1)); done")
    assert result.dropped == 30000 - 24576
    assert len(result.output) == 24576 and result.output.endswith(b"000002999\n")


def test_kill_stops_a_running_command(agent):
    with AgentChannel(agent.path) as channel:
        channel.hello()
        threading.Timer(0.5, channel.kill, ("t-kill",)).start()
        result = channel.run("t-kill", b"echo started; sleep 30", timeout=60, working_dir="/tmp", username="")
    assert (result.outcome, result.output) == ("killed", b"started\n")


def test_it_survives_bad_lines(agent):
    with socket.socket(socket.AF_UNIX) as raw:
        raw.connect(str(agent.path))
        raw.sendall(b"NONSENSE\nRUN only-two\nRUN x;y 5 - - ZWNobw==\n\x00\xff\nPING\n")
        received = b""
        while b"HELLO" not in received.split(b"ERR", 1)[-1]:
            received += raw.recv(4096)
    assert received.count(b"ERR ") == 4
    assert run(agent, "echo still here").output == b"still here\n"


def test_a_port_nobody_listens_on():
    with pytest.raises(AgentUnreachable):
        AgentChannel(Path("/nonexistent/port.sock"))


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie, killed and not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in state


def test_it_reads_and_writes_the_port_it_is_given(tmp_path):
    """``agent.sh PORT``: a character device opened for reading and writing, as the guest's
    /dev/virtio-ports/org.ecsemu.agent is; here a pseudo-terminal in raw mode."""
    host, guest = pty.openpty()
    tty.setraw(guest)
    process = subprocess.Popen(["/bin/busybox", "sh", str(AGENT_SCRIPT), os.ttyname(guest)],
                               env={**os.environ, "ECSEMU_AGENT_STATE": str(tmp_path / "state")})
    try:
        script = base64.b64encode(b"echo from the port").decode()
        os.write(host, f"RUN t-pty 5 {base64.b64encode(b'/tmp').decode()} - {script}\n".encode())
        received = b""
        deadline = time.monotonic() + 10
        while b"DONE t-pty" not in received or not received.endswith(b"\n"):
            assert time.monotonic() < deadline, received
            received += os.read(host, 4096)
        done = next(line for line in received.splitlines() if line.startswith(b"DONE"))
        assert done.split()[2:5] == [b"exited", b"0", b"0"]
        assert base64.b64decode(done.split()[5]) == b"from the port\n"
    finally:
        process.kill()
        process.wait()
        os.close(host)
        os.close(guest)
