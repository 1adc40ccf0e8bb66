"""ClientTokens kept for the idempotence window, then run afresh and purged; a claim whose
change never committed (its process died) is given up after its lease."""

from __future__ import annotations

import pytest

from ecsemu import errors
from ecsemu.actions.client_token import client_token
from ecsemu.clock import ManualClock
from ecsemu.idempotency import LEASE_SECONDS, PURGE_EVERY, WINDOW_SECONDS, ClientTokens
from ecsemu.store import Database
from ecsemu.store import client_tokens as store

TOKEN = client_token()


@pytest.fixture
def tokens():
    clock = ManualClock(1000.0)
    db = Database.open()
    yield ClientTokens(db, clock), clock, db
    db.dispose()


def run(tokens: ClientTokens, answer: dict, *, args: dict | None = None, account: str = "acct",
        request_id: str = "r1") -> tuple[dict, list[str]]:
    noted: list[str] = []
    result = tokens.run(TOKEN, "Ecs:CreateDisk", account, request_id, args or {"ClientToken": "t", "Size": 20},
                        lambda: answer, noted.append)
    return dict(result), noted


def test_an_answer_is_kept_for_the_window_then_the_token_runs_afresh_and_is_purged(tokens):
    ledger, clock, _ = tokens
    assert run(ledger, {"DiskId": "d-1"}) == ({"DiskId": "d-1"}, ["first"])
    clock.advance(WINDOW_SECONDS - 1)
    assert run(ledger, {"DiskId": "d-2"}) == ({"DiskId": "d-1"}, ["replayed"])
    clock.advance(2)
    assert run(ledger, {"DiskId": "d-3"}) == ({"DiskId": "d-3"}, ["first"])
    run(ledger, {"DiskId": "d-4"}, args={"ClientToken": "u", "Size": 20})
    assert ledger.count() == 2
    clock.advance(WINDOW_SECONDS + PURGE_EVERY)
    run(ledger, {"DiskId": "d-5"}, args={"ClientToken": "v", "Size": 20})   # purges the expired two
    assert ledger.count() == 1


def test_other_parameters_and_other_accounts(tokens):
    ledger, _, _ = tokens
    run(ledger, {"DiskId": "d-1"})
    with pytest.raises(errors.EcsError) as raised:
        run(ledger, {"DiskId": "d-2"}, args={"ClientToken": "t", "Size": 30})
    assert raised.value.error is errors.IDEMPOTENT_PARAMETER_MISMATCH
    assert run(ledger, {"DiskId": "d-3"}, account="other") == ({"DiskId": "d-3"}, ["first"])


def test_a_claim_whose_change_never_committed_is_given_up_after_its_lease(tokens):
    ledger, clock, db = tokens
    with db.transaction() as conn:   # as a process that died after claiming leaves it
        assert store.claim(conn, "acct", "t", fingerprint="f", owner="gone", now=clock.now(),
                           expires_at=clock.now() + LEASE_SECONDS)
    clock.advance(LEASE_SECONDS + 1)
    assert run(ledger, {"DiskId": "d-1"}, args={"ClientToken": "t"}) == ({"DiskId": "d-1"}, ["first"])


def test_a_failure_before_any_change_gives_the_token_up(tokens):
    ledger, _, _ = tokens

    def fails():
        raise errors.ZONE_NOT_FOUND()

    with pytest.raises(errors.EcsError):
        ledger.run(TOKEN, "Ecs:CreateDisk", "acct", "r1", {"ClientToken": "t"}, fails, lambda _: None)
    assert ledger.count() == 0
