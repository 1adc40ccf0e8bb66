from pathlib import Path

from ecsemu.actions import coverage

DOC = Path(__file__).parent.parent.parent / "docs" / "coverage.md"


def test_coverage_doc_is_current():
    assert DOC.read_text() == coverage.render(), "docs/coverage.md is stale: run `make docs`"


def test_coverage_lists_every_action():
    from ecsemu.actions import all_actions
    text = coverage.render()
    assert all(f"### {name}" in text for name in all_actions())


def test_every_declared_error_is_answered_somewhere():
    """The error center lists errors.ALL: each must be raised by some code."""
    import re
    from pathlib import Path

    from ecsemu import errors
    package = Path(errors.__file__).parent
    source = "\n".join(p.read_text() for p in package.rglob("*.py") if p.name != "errors.py")
    declared = [name for name, value in vars(errors).items() if isinstance(value, errors.ErrorCode)]
    assert [name for name in declared if not re.search(rf"errors\.{name}\b", source)] == []
