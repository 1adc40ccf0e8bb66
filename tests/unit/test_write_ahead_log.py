"""A SQLite file is put in WAL mode even while another connection holds it locked: SQLite
can answer "database is locked" at once there (processes opening one new file together),
and write_ahead_log tries again until the lock is free."""

from __future__ import annotations

import sqlite3
import threading
import time

from ecsemu.store.database import write_ahead_log


def test_wal_mode_waits_for_a_lock_sqlite_would_not_wait_for(tmp_path):
    path = tmp_path / "state.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    opener = sqlite3.connect(path, isolation_level=None, timeout=0)  # no busy wait of SQLite's own
    released = threading.Event()

    def release() -> None:
        time.sleep(0.3)
        holder.execute("COMMIT")
        released.set()
    threading.Thread(target=release).start()
    write_ahead_log(opener)
    assert released.is_set()  # it waited for the lock rather than failing
    assert opener.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    opener.close()
    holder.close()
