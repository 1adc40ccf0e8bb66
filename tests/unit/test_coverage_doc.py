from pathlib import Path

from ecsemu.actions import coverage

DOC = Path(__file__).parent.parent.parent / "docs" / "coverage.md"


def test_coverage_doc_is_current():
    assert DOC.read_text() == coverage.render(), "docs/coverage.md is stale: run `make docs`"


def test_coverage_lists_every_action():
    from ecsemu.actions import all_actions
    text = coverage.render()
    assert all(f"### {name}" in text for name in all_actions())
