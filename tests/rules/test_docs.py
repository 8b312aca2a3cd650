"""docs/rules.md is generated from the registry; it must not fall out of date."""

from __future__ import annotations

from tests.conftest import PROJECT_ROOT

from xsfabric.report.rules import render_rules_markdown


def test_rules_doc_is_current() -> None:
    doc = (PROJECT_ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert doc == render_rules_markdown(), (
        "docs/rules.md is stale: python -m xsfabric.report.rules > docs/rules.md"
    )
