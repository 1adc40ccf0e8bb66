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
    nothing after ``=``; a list or object (``Params``) is written as JSON first; a text
    with a space, ``=``, a quote, a control character or nothing in it is then a quoted
    JSON string."""
    return " ".join(f"{name}={_text_value(value)}" for name, value in fields.items())


def _text_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return orjson.dumps(value).decode()
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    if text and not any(c in text for c in ' ="\\') and text.isprintable():
        return text
    return orjson.dumps(text).decode()


RENDERERS: Mapping[str, Callable[[Mapping[str, Any]], str]] = {"json": as_json, "text": as_text}
