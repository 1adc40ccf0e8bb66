"""Statements that run on every request, compiled once per dialect and run straight on the
driver.

SQLAlchemy's ``Connection.execute`` costs some 100 µs a call (cache keys, parameter
processing, result set-up), several times what SQLite takes to answer a lookup by primary
key. A ``Statement`` is written with SQLAlchemy Core as usual; it is compiled the first
time it runs on a dialect (and for each length of an expanding ``IN`` list), and then
costs a tuple of parameters and one driver call. SQLAlchemy's own type processors convert
parameters and results (booleans and JSON on SQLite), so the values are those
``Connection.execute`` would give.

It runs inside the caller's transaction: the driver connection of the SQLAlchemy
``Connection`` it is given.
"""

from __future__ import annotations

import threading
from collections import namedtuple
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple, cast

import orjson
from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement, Executable, visitors
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter


# Positional parameters on both drivers: SQLite's "?" and psycopg's "%s", so that one tuple,
# built in order, is all a call prepares.
def _sqlite() -> Dialect:
    from sqlalchemy.dialects import sqlite  # imported when first needed: a tenth of a start

    return sqlite.dialect(json_deserializer=orjson.loads)


def _postgresql() -> Dialect:
    from sqlalchemy.dialects.postgresql import psycopg

    return psycopg.dialect(paramstyle="format", json_deserializer=orjson.loads)


# JSON columns (tags, device mappings) decoded by orjson, as database.py's engines do.
_DIALECTS: dict[str, Callable[[], Dialect]] = {"sqlite": _sqlite, "postgresql": _postgresql}
_MARKS = {"sqlite": "?", "postgresql": "%s"}
_EXPANDING = "__[POSTCOMPILE_{}]"
_EMPTY_SET = "SELECT NULL WHERE 1 != 1"  # "IN ()" is SQLite's alone; this means it everywhere


class _Bind(NamedTuple):
    name: str | None                         # the caller's parameter; None: a value fixed
    item: int | None                         # in the statement; a member of an IN list
    fixed: Any
    to_driver: Callable[[Any], Any] | None   # the type's conversion, if any


@dataclass
class _Compiled:
    dialect: Dialect                         # what compiled it
    sql: str
    binds: tuple[_Bind, ...]                 # the parameters, in order
    row: Callable[..., Any] | None           # builds a row from the driver's tuple
    plain: tuple[str, ...] | None            # when every parameter is the caller's, as is
    # The result columns that need converting, and how, known from the first result: some
    # depend on the type the driver reports (PostgreSQL's numerics). A race sets it twice.
    convert: tuple[tuple[int, Callable[[Any], Any]], ...] | None = None


class Statement:
    """One SQLAlchemy Core statement (select, insert, update, delete with named
    ``bindparam``s), run on the driver. Thread-safe."""

    def __init__(self, construct: ClauseElement) -> None:
        self.construct = construct
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()

    # Known at the first run, not when the statement is declared: a walk of the statement
    # for each of some 170 statements cost ~40 ms of every server start.
    @cached_property
    def _expanding(self) -> tuple[str, ...]:
        return _expanding_names(self.construct)

    @cached_property
    def _columns(self) -> tuple[Any, ...]:
        selected = getattr(self.construct, "selected_columns", None)  # None: a change, no rows
        return tuple(selected) if selected is not None else ()

    # --- running ------------------------------------------------------------------------

    def all(self, conn: Connection, **params: Any) -> list[Any]:
        """Every row, each a named tuple (``row.id``, ``row[0]``)."""
        compiled, cursor = self._run(conn, params)
        try:
            return self._rows(compiled, cursor, cursor.fetchall())
        finally:
            cursor.close()

    def first(self, conn: Connection, **params: Any) -> Any:
        """The first row, or None."""
        compiled, cursor = self._run(conn, params)
        try:
            found = cursor.fetchone()
            return None if found is None else self._rows(compiled, cursor, [found])[0]
        finally:
            cursor.close()

    def scalar(self, conn: Connection, **params: Any) -> Any:
        """The first column of the first row (None when there is no row)."""
        row = self.first(conn, **params)
        return None if row is None else row[0]

    def rowcount(self, conn: Connection, **params: Any) -> int:
        """Runs a change; how many rows it changed."""
        _, cursor = self._run(conn, params)
        try:
            return cursor.rowcount
        finally:
            cursor.close()

    def _run(self, conn: Connection, params: dict[str, Any]):
        dialect = conn.dialect.name
        lengths = tuple(len(params[name]) for name in self._expanding) if self._expanding else ()
        compiled = self._compiled.get((dialect, lengths)) or self._compile(dialect, lengths)
        if compiled.plain is not None:  # the common case, in one comprehension
            values = [params[name] for name in compiled.plain]
        else:
            values = []
            for name, item, fixed, to_driver in compiled.binds:
                value = fixed if name is None else params[name] if item is None else params[name][item]
                values.append(value if to_driver is None else to_driver(value))
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None  # checked out for the caller's transaction
        cursor = dbapi.cursor()
        try:
            cursor.execute(compiled.sql, values)
        except BaseException:
            cursor.close()
            raise
        return compiled, cursor

    def _rows(self, compiled: _Compiled, cursor: Any, raw: Sequence[Sequence[Any]]) -> list[Any]:
        make, convert = compiled.row, compiled.convert
        assert make is not None, "a statement that returns no rows"
        if convert is None:
            dialect = compiled.dialect
            processors = (column.type.dialect_impl(dialect).result_processor(dialect, described[1])
                          for column, described in zip(self._columns, cursor.description, strict=True))
            convert = compiled.convert = tuple((i, c) for i, c in enumerate(processors) if c is not None)
        if not convert:
            return [make(*values) for values in raw]
        rows = []
        for values in raw:
            converted = list(values)
            for i, c in convert:
                converted[i] = c(converted[i])
            rows.append(make(*converted))
        return rows

    # --- compiling ----------------------------------------------------------------------

    def _compile(self, dialect_name: str, lengths: tuple[int, ...]) -> _Compiled:
        with self._lock:
            known = self._compiled.get((dialect_name, lengths))
            if known is not None:
                return known
            dialect = _DIALECTS[dialect_name]()
            compiled = cast(SQLCompiler, self.construct.compile(dialect=dialect))
            if not compiled.positional or compiled.positiontup is None:
                raise TypeError(f"{dialect_name}: statements compile to positional parameters")
            sql = compiled.string
            expanded = dict(zip(self._expanding, lengths, strict=True))
            binds: list[_Bind] = []
            for name in compiled.positiontup:
                bind = compiled.binds[name]
                to_driver = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if name in expanded:  # one parameter a member of the list
                    count = expanded[name]
                    members = ", ".join([_MARKS[dialect_name]] * count) or _EMPTY_SET
                    sql = sql.replace(_EXPANDING.format(name), members, 1)
                    binds += [_Bind(bind.key, i, None, to_driver) for i in range(count)]
                elif bind.required:
                    binds.append(_Bind(bind.key, None, None, to_driver))
                else:  # a value written into the statement (a literal, LIMIT 1)
                    binds.append(_Bind(None, None, bind.effective_value, to_driver))
            plain = (tuple(str(b.name) for b in binds)
                     if all(b.name is not None and b.item is None and b.to_driver is None for b in binds) else None)
            result = _Compiled(dialect, sql, tuple(binds), self._row_type(), plain)
            self._compiled[(dialect_name, lengths)] = result
            return result


    def _row_type(self) -> Callable[..., Any] | None:
        """The named tuple of its rows (made at the first compile: each costs a start time)."""
        selected = getattr(self.construct, "selected_columns", None)
        return None if selected is None else namedtuple("Row", selected.keys(), rename=True)  # type: ignore[misc]


def _expanding_names(construct: ClauseElement) -> tuple[str, ...]:
    """The ``IN`` lists' parameters (``bindparam(..., expanding=True)``)."""
    return tuple(dict.fromkeys(bind.key for bind in visitors.iterate(construct)
                               if isinstance(bind, BindParameter) and bind.expanding))


class OneOff:
    """A statement built for one call (a Describe's own mix of filters), with the methods of
    ``Statement``: run by SQLAlchemy, whose compiled cache knows its shape, as compiling
    it here for each call would cost more."""

    def __init__(self, construct: Executable) -> None:
        self.construct = construct

    def all(self, conn: Connection, **params: Any) -> list[Any]:
        return list(conn.execute(self.construct, params).all())

    def first(self, conn: Connection, **params: Any) -> Any:
        return conn.execute(self.construct, params).first()

    def scalar(self, conn: Connection, **params: Any) -> Any:
        return conn.execute(self.construct, params).scalar()

    def rowcount(self, conn: Connection, **params: Any) -> int:
        return conn.execute(self.construct, params).rowcount

