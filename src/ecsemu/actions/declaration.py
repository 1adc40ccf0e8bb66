"""An ECS action, declared once: its parameters, its handler, the errors it can answer.

The parser, the coverage table in docs/ and (later) the API Explorer all read these
declarations; nothing about an action is written twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ErrorCode
from .params import Param

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
        Parameters the action does not declare are ignored, as the real gateway does."""
        return {p.name: p.parse(raw) for p in self.params}

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
