"""The API as the web pages see it: one JSON document built from the declarations.

``describe(products)`` is what ``GET /_ecsemu/web/api.json`` answers. The explorer, the error
center and the console render everything from it; no action, parameter or error is written
in the pages themselves.

    {"version": "2014-05-26" (the first product's), "defaultRegion": ..., "developmentKey": {...},
     "products": [{"code": "Ecs", "version": "2014-05-26", "host": "ecs"}, {"code": "Vpc", ...}],
     "families": [{"name": "Disks", "product": "Ecs", "actions": ["AttachDisk", ...]}, ...],
     "actions": {"DescribeDisks": {"key", "name", "product", "version", "family", "summary",
                                   "params": [...], "errors": [index into "errors", ...]},
                 "Vpc/CreateVpc": {...}, ...},

An action's key is its name for the first product (ECS) and ``Code/Name`` for the others,
since an action name exists per product (VPC's DescribeRegions is not ECS's); the explorer's
address is ``#/explorer/<key>``.
     "errors": [{"code", "status", "message", "actions": [...], "gateway": bool}, ...],
     "missing": index of MissingParameter,
     "statuses": {"instance": {"all": [...], "transitional": [...]}, ...}}

A parameter: ``name``, ``kind`` (scalar, json_array, list, object, object_list), ``kindText``,
``type``, ``wire`` (its wire names: ``DataDisk.N.Size``), and when set ``required``,
``default``, ``enum``, ``min``, ``max``, ``minLength``, ``maxLength``, ``pattern``, ``maxItems``,
``description``, ``fields`` (members of objects), ``invalid`` (the error a bad value answers),
``missing`` (the error an absent required one answers, when not MissingParameter),
``emptyIsValue`` (an empty text is a value) and ``unsupported`` (the error any value but the
default answers: declared, not emulated).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .. import errors
from ..accounts import DEVELOPMENT_KEY
from ..actions.declaration import Action
from ..actions.params import Param
from ..actions.products import Product
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
    "vpc": ("Pending",),
    "vswitch": ("Pending",),
}


def action_key(product: Product, action: Action, first: Product) -> str:
    return action.name if product is first else f"{product.code}/{action.name}"


def describe(products: Sequence[Product]) -> dict[str, Any]:
    first = products[0]
    keyed = [(action_key(product, action, first), product, action)
             for product in products for action in sorted(product.actions.values(), key=lambda a: a.name)]
    catalogue = _ErrorCatalogue((key, action) for key, _, action in keyed)
    families: dict[tuple[str, str], list[str]] = {}
    for key, product, action in keyed:
        families.setdefault((product.code, action.family), []).append(key)
    return {
        "version": first.version,
        "product": first.code,
        "products": [{"code": p.code, "version": p.version, "host": p.host_prefix} for p in products],
        "defaultRegion": DEFAULT_REGION_ID,
        "developmentKey": {"id": DEVELOPMENT_KEY.key_id, "secret": DEVELOPMENT_KEY.secret},
        "families": [{"name": family, "product": code, "actions": names}
                     for (code, family), names in sorted(families.items(),
                                                         key=lambda item: ([p.code for p in products].index(
                                                             item[0][0]), item[0][1]))],
        "actions": {
            key: {
                "key": key,
                "name": action.name,
                "product": product.code,
                "version": product.version,
                "family": action.family,
                "summary": action.summary,
                "params": [_param(p, catalogue) for p in action.params],
                "errors": [catalogue.index(code) for code in action.error_codes()],
            }
            for key, product, action in keyed
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
        "pattern": param.pattern,
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

    def __init__(self, actions: Iterable[tuple[str, Action]]) -> None:
        """``actions``: (key, action) of every product's."""
        self._codes: dict[ErrorCode, list[str]] = {code: [] for code in errors.ALL}
        for key, action in actions:
            for code in action.error_codes():
                self._codes.setdefault(code, []).append(key)
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
