"""Every status fact has one place, its machine (domain/status.py): the statuses the code
writes are its machine's, a status changes only by a declared move, and the status filters
are the machines' statuses."""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import insert, select

import ecsemu
from ecsemu.actions import all_actions
from ecsemu.actions.images import _statuses
from ecsemu.control import disk_bytes
from ecsemu.domain import disks, instance_events, instances, keypairs
from ecsemu.domain.status import DISK, IMAGE, IMAGE_SETTABLE, INSTANCE, MACHINES, SNAPSHOT, TASK, StatusMachine
from ecsemu.store import Database
from ecsemu.store.rows import assign, move
from ecsemu.store.schema import RESOURCE_TABLES
from ecsemu.store.schema import disks as disk_table

SRC = Path(ecsemu.__file__).parent
TABLE_MACHINES = {table.name: MACHINES[resource] for resource, table in RESOURCE_TABLES.items()}
BY_NAME = {machine.resource.upper(): machine for machine in MACHINES.values()}  # INSTANCE, DISK, ...
# The compare-and-swap of rows.move and of the scheduler: the only statements that set a status.
STATUS_UPDATERS = {"store/rows.py", "scheduler.py"}


@dataclass
class Writes:
    moves: list[tuple[str, StatusMachine, str, str]] = field(default_factory=list)   # where, machine, from, to
    created: list[tuple[str, str, tuple[str, ...] | None]] = field(default_factory=list)  # where, table, status
    stray: list[str] = field(default_factory=list)  # where a status is set some other way


def scan() -> Writes:
    """Every status the source writes, by a literal or a module-level name: the moves of
    move() and chain(), the statuses add() creates rows in, and any other status write."""
    writes = Writes()
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        module = "ecsemu." + relative[:-3].replace("/", ".")
        for function in ast.walk(ast.parse(path.read_text())):
            if isinstance(function, ast.FunctionDef):
                _scan_function(writes, f"{relative}:{function.name}", function, module, relative in STATUS_UPDATERS)
    return writes


def _scan_function(writes: Writes, where: str, function: ast.FunctionDef, module: str, updater: bool) -> None:
    dicts = {node.targets[0].id: node.value for node in ast.walk(function)
             if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
             and isinstance(node.value, ast.Dict)}
    created: set[int] = set()  # the status dicts and keywords add() takes
    for call in (node for node in ast.walk(function) if isinstance(node, ast.Call)):
        name, args = _name(call), call.args
        if name == "move":                                   # move(conn, table, MACHINE, id, expect, target)
            for expect in _known(args[4], module) or ():
                writes.moves += [(where, BY_NAME[args[2].id], expect, target)
                                 for target in _known(args[5], module) or ()]
        elif name == "chain" and isinstance(args[3], ast.Tuple):  # chain(conn, MACHINE, id, (path), ...)
            path = [e.value if isinstance(e, ast.Constant) else None for e in args[3].elts]
            writes.moves += [(where, BY_NAME[args[1].id], a, b)
                             for a, b in pairwise(path) if a and b]
        elif name == "add":                                  # add(conn, table, **values)
            splats = [dicts[k.value.id] for k in call.keywords if k.arg is None and isinstance(k.value, ast.Name)
                      and k.value.id in dicts]
            created.update(id(d) for d in splats)
            values = [k.value for k in call.keywords if k.arg == "status"] + \
                [v for d in splats for k, v in zip(d.keys, d.values, strict=True) if _is(k, "status")]
            writes.created += [(where, args[1].id, _known(v, module)) for v in values]
        elif name == "values" and not updater and (any(k.arg == "status" for k in call.keywords)
                                                    or any(isinstance(a, ast.Dict) and _has_status(a) for a in args)):
            writes.stray.append(f"{where}: an UPDATE of a status")
        if name != "add" and any(k.arg == "status" and isinstance(k.value, ast.Constant) for k in call.keywords):
            writes.stray.append(f"{where}: {name}(status=...)")   # assign(status=...), for one
    writes.stray += [f"{where}: a status in a dict" for node in ast.walk(function)
                     if isinstance(node, ast.Dict) and id(node) not in created and _has_status(node)]


def _known(node: ast.expr, module: str) -> tuple[str, ...] | None:
    """The status(es) an argument names when that is known without running: a literal, a
    tuple of literals, or a module-level name (``DISK.statuses``, ``rules.STARTABLE``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, ast.Tuple) and all(isinstance(e, ast.Constant) for e in node.elts):
        return tuple(e.value for e in node.elts)
    namespace = vars(importlib.import_module(module))
    if isinstance(node, ast.Name) and node.id in namespace:
        value = namespace[node.id]
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in namespace:
        value = getattr(namespace[node.value.id], node.attr)
    else:
        return None  # a local: move() checks it when it runs
    return (value,) if isinstance(value, str) else tuple(value)


def _name(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")


def _is(node: ast.expr | None, text: str) -> bool:
    return isinstance(node, ast.Constant) and node.value == text


def _has_status(node: ast.Dict) -> bool:
    """A dict literal with a literal ``"status"`` (not the HTTP status of web/description.py's)."""
    return any(_is(k, "status") and isinstance(v, ast.Constant) for k, v in zip(node.keys, node.values, strict=True))


def test_every_status_the_code_writes_is_its_machines_by_a_declared_move():
    writes = scan()
    declared = {(m.resource, move.source, move.target) for m in MACHINES.values() for move in m.moves}
    assert [w for w in writes.moves if (w[1].resource, w[2], w[3]) not in declared] == []
    assert [w for w in writes.created if w[1] not in TABLE_MACHINES or w[2] is None
            or not set(w[2]) <= set(TABLE_MACHINES[w[1]].statuses)] == []
    assert writes.stray == []
    # The walk sees the writes: moves made at once and chained, rows created in a status.
    moved = {(w[1].resource, w[3]) for w in writes.moves}
    assert {("instance", "Stopping"), ("disk", "Attaching"), ("disk", "Available")} <= moved      # move()
    assert {("instance", "Running"), ("instance", "Stopped"), ("snapshot", "accomplished")} <= moved  # chain()
    assert {("instances", ("Pending",)), ("disks", ("In_use",)), ("disks", ("ReIniting",)),
            ("images", ("Available",)), ("snapshots", ("progressing",))} <= {w[1:] for w in writes.created}


def test_the_rules_name_statuses_of_their_machines():
    for machine, groups in ((INSTANCE, (instances.STARTABLE, instances.STOPPABLE, instances.REBOOTABLE,
                                        instances.DELETABLE, instances.DISK_ATTACHABLE,
                                        instances.SYSTEM_DISK_DETACHABLE, instances.REINITIALISABLE,
                                        keypairs.BOUND_STATUSES)),
                            (DISK, (disks.ATTACHABLE, disks.DETACHABLE, disks.DETACHED_WITH_INSTANCE, disks.DELETABLE,
                                    disks.RESIZABLE, disks.SNAPSHOTTABLE, disk_bytes.WRITABLE))):
        for group in groups:
            assert set(group) <= set(machine.statuses), group


def test_status_filters_are_the_machines_statuses():
    actions = all_actions()
    expected = {"DescribeInstances": INSTANCE.statuses, "DescribeDisks": (*DISK.statuses, "All"),
                "DescribeSnapshots": (*SNAPSHOT.statuses, "all"), "ModifyImageAttribute": IMAGE_SETTABLE}
    for name, statuses in expected.items():
        assert next(p for p in actions[name].params if p.name == "Status").enum == statuses
    # DescribeInstancesFullStatus filters by three of them; its codes are for each of them.
    full_status = next(p for p in actions["DescribeInstancesFullStatus"].params if p.name == "Status").enum
    assert set(full_status) < set(INSTANCE.statuses)
    assert set(instance_events.INSTANCE_STATUS_CODES) == set(INSTANCE.statuses)
    expected["DescribeInstancesFullStatus"] = full_status
    # No other parameter restates statuses. ("Failed" is also an event's cycle status, a word
    # of the events' own vocabulary, not a task's status restated.)
    every = {s for m in MACHINES.values() for s in m.statuses}
    for action in actions.values():
        for param in (p for top in action.params for p in (top, *top.fields)):
            if param.enum and set(param.enum) & every - set(instance_events.CYCLE_STATUSES):
                assert (action.name, param.name) in {(name, "Status") for name in expected} | {
                    ("DescribeTasks", "TaskStatus")}
    assert next(p for p in actions["DescribeTasks"].params if p.name == "TaskStatus").enum == TASK.statuses
    # DescribeImages takes a comma list of them, in any case.
    assert _statuses(",".join(s.lower() for s in IMAGE.statuses)) == set(IMAGE.statuses)
    assert _statuses("ALL") is None


def test_a_status_changes_only_by_a_declared_move():
    with Database.open().transaction() as conn:
        conn.execute(insert(disk_table).values(
            id="d-1", account_id="1", region_id="cn-hangzhou", zone_id="cn-hangzhou-b", created_at=0.0,
            status="Creating", disk_type="data", category="cloud", size=20, delete_with_instance=False, portable=True))
        with pytest.raises(TypeError):
            assign(conn, disk_table, "d-1", status="Available", size=40)
        with pytest.raises(ValueError):
            move(conn, disk_table, DISK, "d-1", "Creating", "In_use")
        with pytest.raises(ValueError):  # every status it may be in must have the move
            move(conn, disk_table, DISK, "d-1", ("Creating", "Available"), "Available")
        assert conn.execute(select(disk_table.c.status, disk_table.c.size)).one() == ("Creating", 20)
        assert move(conn, disk_table, DISK, "d-1", "Creating", "Available")
        assert not move(conn, disk_table, DISK, "d-1", "Creating", "Available")  # compare-and-swap
