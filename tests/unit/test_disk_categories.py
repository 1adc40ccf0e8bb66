"""Disk categories are written once, in catalog/disk_categories.py; the rest derive."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ecsemu.catalog import disk_categories as catalog
from ecsemu.domain import disks as rules

PACKAGE = Path(rules.__file__).parent.parent
HOME = PACKAGE / "catalog" / "disk_categories.py"


def _category_literals(path: Path) -> list[tuple[int, str]]:
    names = set(catalog.ALL_NAMES)
    if path.suffix == ".py":
        return [(node.lineno, node.value) for node in ast.walk(ast.parse(path.read_text()))
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names]
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    pattern = re.compile(rf"[\"'`]({alternatives})[\"'`]")
    return [(number, match.group(1)) for number, line in enumerate(path.read_text().splitlines(), 1)
            for match in pattern.finditer(line)]


def _sources():
    return sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".mjs", ".js", ".html")
                  and "__pycache__" not in p.parts)


def test_no_other_module_lists_category_names():
    found = {str(path.relative_to(PACKAGE)): hits for path in _sources()
             if path != HOME and (hits := _category_literals(path))}
    assert found == {}


def test_every_made_category_has_its_ranges_and_zones_advertise_made_ones():
    assert set(catalog.SYSTEM_DISK_CATEGORIES) <= set(rules.SYSTEM_CATEGORIES)
    assert set(catalog.DATA_DISK_CATEGORIES) <= set(rules.DATA_CATEGORIES)
    assert catalog.DEFAULT_DISK_CATEGORY in rules.DATA_CATEGORIES
    assert catalog.DEFAULT_INSTANCE_DISK_CATEGORY in rules.SYSTEM_CATEGORIES
    assert len(set(catalog.ALL_NAMES)) == len(catalog.ALL_NAMES)


@pytest.mark.parametrize("category, level, data, system", [
    ("cloud", None, (5, 2000), (20, 500)),
    ("cloud_efficiency", None, (20, 32768), (20, 2048)),
    ("cloud_ssd", None, (20, 32768), (20, 2048)),
    ("cloud_essd", "PL0", (1, 65536), (1, 2048)),
    ("cloud_essd", None, (20, 65536), (20, 2048)),
    ("cloud_essd", "PL2", (461, 65536), (461, 2048)),
    ("cloud_essd", "PL3", (1261, 65536), (1261, 2048)),
    ("cloud_auto", None, (1, 65536), (1, 2048)),
    ("cloud_essd_entry", None, (10, 32768), (20, 2048)),
])
def test_size_ranges(category, level, data, system):
    got_data, got_system = rules.data_size_range(category, level), rules.system_size_range(category, level)
    assert ((got_data.minimum, got_data.maximum), (got_system.minimum, got_system.maximum)) == (data, system)
