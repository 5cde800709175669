"""checklist-unclaimed: an unchecked checklist item the repository strongly suggests was done."""

from __future__ import annotations

from collections.abc import Iterator

from report_lint.checks._util import finding_at
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.evidence.checklist import checklist_verdicts
from report_lint.model import Report

NAME = "checklist-unclaimed"
SUMMARY = "An unchecked checklist item has strong evidence in the repository."
HELP = (
    "This item is not checked, but the repository contains clear signs that it was done (the message "
    "names them). If the group did it, check the item so it is credited; otherwise ignore this note."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "* [ ] Use logging to log important events in your code (M14)"
HOW_TO_FIX = "Check the item if the group did it; otherwise ignore the note."


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    for v in checklist_verdicts(ctx, report):
        if v.verdict != "unclaimed-evidence" or v.result is None:
            continue
        yield finding_at(v.item.span, f"not checked, but you may have done this: {v.result.found_text}", None)
