"""Running an emulator over HTTP(S) with uvicorn."""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import signal
import socket
import sys
import tempfile
import traceback
from pathlib import Path
from typing import NoReturn

import uvicorn

from .app import create_app
from .config import Config
from .emulator import Emulator
from .http_protocol import bounded_protocol
from .lifetime import die_with_parent
from .one_port import one_port_protocol

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format=LOG_FORMAT, stream=sys.stderr)


def tls_files(config: Config, *, announce=print) -> tuple[Path, Path]:
    """The certificate and key HTTPS is answered with: ``--tls-cert``'s, or one signed by
    the local CA (tls.py), which is made at the first start and kept."""
    if config.tls_cert is not None and config.tls_key is not None:
        return config.tls_cert, config.tls_key
    from .tls import ensure
    try:
        authority = ensure(config.authority_dir, [config.host])
    except OSError as exc:  # e.g. a read-only home for --in-memory's cache: a CA for this run only
        announce(f"ecsemu: cannot keep the local CA in {config.authority_dir} ({exc.strerror}): using a new one")
        authority = ensure(Path(tempfile.mkdtemp(prefix="ecsemu-ca-")), [config.host])
    announce(f"ecsemu: HTTPS certificate signed by the local CA {authority.cert} "
             "(`ecsemu env` prints the variables that make clients trust it)")
    return authority.server_cert, authority.server_key


def uvicorn_config(config: Config, app, *, announce=print) -> uvicorn.Config:
    """uvicorn's settings for this emulator: HTTP and HTTPS on the one port (one_port.py)."""
    from .tls import server_context
    certfile, keyfile = tls_files(config, announce=announce)
    # uvicorn's own access line carries the raw query, Signature and Password included;
    # ours (ecsemu.access) redacts. uvicorn decides per connection from hasHandlers(),
    # which a root handler (pytest's, an embedding app's) would turn on: switch it off.
    logging.getLogger("uvicorn.access").disabled = True
    return uvicorn.Config(
        app,
        host=config.host,
        port=config.port,
        access_log=False,          # ours is richer: see ecsemu.gateway
        log_config=None,           # keep the logging set up by configure_logging
        log_level=config.log_level,
        timeout_graceful_shutdown=10,
        # TLS is ours, not uvicorn's: the first byte of each connection says whether it is
        # TLS; then bounded request heads, and a deadline for them.
        http=one_port_protocol(bounded_protocol(config.head_timeout), server_context(certfile, keyfile)),
        server_header=False,
        # The control plane trusts loopback peers: it must see the real peer, never one an
        # X-Forwarded-For header claims. (It also spares a middleware on every request.)
        proxy_headers=False,
    )


GIL_SWITCH_SECONDS = 0.0005


def collect_from_now_on() -> None:
    """The cyclic garbage collector on again (``entry.main`` keeps it off while the server is
    built), with what start-up made frozen: the objects that live as long as the server are
    then left out of every later collection's walk."""
    gc.freeze()
    gc.enable()


def serve(config: Config) -> int:
    """Runs until SIGINT/SIGTERM, then finishes the requests in flight and stops; with
    ``config.workers`` > 1, in that many processes (``serve_workers``). Returns the exit
    status."""
    configure_logging(config.log_level)
    # A thread in Python code keeps the GIL up to this long while another waits: 5 ms by
    # default, which a read waiting behind a slow call's Python steps paid at its p99.
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    if not config.in_memory:
        config.data_dir.mkdir(parents=True, exist_ok=True)
    if config.workers > 1:
        return serve_workers(config)
    emulator = Emulator(config)
    server_config = uvicorn_config(config, create_app(emulator))
    collect_from_now_on()
    _banner(config)
    try:
        uvicorn.Server(server_config).run()
    finally:
        emulator.close()
    return 0


def _banner(config: Config) -> None:
    address = f"{_display_host(config.host)}:{config.port}"
    print(f"ecsemu: ECS API 2014-05-26 on http://{address}/ and https://{address}/ (one port)", flush=True)
    if not config.strict_auth:
        print("ecsemu: loose auth: unknown AccessKeyIds are accepted as their own account, "
              "signature unchecked (use --strict-auth to refuse them)", flush=True)


# --- several processes on one port ---------------------------------------------------------

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def serve_workers(config: Config) -> int:
    """``config.workers`` server processes answering on one listening socket, sharing the
    data dir and its SQLite file (WAL) or a PostgreSQL database.

    This process makes the local CA's server certificate, binds the socket, has the
    start-up clean-up (``DataPlane.reconcile``) run once, in a process of its own that has
    finished before any worker starts (a worker starting later must not remove the files
    another is writing), then forks the workers: each builds its own Emulator (database
    connections, threads) and runs uvicorn on the inherited socket; the kernel hands each
    new connection to one of them. This process never opens the database: nothing it holds
    is shared by a fork. SIGINT or SIGTERM is passed on to every worker as SIGTERM (a
    graceful stop, even when a terminal's Ctrl-C also reached them: a second SIGINT would
    make uvicorn skip it); a worker that exits on its own is reported, the others go on.
    Returns 0 once every worker has stopped after a signal, 1 if one failed."""
    # The workers all serve the one certificate made here, made before the port is open
    # (as with one process): a client that can connect finds the CA in place.
    certfile, keyfile = tls_files(config)
    config = dataclasses.replace(config, tls_cert=certfile, tls_key=keyfile)
    try:
        sock = listening_socket(config.host, config.port)
    except OSError as exc:
        print(f"ecsemu: cannot listen on {_display_host(config.host)}:{config.port}: {exc}", file=sys.stderr)
        return 1
    reconciled = _wait_for(_fork(lambda: _reconcile(config)))
    if reconciled != 0:
        print(f"ecsemu: start-up failed ({_exit_text(reconciled)}): see above", file=sys.stderr)
        return 1
    _banner(config)
    print(f"ecsemu: {config.workers} worker processes", flush=True)
    collect_from_now_on()  # here too: this process only waits for its workers

    workers: dict[int, int] = {}  # pid -> worker number
    stopping = False

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(workers):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)
    # A signal arriving while the workers are forked waits until all are known, then
    # reaches every one of them.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    parent = os.getpid()
    try:
        for number in range(1, config.workers + 1):
            workers[_fork(lambda number=number: _worker(config, sock, number, parent))] = number
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    sock.close()  # the workers hold it now

    failed = False
    stopped = 0
    while workers:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        if pid not in workers:
            continue
        number = workers.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        if stopping and code in (0, -signal.SIGTERM, -signal.SIGINT):
            stopped += 1
            continue
        failed = True
        print(f"ecsemu: worker {number} (pid {pid}) {_exit_text(code)}; "
              f"{len(workers)} worker{'s' if len(workers) != 1 else ''} left", file=sys.stderr, flush=True)
    if stopping:
        print(f"ecsemu: stopped ({stopped} worker{'s' if stopped != 1 else ''} stopped gracefully)", flush=True)
    return 1 if failed else 0


def listening_socket(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A listening TCP socket on ``host``:``port``, as uvicorn would make it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    return sock


def _fork(run) -> int:
    """Runs ``run`` in a forked child, which exits with what it returns; returns its pid."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        code = run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        # Never back into the parent's code: no atexit handlers, no second cleanup.
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _wait_for(pid: int) -> int:
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def _exit_text(code: int) -> str:
    return f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"


def _reconcile(config: Config) -> int:
    """Start-up clean-up of the data dir (and the migrations of a fresh database), once."""
    Emulator(config).close()
    return 0


def _stop_now(_signum, _frame) -> NoReturn:
    raise SystemExit(0)


class _WorkerServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, number: int) -> None:
        super().__init__(config)
        self.number = number

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            # One write of the whole line: the workers share stdout, and print() writes the
            # newline separately, so two workers' lines could interleave.
            sys.stdout.write(f"ecsemu: worker {self.number} ready (pid {os.getpid()})\n")
            sys.stdout.flush()


def _worker(config: Config, sock: socket.socket, number: int, parent_pid: int) -> int:
    """One worker: its own Emulator, uvicorn on the inherited socket. A stop signal before
    uvicorn takes over ends it at once; uvicorn's own handlers stop it gracefully, then
    raise the signal again, which ends it here."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _stop_now)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    die_with_parent(parent_pid, signal.SIGTERM)  # a kill -9 of the parent stops the workers too
    emulator = Emulator(config, reconcile=False)
    server_config = uvicorn_config(config, create_app(emulator))
    collect_from_now_on()
    try:
        _WorkerServer(server_config, number).run(sockets=[sock])
    finally:
        emulator.close()
    return 0


def _display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def free_loopback_socket() -> socket.socket:
    """A listening socket on 127.0.0.1 with a port the OS chose."""
    return listening_socket("127.0.0.1", 0, backlog=1024)
