"""Signature nonces, stored: good once per account while the request's timestamp is
acceptable, kept across a reopening, shared by everyone using the store, bounded. Each test
runs on each place nonces are kept: a SQLite file of their own, and the state's database."""

import pytest

from ecsemu.clock import ManualClock
from ecsemu.store import Database
from ecsemu.store.nonces import NonceStore


@pytest.fixture(params=["own file", "state database"])
def open_nonces(request, tmp_path):
    """Opens a NonceStore on the same stored nonces each time it is called."""
    opened = []

    def open_(clock, **options):
        if request.param == "own file":
            nonces = NonceStore(Database.open(), clock, path=tmp_path / "nonces.db", **options)
        else:
            nonces = NonceStore(Database.open(path=tmp_path / "ecsemu.db"), clock, **options)
        opened.append(nonces)
        return nonces

    yield open_
    for nonces in opened:
        nonces.close()


def test_a_nonce_is_good_once_per_account_until_it_expires(open_nonces):
    clock = ManualClock(1000.0)
    nonces = open_nonces(clock)
    assert nonces.claim("acct", "n1", expires_at=1900.0)
    assert not nonces.claim("acct", "n1", expires_at=1900.0)
    assert nonces.claim("other", "n1", expires_at=1900.0)
    clock.advance(899)
    assert not nonces.claim("acct", "n1", expires_at=2800.0)
    clock.advance(2)  # past 1900: the first claim has expired
    assert nonces.claim("acct", "n1", expires_at=2801.0)
    assert not nonces.claim("acct", "n1", expires_at=2801.0)


def test_nonces_survive_reopening(open_nonces):
    clock = ManualClock(1000.0)
    first = open_nonces(clock)
    assert first.claim("acct", "n1", expires_at=1900.0)
    first.close()
    assert not open_nonces(clock).claim("acct", "n1", expires_at=1900.0)
    assert not open_nonces(clock).claim("acct", "n1", expires_at=1900.0)  # a second process alike


def test_long_nonces_are_kept_by_hash(open_nonces):
    nonces = open_nonces(ManualClock(0.0))
    long_nonce = "x" * 5000
    assert nonces.claim("a", long_nonce, expires_at=900.0)
    assert not nonces.claim("a", long_nonce, expires_at=900.0)
    assert nonces.claim("a", long_nonce[:-1] + "y", expires_at=900.0)


def test_purge_drops_expired_and_bounds_the_table(open_nonces):
    clock = ManualClock(0.0)
    nonces = open_nonces(clock, capacity=3)
    for n in range(10):
        assert nonces.claim("a", str(n), expires_at=100.0 + n)
    assert nonces.expiry("a", "9") == 109.0
    nonces.purge(now=102.5)  # 0, 1, 2 expired; 7 unexpired left, 3 kept: the latest to expire
    assert [n for n in range(10) if nonces.expiry("a", str(n)) is not None] == [7, 8, 9]


def test_on_postgresql_two_processes_share_nonces(postgres):
    url = postgres.new_database()
    clock = ManualClock(1000.0)
    one, two = Database.open(url), Database.open(url)
    assert NonceStore(one, clock).claim("acct", "shared", expires_at=1900.0)
    assert not NonceStore(two, clock).claim("acct", "shared", expires_at=1900.0)
    one.dispose()
    two.dispose()
