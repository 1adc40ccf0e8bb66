"""How one access line is written (``serve --log-format``): the same fields as a JSON
object, or as ``key=value`` pairs (logfmt) for a terminal."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson

FORMATS = ("json", "text")


def as_json(fields: Mapping[str, Any]) -> str:
    return orjson.dumps(fields).decode()


def as_text(fields: Mapping[str, Any]) -> str:
    """``RequestId=… Action=DescribeRegions Status=200 Code= LatencyMs=0.41``: a null is
    nothing after ``=``; a value with a space, ``=``, a quote or nothing in it is a JSON
    string, and a list or object (``Params``) is JSON."""
    return " ".join(f"{name}={_text_value(value)}" for name, value in fields.items())


def _text_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return orjson.dumps(value).decode()
    if isinstance(value, str):
        if value and not any(c in value for c in ' ="\\') and value.isprintable():
            return value
        return orjson.dumps(value).decode()
    return orjson.dumps(value).decode()


RENDERERS: Mapping[str, Callable[[Mapping[str, Any]], str]] = {"json": as_json, "text": as_text}
