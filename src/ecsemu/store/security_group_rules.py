"""Security group rules in the store: a group's rules (in the order they were authorized),
how many it has, the rules of other groups that name a group as their peer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, delete, func, insert, or_, select, update

from ..domain.security_group_rules import Rule
from .schema import security_group_rules as rules
from .schema import security_groups
from .statements import Statement

_ORDER = (rules.c.created_at, rules.c.id)
_OF_GROUP = Statement(select(rules).where(rules.c.security_group_id == bindparam("group_id")).order_by(*_ORDER))


def rules_of(conn: Connection, group_id: str, *, direction: str | None = None,
             nic_type: str | None = None) -> list[Any]:
    """The group's rules, oldest first; only those of ``direction`` and ``nic_type`` when given."""
    found = _OF_GROUP.all(conn, group_id=group_id)
    return [row for row in found
            if (direction is None or row.direction == direction) and (nic_type is None or row.nic_type == nic_type)]


_COUNT = Statement(select(func.count()).select_from(rules).where(rules.c.security_group_id == bindparam("group_id")))


def count_of(conn: Connection, group_id: str) -> int:
    return _COUNT.scalar(conn, group_id=group_id)


def add_rules(conn: Connection, group_id: str, new: Sequence[tuple[str, Rule]], now: float) -> None:
    """Stores ``(rule ID, rule)`` pairs. Each is a microsecond younger than the one before,
    so a group's rules list in the order they were given, a request's many included."""
    if new:
        conn.execute(insert(rules), [{"id": rule_id, "security_group_id": group_id, "created_at": now + n * 1e-6,
                                      **rule.values()} for n, (rule_id, rule) in enumerate(new)])


def remove_rules(conn: Connection, rule_ids: Iterable[str]) -> None:
    ids = list(rule_ids)
    if ids:
        conn.execute(delete(rules).where(rules.c.id.in_(ids)))


def replace_rule(conn: Connection, rule_id: str, rule: Rule) -> None:
    conn.execute(update(rules).where(rules.c.id == rule_id).values(**rule.values()))


def forget_group(conn: Connection, group_id: str) -> None:
    """Removes a deleted group's rules."""
    conn.execute(delete(rules).where(rules.c.security_group_id == group_id))


def referenced_elsewhere(conn: Connection, group_id: str) -> bool:
    """Whether a rule of another group names this one as its source or destination."""
    query = select(rules.c.id).where(or_(rules.c.source_group_id == group_id, rules.c.dest_group_id == group_id),
                                     rules.c.security_group_id != group_id).limit(1)
    return conn.execute(query).first() is not None


def counts_of(conn: Connection, group_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Each group's rules, and those of them whose peer is a group: ``{id: (all, to groups)}``
    (groups without rules are not keys)."""
    if not group_ids:
        return {}
    to_group = func.sum(func.cast(or_(rules.c.source_group_id != "", rules.c.dest_group_id != ""), Integer))
    query = (select(rules.c.security_group_id, func.count(), to_group)
             .where(rules.c.security_group_id.in_(list(group_ids))).group_by(rules.c.security_group_id))
    return {group_id: (total, int(groups or 0)) for group_id, total, groups in conn.execute(query)}


def referencing(conn: Connection, group_ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """For each of ``group_ids``, the other groups whose rules name it as their source or
    destination, with their accounts: ``{id: [(group ID, account ID), …]}``, by group ID."""
    found: dict[str, list[tuple[str, str]]] = {group_id: [] for group_id in group_ids}
    if not group_ids:
        return found
    ids = list(group_ids)
    for column in (rules.c.source_group_id, rules.c.dest_group_id):
        query = (select(column, rules.c.security_group_id, security_groups.c.account_id).distinct()
                 .join(security_groups, security_groups.c.id == rules.c.security_group_id)
                 .where(column.in_(ids), rules.c.security_group_id != column))
        for named, group_id, account_id in conn.execute(query):
            if (group_id, account_id) not in found[named]:
                found[named].append((group_id, account_id))
    return {group_id: sorted(pairs) for group_id, pairs in found.items()}
