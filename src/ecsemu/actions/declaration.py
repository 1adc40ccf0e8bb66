"""An ECS action, declared once: its parameters, its handler, the errors it can answer.

The parser, the coverage table in docs/ and (later) the API Explorer all read these
declarations; nothing about an action is written twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..errors import EcsError, ErrorCode
from .client_token import ClientToken
from .params import Kind, Param

if TYPE_CHECKING:
    from ..emulator import Emulator

Args = dict[str, Any]


@dataclass(frozen=True)
class CallContext:
    """What a handler may know about the call besides its parameters."""

    emulator: Emulator
    request_id: str
    account_id: str
    region_id: str    # RegionId if given, else the region the endpoint host names, else the default
    endpoint: str     # the host the client called, e.g. 127.0.0.1:8080

    def now(self) -> float:
        """The resources' clock (manual in manual mode)."""
        return self.emulator.clock.now()


Handler = Callable[[CallContext, Args], Mapping[str, Any]]


@dataclass(frozen=True)
class _ParsePlan:
    """An action's parameters arranged for parsing only those sent."""

    defaults: dict[str, Any]          # every parameter's value when absent
    by_name: dict[str, Param]
    required: frozenset[str]
    flat: frozenset[str]              # sent under their own name
    nested: frozenset[str]            # sent as Name.1…, Name.Field…


@dataclass(frozen=True)
class Action:
    name: str
    family: str                     # resource family, for grouping in docs and the explorer
    summary: str
    params: tuple[Param, ...]
    handler: Handler
    raises: tuple[ErrorCode, ...] = ()  # what the handler raises (parameter errors are derived)

    @property
    def read_only(self) -> bool:
        """Whether the action only reads (Describe*, List*): its handler opens its unit of
        work with ``read_only=True``, which on SQLite takes no write lock and refuses any
        write (tests/unit/test_store_speed_shape.py holds every such handler to it)."""
        return self.name.startswith(("Describe", "List"))

    def parse(self, raw: Mapping[str, str]) -> Args:
        """Typed arguments, every declared parameter present (None or its default if absent).
        Parameters the action does not declare are ignored, as the real gateway does.

        Only the parameters sent are parsed; should one be wrong, or a required one
        missing, every parameter is parsed in declared order, so that the error answered
        is that of the first wrong one, as ``parse_all`` gives."""
        plan = self._plan
        keys = raw.keys()
        # Name.1=…, Name.Field=…: a nested parameter is sent when its head is (a bare
        # ``Name`` does not send a Name.N list).
        heads = {key.split(".", 1)[0] for key in keys if "." in key} if plan.nested else set()
        if not (plan.required & plan.flat <= keys and plan.required & plan.nested <= heads):
            return self.parse_all(raw)
        args = dict(plan.defaults)
        try:
            for name in plan.flat & keys:
                args[name] = plan.by_name[name].parse(raw)
            if plan.nested:
                for name in plan.nested & heads:
                    args[name] = plan.by_name[name].parse(raw)
        except EcsError:
            return self.parse_all(raw)
        return args

    def parse_all(self, raw: Mapping[str, str]) -> Args:
        """``parse``, every parameter in declared order: the first wrong one raises."""
        return {p.name: p.parse(raw) for p in self.params}

    @cached_property
    def _plan(self) -> _ParsePlan:
        return _ParsePlan(
            defaults={p.name: p.default for p in self.params},
            by_name={p.name: p for p in self.params},
            required=frozenset(p.name for p in self.params if p.required),
            flat=frozenset(p.name for p in self.params if p.kind in (Kind.SCALAR, Kind.JSON_ARRAY)),
            nested=frozenset(p.name for p in self.params if p.kind not in (Kind.SCALAR, Kind.JSON_ARRAY)),
        )

    @cached_property
    def client_token(self) -> ClientToken | None:
        """Its ClientToken parameter: a call that sends one is idempotent (idempotency.py)."""
        return next((p for p in self.params if isinstance(p, ClientToken)), None)

    def error_codes(self) -> tuple[ErrorCode, ...]:
        """Every error this action answers besides the gateway's: its parameters' and its
        handler's, in a stable order without repeats."""
        found: dict[ErrorCode, None] = {}
        for param in self.params:
            for code in param.error_codes():
                found.setdefault(code)
        for code in self.raises:
            found.setdefault(code)
        return tuple(found)
