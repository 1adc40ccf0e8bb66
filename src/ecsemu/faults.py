"""The fault rules one process matches every call against, and the one place a fault is
struck (``FaultBook.strike``).

The rules live in the database (store/faults.py), so that every process applies them
and their uses are counted once. Asking the database on every call would cost more than
a DescribeRegions does, so the active rules are kept in memory, refreshed as
``scheduler.DueWatch`` refreshes the due times: after this process's own changes to them
(an add, a clear, a rule used up), and on every call when other processes share the
database (``shared``), since they may have changed them. With no rule, a call pays one
attribute read. Shared, a SQLite file first asks its ``data_version`` (a few µs): the
rules are read again only when another connection has committed since this thread last
read them; PostgreSQL is asked every time.

A hold (``HoldSeconds``) reaches the scheduler through ``held()``: the seconds the call
running on this thread adds before the moves it schedules.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from . import errors
from .domain.faults import MAX_RULES, FaultRule, RuleRefused, draws, parse_rule, stored_rule
from .store import Database
from .store import faults as fault_store


class FaultBook:
    """Thread-safe. ``shared``: other processes use the same database. ``struck`` is told
    of each effect of each call a rule strikes (the metrics' count)."""

    def __init__(self, db: Database, *, shared: bool,
                 struck: Callable[[str, str], None] = lambda action, effect: None) -> None:
        self._db = db
        self._shared = shared
        self._struck = struck
        self._lock = threading.Lock()
        self._version = 0
        self._rules: tuple[FaultRule, ...] | None = None  # None: ask the database
        self._hold = threading.local()
        self._seen = threading.local()  # shared SQLite: (data_version, _version, rules) of this thread

    # --- the control plane's side -----------------------------------------------------------

    def add(self, body: Any) -> FaultRule:
        """Checks and stores a rule (RuleRefused when it is not one). Rules are ordered by
        the real time they were added: the emulator's clock may stand still (manual mode)."""
        rule = parse_rule(f"fault-{secrets.token_hex(6)}", body, errors.ALL)
        try:
            with self._db.transaction() as conn:
                if fault_store.stored(conn) >= MAX_RULES:
                    raise RuleRefused("TooManyRules", f"At most {MAX_RULES} fault rules are kept: clear some "
                                                      "(DELETE /_ecsemu/faults).")
                fault_store.add(conn, rule.rule_id, rule.body(), rule.count, time.time())
        finally:
            self.forget()
        return rule

    def listed(self) -> list[dict[str, Any]]:
        """Every rule, used up or not, with its counts: what the control plane lists."""
        with self._db.transaction(read_only=True) as conn:
            found = fault_store.listed(conn)
        return [{**rule, "Matches": counts.matches, "Injected": counts.injected, "Remaining": counts.remaining,
                 "Active": counts.remaining is None or counts.remaining > 0} for rule, counts in found]

    def remove(self, rule_id: str | None = None) -> int:
        """One rule, or all of them (None); how many were removed."""
        try:
            with self._db.transaction() as conn:
                return fault_store.remove(conn, rule_id)
        finally:
            self.forget()

    def forget(self) -> None:
        """The rules may have changed: the next call asks the database."""
        with self._lock:
            self._version += 1
            self._rules = None

    # --- the gateway's side -------------------------------------------------------------------

    def strike(self, product: str, action: str, account_id: str, params: Mapping[str, str]) -> FaultRule | None:
        """The rule that strikes this call, its use taken, or None: the first active rule
        (oldest first) that matches, draws this call (Probability) and still has a use.
        The one place a fault is injected."""
        rules = self._shared_rules() if self._shared else self._rules
        if rules is None:
            rules = self._load()
        if not rules:
            return None
        for rule in rules:
            if rule.matches(product, action, account_id, params) and self._claimed(rule):
                for effect in rule.effects:
                    self._struck(action, effect)
                return rule
        return None

    def _claimed(self, rule: FaultRule) -> bool:
        taken, left = False, None
        with self._db.transaction() as conn:
            number = fault_store.matched(conn, rule.rule_id)
            if number is not None and draws(rule, number):
                taken, left = fault_store.claim(conn, rule.rule_id)
        if number is None or left == 0:
            self.forget()  # used up, or gone: the next call reloads
        return taken

    def _shared_rules(self) -> tuple[FaultRule, ...]:
        """The rules, when other processes may change them: read again unless this
        thread's SQLite connection has seen no commit of another since it last read them
        (and this process changed nothing either)."""
        stamp = self._db.data_version()
        if stamp is None:  # PostgreSQL: no such stamp
            return self._load()
        with self._lock:
            version = self._version
        seen = getattr(self._seen, "last", None)
        if seen is not None and seen[0] == stamp and seen[1] == version:
            return seen[2]
        rules = self._load()  # committed after the stamp was read: the next call reads again
        self._seen.last = (stamp, version, rules)
        return rules

    def _load(self) -> tuple[FaultRule, ...]:
        with self._lock:
            version = self._version
        with self._db.transaction(read_only=True) as conn:
            stored = fault_store.active(conn)
        rules = tuple(stored_rule(body, errors.ALL) for body in stored)
        with self._lock:
            if version == self._version:  # no change of ours while we read
                self._rules = rules
        return rules

    # --- holds --------------------------------------------------------------------------------

    @contextmanager
    def holding(self, seconds: float) -> Iterator[None]:
        """Within the block, the moves this thread schedules wait ``seconds`` more (0: a
        block that schedules for no call, inside one that does)."""
        before = self.held()
        self._hold.seconds = seconds
        try:
            yield
        finally:
            self._hold.seconds = before

    def held(self) -> float:
        return getattr(self._hold, "seconds", 0.0)

