"""The handlers hold no SQL: their queries live in ``store/<resource>.py`` (issue 10).

Each module of ``ecsemu.actions`` is parsed, its names resolved in the module's namespace,
and it fails if it

- calls ``.execute`` or ``.exec_driver_sql`` on anything (a connection);
- imports from SQLAlchemy, or refers to anything of it, but the types ``Connection`` and
  ``Row`` (annotations): no ``select``, ``insert``, ``update``, ``delete``, ``func``,
  ``exists``, ``cast``, ``and_``, ``or_``, ``not_``, ``literal``, ``false``, ``String``,
  ``IntegrityError``…;
- reaches into a table: an attribute of a ``Table`` (``disks.c.id``, ``disks.delete()``),
  or ``.c`` of anything.

A table may be named whole: handed to the store (``store.rows``: find, add, move, assign,
remove) and to a ``Listing``, with the columns its store module lists (``LISTED_COLUMNS``).
``actions/common.py`` may build SQL (not run it with ``execute``): its paging, ``Listing``
and ``paginate``, is the one mechanism every listing shares.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import types

import pytest
import sqlalchemy
from sqlalchemy import Connection, Row, Table

import ecsemu.actions

PAGING = "ecsemu.actions.common"
TYPES = (Connection, Row)
RUNS_SQL = {"execute", "exec_driver_sql"}

MODULES = sorted(f"{ecsemu.actions.__name__}.{found.name}" for found in pkgutil.iter_modules(ecsemu.actions.__path__))


def _a_type(value: object) -> bool:
    return any(value is allowed for allowed in TYPES)  # by identity: SQL expressions overload ==


def _of_sqlalchemy(value: object) -> bool:
    if isinstance(value, types.ModuleType):
        return value.__name__.split(".")[0] == "sqlalchemy"
    kind = value if isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType)) else type(value)
    return (getattr(kind, "__module__", None) or "").split(".")[0] == "sqlalchemy"


def _resolve(node: ast.expr, namespace: dict) -> object:
    """What a name or dotted name through modules refers to, or None."""
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, namespace)
        if isinstance(owner, types.ModuleType):
            return getattr(owner, node.attr, None)
    return None


def _into_table(node: ast.Attribute, namespace: dict) -> bool:
    return node.attr == "c" or isinstance(_resolve(node.value, namespace), Table)


def violations(source: str, namespace: dict, *, paging: bool = False) -> list[str]:
    """``line: what`` for each breach of the rule above in ``source``, whose names are
    ``namespace``'s; ``paging``: the module of the shared paging."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RUNS_SQL:
            found.add((node.lineno, f"runs SQL: .{node.func.attr}()"))
        if paging:
            continue
        if isinstance(node, ast.Import):
            found |= {(node.lineno, f"imports {alias.name}") for alias in node.names
                      if alias.name.split(".")[0] == "sqlalchemy"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            found |= {(node.lineno, f"imports {alias.name} from {node.module}") for alias in node.names
                      if not _a_type(getattr(sqlalchemy, alias.name, None))}
        elif isinstance(node, ast.Attribute) and _into_table(node, namespace):
            found.add((node.lineno, f"reaches into a table: .{node.attr}"))
        if isinstance(node, (ast.Name, ast.Attribute)):
            value = _resolve(node, namespace)
            if value is not None and not _a_type(value) and not isinstance(value, Table) and _of_sqlalchemy(value):
                found.add((node.lineno, f"refers to SQLAlchemy's {ast.unparse(node)}"))
    return [f"{line}: {what}" for line, what in sorted(found)]


@pytest.mark.parametrize("name", MODULES)
def test_the_module_holds_no_sql(name):
    module = importlib.import_module(name)
    found = violations(inspect.getsource(module), vars(module), paging=name == PAGING)
    assert not found, f"{module.__file__}:\n" + "\n".join(found)


def test_the_check_finds_a_query_in_a_handler():
    from ecsemu.actions import disks

    namespace = {**vars(disks), "select": sqlalchemy.select, "func": sqlalchemy.func}
    query = "def probe(conn):\n    return conn.execute(select(func.count()).where(disks.c.id == 'd-1')).scalar()\n"
    assert violations(query, namespace) == [
        "2: reaches into a table: .c", "2: refers to SQLAlchemy's func", "2: refers to SQLAlchemy's select",
        "2: runs SQL: .execute()"]
    assert violations("from sqlalchemy import Connection, exists\n", namespace) == [
        "1: imports exists from sqlalchemy"]
    assert violations("def probe(conn):\n    disks.delete()\n", namespace) == ["2: reaches into a table: .delete"]
    # What a handler does hand the store: a table whole, and plain values.
    handing = "def probe(conn, changes):\n    changes.update(a=1)\n    return find(conn, disks, 'acc', 'd-1')\n"
    assert violations(handing, namespace) == []
