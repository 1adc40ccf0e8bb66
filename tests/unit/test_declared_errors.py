"""Every action's ``raises=`` lists exactly the errors its handler can raise.

The errors are found in the code, statically: the handler's body and, transitively, the
body of every ecsemu function it calls, collecting each ``errors.NAME`` it refers to (an
error raised, or handed to a helper that raises it). A helper's error-valued default
counts only where a call leaves it out, so ``check_locks(conn, row, errors.X)`` answers
``X`` and not the default it replaces.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from functools import cache

import pytest

from ecsemu import errors
from ecsemu.actions import all_products
from ecsemu.domain import snapshots as snapshot_rules
from ecsemu.errors import ErrorCode

# Every product's actions, under "Product:Action" where two products share a name.
ACTIONS = {name if product.code == "Ecs" else f"{product.code}:{name}": action
           for product in all_products() for name, action in product.actions.items()}

# Found in the code but never answered, and why. Kept short: each entry is checked to be
# still found, so the list cannot outlive the code that needed it.
NEVER_ANSWERED = {
    ("CreateSnapshot", "INSTANCE_NOT_FOUND"): "looks up the instance of an In_use disk, which exists",
    ("ResetDisk", "INSTANCE_NOT_FOUND"): "looks up the instance of an In_use disk, which exists",
    ("ResizeDisk", "INSTANCE_NOT_FOUND"): "looks up the instance of an In_use disk, which exists",
    ("ModifyDiskSpec", "INSTANCE_NOT_FOUND"): "looks up the instance of an In_use disk, which exists",
    ("CreateInstance", "ASP_FOR_NEW_DISK_NOT_FOUND"): "its disks take no AutoSnapshotPolicyId (RunInstances' do)",
}


def _is_ours(value: object) -> bool:
    return isinstance(value, types.FunctionType) and value.__module__.startswith("ecsemu.")


def _resolve(node: ast.expr, namespace: dict) -> object:
    """The object a name or dotted name (``module.name``, ``Enum.MEMBER``) refers to, or None."""
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, namespace)
        if isinstance(owner, (types.ModuleType, type)):  # module.name, Class.member
            return getattr(owner, node.attr, None)
    return None


def _error_defaults(function: types.FunctionType) -> dict[str, tuple[int | None, ErrorCode]]:
    """The parameters whose default is an error: name -> (position or None, default)."""
    found = {}
    for position, parameter in enumerate(inspect.signature(function).parameters.values()):
        if isinstance(parameter.default, ErrorCode):
            positional = parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
            found[parameter.name] = (position if positional else None, parameter.default)
    return found


def _walk(statements: list[ast.stmt], namespace: dict):
    """Every node under ``statements``, except the bodies of ``try`` blocks that catch
    EcsError: what is raised there is answered some other way (a per-instance result)."""
    pending: list[ast.AST] = list(statements)
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, ast.Try) and any(
                handler.type is not None and _resolve(handler.type, namespace) is errors.EcsError
                for handler in node.handlers):
            pending.extend([*node.handlers, *node.orelse, *node.finalbody])
            continue
        pending.extend(ast.iter_child_nodes(node))


@cache
def raised_by(function: types.FunctionType) -> frozenset[ErrorCode]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    definition = tree.body[0]
    assert isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef))
    namespace = function.__globals__
    found: set[ErrorCode] = set()
    raised_by.stack.append(function)
    try:
        for node in _walk(definition.body, namespace):  # the body only: defaults count at the call sites
            if isinstance(node, (ast.Name, ast.Attribute)):
                value = _resolve(node, namespace)
                if isinstance(value, ErrorCode):
                    found.add(value)
                if isinstance(value, snapshot_rules.Purpose):  # the snapshot rule's answers for it
                    found |= {code for code in vars(snapshot_rules.ANSWERS[value]).values() if code}
            if isinstance(node, ast.Call):
                callee = _resolve(node.func, namespace)
                if not _is_ours(callee) or callee in raised_by.stack:
                    continue
                found |= raised_by(callee)
                passed = {keyword.arg for keyword in node.keywords}
                for name, (position, default) in _error_defaults(callee).items():
                    if name not in passed and (position is None or position >= len(node.args)):
                        found.add(default)
    finally:
        raised_by.stack.pop()
    return frozenset(found)


raised_by.stack = []


def _names(codes) -> set[str]:
    by_value = {value: name for name, value in vars(errors).items() if isinstance(value, ErrorCode)}
    return {by_value[code] for code in codes}


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_declared_errors_are_the_raised_ones(name):
    action = ACTIONS[name]
    raised = _names(raised_by(action.handler)) - {code for (of, code) in NEVER_ANSWERED if of == name}
    declared = _names(action.raises)
    assert (sorted(raised - declared), sorted(declared - raised)) == ([], []), \
        "(raised but not declared, declared but never raised)"


def test_the_walker_follows_helpers_and_call_site_errors():
    from ecsemu.actions import disk_resets
    found = _names(raised_by(disk_resets.reinit_disk))
    assert {"DISK_NOT_FOUND", "INSTANCE_LOCKED_FOR_SECURITY_DISK", "REINIT_KEY_PAIR_NOT_FOUND"} <= found
    assert "INSTANCE_LOCKED_FOR_SECURITY" not in found  # check_locks' default, replaced at the call


@pytest.mark.parametrize("name, code", sorted(NEVER_ANSWERED))
def test_never_answered_entries_are_still_found(name, code):
    assert code in _names(raised_by(ACTIONS[name].handler))
