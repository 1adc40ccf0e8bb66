"""Timed transitions: due order, compare-and-swap, guards, chains."""

import pytest
from sqlalchemy import insert, select, update

from ecsemu.clock import ManualClock
from ecsemu.domain.status import DISK, SNAPSHOT
from ecsemu.scheduler import AT_DUE, Scheduler
from ecsemu.store import Database
from ecsemu.store.schema import disks, snapshots, transitions
from ecsemu.timing import Delays


def make(delays=Delays(disk_creating=5, disk_attaching=1, snapshot=1)):
    clock = ManualClock(1_000_000.0)
    db = Database.open()
    return clock, db, Scheduler(clock, delays, locks_rows=False)


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
        assert scheduler.chain(conn, DISK, "d-1", ("Creating", "Available")) == 1_000_005.0  # disk_creating
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
        scheduler.chain(conn, DISK, "d-1", ("Attaching", "In_use", "Detaching"),
                        assign={"In_use": {"attached_at": AT_DUE}})
        clock.advance(10)
        assert scheduler.apply_due(conn) == 2
        row = conn.execute(select(disks)).first()
        assert row.status == "Detaching" and row.attached_at == 1_000_001.0


def test_a_superseded_move_is_dropped():
    clock, db, scheduler = make()
    with db.transaction() as conn:
        add_disk(conn, "d-1", "Creating")
        scheduler.chain(conn, DISK, "d-1", ("Creating", "Available"))
        conn.execute(update(disks).values(status="Available"))  # something else moved it
        clock.advance(5)
        assert scheduler.apply_due(conn) == 0
        assert conn.execute(select(transitions)).all() == []


def test_a_guarded_move_waits_until_the_guard_holds():
    clock, db, scheduler = make()
    with db.transaction() as conn:
        conn.execute(insert(snapshots).values(
            id="s-1", account_id="1", region_id="cn-hangzhou", created_at=0.0, status="progressing",
            source_disk_id="d-1", source_disk_type="data", source_disk_size=20, source_disk_category="cloud",
            completes_at=1.0, hold=True))
        scheduler.chain(conn, SNAPSHOT, "s-1", ("progressing", "accomplished"), guard={"hold": False})
        clock.advance(5)
        assert scheduler.apply_due(conn) == 0 and status_of(conn, snapshots, "s-1") == "progressing"
        assert len(conn.execute(select(transitions)).all()) == 1  # kept for later
        conn.execute(update(snapshots).values(hold=False))
        assert scheduler.apply_due(conn) == 1 and status_of(conn, snapshots, "s-1") == "accomplished"


def test_cancel_forgets_a_resource():
    _clock, db, scheduler = make()
    with db.transaction() as conn:
        add_disk(conn, "d-1", "Creating")
        scheduler.chain(conn, DISK, "d-1", ("Creating", "Available"))
        scheduler.cancel(conn, "d-1")
        assert conn.execute(select(transitions)).all() == []


def test_a_chain_is_due_step_by_step_each_after_its_declared_delay():
    _clock, db, scheduler = make()
    with db.transaction() as conn:
        last = scheduler.chain(conn, DISK, "d-1", ("Creating", "Available", "Attaching", "In_use"), after=0.5,
                               assign={"In_use": {"attached_at": AT_DUE}})
        rows = conn.execute(select(transitions).order_by(transitions.c.id)).all()
    # disk_creating 5, Available -> Attaching at once, disk_attaching 1: as CreateDisk with InstanceId.
    assert [(r.expect, r.target, r.due_at - 1_000_000.0, r.assign) for r in rows] == [
        ("Creating", "Available", 5.5, {}), ("Available", "Attaching", 5.5, {}),
        ("Attaching", "In_use", 6.5, {"attached_at": AT_DUE})]
    assert last == rows[-1].due_at


@pytest.mark.parametrize("path, assign", [
    (("Creating", "In_use"), None),                            # no such move
    (("Creating", "Available", "In_use"), None),               # a later step undeclared: nothing scheduled
    (("Creating",), None),                                     # no move at all
    (("Creating", "Available"), {"In_use": {"attached_at": AT_DUE}}),  # assigned beyond the chain
])
def test_scheduling_an_undeclared_chain_is_a_bug(path, assign):
    _clock, db, scheduler = make()
    with db.transaction() as conn:
        with pytest.raises(ValueError):
            scheduler.chain(conn, DISK, "d-1", path, assign=assign)
        assert conn.execute(select(transitions)).all() == []


def test_moves_due_at_once_are_made_in_the_transaction_that_asks():
    # Instant mode: no row is written for the catch-up; the status is there before commit,
    # with AT_DUE assigned the time of the move.
    _clock, db, scheduler = make(Delays().zero())
    with db.transaction() as conn:
        add_disk(conn, "d-1", "Creating")
        scheduler.chain(conn, DISK, "d-1", ("Creating", "Available", "Attaching", "In_use"),
                        assign={"In_use": {"attached_at": AT_DUE}})
        row = conn.execute(select(disks)).first()
        assert (row.status, row.attached_at) == ("In_use", 1_000_000.0)
        assert conn.execute(select(transitions)).all() == []


def test_a_move_due_at_once_but_held_by_its_guard_waits_with_the_rest():
    _clock, db, scheduler = make(Delays().zero())
    with db.transaction() as conn:
        add_disk(conn, "d-1", "Creating")
        scheduler.chain(conn, DISK, "d-1", ("Creating", "Available", "Attaching"), guard={"size": 40})
        assert status_of(conn, disks, "d-1") == "Creating"
        assert [(t.expect, t.target) for t in conn.execute(select(transitions).order_by(transitions.c.id))] == \
            [("Creating", "Available"), ("Available", "Attaching")]
        conn.execute(update(disks).values(size=40))
        assert scheduler.apply_due(conn) == 2 and status_of(conn, disks, "d-1") == "Attaching"
