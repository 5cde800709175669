"""checklist-unknown: a checklist item that no evidence rule of the pack describes."""

from __future__ import annotations

from collections.abc import Iterator

from report_lint.checks._util import finding_at
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.evidence.checklist import checklist_verdicts
from report_lint.model import Report

NAME = "checklist-unknown"
SUMMARY = "A checklist item matches no evidence rule, so it cannot be checked against the repository."
HELP = (
    "report-lint recognises the template's checklist items by their module tag and key phrases. This "
    "item matches none of them - it was added or reworded beyond recognition - so its claim is not "
    "checked. Keep the template's wording (names or notes appended after it are fine)."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "* [x] Did some cool extra stuff"
HOW_TO_FIX = "Keep the template's wording of the item (notes appended after it are fine)."


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    for v in checklist_verdicts(ctx, report):
        if v.verdict != "unknown":
            continue
        yield finding_at(
            v.item.span,
            (
                f"no evidence rule matches this checklist item ('{_short(v.item.text)}'), "
                "so it is not checked against the repository"
            ),
            None,
        )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
