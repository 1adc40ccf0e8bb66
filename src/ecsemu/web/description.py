"""The API as the web pages see it: one JSON document built from the declarations.

``describe(actions)`` is what ``GET /_ecsemu/web/api.json`` answers. The explorer, the error
center and the console render everything from it; no action, parameter or error is written
in the pages themselves.

    {"version": "2014-05-26", "defaultRegion": ..., "developmentKey": {...},
     "families": [{"name": "Disks", "actions": ["AttachDisk", ...]}, ...],
     "actions": {"DescribeDisks": {"name", "family", "summary", "params": [...],
                                   "errors": [index into "errors", ...]}, ...},
     "errors": [{"code", "status", "message", "actions": [...], "gateway": bool}, ...],
     "missing": index of MissingParameter,
     "statuses": {"instance": {"all": [...], "transitional": [...]}, ...}}

A parameter: ``name``, ``kind`` (scalar, json_array, list, object, object_list), ``kindText``,
``type``, ``wire`` (its wire names: ``DataDisk.N.Size``), and when set ``required``,
``default``, ``enum``, ``min``, ``max``, ``minLength``, ``maxLength``, ``maxItems``,
``description``, ``fields`` (members of objects), ``invalid`` (the error a bad value answers),
``missing`` (the error an absent required one answers, when not MissingParameter),
``emptyIsValue`` (an empty text is a value) and ``unsupported`` (the error any value but the
default answers: declared, not emulated).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .. import errors
from ..accounts import DEVELOPMENT_KEY
from ..actions import API_VERSION
from ..actions.declaration import Action
from ..actions.params import Param
from ..catalog.regions import DEFAULT_REGION_ID
from ..domain.status import MACHINES
from ..errors import ErrorCode

# The statuses a resource passes through on its own (the scheduler moves it on): the
# console polls every second while it sees one. A test checks each against domain/status.py.
TRANSITIONAL = {
    "instance": ("Pending", "Starting", "Stopping"),
    "disk": ("Creating", "Attaching", "Detaching", "ReIniting", "Modifying"),
    "snapshot": ("progressing",),
    "image": ("Creating",),
    "task": ("Processing",),
    "eni": ("Attaching", "Detaching"),
}


def describe(actions: Mapping[str, Action]) -> dict[str, Any]:
    catalogue = _ErrorCatalogue(actions.values())
    families: dict[str, list[str]] = {}
    for action in sorted(actions.values(), key=lambda a: a.name):
        families.setdefault(action.family, []).append(action.name)
    return {
        "version": API_VERSION,
        "product": "Ecs",
        "defaultRegion": DEFAULT_REGION_ID,
        "developmentKey": {"id": DEVELOPMENT_KEY.key_id, "secret": DEVELOPMENT_KEY.secret},
        "families": [{"name": name, "actions": families[name]} for name in sorted(families)],
        "actions": {
            action.name: {
                "name": action.name,
                "family": action.family,
                "summary": action.summary,
                "params": [_param(p, catalogue) for p in action.params],
                "errors": [catalogue.index(code) for code in action.error_codes()],
            }
            for action in sorted(actions.values(), key=lambda a: a.name)
        },
        "errors": catalogue.entries(),
        "missing": catalogue.index(errors.MISSING_PARAMETER),
        "statuses": {resource: {"all": list(machine.statuses), "transitional": list(TRANSITIONAL[resource])}
                     for resource, machine in MACHINES.items()},
    }


def _param(param: Param, catalogue: _ErrorCatalogue) -> dict[str, Any]:
    described: dict[str, Any] = {
        "name": param.name,
        "kind": param.kind.name.lower(),
        "kindText": param.kind.value,
        "type": param.type.value,
        "wire": param.wire_names(),
    }
    optional = {
        "required": param.required or None,
        "default": param.default,
        "enum": list(param.enum) if param.enum is not None else None,
        "min": param.minimum,
        "max": param.maximum,
        "minLength": param.min_length,
        "maxLength": param.max_length,
        "maxItems": param.max_items,
        "description": param.description or None,
        "fields": [_param(f, catalogue) for f in param.fields] or None,
        "invalid": catalogue.index(param.invalid or errors.INVALID_PARAMETER),
        "missing": catalogue.index(param.missing) if param.missing is not None else None,
        "emptyIsValue": param.empty_is_value or None,
        "unsupported": None if param.supported else catalogue.index(errors.UNSUPPORTED_PARAMETER),
    }
    described.update({key: value for key, value in optional.items() if value is not None})
    return described


class _ErrorCatalogue:
    """Every declared error (``errors.ALL``, in its order) with the actions that answer it;
    the gateway's own are marked, being answered whatever the action."""

    def __init__(self, actions: Iterable[Action]) -> None:
        self._codes: dict[ErrorCode, list[str]] = {code: [] for code in errors.ALL}
        for action in sorted(actions, key=lambda a: a.name):
            for code in action.error_codes():
                self._codes.setdefault(code, []).append(action.name)
        self._gateway = gateway_errors()
        self._index = {code: n for n, code in enumerate(self._codes)}

    def index(self, code: ErrorCode) -> int:
        return self._index[code]

    def entries(self) -> list[dict[str, Any]]:
        return [{"code": code.code, "status": code.status, "message": code.message,
                 "actions": names, "gateway": code in self._gateway}
                for code, names in self._codes.items()]


def gateway_errors() -> set[ErrorCode]:
    """The errors the gateway itself raises (protocol, signature, timestamp, server), found
    in its code: every ``errors.NAME`` that the gateway modules' functions refer to."""
    from .. import app, gateway  # the gateway modules, scanned (imported here: app imports this package)
    from ..wire import auth

    declared = {name: value for name, value in vars(errors).items() if isinstance(value, ErrorCode)}
    found: set[ErrorCode] = set()
    for module in (gateway, auth, app):
        code = compile(inspect.getsource(module), module.__file__ or module.__name__, "exec")
        found.update(declared[name] for name in _names(code) if name in declared)
    return found


def _names(code: types.CodeType) -> Iterator[str]:
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _names(const)
