from pathlib import Path

from ecsemu.actions import coverage

DOC = Path(__file__).parent.parent.parent / "docs" / "coverage.md"


def test_coverage_doc_is_current():
    assert DOC.read_text() == coverage.render(), "docs/coverage.md is stale: run `make docs`"


def test_coverage_lists_every_action_of_each_product_in_its_section():
    from ecsemu.actions import all_products
    text = coverage.render()
    for product in all_products():
        heading = f"## {product.code.upper()} API {product.version}\n"
        assert text.count(heading) == 1
        section = text.split(heading, 1)[1].split("\n## ", 1)[0]
        assert [name for name in product.actions if f"\n#### {name}\n" not in section] == []


def test_every_declared_error_is_answered_somewhere():
    """The error center lists errors.ALL: each must be raised by some code."""
    import re
    from pathlib import Path

    from ecsemu import errors
    package = Path(errors.__file__).parent
    source = "\n".join(p.read_text() for p in package.rglob("*.py") if p.name != "errors.py")
    declared = [name for name, value in vars(errors).items() if isinstance(value, errors.ErrorCode)]
    assert [name for name in declared if not re.search(rf"errors\.{name}\b", source)] == []
