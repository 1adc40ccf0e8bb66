"""Provider steps as data, and the runner that plays them against the emulator.

A resource is a handful of step lists (create, read, update, delete, and what a refresh
sees once it is gone), each step one call the provider makes, with what it sends, how it
sends it, how it treats errors, what it saves from the reply and what it reads back.
Parameter values may name values saved earlier (``"{disk_id}"``), formatted when sent.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .reading import PACE, Pace, check_types, is_expected, lookup, need_retry, not_found, wait_for
from .transports import ApiError, Wire

Params = Mapping[str, Any]


class Values(dict):
    """The values a replay has saved; ``token_<Action>`` is made on first use as the
    provider's ``buildClientToken`` makes it, and then reused (as on the provider's retries)."""

    def __missing__(self, name: str) -> Any:
        if not name.startswith("token_"):
            raise KeyError(name)
        self[name] = f"TF-{name[len('token_'):]}-{int(time.time())}-{uuid.uuid4()}"[:64]
        return self[name]


class Empty:
    """What the provider takes as "unset": absent, null, "", 0, false, [] or {}."""

    def __repr__(self) -> str:
        return "EMPTY"


EMPTY = Empty()


@dataclass(frozen=True)
class Call:
    via: str                                  # "R", "L" or "C" (transports.py)
    action: str
    params: Params = field(default_factory=dict)
    query: Params = field(default_factory=dict)  # R only: the caller's query map
    auto_retry: bool = True                   # R: tea resends on 5xx
    found: str | None = None                  # a list the provider takes [0] of; empty = not found
    save: Mapping[str, str] = field(default_factory=dict)    # value name -> path in the reply
    types: Mapping[str, str] = field(default_factory=dict)   # path -> JSON type (reading.check_types)
    expect: Mapping[str, Any] = field(default_factory=dict)  # path -> what state holds (no diff)
    ok: tuple[str, ...] = ()                  # codes that count as success (IsExpectedErrors)
    ok_not_found: bool = False                # NotFoundError counts as success
    retry: tuple[str, ...] = ()               # codes retried until the timeout, besides NeedRetry
    ignore_errors: bool = False               # the provider drops any error (DescribeTags)
    done_if_empty: str | None = None          # a delete's pre-check: nothing listed, nothing to delete
    check: Callable[[Any, dict], None] | None = None  # the provider's reads that a path cannot say


@dataclass(frozen=True)
class Wait:
    """``BuildStateConf``: refresh with ``call``, the state at ``state`` in the first item
    of ``items`` (``items=""``: the reply itself is the object, as DescribeVpcAttribute's);
    an empty list is "not found" (or, with ``empty_state``, the typed-nil quirk of the V2
    refresh functions: found, in that state)."""

    call: Call
    items: str
    state: str
    pending: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    fail: tuple[str, ...] = ()
    empty_state: str | None = None
    abort: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # other fields that end the wait
    pace: Pace = PACE


@dataclass(frozen=True)
class Pages:
    """A data source's paging loop: by ``PageNumber`` (a page holding at least
    ``more_from`` items asks for the next) or by ``NextToken`` (while it is a non-empty
    string). ``save`` names the whole list."""

    call: Call
    items: str
    more_from: int = 0
    by_token: bool = False
    save: str | None = None
    check: Callable[[list[Any], dict], None] | None = None  # the provider's reads of the list


@dataclass(frozen=True)
class Gone:
    """After destroy: the provider's refresh finds nothing (an empty list or a not-found error)."""

    call: Call
    items: str


@dataclass(frozen=True)
class Each:
    """Steps played for each item of a saved list (``DescribeTags`` per image), an item's
    fields as values named ``item_<Field>``, or a plain item as ``item``."""

    over: str
    step: Call | Pages | Wait | tuple[Call | Pages | Wait, ...]


@dataclass(frozen=True)
class Set:
    """A change to the configuration (the update's new value), seen by the steps after it;
    a callable is given the values so far (the provider computing a parameter)."""

    values: Params


Step = Call | Wait | Pages | Gone | Each | Set


@dataclass(frozen=True)
class Resource:
    """A resource or data source: its provider functions as step lists."""

    name: str
    create: tuple[Step, ...] = ()
    read: tuple[Step, ...] = ()
    update: tuple[Step, ...] = ()
    delete: tuple[Step, ...] = ()
    gone: tuple[Step, ...] = ()


class Replay:
    """Plays steps in order over one ``Wire``, keeping the values they save."""

    def __init__(self, wire: Wire, values: Mapping[str, Any], pace: Pace = PACE) -> None:
        self.wire = wire
        self.values = Values(values)
        self.pace = pace

    def run(self, steps: Sequence[Step]) -> list[Any]:
        """Plays ``steps``; returns what each read (a reply, a wait's object, a list of pages)."""
        seen = []
        for step in steps:
            seen.append(self._play(step))
            if isinstance(step, Call) and step.done_if_empty and (seen[-1] is None
                                                                  or not lookup(seen[-1], step.done_if_empty)):
                break
        return seen

    def _play(self, step: Step) -> Any:
        if isinstance(step, Call):
            return _stable(self.call(step))
        if isinstance(step, Wait):
            return _stable(self._wait(step))
        if isinstance(step, Pages):
            return self._pages(step)
        if isinstance(step, Set):
            self.values.update({name: value(self.values) if callable(value) else value
                                for name, value in step.values.items()})
            return None
        if isinstance(step, Gone):
            self._gone(step)
            return None
        return [_stable(self._each(step, item)) for item in self.values[step.over]]

    # --- one call ----------------------------------------------------------------------------

    def call(self, step: Call, extra: Params | None = None) -> dict[str, Any] | None:
        """Sends ``step`` as the provider does, retrying what it retries; None when the
        provider takes the error as success."""
        params = {**self._fill(step.params), **(extra or {})}
        deadline = time.monotonic() + self.pace.timeout
        while True:
            try:
                reply = self.wire(step.via, step.action, params, query=self._fill(step.query),
                                  auto_retry=step.auto_retry)
                break
            except ApiError as err:
                if step.ignore_errors:
                    return None
                if step.ok and is_expected(err, step.ok):
                    assert err.code in step.ok, f"{err} is accepted only by the provider's loose matching"
                    return None
                if step.ok_not_found and not_found(err):
                    return None
                if need_retry(err) or (step.retry and is_expected(err, step.retry)):
                    assert time.monotonic() < deadline, f"the provider would retry until its timeout: {err}"
                    time.sleep(self.pace.poll)
                    continue
                raise
        self._read(step, reply)
        return reply

    def _read(self, step: Call, reply: dict[str, Any]) -> None:
        where = f"{step.action} ({step.via})"
        if step.found is not None:
            items = lookup(reply, step.found)
            assert items, f"{where}: {step.found} is empty: the provider drops the resource from its state"
        try:
            check_types(reply, step.types)
        except AssertionError as exc:
            raise AssertionError(f"{where}: {exc}") from None
        for path, wanted in step.expect.items():
            _expect(where, reply, path, self._fill(wanted))
        for name, path in step.save.items():
            self.values[name] = lookup(reply, path)
        if step.check:
            step.check(reply, self.values)

    # --- loops -------------------------------------------------------------------------------

    def _wait(self, step: Wait) -> Any:
        def refresh() -> tuple[Any, str] | None:
            reply = self.call(step.call)
            items = (lookup(reply, step.items) if step.items else [reply]) if reply is not None else []
            if not items:
                return None if step.empty_state is None else ({}, step.empty_state)
            for path, values in step.abort.items():
                assert lookup(items[0], path) not in values, f"{step.call.action}: {path} is {lookup(items[0], path)}"
            return items[0], _state(lookup(items[0], step.state))

        target = [_state(value) for value in self._fill(step.target)]
        return wait_for(refresh, pending=step.pending, target=target, fail=step.fail, pace=step.pace)

    def _pages(self, step: Pages) -> list[Any]:
        everything: list[Any] = []
        extra: dict[str, Any] = {}
        for page in range(1, 1000):
            if not step.by_token:
                extra["PageNumber"] = page
            reply = self.call(step.call, extra)
            assert reply is not None
            items = lookup(reply, step.items)
            everything += items
            if step.by_token:
                token = reply.get("NextToken")
                if not (isinstance(token, str) and token) or not items:
                    break
                extra["NextToken"] = token
            elif len(items) < step.more_from or not items:
                break
        else:
            raise AssertionError(f"{step.call.action}: the paging loop does not end")
        if step.check:
            step.check(everything, self.values)
        if step.save:
            self.values[step.save] = everything
        return [_stable(item) for item in everything]

    def _gone(self, step: Gone) -> None:
        try:
            reply = self.wire(step.call.via, step.call.action, self._fill(step.call.params),
                              query=self._fill(step.call.query))
        except ApiError as err:
            assert not_found(err), f"a refresh after destroy fails instead of finding nothing: {err}"
            return
        assert lookup(reply, step.items) == [], f"{step.call.action}: still there after destroy: {reply}"

    def _each(self, step: Each, item: Any) -> Any:
        saved = Values(self.values)
        if isinstance(item, Mapping):
            self.values.update({f"item_{key}": value for key, value in item.items()})
        else:
            self.values["item"] = item
        try:
            return self.run(step.step) if isinstance(step.step, tuple) else self._play(step.step)
        finally:
            self.values = saved

    # --- values ------------------------------------------------------------------------------

    def _fill(self, value: Any) -> Any:
        if isinstance(value, str):
            whole = _WHOLE.fullmatch(value)
            if whole:  # the value itself, typed: "{tags}" -> a list
                return self.values[whole.group(1)]
            return value.format_map(self.values) if "{" in value else value
        if isinstance(value, Mapping):
            return {key: self._fill(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self._fill(item) for item in value]
        return value


_WHOLE = re.compile(r"\{(\w+)\}")


def _expect(where: str, reply: Any, path: str, wanted: Any) -> None:
    if wanted is EMPTY:
        try:
            seen = lookup(reply, path)
        except KeyError:
            return
        assert seen in (None, "", 0, False, [], {}), f"{where}: {path} must be unset, is {seen!r}"
        return
    seen = lookup(reply, path)
    if callable(wanted):
        assert wanted(seen), f"{where}: {path} = {seen!r}"
    else:
        assert seen == wanted and type(seen) is type(wanted), f"{where}: {path} = {seen!r}, state holds {wanted!r}"


def _state(value: Any) -> str:
    """``fmt.Sprint`` of the state field: Go prints booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _stable(reply: Any) -> Any:
    """A reply without what differs on every call by design (the request ID)."""
    if isinstance(reply, dict):
        return {key: value for key, value in reply.items() if key != "RequestId"}
    return reply


def destroy_twice(wire: Wire, resource: Resource, values: Mapping[str, Any], pace: Pace = PACE) -> None:
    """apply, then destroy run twice: the second finds the resource gone between its refresh
    and its delete (or already gone at its pre-check), and must still succeed."""
    replay = Replay(wire, values, pace)
    replay.run(resource.create)
    replay.run(resource.delete)
    replay.run(resource.delete)
    replay.run(resource.gone)
    no_5xx(wire)


def cycle(wire: Wire, resource: Resource, values: Mapping[str, Any], *, update: bool = False,
          pace: Pace = PACE) -> Replay:
    """apply (create, read) -> plan (read: nothing changed) -> [apply of one change (update,
    read) -> plan] -> destroy (read, delete) -> a refresh finds nothing. No call answers 5xx."""
    replay = Replay(wire, values, pace)
    replay.run(resource.create)
    first = replay.run(resource.read)
    assert replay.run(resource.read) == first, f"{resource.name}: a plan right after apply shows a diff"
    if update:
        replay.run(resource.update)
        changed = replay.run(resource.read)
        assert replay.run(resource.read) == changed, f"{resource.name}: a plan after the update shows a diff"
    replay.run(resource.read)
    replay.run(resource.delete)
    replay.run(resource.gone)
    no_5xx(wire)
    return replay


def no_5xx(wire: Wire) -> None:
    """The provider resends or retries a 5xx, so a replay can pass over one: none may occur."""
    failures = [sent for sent in wire.sent if sent.status >= 500]
    assert not failures, f"answered 5xx: {failures}"

