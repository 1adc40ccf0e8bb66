"""Per-thread connections: each thread keeps its own; closing them (and an in-memory
database's one connection) waits for a thread still using its connection (closing a
SQLite connection under another thread crashes the process), and nothing is handed out
after."""

import sqlite3
import threading
import time

import pytest

from ecsemu.store.per_thread import PerThread


def test_each_thread_keeps_its_own_connection():
    connections = PerThread(lambda: sqlite3.connect(":memory:", check_same_thread=False), sqlite3.Connection.close)
    seen = []

    def grab():
        with connections.use() as first, connections.use() as again:
            seen.append((first, again))

    threads = [threading.Thread(target=grab) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connections.use() as mine, connections.use() as still_mine:
        assert mine is still_mine
    assert [first is again for first, again in seen] == [True, True]
    assert len({id(conn) for conn, _ in seen} | {id(mine)}) == 3
    connections.close()


def closing_waits_for_a_reader(use, query, close) -> None:
    """``close`` waits for a thread inside ``use()``, which can still run ``query`` on its
    connection afterwards (it was not closed under it)."""
    inside, release, done = threading.Event(), threading.Event(), []

    def long_read():
        with use() as conn:
            inside.set()
            release.wait(5)
            done.append(query(conn))

    reader = threading.Thread(target=long_read)
    reader.start()
    inside.wait(5)
    closing = threading.Thread(target=close)
    closing.start()
    time.sleep(0.2)
    assert closing.is_alive()  # waiting for the reader
    release.set()
    reader.join(5)
    closing.join(5)
    assert done == [42] and not closing.is_alive()


def test_close_waits_for_a_thread_in_its_connection_then_refuses():
    connections = PerThread(lambda: sqlite3.connect(":memory:", check_same_thread=False), sqlite3.Connection.close)
    closing_waits_for_a_reader(connections.use, lambda conn: conn.execute("SELECT 42").fetchone()[0],
                               connections.close)
    with pytest.raises(RuntimeError), connections.use():
        pass


def test_disposing_an_in_memory_database_waits_for_a_thread_in_it():
    from sqlalchemy import text

    from ecsemu.store import Database

    db = Database.open()
    closing_waits_for_a_reader(lambda: db.transaction(read_only=True),
                               lambda conn: conn.execute(text("SELECT 42")).scalar(), db.dispose)
