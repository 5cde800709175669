"""docs/evidence-rules.md is generated from the pack and committed up to date."""

from __future__ import annotations

from report_lint.evidence.builtin import load_checklist
from report_lint.evidence.doctable import default_output, render


def test_committed_table_is_up_to_date() -> None:
    expected = render(load_checklist())
    assert default_output().read_text(encoding="utf-8") == expected, (
        "docs/evidence-rules.md is stale: run python -m report_lint.evidence.doctable"
    )


def test_every_rule_has_a_row() -> None:
    text = render(load_checklist())
    for rule in load_checklist().rules:
        assert f"(`{rule.id}`)" in text
