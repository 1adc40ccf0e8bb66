"""ClientTokens stored (the ``client_tokens`` table): claimed by one request, marked applied
in the transaction of its change, then holding the answer to send again.

A row is keyed by account and token; the primary key settles races between threads and
processes (one insert wins). Every row expires: a claim whose change never committed (the
process died) after a lease, a settled one after the idempotence window; an expired row is
taken over by the next claim, and purged.
"""

from __future__ import annotations

from sqlalchemy import Connection, Row, and_, delete, func, select, update

from .schema import client_tokens as table

PROCESSING, APPLIED, DONE = "processing", "applied", "done"


def _key(account_id: str, token: str):
    return and_(table.c.account_id == account_id, table.c.token == token)


def held(conn: Connection, account_id: str, token: str) -> Row | None:
    """The token's row, as committed: a plain read, which waits for no lock (the row of a
    call whose change is under way is locked until it commits)."""
    return conn.execute(select(table).where(_key(account_id, token))).first()


def claim(conn: Connection, account_id: str, token: str, *, fingerprint: str, owner: str,
          expires_at: float, now: float) -> bool:
    """Takes the token for ``owner``: True, unless another holds it unexpired."""
    fields = {"fingerprint": fingerprint, "owner": owner, "state": PROCESSING, "answer": None,
              "expires_at": expires_at}
    row = {"account_id": account_id, "token": token, **fields}
    # The dialects' own INSERT ... ON CONFLICT, imported here: importing both costs a start ~30 ms.
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql as dialect
    else:
        from sqlalchemy.dialects import sqlite as dialect  # type: ignore[no-redef]
    insert = dialect.insert(table).values(row).on_conflict_do_nothing()
    if conn.execute(insert.returning(table.c.token)).first() is not None:
        return True
    return conn.execute(update(table).where(_key(account_id, token), table.c.expires_at < now)
                        .values(**fields)).rowcount == 1


def mark_applied(conn: Connection, account_id: str, token: str, *, owner: str, expires_at: float) -> bool:
    """In the transaction of the claimed call's change: False when the claim is no longer
    ``owner``'s (its lease ran out and another request took the token)."""
    return conn.execute(update(table).where(_key(account_id, token), table.c.owner == owner)
                        .values(state=APPLIED, expires_at=expires_at)).rowcount == 1


def settle(conn: Connection, account_id: str, token: str, *, owner: str, answer: str,
           expires_at: float) -> None:
    """Records ``owner``'s answer (JSON), to send again until ``expires_at``."""
    conn.execute(update(table).where(_key(account_id, token), table.c.owner == owner)
                 .values(state=DONE, answer=answer, expires_at=expires_at))


def release(conn: Connection, account_id: str, token: str, *, owner: str) -> None:
    """Gives the token up: ``owner``'s call changed nothing, so the next one runs afresh."""
    conn.execute(delete(table).where(_key(account_id, token), table.c.owner == owner))


def purge(conn: Connection, now: float) -> None:
    conn.execute(delete(table).where(table.c.expires_at < now))


def count(conn: Connection) -> int:
    """How many tokens are stored (expired ones not purged yet included)."""
    return conn.execute(select(func.count()).select_from(table)).scalar_one()
