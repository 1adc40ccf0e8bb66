"""Fault rules in the database: added, listed, cleared, and each use claimed atomically.

A use is claimed by one conditional update (``remaining > 0``, or NULL for a rule that
lasts until cleared): two processes striking the same call twice cannot both take the
last use, so "the next N calls" is exact across ``--workers`` and PostgreSQL.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select, update

from .schema import fault_rules
from .statements import Statement

_ACTIVE = or_(fault_rules.c.remaining.is_(None), fault_rules.c.remaining > 0)
_ORDER = (fault_rules.c.created_at, fault_rules.c.id)
# Run on every call on PostgreSQL shared by processes (faults.FaultBook): built once.
_ACTIVE_RULES = Statement(select(fault_rules.c.rule).where(_ACTIVE).order_by(*_ORDER))
# Run only for a call a rule matches; RETURNING, which Statement does not read.
_MATCHED = (update(fault_rules).where(fault_rules.c.id == bindparam("rule_id"), _ACTIVE)
            .values(matches=fault_rules.c.matches + 1).returning(fault_rules.c.matches))
_CLAIM = (update(fault_rules).where(fault_rules.c.id == bindparam("rule_id"), _ACTIVE)
          .values(remaining=fault_rules.c.remaining - 1, injected=fault_rules.c.injected + 1)
          .returning(fault_rules.c.remaining))


class Counts(NamedTuple):
    matches: int
    injected: int
    remaining: int | None


def add(conn: Connection, rule_id: str, rule: dict[str, Any], remaining: int | None, now: float) -> None:
    conn.execute(insert(fault_rules).values(id=rule_id, created_at=now, rule=rule, remaining=remaining,
                                            matches=0, injected=0))


def stored(conn: Connection) -> int:
    """How many rules are stored, used up or not."""
    return conn.execute(select(func.count()).select_from(fault_rules)).scalar_one()


def active(conn: Connection) -> list[dict[str, Any]]:
    """The rules that still apply, oldest first, as stored."""
    return [row.rule for row in _ACTIVE_RULES.all(conn)]


def listed(conn: Connection) -> list[tuple[dict[str, Any], Counts]]:
    """Every rule, used up or not, oldest first, with its counts."""
    rows = conn.execute(select(fault_rules).order_by(*_ORDER)).all()
    return [(row.rule, Counts(row.matches, row.injected, row.remaining)) for row in rows]


def matched(conn: Connection, rule_id: str) -> int | None:
    """Counts one more matching call of a rule that still applies: its number (1, 2, …);
    None when the rule is used up or gone."""
    return conn.execute(_MATCHED, {"rule_id": rule_id}).scalar()


def claim(conn: Connection, rule_id: str) -> tuple[bool, int | None]:
    """Takes one use of the rule: whether one was left (another call may have taken the
    last), and how many are left now (None: until cleared)."""
    row = conn.execute(_CLAIM, {"rule_id": rule_id}).first()
    return (False, 0) if row is None else (True, row[0])


def remove(conn: Connection, rule_id: str | None = None) -> int:
    """Removes one rule, or every rule (None); returns how many."""
    statement = delete(fault_rules)
    if rule_id is not None:
        statement = statement.where(fault_rules.c.id == rule_id)
    return conn.execute(statement).rowcount

