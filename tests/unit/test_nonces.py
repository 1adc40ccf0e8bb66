from ecsemu.clock import ManualClock
from ecsemu.wire.nonces import NonceCache


def test_a_nonce_is_good_once_per_window_and_account():
    clock = ManualClock(1000.0)
    nonces = NonceCache(clock, window=900)
    assert nonces.claim("acct", "n1")
    assert not nonces.claim("acct", "n1")
    assert nonces.claim("other", "n1")
    clock.advance(899)
    assert not nonces.claim("acct", "n1")
    clock.advance(2)
    assert nonces.claim("acct", "n1")


def test_capacity_bounds_memory():
    nonces = NonceCache(ManualClock(0.0), window=900, capacity=3)
    for n in range(10):
        assert nonces.claim("a", str(n))
    assert nonces.claim("a", "0")  # long evicted
    assert not nonces.claim("a", "9")
