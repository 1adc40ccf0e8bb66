"""What the Describe actions' filters share: those that are a plain equality become
``column == value``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def equal_to(columns: Mapping[str, Any], values: Mapping[str, Any]) -> list:
    """``column == value`` for each value given (None: not filtered). ``columns`` maps the
    names a listing can filter by to their columns, built once, at import: looking columns
    up costs a Describe several µs. An unknown name fails on every call, given or not."""
    conditions = []
    for name, value in values.items():
        column = columns[name]
        if value is not None:
            conditions.append(column == value)
    return conditions


def columns_named(table: Any, *names: str) -> dict[str, Any]:
    """``{name: table.c[name]}``: the columns ``equal_to`` may compare."""
    return {name: table.c[name] for name in names}


def created_since(table: Any, at: float | None) -> list:
    """``Filter.N`` CreationStartTime: the rows made at or after ``at`` (None: no filter)."""
    return [] if at is None else [table.c.created_at >= at]
