"""What a rate limit is, how one is written, and which calls it counts (docs/unhappy-paths.md).

A limit is a token bucket: ``rate`` calls a second on average, up to ``burst`` at once;
it starts full, each call that passes takes a token, and a refused call takes none. It
counts each account's calls apart, as the real service does:

- with an ``action`` glob (``DescribeDisks``, ``Describe*``, ``*``), each action it matches
  has a bucket of its own per account, as ECS's per-API rate limits do; past it the call
  is answered ``Throttling``;
- without one, all of an account's calls share one bucket: the gateway's user flow
  control, answered ``Throttling.User``.

``account`` narrows a limit to one account; ``code`` chooses another of the real codes.
Written ``PATTERN=RATE[:BURST]`` on the command line, and as JSON (or TOML) objects
``{"Action", "Account", "Rate", "Burst", "Code"}`` in a file and on the control plane.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from .. import errors

# The codes a limit may answer, by name: each the real service's (errors.py).
CODES = {error.code: error for error in (errors.THROTTLING, errors.THROTTLING_USER, errors.THROTTLING_API)}
MAX_RATE = 1_000_000.0   # calls a second: far past what one emulator answers
MAX_BURST = 1_000_000
MAX_LIMITS = 1000        # limits at once: each call looks at every one, once per action
_PATTERN = re.compile(r"[A-Za-z0-9*?]{1,128}", re.ASCII)   # action names are letters and digits
_ACCOUNT = re.compile(r"[0-9]{1,32}", re.ASCII)
_FIELDS = frozenset({"Action", "Account", "Rate", "Burst", "Code"})


@dataclass(frozen=True)
class Limit:
    rate: float                 # tokens a second
    burst: int                  # the bucket's size
    action: str | None = None   # a glob over action names; None: all of an account's calls together
    account: str | None = None  # None: every account, each counted apart
    code: str = ""              # "": Throttling with an action, Throttling.User without

    @property
    def error(self) -> errors.ErrorCode:
        if self.code:
            return CODES[self.code]
        return errors.THROTTLING if self.action is not None else errors.THROTTLING_USER

    def counts(self, action: str) -> bool:
        """Whether calls of ``action`` take this limit's tokens (of the accounts it is for)."""
        return self.action is None or fnmatchcase(action, self.action)

    def as_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"Action": self.action, "Account": self.account, "Rate": self.rate,
                                 "Burst": self.burst, "Code": self.error.code}
        return {name: value for name, value in shown.items() if value is not None}


def default_burst(rate: float) -> int:
    """A second's worth of calls, and at least one: ``DescribeDisks=20`` lets 20 through at
    once, then one every 50 ms."""
    return max(1, math.ceil(rate))


def parse_flag(text: str, what: str = "--throttle") -> Limit:
    """``PATTERN=RATE[:BURST]`` as given to ``--throttle``: ``Describe*=20``, ``RunInstances=0.5:2``."""
    pattern, sep, amount = text.partition("=")
    if not sep:
        raise ValueError(f"{what} takes ACTION=RATE[:BURST] (e.g. Describe*=20 or DescribeDisks=1:5), "
                         f"got {text[:80]!r}")
    rate_text, colon, burst_text = amount.partition(":")
    try:
        rate = float(rate_text)
        burst = int(burst_text) if colon else None
    except ValueError:
        raise ValueError(f"{what} {text[:80]}: RATE is a number of calls a second and BURST a whole "
                         "number of calls") from None
    return _checked(pattern.strip(), None, rate, burst, "", f"{what} {text[:80]}")


def parse_document(document: Any, where: str) -> tuple[Limit, ...]:
    """``{"Limits": [{"Action": "Describe*", "Rate": 20}, {"Account": "…", "Rate": 50}]}``:
    a throttle config file's content, or a control-plane body; ValueError says what is wrong."""
    if not isinstance(document, dict) or set(document) - {"Limits"}:
        raise ValueError(f'{where} must be an object with one key, "Limits": a list of limits')
    items = document.get("Limits", [])
    if not isinstance(items, list):
        raise ValueError(f'{where}: "Limits" must be a list')
    if len(items) > MAX_LIMITS:
        raise ValueError(f"{where}: at most {MAX_LIMITS} limits")
    return tuple(_from_object(item, f"{where}: Limits[{n}]") for n, item in enumerate(items))


def parse_limit(spec: str | dict[str, Any]) -> Limit:
    """One limit in either form: ``"Describe*=20"`` or ``{"Action": "Describe*", "Rate": 20}``."""
    return parse_flag(spec, "A limit") if isinstance(spec, str) else _from_object(spec, "A limit")


def as_document(limits: Iterable[Limit]) -> dict[str, Any]:
    return {"Limits": [limit.as_json() for limit in limits]}


def _from_object(item: Any, where: str) -> Limit:
    if not isinstance(item, dict):
        raise ValueError(f"{where} must be an object")
    unknown = set(item) - _FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown field {sorted(unknown)[0][:40]!r}; known: {', '.join(sorted(_FIELDS))}")
    action, account, code = item.get("Action"), item.get("Account"), item.get("Code", "")
    rate, burst = item.get("Rate"), item.get("Burst")
    if action is not None and not isinstance(action, str):
        raise ValueError(f'{where}: "Action" must be a string')
    if account is not None and not (isinstance(account, str) and _ACCOUNT.fullmatch(account)):
        raise ValueError(f'{where}: "Account" must be an account ID, a string of digits')
    if not isinstance(code, str):
        raise ValueError(f'{where}: "Code" must be a string')
    if isinstance(rate, bool) or not isinstance(rate, (int, float)):
        raise ValueError(f'{where}: "Rate" must be a number of calls a second')
    if burst is not None and (isinstance(burst, bool) or not isinstance(burst, int)):
        raise ValueError(f'{where}: "Burst" must be a whole number of calls')
    try:
        rate = float(rate)
    except OverflowError:  # an integer of hundreds of digits
        rate = math.inf    # refused below, as too large
    return _checked(action, account, rate, burst, code, where)


def _checked(action: str | None, account: str | None, rate: float, burst: int | None, code: str,
             where: str) -> Limit:
    if action is not None and not _PATTERN.fullmatch(action):
        raise ValueError(f"{where}: the action must be an action name or a glob of one (letters, digits, * and ?)")
    if not (math.isfinite(rate) and 0 < rate <= MAX_RATE):
        raise ValueError(f"{where}: RATE must be more than 0 and at most {MAX_RATE:.0f} calls a second")
    if burst is not None and not 1 <= burst <= MAX_BURST:
        raise ValueError(f"{where}: BURST must be from 1 to {MAX_BURST} calls")
    if code and code not in CODES:
        raise ValueError(f"{where}: the code must be one of {', '.join(CODES)}")
    return Limit(rate, default_burst(rate) if burst is None else burst, action, account, code)
