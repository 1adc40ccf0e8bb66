"""Fault rules: which calls a rule matches, what it does to them, and when it applies.

A rule is written as JSON (the control plane, the CLI, the pytest fixture all send the
same body) and kept in the database as that JSON, normalised; ``FaultRule`` is its
checked form. Everything here is pure: the claims of a use and the counts live in
store/faults.py, the in-memory copy each process matches against in faults.py.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ..errors import ErrorCode

PRODUCTS = ("ECS", "VPC")
MAX_LATENCY_MS = 600_000        # ten minutes: longer than any client waits
MAX_HOLD_SECONDS = 366 * 24 * 3600
MAX_COUNT = 1_000_000_000
MAX_TEXT = 256                  # characters of a pattern, a code, an ID
MAX_MESSAGE = 1024
MAX_PARAMETERS = 32
MAX_RULES = 1000                # stored at once: each call is matched against the active ones
_FIELDS = frozenset({"Action", "Product", "AccountId", "ResourceId", "Parameters", "Error", "LatencyMs",
                     "HoldSeconds", "DropConnection", "Count", "Probability", "Seed"})
_ERROR_FIELDS = frozenset({"Code", "HttpStatus", "Message"})
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", re.ASCII)
# What separates the IDs in one parameter's value: a JSON list ('["d-1","d-2"]'), commas.
_ID_SEPARATORS = re.compile(r'[\s,"\[\]]+')


class RuleRefused(ValueError):
    """A rule's body is not a rule: ``code`` and the message say why (answered 400)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class FaultRule:
    """A checked rule. Absent matchers match everything; ``count`` None: until cleared;
    ``probability`` None: every matching call."""

    rule_id: str
    action: str = "*"
    product: str | None = None
    account_id: str | None = None
    resource_id: str | None = None
    parameters: tuple[tuple[str, str], ...] = ()
    error: ErrorCode | None = None
    latency_ms: int = 0
    hold_seconds: float = 0.0
    drop_connection: bool = False
    count: int | None = None
    probability: float | None = None
    seed: int = 0

    @property
    def effects(self) -> tuple[str, ...]:
        """What the rule does to a call it strikes: latency, error, drop, hold."""
        return tuple(effect for effect, present in (
            ("latency", self.latency_ms > 0), ("error", self.error is not None),
            ("drop", self.drop_connection), ("hold", self.hold_seconds > 0)) if present)

    def matches(self, product: str, action: str, account_id: str, params: Mapping[str, str]) -> bool:
        if self.product is not None and product.upper() != self.product:
            return False
        if not fnmatchcase(action, self.action):
            return False
        if self.account_id is not None and account_id != self.account_id:
            return False
        for name, pattern in self.parameters:
            value = params.get(name)
            if value is None or not fnmatchcase(value, pattern):
                return False
        return self.resource_id is None or any(_names(value, self.resource_id) for value in params.values())

    def body(self) -> dict[str, Any]:
        """The rule as JSON, every field present: what is stored and what lists show."""
        return {
            "RuleId": self.rule_id, "Action": self.action, "Product": self.product,
            "AccountId": self.account_id, "ResourceId": self.resource_id,
            "Parameters": dict(self.parameters),
            "Error": None if self.error is None else {"Code": self.error.code, "HttpStatus": self.error.status,
                                                      "Message": self.error.message},
            "LatencyMs": self.latency_ms, "HoldSeconds": self.hold_seconds,
            "DropConnection": self.drop_connection, "Count": self.count,
            "Probability": self.probability, "Seed": self.seed if self.probability is not None else None,
        }


def _names(value: str, resource_id: str) -> bool:
    """Whether a parameter's value names the resource: it is its ID, or a list holding it."""
    return value == resource_id or (resource_id in value and resource_id in _ID_SEPARATORS.split(value))


def draws(rule: FaultRule, match_number: int) -> bool:
    """Whether the ``match_number``-th matching call (1, 2, …) is struck: a function of the
    seed and the number alone, so the same rule gives the same sequence in any process."""
    if rule.probability is None:
        return True
    digest = hashlib.sha256(f"{rule.seed}:{match_number}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rule.probability


def parse_rule(rule_id: str, body: Any, catalogue: Iterable[ErrorCode]) -> FaultRule:
    """A rule from its JSON body; RuleRefused names the first thing wrong with it."""
    if not isinstance(body, dict):
        raise RuleRefused("InvalidRule", "A fault rule is a JSON object.")
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise RuleRefused("InvalidRule.UnknownField", f"Unknown field {unknown[0][:40]!r}; a rule has "
                                                      f"{', '.join(sorted(_FIELDS))}.")
    action = _text(body, "Action", default="*")
    product = _text(body, "Product")
    if product is not None:
        product = product.upper()
        if product not in PRODUCTS:
            raise RuleRefused("InvalidRule.Product", f"Product must be one of {', '.join(PRODUCTS)}.")
    error = _error(body.get("Error"), catalogue)
    latency = _number(body, "LatencyMs", 0, MAX_LATENCY_MS, integer=True)
    hold = _number(body, "HoldSeconds", 0, MAX_HOLD_SECONDS)
    drop = body.get("DropConnection", False)
    if not isinstance(drop, bool):
        raise RuleRefused("InvalidRule.DropConnection", "DropConnection must be true or false.")
    if error is None and not (latency or hold or drop):
        raise RuleRefused("InvalidRule.NoEffect", "Give an effect: Error, LatencyMs, HoldSeconds or DropConnection.")
    if error is not None and drop:
        raise RuleRefused("InvalidRule.Effect", "A rule answers an Error or drops the connection, not both.")
    if hold and (error is not None or drop):
        raise RuleRefused("InvalidRule.Effect", "HoldSeconds lets the call run: it cannot go with an Error "
                                                "or DropConnection.")
    count = _number(body, "Count", 1, MAX_COUNT, integer=True, default=None)
    probability = _number(body, "Probability", 0, 1, default=None)
    seed = _number(body, "Seed", -(2**63), 2**63 - 1, integer=True, default=0)
    if "Seed" in body and probability is None:
        raise RuleRefused("InvalidRule.Seed", "Seed only applies with a Probability.")
    return FaultRule(rule_id=rule_id, action=action or "*", product=product,
                     account_id=_text(body, "AccountId"), resource_id=_text(body, "ResourceId"),
                     parameters=_parameters(body.get("Parameters")), error=error,
                     latency_ms=int(latency or 0), hold_seconds=float(hold or 0), drop_connection=drop,
                     count=None if count is None else int(count), probability=probability,
                     seed=int(seed or 0))


def stored_rule(body: dict[str, Any], catalogue: Iterable[ErrorCode]) -> FaultRule:
    """A rule read back from what ``FaultRule.body`` wrote (every field, None where absent)."""
    given = {name: value for name, value in body.items()
             if value is not None and name != "RuleId" and not (name == "Parameters" and not value)}
    return parse_rule(body["RuleId"], given, catalogue)


def _text(body: dict, name: str, *, default: str | None = None, limit: int = MAX_TEXT) -> str | None:
    value = body.get(name)
    if value is None:
        return default
    if not isinstance(value, str) or not value or len(value) > limit:
        raise RuleRefused(f"InvalidRule.{name}", f"{name} must be a non-empty string of at most {limit} "
                                                 "characters.")
    return value


def _number(body: dict, name: str, low: float, high: float, *, integer: bool = False,
            default: float | None = 0) -> float | None:
    value = body.get(name)
    if value is None:
        return default
    kind = "a whole number" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)) \
            or not math.isfinite(value) or not low <= value <= high:
        raise RuleRefused(f"InvalidRule.{name}", f"{name} must be {kind} from {low:g} to {high:g}.")
    return value


def _parameters(value: Any) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or len(value) > MAX_PARAMETERS or not all(
            isinstance(k, str) and k and len(k) <= MAX_TEXT and isinstance(v, str) and len(v) <= MAX_TEXT
            for k, v in value.items()):
        raise RuleRefused("InvalidRule.Parameters", "Parameters must map at most "
                                                    f"{MAX_PARAMETERS} parameter names to strings (an exact "
                                                    "value or a glob).")
    return tuple(sorted(value.items()))


def _error(value: Any, catalogue: Iterable[ErrorCode]) -> ErrorCode | None:
    """The error to answer: the catalogue's status and message for its code unless given;
    a code the catalogue lacks must come with both."""
    if value is None:
        return None
    if isinstance(value, str):
        value = {"Code": value}
    if not isinstance(value, dict) or set(value) - _ERROR_FIELDS:
        raise RuleRefused("InvalidRule.Error", 'Error is a code, or {"Code", "HttpStatus", "Message"}.')
    code = value.get("Code")
    if not isinstance(code, str) or len(code) > MAX_TEXT or not _CODE.fullmatch(code):
        raise RuleRefused("InvalidRule.Error.Code", "Error.Code must be an error code such as ServiceUnavailable.")
    status = _number(value, "HttpStatus", 400, 599, integer=True, default=None)
    message = _text(value, "Message", limit=MAX_MESSAGE)
    known = _known(code, catalogue)
    if known is None and (status is None or message is None):
        raise RuleRefused("InvalidRule.Error.UnknownCode", f"{code} is not in the emulator's error catalogue: "
                                                           "give its HttpStatus and Message too.")
    if known is not None:
        status = known.status if status is None else status
        message = known.message if message is None else message
    return ErrorCode(code, int(status), str(message))  # type: ignore[arg-type]


def _known(code: str, catalogue: Iterable[ErrorCode]) -> ErrorCode | None:
    """The catalogue's entry for a code: of several, the first whose message needs no
    placeholder filled in."""
    entries = [entry for entry in catalogue if entry.code == code]
    plain = [entry for entry in entries if "{" not in entry.message]
    return next(iter(plain or entries), None)
