"""Typed request parameters, and how their wire forms are read.

One ``Param`` per top-level parameter of an action. Its ``kind`` says which wire form it
takes: a scalar (``DiskId=d-1``), a JSON-array string (``DiskIds=["d-1", "d-2"]``), an
N-indexed list (``InstanceId.1=i-1``), a dotted object (``SystemDisk.Category=cloud_essd``)
or a list of objects (``DataDisk.1.Size=20``). Parsing yields typed values or raises the
real ``MissingParameter`` / ``InvalidParameter`` errors.
"""

from __future__ import annotations

import ast
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .. import errors
from ..errors import ErrorCode

# Bounded so that no value costs more than its bounds need: an index of a list (Tag.N,
# DataDisk.N) has a few digits, an integer at most 19 (a Long's), a name quoted back in an
# error message at most NAME_IN_MESSAGE characters.
_INDEX = re.compile(r"[0-9]{1,6}")
_INTEGER = re.compile(r"-?[0-9]{1,19}")
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
NAME_IN_MESSAGE = 128
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON's "\ud800" escapes: not text


class Type(Enum):
    """The scalar types of the API reference."""

    STRING = "String"
    INTEGER = "Integer"
    LONG = "Long"
    BOOLEAN = "Boolean"
    FLOAT = "Float"


class Kind(Enum):
    SCALAR = "scalar"
    JSON_ARRAY = "JSON array"       # Name=["a", "b"]
    LIST = "N-indexed list"         # Name.1=a&Name.2=b
    OBJECT = "object"               # Name.Field=v
    OBJECT_LIST = "list of objects"  # Name.1.Field=v


@dataclass(frozen=True)
class Param:
    name: str
    type: Type = Type.STRING
    kind: Kind = Kind.SCALAR
    required: bool = False
    default: Any = None
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None               # scalars: a regular expression all of the value matches
                                             # (one Python and JavaScript read alike: the explorer checks it too)
    max_items: int | None = None             # lists: how many items at most
    fields: tuple[Param, ...] = ()        # objects: their members
    description: str = ""
    invalid: ErrorCode | None = None         # the action's own code for a bad value
    missing: ErrorCode | None = None         # the action's own code for a required one absent
    empty_is_value: bool = False             # scalars: "" is a value (clears), not absent
    supported: bool = True                   # False: declared, not emulated: a value but the default is refused

    def wire_names(self) -> list[str]:
        """How the parameter is spelt on the wire, for docs: ``DataDisk.N.Size``, …"""
        if self.kind is Kind.LIST:
            return [f"{self.name}.N"]
        if self.kind is Kind.OBJECT:
            return [f"{self.name}.{n}" for f in self.fields for n in f.wire_names()]
        if self.kind is Kind.OBJECT_LIST:
            return [f"{self.name}.N.{n}" for f in self.fields for n in f.wire_names()]
        return [self.name]

    def error_codes(self) -> list[ErrorCode]:
        """The errors a bad or missing value of this parameter (or its members) answers."""
        codes = [self.missing or errors.MISSING_PARAMETER] if self.required else []
        if not self.supported:
            codes.append(errors.UNSUPPORTED_PARAMETER)
        if self.kind is not Kind.SCALAR or self.type is not Type.STRING or self.enum \
                or self.min_length is not None or self.max_length is not None or self.pattern is not None:
            codes.append(self.invalid or errors.INVALID_PARAMETER)
        for member in self.fields:
            codes.extend(member.error_codes())
        return codes

    # --- parsing --------------------------------------------------------------------------

    def parse(self, raw: Mapping[str, str], prefix: str = "") -> Any:
        """This parameter's typed value from the request's raw parameters (its default if
        absent). ``prefix`` is where it sits inside an object (``DataDisk.1.``)."""
        wire_name = prefix + self.name
        if self.kind is Kind.SCALAR:
            text = raw.get(wire_name)
            value = self._convert(text, wire_name) if text or (text == "" and self.empty_is_value) else None
        elif self.kind is Kind.JSON_ARRAY:
            text = raw.get(wire_name)
            value = self._parse_json_array(text, wire_name) if text else None
        elif self.kind is Kind.OBJECT:
            value = _parse_object(self.fields, raw, f"{wire_name}.")
        else:
            value = self._parse_indexed(raw, wire_name)
        if value is None:
            if self.required:
                raise (self.missing or errors.MISSING_PARAMETER)(name=wire_name)
            return self.default
        if not self.supported and value != self.default:   # its default asks for nothing not emulated
            raise errors.UNSUPPORTED_PARAMETER(name=wire_name[:NAME_IN_MESSAGE])
        return value

    def _convert(self, text: str, wire_name: str) -> Any:
        """One scalar: type, enum, range and length checks."""
        if "\x00" in text:  # no store holds it (PostgreSQL text cannot), and no real value has it
            raise self._invalid(wire_name)
        try:
            value = _SCALAR_PARSERS[self.type](text)
        except ValueError:
            raise self._invalid(wire_name) from None
        if self.enum is not None and value not in self.enum:
            raise self._invalid(wire_name)
        if self.minimum is not None and value < self.minimum:
            raise self._invalid(wire_name)
        if self.maximum is not None and value > self.maximum:
            raise self._invalid(wire_name)
        if self.min_length is not None and len(value) < self.min_length:
            raise self._invalid(wire_name)
        if self.max_length is not None and len(value) > self.max_length:
            raise self._invalid(wire_name)
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise self._invalid(wire_name)
        return value

    def _invalid(self, wire_name: str) -> errors.EcsError:
        if len(wire_name) > NAME_IN_MESSAGE:
            wire_name = wire_name[:NAME_IN_MESSAGE] + "..."
        if self.invalid is not None:
            return self.invalid(name=wire_name)
        return errors.INVALID_PARAMETER(name=wire_name)

    def _parse_json_array(self, text: str, wire_name: str) -> list[Any]:
        try:
            items = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: thousands of nested '['
            items = _python_list(text)
            if items is None:
                raise self._invalid(wire_name) from None
        if not isinstance(items, list):
            raise self._invalid(wire_name)
        self._check_count(len(items), wire_name)
        if any(isinstance(item, (list, dict, tuple, set, bytes))
               or (isinstance(item, str) and _LONE_SURROGATE.search(item)) for item in items):
            raise self._invalid(wire_name)  # a list of values: nothing nested, no "\ud800" escapes
        return [self._convert(str(item), wire_name) for item in items]

    def _parse_indexed(self, raw: Mapping[str, str], wire_name: str) -> list[Any] | None:
        """``Name.N`` (LIST) or ``Name.N.Field`` (OBJECT_LIST), ordered by N (1-based)."""
        prefix = f"{wire_name}."
        # One pass over the parameters, grouped by index: each item then reads only its own
        # (linear in the request, however many items are sent).
        by_index: dict[int, dict[str, str]] = {}
        for key, value in raw.items():
            if key.startswith(prefix):
                head = key[len(prefix):].split(".", 1)[0]
                if not _INDEX.fullmatch(head) or int(head) < 1:
                    raise self._invalid(key)
                by_index.setdefault(int(head), {})[key] = value
        if not by_index:
            return None
        self._check_count(max(by_index), wire_name)
        if self.kind is Kind.LIST:
            items = [self._convert(raw[f"{prefix}{n}"], f"{prefix}{n}")
                     for n in sorted(by_index) if raw.get(f"{prefix}{n}")]
        else:
            items = [_parse_object(self.fields, by_index[n], f"{prefix}{n}.") for n in sorted(by_index)]
        return [item for item in items if item is not None] or None

    def _check_count(self, count: int, wire_name: str) -> None:
        if self.max_items is not None and count > self.max_items:
            raise self._invalid(wire_name)


def _python_list(text: str) -> list[Any] | None:
    """A list written as Python prints one (``['a', 'b']``), which footmark sends for the
    JSON-array parameters and the real gateway accepts; None if it is not one. Only
    literals are read (``ast.literal_eval``), never code."""
    if not (text.startswith("[") and text.endswith("]")):
        return None
    try:
        items = ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return items if isinstance(items, list) else None


def _parse_object(fields: tuple[Param, ...], raw: Mapping[str, str], prefix: str) -> dict | None:
    """Members under ``prefix``; None when none of them was given."""
    if not any(key.startswith(prefix) for key in raw):
        return None
    return {f.name: f.parse(raw, prefix) for f in fields}


def _parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise ValueError(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # nan, inf, 1e999
        raise ValueError(text)
    return value


def _parse_int(bounds: tuple[int, int]):
    def parse(text: str) -> int:
        if not _INTEGER.fullmatch(text):
            raise ValueError(text)
        value = int(text)
        if not bounds[0] <= value <= bounds[1]:
            raise ValueError(text)
        return value
    return parse


_SCALAR_PARSERS = {
    Type.STRING: str,
    Type.INTEGER: _parse_int(INT32),
    Type.LONG: _parse_int(INT64),
    Type.BOOLEAN: _parse_bool,
    Type.FLOAT: _parse_float,
}
