"""Timed transitions: due order, compare-and-swap, guards, chains."""

from sqlalchemy import insert, select, update

from ecsemu.clock import ManualClock
from ecsemu.scheduler import AT_DUE, Scheduler
from ecsemu.store import Database
from ecsemu.store.schema import disks, snapshots, transitions


def make():
    clock = ManualClock(1_000_000.0)
    db = Database.open()
    return clock, db, Scheduler(clock, locks_rows=False)


def add_disk(conn, disk_id, status):
    conn.execute(insert(disks).values(
        id=disk_id, account_id="1", region_id="cn-hangzhou", zone_id="cn-hangzhou-b", created_at=0.0,
        status=status, disk_type="data", category="cloud", size=20, delete_with_instance=False, portable=True))


def status_of(conn, table, resource_id):
    return conn.execute(select(table.c.status).where(table.c.id == resource_id)).scalar()


def test_a_move_happens_when_due_and_not_before():
    clock, db, scheduler = make()
    with db.transaction() as conn:
        add_disk(conn, "d-1", "Creating")
        scheduler.schedule(conn, "disk", "d-1", "Creating", "Available", after=5)
        assert scheduler.apply_due(conn) == 0
        clock.advance(4.9)
        assert scheduler.apply_due(conn) == 0 and status_of(conn, disks, "d-1") == "Creating"
        clock.advance(0.1)
        assert scheduler.apply_due(conn) == 1 and status_of(conn, disks, "d-1") == "Available"
        assert conn.execute(select(transitions)).all() == []


def test_chains_apply_in_order_with_assignments():
    clock, db, scheduler = make()
    with db.transaction() as conn:
        add_disk(conn, "d-1", "Available")
        conn.execute(update(disks).values(status="Attaching"))
        scheduler.schedule(conn, "disk", "d-1", "Attaching", "In_use", after=1, assign={"attached_at": AT_DUE})
        scheduler.schedule(conn, "disk", "d-1", "In_use", "Detaching", after=2)
        clock.advance(10)
        assert scheduler.apply_due(conn) == 2
        row = conn.execute(select(disks)).first()
        assert row.status == "Detaching" and row.attached_at == 1_000_001.0


def test_a_superseded_move_is_dropped():
    clock, db, scheduler = make()
    with db.transaction() as conn:
        add_disk(conn, "d-1", "Creating")
        scheduler.schedule(conn, "disk", "d-1", "Creating", "Available", after=1)
        conn.execute(update(disks).values(status="Available"))  # something else moved it
        clock.advance(2)
        assert scheduler.apply_due(conn) == 0
        assert conn.execute(select(transitions)).all() == []


def test_a_guarded_move_waits_until_the_guard_holds():
    clock, db, scheduler = make()
    with db.transaction() as conn:
        conn.execute(insert(snapshots).values(
            id="s-1", account_id="1", region_id="cn-hangzhou", created_at=0.0, status="progressing",
            source_disk_id="d-1", source_disk_type="data", source_disk_size=20, source_disk_category="cloud",
            completes_at=1.0, hold=True))
        scheduler.schedule(conn, "snapshot", "s-1", "progressing", "accomplished", after=1, guard={"hold": False})
        clock.advance(5)
        assert scheduler.apply_due(conn) == 0 and status_of(conn, snapshots, "s-1") == "progressing"
        assert len(conn.execute(select(transitions)).all()) == 1  # kept for later
        conn.execute(update(snapshots).values(hold=False))
        assert scheduler.apply_due(conn) == 1 and status_of(conn, snapshots, "s-1") == "accomplished"


def test_cancel_forgets_a_resource():
    _clock, db, scheduler = make()
    with db.transaction() as conn:
        add_disk(conn, "d-1", "Creating")
        scheduler.schedule(conn, "disk", "d-1", "Creating", "Available", after=1)
        scheduler.cancel(conn, "d-1")
        assert conn.execute(select(transitions)).all() == []


def test_scheduling_an_impossible_move_is_a_bug():
    import pytest
    _clock, db, scheduler = make()
    with db.transaction() as conn, pytest.raises(ValueError):
        scheduler.schedule(conn, "disk", "d-1", "Creating", "In_use", after=1)
