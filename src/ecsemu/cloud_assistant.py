"""The Cloud Assistant of one process: runs invocations in guests through their agents
(guest/agent_channel.py), off the event loop, and writes what each agent answers.

An invocation's rows are written Pending by the action that makes it; after its commit the
action hands the instances' jobs here. Each job runs on a thread of a small pool, made at
the first job (nothing runs while no command is invoked). Commands to one instance run one
after the other: its port takes one connection at a time. The jobs live in this process
only; a restart ends what was unfinished as Error, ExecutionInterrupted (``reconcile``).
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .domain import cloud_assistant as rules
from .guest.agent_channel import AgentChannel, AgentSilent, AgentUnreachable
from .store import invocations as invocation_store

if TYPE_CHECKING:
    from .emulator import Emulator

log = logging.getLogger(__name__)

THREADS = 8
PROBE_SECONDS = 1.0   # DescribeCloudAssistantStatus waits this long for an idle agent's HELLO


@dataclass(frozen=True)
class Job:
    """One instance's part of an invocation, with its parameters put in."""

    invoke_id: str
    instance_id: str
    script: bytes
    timeout: int
    working_dir: str
    username: str


@dataclass(frozen=True)
class AgentStatus:
    running: bool
    version: str
    last_heartbeat: float | None   # wall-clock time of its last HELLO, or of a command's end


class CloudAssistant:
    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._ports: dict[str, threading.Lock] = {}              # one command at a time per instance
        self._running: dict[tuple[str, str], AgentChannel] = {}  # (invoke, instance) -> its channel
        self._seen: dict[str, tuple[str, float]] = {}            # instance -> (version, last HELLO)
        self._closing = False

    def reconcile(self) -> None:
        """At start: what a previous process left running can no longer be answered."""
        with self._emulator.db.transaction() as conn:
            invocation_store.interrupt_unfinished(conn, self._emulator.clock.now())

    def dispatch(self, jobs: list[Job]) -> None:
        """Starts the jobs (their rows are committed, Pending)."""
        if not jobs:
            return
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(THREADS, thread_name_prefix="ecsemu-assistant")
            pool = self._pool
        for job in jobs:
            pool.submit(self._guarded, job)

    def kill(self, invoke_id: str, instance_ids: list[str]) -> None:
        """StopInvocation: asks the agents running these parts to kill them."""
        for instance_id in instance_ids:
            channel = self._running.get((invoke_id, instance_id))
            if channel is not None:
                try:
                    channel.kill(invoke_id)
                except AgentUnreachable:
                    pass   # gone already: its job ends on its own

    def status(self, instance_id: str) -> AgentStatus:
        """Whether the instance's agent answers (DescribeCloudAssistantStatus)."""
        path = self._emulator.instances.agent_socket(instance_id)
        seen = self._seen.get(instance_id)
        if path is None:
            return AgentStatus(False, "", seen[1] if seen else None)
        port = self._port(instance_id)
        if not port.acquire(blocking=False):   # a command runs there: its agent is up
            return AgentStatus(True, seen[0] if seen else "", time.time())
        try:
            with AgentChannel(path) as channel:
                version = channel.hello(PROBE_SECONDS)
        except (AgentUnreachable, AgentSilent):
            return AgentStatus(False, "", seen[1] if seen else None)
        finally:
            port.release()
        self._seen[instance_id] = (version, time.time())
        return AgentStatus(True, version, time.time())

    def close(self) -> None:
        """Ends the jobs: what ran ends as ExecutionInterrupted, as after a crash (``reconcile``)."""
        with self._lock:
            self._closing = True
            pool, self._pool = self._pool, None
        for channel in list(self._running.values()):
            channel.close()   # its job ends at once (the agent's port closed)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    # --- one job ---------------------------------------------------------------------------

    def _port(self, instance_id: str) -> threading.Lock:
        with self._lock:
            return self._ports.setdefault(instance_id, threading.Lock())

    def _guarded(self, job: Job) -> None:
        """``_run``; should it fail (the database gone away), the result is not left live."""
        try:
            self._run(job)
        except Exception:
            log.exception("Cloud Assistant: invocation %s on %s failed", job.invoke_id, job.instance_id)
            try:
                self._finish(job, rules.ERROR, "ExecutionException")
            except Exception:
                log.exception("Cloud Assistant: could not record it; the next start will")

    def _run(self, job: Job) -> None:
        path = self._emulator.instances.agent_socket(job.instance_id)
        if path is None:
            self._finish(job, rules.ABORTED, "ClientNotRunning")
            return
        with self._port(job.instance_id):
            if self._closing:   # it waited for the port while the server stopped
                self._finish(job, rules.ERROR, "ExecutionInterrupted")
                return
            try:
                channel = AgentChannel(path)
            except AgentUnreachable:
                self._finish(job, rules.ABORTED, "ClientNotResponse")
                return
            with channel:
                try:
                    self._seen[job.instance_id] = (channel.hello(), time.time())
                except (AgentUnreachable, AgentSilent):
                    self._finish(job, rules.ABORTED, "ClientNotResponse")
                    return
                key = (job.invoke_id, job.instance_id)
                self._running[key] = channel   # from here a StopInvocation reaches the agent

                ran: list[bool] = []

                def started() -> None:
                    with self._emulator.db.transaction() as conn:
                        if invocation_store.start(conn, job.invoke_id, job.instance_id, self._emulator.clock.now()):
                            ran.append(True)
                        else:
                            channel.kill(job.invoke_id)   # stopped (Cancelled) while it waited

                def waiting() -> None:
                    if self._closing:
                        channel.close()   # registered as close() passed: end it now
                        return
                    # Stopped by a call another process answered (serve --workers, a shared
                    # database): that process could not reach this agent.
                    with self._emulator.db.transaction(read_only=True) as conn:
                        live = invocation_store.is_live(conn, job.invoke_id, job.instance_id)
                    if ran and not live:
                        channel.kill(job.invoke_id)

                try:
                    result = channel.run(job.invoke_id, job.script, timeout=job.timeout, working_dir=job.working_dir,
                                         username=job.username, started=started, waiting=waiting)
                except (AgentUnreachable, AgentSilent):
                    self._finish(job, rules.ERROR, "ExecutionInterrupted" if self._closing else "ClientNotResponse")
                    return
                finally:
                    self._running.pop(key, None)
        status, error_code = rules.ended(result.outcome, result.exit_code)
        exited = bool(ran) and result.outcome in ("exited", "timeout", "killed")
        self._finish(job, status, error_code, exit_code=result.exit_code if exited else None,
                     output=base64.b64encode(result.output).decode("ascii"), dropped=result.dropped)

    def _finish(self, job: Job, status: str, error_code: str, *, exit_code: int | None = None, output: str = "",
                dropped: int = 0) -> None:
        with self._emulator.db.transaction() as conn:
            now = self._emulator.clock.now()
            if not invocation_store.finish(conn, job.invoke_id, job.instance_id, now, status=status,
                                           error_code=error_code, exit_code=exit_code, output=output,
                                           dropped=dropped) and exit_code is not None:
                # Stopped (Terminated) while it ran: that stays, with what it printed.
                invocation_store.fill_output(conn, job.invoke_id, job.instance_id, exit_code=exit_code,
                                             output=output, dropped=dropped)
