"""Several processes starting together on one fresh database (issue 10): the migrations run
once, under a lock, and every process comes up and answers. Before the lock, all but one
died on a duplicate table or version row (UniqueViolation)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.ecsclient import REGION, Ecs
from tests.processes import ServerProcess, free_port

PROCESSES = 4


def start_together(log_dir: Path, args_of: list[list[str]]) -> list[ServerProcess]:
    """Starts one ``ecsemu serve`` per argument list, all at once (no process waits for
    another), then waits until each accepts connections."""
    servers = []
    for n, args in enumerate(args_of):
        port = free_port()
        log = log_dir / f"server-{n}-{port}.log"
        with log.open("w") as out:
            process = subprocess.Popen([sys.executable, "-m", "ecsemu", "serve", "--port", str(port), *args],
                                       stdout=out, stderr=subprocess.STDOUT)
        servers.append(ServerProcess(process, port, log))
    deadline = time.monotonic() + 60
    for server in servers:
        while True:
            try:
                socket.create_connection(("127.0.0.1", server.port), timeout=0.2).close()
                break
            except OSError:
                if server.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"a server did not start: {server.log.read_text()}") from None
                time.sleep(0.05)
    return servers


def stop(servers: list[ServerProcess]) -> None:
    for server in servers:
        if server.process.poll() is None:
            server.process.terminate()
    for server in servers:
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def test_servers_start_together_on_one_fresh_postgresql_database(postgres, tmp_path):
    url = postgres.new_database()
    args_of = [["--database-url", url, "--data-dir", str(tmp_path / f"data-{n}"),
                "--transitions", "instant", "--log-level", "warning"] for n in range(PROCESSES)]
    servers = start_together(tmp_path, args_of)
    try:
        clients = [Ecs(server) for server in servers]
        for client in clients:
            assert any(r["RegionId"] == REGION for r in client("DescribeRegions")["Regions"]["Region"])
            assert client("DescribeDisks", RegionId=REGION)["TotalCount"] == 0
        # One database behind them all: what one makes, the others see.
        disk_id = clients[0]("CreateDisk", RegionId=REGION, ZoneId=f"{REGION}-b", Size=20)["DiskId"]
        for client in clients:
            assert [d["DiskId"] for d in client("DescribeDisks", RegionId=REGION)["Disks"]["Disk"]] == [disk_id]
    finally:
        stop(servers)
    for server in servers:
        assert "Error" not in server.log.read_text(), server.log.read_text()


def test_processes_open_one_fresh_sqlite_file_together(tmp_path):
    """The SQLite side of the lock: processes opening one new database file at once (as
    ``Database.open`` does at start) all succeed, and the schema is made once."""
    path = tmp_path / "state.db"
    code = ("import sys; from pathlib import Path; from ecsemu.store import Database; "
            "Database.open(path=Path(sys.argv[1])).dispose()")
    processes = [subprocess.Popen([sys.executable, "-c", code, str(path)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for _ in range(PROCESSES)]
    outputs = [process.communicate(timeout=60)[0] for process in processes]
    assert [process.returncode for process in processes] == [0] * PROCESSES, outputs

    from ecsemu.store import Database, migrate
    db = Database.open(path=path)
    assert migrate.stored_revisions(db.engine) == {migrate.head_revision()}
    db.dispose()


def test_servers_start_together_on_fresh_sqlite_data_dirs(tmp_path):
    """Each with a data dir of its own (a data dir is one server's): all come up and answer."""
    args_of = [["--data-dir", str(tmp_path / f"data-{n}"), "--transitions", "instant", "--log-level", "warning"]
               for n in range(PROCESSES)]
    servers = start_together(tmp_path, args_of)
    try:
        for server in servers:
            client = Ecs(server)
            assert client("DescribeRegions")["Regions"]["Region"]
            assert client("DescribeDisks", RegionId=REGION)["TotalCount"] == 0
    finally:
        stop(servers)
