"""ClientToken idempotency: a call sent again with the token of an earlier one answers as
that one did, instead of running again.

The gateway hands every call that carries a token (its action declares one,
actions/client_token.py) to ``ClientTokens.run``:

- the token is claimed for the call, in a transaction of its own (store/client_tokens.py);
- the call's change commits in the same transaction that marks the token applied
  (``Emulator.unit_of_work`` asks ``applying``): a change without its mark, or a mark
  without its change, cannot be, so a retry never makes a second resource;
- its answer is then recorded, to send again. A call that failed before changing anything
  gives its token up: sent again (fixed), it runs afresh. One that failed after a change
  committed records its error, which is sent again.

A request finding the token taken by a call still running waits for it, up to
``WAIT_SECONDS``, and then answers with its answer (the same IDs); past that, with the
action's ``processing`` code. The same token with other parameters answers the action's
``mismatch`` code. docs/decisions.md says why these choices.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection

from . import errors
from .actions.client_token import ClientToken
from .clock import Clock
from .errors import EcsError
from .store import client_tokens as store
from .store.database import Database

WINDOW_SECONDS = 24 * 3600.0  # how long an answer is kept for retries
LEASE_SECONDS = 600.0         # a claim whose change has not committed: then taken as abandoned
WAIT_SECONDS = 2.0            # a repeat waits so long for the first call to finish
POLL_SECONDS = 0.02           # how often it looks (the first may run in another process)
PURGE_EVERY = 60.0            # seconds between purges of expired tokens


@dataclass
class _Claim:
    """A token this thread's call holds."""

    account_id: str
    token: str
    owner: str                # the call's RequestId
    param: ClientToken
    applied: bool = False     # a change of the call has committed

    def committed(self) -> None:
        self.applied = True


class ClientTokens:
    """The emulator's tokens (in its database, shared by every process using it)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock   # the real time: the window is the client's, as a signature's
        self._calls = threading.local()   # the claim of the call this thread runs, if any
        self._next_purge = 0.0
        self._purge_lock = threading.Lock()

    def run(self, param: ClientToken, call_name: str, account_id: str, request_id: str, args: Mapping[str, Any],
            call: Callable[[], Mapping[str, Any]], note: Callable[[str], None]) -> Mapping[str, Any]:
        """``call()``'s answer, or the answer of the call that first sent this token.
        ``call_name`` (product and action) and ``args`` (the parsed API parameters) are what
        must be the same; ``note`` is told what happened (the access log's idempotency)."""
        token = args[param.name]
        fingerprint = _fingerprint(call_name, args, param.name)
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            now = self._clock.now()
            self._purge_if_due(now)
            with self._db.transaction(read_only=True) as conn:
                held = store.held(conn, account_id, token)
            if held is None or held.expires_at < now:
                with self._db.transaction() as conn:
                    if store.claim(conn, account_id, token, fingerprint=fingerprint, owner=request_id,
                                   expires_at=now + LEASE_SECONDS, now=now):
                        break
                continue  # another request took it first: what does it hold?
            if held.fingerprint != fingerprint:
                note("mismatch")
                raise param.mismatch()
            if held.state == store.DONE:
                note("replayed")
                return _answered(held.answer)
            if time.monotonic() >= deadline:
                note("processing")
                raise param.processing()
            time.sleep(POLL_SECONDS)
        note("first")
        claim = _Claim(account_id, token, request_id, param)
        self._calls.claim = claim
        try:
            payload = call()
        except EcsError as exc:
            self._settle_failed(claim, exc)
            raise
        except BaseException:
            self._settle_failed(claim, errors.INTERNAL_ERROR())
            raise
        finally:
            self._calls.claim = None
        self._settle(claim, orjson.dumps({"payload": dict(payload)}).decode())
        return payload

    def applying(self, conn: Connection) -> Callable[[], None] | None:
        """In every change transaction: when this thread runs a call holding a token, marks
        it applied in ``conn`` and returns what to run once ``conn`` has committed. The
        cost of a call without a token: one attribute read."""
        claim = getattr(self._calls, "claim", None)
        if claim is None:
            return None
        if not store.mark_applied(conn, claim.account_id, claim.token, owner=claim.owner,
                                  expires_at=self._clock.now() + WINDOW_SECONDS):
            raise claim.param.processing()  # another request took it over: this change must not be
        return claim.committed

    def count(self) -> int:
        with self._db.transaction(read_only=True) as conn:
            return store.count(conn)

    def _settle(self, claim: _Claim, answer: str) -> None:
        with self._db.transaction() as conn:
            store.settle(conn, claim.account_id, claim.token, owner=claim.owner, answer=answer,
                         expires_at=self._clock.now() + WINDOW_SECONDS)

    def _settle_failed(self, claim: _Claim, exc: EcsError) -> None:
        if claim.applied:  # something changed: the error is the answer, a retry must not redo it
            self._settle(claim, orjson.dumps({"error": [exc.status, exc.code, exc.message]}).decode())
        else:
            with self._db.transaction() as conn:
                store.release(conn, claim.account_id, claim.token, owner=claim.owner)

    def _purge_if_due(self, now: float) -> None:
        if now < self._next_purge or not self._purge_lock.acquire(blocking=False):
            return
        try:
            self._next_purge = now + PURGE_EVERY
            with self._db.transaction() as conn:
                store.purge(conn, now)
        finally:
            self._purge_lock.release()


def _fingerprint(call_name: str, args: Mapping[str, Any], token_name: str) -> str:
    """The API parameters as parsed (the signature's, the nonce's and the format's are not
    among them), the token aside, with the product and action."""
    kept = {name: value for name, value in args.items() if name != token_name}
    data = orjson.dumps([call_name, kept], option=orjson.OPT_SORT_KEYS, default=repr)
    return hashlib.sha256(data).hexdigest()


def _answered(answer: str) -> Mapping[str, Any]:
    """The recorded answer: the payload, or the error raised again."""
    recorded = orjson.loads(answer)
    if "payload" in recorded:
        return recorded["payload"]
    status, code, message = recorded["error"]
    error = next((e for e in errors.ALL if e.code == code and e.status == status), errors.INTERNAL_ERROR)
    raise EcsError(error, message)
