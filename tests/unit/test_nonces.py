"""Signature nonces in the database: good once per account while the request's timestamp is
acceptable, kept across a reopening of the database, shared by everyone using it, bounded."""

from ecsemu.clock import ManualClock
from ecsemu.store import Database
from ecsemu.store.nonces import NonceStore
from ecsemu.store.schema import signature_nonces


def test_a_nonce_is_good_once_per_account_until_it_expires():
    clock = ManualClock(1000.0)
    nonces = NonceStore(Database.open(), clock)
    assert nonces.claim("acct", "n1", expires_at=1900.0)
    assert not nonces.claim("acct", "n1", expires_at=1900.0)
    assert nonces.claim("other", "n1", expires_at=1900.0)
    clock.advance(899)
    assert not nonces.claim("acct", "n1", expires_at=2800.0)
    clock.advance(2)  # past 1900: the first claim has expired
    assert nonces.claim("acct", "n1", expires_at=2801.0)
    assert not nonces.claim("acct", "n1", expires_at=2801.0)


def test_nonces_survive_reopening_the_database(tmp_path):
    clock = ManualClock(1000.0)
    path = tmp_path / "ecsemu.db"
    first = Database.open(path=path)
    assert NonceStore(first, clock).claim("acct", "n1", expires_at=1900.0)
    first.dispose()
    again = Database.open(path=path)
    assert not NonceStore(again, clock).claim("acct", "n1", expires_at=1900.0)
    assert not NonceStore(again, clock).claim("acct", "n1", expires_at=1900.0)  # a second process alike
    again.dispose()


def test_long_nonces_are_kept_by_hash():
    nonces = NonceStore(Database.open(), ManualClock(0.0))
    long_nonce = "x" * 5000
    assert nonces.claim("a", long_nonce, expires_at=900.0)
    assert not nonces.claim("a", long_nonce, expires_at=900.0)
    assert nonces.claim("a", long_nonce[:-1] + "y", expires_at=900.0)


def test_purge_drops_expired_and_bounds_the_table():
    db = Database.open()
    clock = ManualClock(0.0)
    nonces = NonceStore(db, clock, capacity=3)
    for n in range(10):
        assert nonces.claim("a", str(n), expires_at=100.0 + n)
    nonces.purge(now=102.5)  # 0, 1, 2 expired; 7 unexpired left, 3 kept: the latest to expire
    with db.transaction() as conn:
        kept = sorted(row.nonce for row in conn.execute(signature_nonces.select()))
    assert kept == ["7", "8", "9"]


def test_on_postgresql_two_processes_share_nonces(postgres):
    url = postgres.new_database()
    clock = ManualClock(1000.0)
    one, two = Database.open(url), Database.open(url)
    assert NonceStore(one, clock).claim("acct", "shared", expires_at=1900.0)
    assert not NonceStore(two, clock).claim("acct", "shared", expires_at=1900.0)
    one.dispose()
    two.dispose()
