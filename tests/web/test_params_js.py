"""The explorer's form checks (static/params.mjs) answer what the server's parameter
parsing answers: for every action, good values and each kind of bad one, the first refusal
(code, HTTP status, message) is the same in JavaScript as in Python."""

from __future__ import annotations

import json

from ecsemu.actions import all_actions, all_products
from ecsemu.actions.params import Kind, Param, Type
from ecsemu.errors import EcsError
from ecsemu.web.description import describe


def good(param: Param) -> str:
    """A value the parameter takes."""
    if param.enum:
        return param.enum[0]
    if param.type in (Type.INTEGER, Type.LONG):
        return str(param.minimum if param.minimum is not None else param.maximum if param.maximum is not None else 1)
    if param.type is Type.BOOLEAN:
        return "true"
    if param.type is Type.FLOAT:
        return "1.5"
    return "x" * max(param.min_length or 1, 1)


def bad_values(param: Param) -> list[str]:
    """Values of a scalar that a check refuses, and some it lets through."""
    values = []
    if param.type in (Type.INTEGER, Type.LONG):
        values += ["abc", "1.5", "99999999999999999999", "-0", "007"]
        if param.minimum is not None:
            values.append(str(param.minimum - 1))
        if param.maximum is not None:
            values.append(str(param.maximum + 1))
    if param.type is Type.BOOLEAN:
        values += ["yes", "TRUE", "False"]
    if param.enum:
        values += ["nope", param.enum[-1].upper()]
    if param.max_length is not None:
        values += ["é" * param.max_length, "x" * (param.max_length + 1)]
    if param.min_length is not None:
        values.append("x" * max(param.min_length - 1, 0) or "")
    return values


def good_wire(param: Param, prefix: str = "") -> dict[str, str]:
    name = prefix + param.name
    if param.kind is Kind.SCALAR:
        return {name: good(param)}
    if param.kind is Kind.JSON_ARRAY:
        return {name: json.dumps([good(param)])}
    if param.kind is Kind.LIST:
        return {f"{name}.1": good(param)}
    if param.kind is Kind.OBJECT:
        return {k: v for f in param.fields for k, v in good_wire(f, f"{name}.").items()}
    return {k: v for f in param.fields for k, v in good_wire(f, f"{name}.1.").items()}


def bad_wires(param: Param, prefix: str = "") -> list[dict[str, str | None]]:
    """Changes to a good request, each making this parameter wrong (None removes a key)."""
    name = prefix + param.name
    changes: list[dict[str, str | None]] = []
    if param.required:
        changes.append({key: None for key in good_wire(param, prefix)})
    if param.kind is Kind.SCALAR:
        changes += [{name: value} for value in bad_values(param)]
    elif param.kind is Kind.JSON_ARRAY:
        changes += [{name: "["}, {name: "{}"}, {name: "[]"}, {name: '"d-1"'}, {name: "[1, true, null]"}]
        changes += [{name: json.dumps([value])} for value in bad_values(param)]
        if param.max_items is not None:
            changes.append({name: json.dumps([good(param)] * (param.max_items + 1))})
    elif param.kind is Kind.LIST:
        changes += [{f"{name}.x": good(param)}, {f"{name}.0": good(param)}, {f"{name}.2": ""},
                    {f"{name}.3": good(param), f"{name}.1": None}]
        changes += [{f"{name}.1": value} for value in bad_values(param)]
        if param.max_items is not None:
            changes.append({f"{name}.{param.max_items + 1}": good(param)})
    else:
        inner = f"{name}." if param.kind is Kind.OBJECT else f"{name}.1."
        for member in param.fields:
            changes += bad_wires(member, inner)
        if param.kind is Kind.OBJECT_LIST:
            field = param.fields[0].name
            changes += [{f"{name}.x.{field}": "1"}, {f"{name}.2": "1"}]
            if param.max_items is not None:
                changes.append({f"{name}.{param.max_items + 1}.{field}": good(param.fields[0])})
    return changes


def cases():
    found = []
    for action in all_actions().values():
        base = {k: v for p in action.params if p.required for k, v in good_wire(p).items()}
        full = {k: v for p in action.params for k, v in good_wire(p).items()}
        found += [(action, {}), (action, base), (action, full)]
        for param in action.params:
            for change in bad_wires(param):
                raw = dict(full)
                for key, value in change.items():
                    if value is None:
                        raw.pop(key, None)
                    else:
                        raw[key] = value
                found.append((action, raw))
    return found


def python_answer(action, raw):
    try:
        action.parse(raw)
    except EcsError as error:
        return [error.code, error.status, error.message]
    return None


def test_the_form_refuses_what_the_server_refuses(node_js):
    found = cases()
    api = describe(all_products())
    answers = node_js("""
    import { check } from './static/params.mjs';
    import { readFileSync } from 'node:fs';
    const { api, cases } = JSON.parse(readFileSync(0, 'utf8'));
    console.log(JSON.stringify(cases.map(([name, raw]) => {
      const refusals = check(api.actions[name], raw, api.errors, api.missing);
      return refusals.length ? [refusals[0].code, refusals[0].status, refusals[0].message] : null;
    })));
    """, {"api": api, "cases": [[action.name, raw] for action, raw in found]})
    assert len(found) > 700
    refused = 0
    for (action, raw), answer in zip(found, answers, strict=True):
        expected = python_answer(action, raw)
        assert answer == expected, (action.name, raw)
        refused += expected is not None
    assert refused > len(found) // 2
