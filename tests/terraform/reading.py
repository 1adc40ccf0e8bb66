"""How the provider reads what comes back (terraform-calls.md §1.3-§1.5): its error
classification, its wait loop, its JSON paths and the Go type assertions at them."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .transports import ApiError

# --- §1.3 errors ---------------------------------------------------------------------------

_L_NOT_FOUND_CODES = ("NotFound", "Instance.Notfound", "Forbidden.InstanceNotFound")


def need_retry(err: ApiError) -> bool:
    """errors.go ``NeedRetry``: throttling and unavailability by code; for R also any 5xx
    (its message starts ``code: 5``) and client time-outs."""
    if err.code in ("ServiceUnavailable", "Rejected.Throttling") or "Throttling" in err.code:
        return True
    return err.via == "R" and (err.message.startswith("code: 5") or "Client.Timeout" in err.message)


def is_expected(err: ApiError, codes: Sequence[str]) -> bool:
    """errors.go ``IsExpectedErrors``. For R: the code itself, a code the body's code is a
    prefix of (so an empty code matches everything), or the code anywhere in the body."""
    if err.via == "R":
        body = json.dumps(err.body)
        return any(err.code == code or code.startswith(err.code) or code in body for code in codes)
    return any(err.code == code or code in err.message for code in codes)


def not_found(err: ApiError) -> bool:
    """errors.go ``NotFoundError``: HTTP 404, or ``NotFound`` in the message."""
    if err.via == "R":
        return err.status == 404 or re.search("NotFound", err.message) is not None
    return (err.code in _L_NOT_FOUND_CODES or err.status == 404
            or "instance is not found" in err.message)


# --- §1.5 paths and types -----------------------------------------------------------------

_STEP = re.compile(r"([^.\[\]]+)|\[(\d*)\]")


def lookup(body: Any, path: str) -> Any:
    """``jsonpath.Get``: ``Disks.Disk[0].Status``. A missing key or index is an error (KeyError)."""
    value = body
    for name, index in _STEP.findall(path):
        if name:
            if not isinstance(value, Mapping) or name not in value:
                raise KeyError(f"{path}: no {name!r}")
            value = value[name]
        else:
            if not isinstance(value, list) or int(index) >= len(value):
                raise KeyError(f"{path}: no element {index}")
            value = value[int(index)]
    return value


# The JSON types a Go assertion takes: ``.(string)``, ``.(bool)``, ``.(map[string]interface{})``,
# ``.([]interface{})``, ``json.Number``.
STRING, BOOL, OBJECT, ARRAY, NUMBER = "string", "bool", "object", "array", "number"
_JSON_TYPE: dict[str, Callable[[Any], bool]] = {
    STRING: lambda v: isinstance(v, str),
    BOOL: lambda v: isinstance(v, bool),
    OBJECT: lambda v: isinstance(v, dict),
    ARRAY: lambda v: isinstance(v, list),
    NUMBER: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


def check_types(body: Any, shapes: Mapping[str, str]) -> None:
    """Asserts the exact JSON type at each path. ``[]`` means every element; a path ending
    in ``?`` may be absent (the provider checks for it before asserting)."""
    for path, kind in shapes.items():
        optional = path.endswith("?")
        for where, value in _each(body, path.rstrip("?"), optional):
            assert _JSON_TYPE[kind](value), f"{where} must be a JSON {kind}, is {json.dumps(value)}"


def _each(body: Any, path: str, optional: bool) -> list[tuple[str, Any]]:
    head, star, tail = path.partition("[]")
    if not star:
        try:
            return [(path, lookup(body, path))]
        except KeyError:
            if optional:
                return []
            raise AssertionError(f"{path} is missing") from None
    items = lookup(body, head)
    assert isinstance(items, list), f"{head} must be a JSON array"
    found = []
    for n, item in enumerate(items):
        rest = tail.lstrip(".")
        found += [(f"{head}[{n}].{where}", v) for where, v in (_each(item, rest, optional) if rest else [("", item)])]
    return found


# --- §1.4 wait loops -----------------------------------------------------------------------

class WaitFailed(AssertionError):
    pass


@dataclass(frozen=True)
class Pace:
    """StateChangeConf's timing, scaled down: the real one waits ``Delay`` (5-10 s) and
    then 3 s, 6 s, 10 s... The replay keeps the logic and shortens the clock."""

    delay: float = 0.0
    poll: float = 0.05
    timeout: float = 10.0


PACE = Pace()
NOT_FOUND_TICKS = 20  # StateChangeConf.NotFoundChecks


def wait_for(refresh: Callable[[], tuple[Any, str] | None], *, pending: Sequence[str],
             target: Sequence[str], fail: Sequence[str] = (), pace: Pace = PACE) -> Any:
    """plugin-sdk v1 ``StateChangeConf.WaitForState`` as the provider configures it:
    ``refresh`` returns ``(object, state)`` or None for "not found"."""
    time.sleep(pace.delay)
    deadline = time.monotonic() + pace.timeout
    misses = 0
    while True:
        seen = refresh()
        if seen is None:
            if not target:
                return None
            misses += 1
            if misses > NOT_FOUND_TICKS:
                raise WaitFailed(f"not found {misses} times while waiting for {list(target)}")
        else:
            misses = 0
            obj, state = seen
            if state in fail:
                raise WaitFailed(f"failed state {state!r}")
            if state in target:
                return obj
            if pending and state not in pending:
                raise WaitFailed(f"unexpected state {state!r}, wanted {list(target)}")
        if time.monotonic() > deadline:
            raise WaitFailed(f"timeout while waiting for {list(target)}; last {seen!r}")
        time.sleep(pace.poll)
