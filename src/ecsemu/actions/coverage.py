"""docs/coverage.md, generated from the action declarations.

    python -m ecsemu.actions.coverage > docs/coverage.md   (or: make docs)

A test fails when the committed file differs from what this prints.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from . import all_products
from .declaration import Action
from .params import Kind, Param


def render() -> str:
    products = all_products()
    lines = [
        "# Coverage",
        "",
        "Actions and parameters that ecsemu answers, a section per product (each at its own API",
        "version, on the same endpoint). Generated from the action declarations by",
        "`python -m ecsemu.actions.coverage`; do not edit by hand.",
        "Parameters not listed are accepted and ignored, as the real gateway ignores unknown ones",
        "(this includes `OwnerId`, `OwnerAccount`, `ResourceOwnerId` and `ResourceOwnerAccount`).",
        "",
        ", ".join(f"{product.code.upper()}: {len(product.actions)} actions" for product in products) + ".",
        "",
    ]
    for product in products:
        lines += product_section(product.code, product.version, product.actions.values())
    return "\n".join(lines).rstrip() + "\n"


def product_section(code: str, version: str, actions: Iterable[Action]) -> list[str]:
    """One product's part of the page: its families, each action under ``#### Name``."""
    families: dict[str, list[Action]] = defaultdict(list)
    for action in actions:
        families[action.family].append(action)
    lines = [f"## {code.upper()} API {version}", ""]
    for family in sorted(families):
        lines += [f"### {family}", ""]
        for action in sorted(families[family], key=lambda a: a.name):
            lines += _action_section(action)
    return lines


def _action_section(action: Action) -> list[str]:
    lines = [f"#### {action.name}", "", action.summary, ""]
    if action.params:
        lines += ["| Parameter | Type | Required | Default | Values |", "|---|---|---|---|---|"]
        for param in action.params:
            lines += _param_rows(param, "", param.required)
        lines.append("")
    else:
        lines += ["No parameters.", ""]
    codes = action.error_codes()
    if codes:
        lines.append("Errors: " + ", ".join(f"`{c.code}` ({c.status})" for c in codes) + ".")
        lines.append("")
    return lines


def _param_rows(param: Param, prefix: str, required: bool) -> list[str]:
    if param.kind is Kind.OBJECT:
        return [row for f in param.fields for row in _param_rows(f, f"{prefix}{param.name}.", f.required)]
    if param.kind is Kind.OBJECT_LIST:
        return [row for f in param.fields for row in _param_rows(f, f"{prefix}{param.name}.N.", f.required)]
    name = f"{prefix}{param.name}" + (".N" if param.kind is Kind.LIST else "")
    type_name = param.type.value
    if param.kind is Kind.JSON_ARRAY:
        type_name = f"JSON array of {type_name}"
    elif param.kind is Kind.LIST:
        type_name = f"list of {type_name}"
    default = "" if param.default is None else f"`{_literal(param.default)}`"
    return [f"| `{name}` | {type_name} | {'yes' if required else ''} | {default} | {_values(param)} |"]


def _values(param: Param) -> str:
    notes = []
    if param.enum is not None:
        shown = param.enum if len(param.enum) <= 8 else (*param.enum[:8], "…")
        notes.append(", ".join(f"`{v}`" if v != "…" else v for v in shown))
    if param.minimum is not None or param.maximum is not None:
        notes.append(f"{_bound(param.minimum)}–{_bound(param.maximum)}")
    if param.min_length is not None or param.max_length is not None:
        notes.append(f"length {_bound(param.min_length)}–{_bound(param.max_length)}")
    if param.max_items is not None:
        notes.append(f"at most {param.max_items} items")
    return "; ".join(notes)


def _bound(value: int | None) -> str:
    return "" if value is None else str(value)


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


if __name__ == "__main__":
    print(render(), end="")
