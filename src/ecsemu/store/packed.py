"""Rows of another table packed into one column of a listing's row: a page of resources
and their tags (or locks) in one statement, not one for the page and one a kind of
belonging. SQLite and PostgreSQL each have their JSON aggregate; the column arrives as a
list of [first, second] pairs ([] when there is none), in no particular order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ColumnElement, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class _json_pairs(FunctionElement):
    type = JSON()
    inherit_cache = True
    name = "json_pairs"


@compiles(_json_pairs, "sqlite")
def _sqlite(element, compiler, **kw) -> str:
    first, second = element.clauses
    return f"json_group_array(json_array({compiler.process(first, **kw)}, {compiler.process(second, **kw)}))"


@compiles(_json_pairs, "postgresql")
def _postgresql(element, compiler, **kw) -> str:
    first, second = element.clauses
    return f"json_agg(json_build_array({compiler.process(first, **kw)}, {compiler.process(second, **kw)}))"


def packed(first: ColumnElement, second: ColumnElement, *where: Any, name: str) -> Any:
    """A labelled column: ``[[first, second], …]`` of the rows meeting ``where``."""
    return select(_json_pairs(first, second)).where(*where).scalar_subquery().label(name)


def unpacked(pairs: list | None) -> list[tuple[Any, Any]]:
    """The pairs, sorted (by first, then second)."""
    return sorted((first, second) for first, second in pairs or ())
