"""checklist-unsupported: a checked checklist item with no evidence behind it in the repository."""

from __future__ import annotations

from collections.abc import Iterator

from report_lint.checks._util import finding_at
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.evidence.checklist import checklist_verdicts
from report_lint.model import Report

NAME = "checklist-unsupported"
SUMMARY = "A checked checklist item has no evidence in the repository."
HELP = (
    "The checklist says staff will check the repository. This item is checked, but report-lint found "
    "nothing in the repository's files that shows it (the message says what it looked for). Commit "
    "the files that show the work - ignored and untracked-but-ignored files do not count - or uncheck "
    "the item if it was not done. When the message names a file it could not read (invalid, nested too "
    "deeply, too large) or a key in the wrong place (`matrix:` beside `strategy:`), fix that file."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "* [x] Write unit tests related to the data part of your code (M16)"
HOW_TO_FIX = "Commit the files that show the work, or uncheck the item if it was not done."


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    for v in checklist_verdicts(ctx, report):
        if v.verdict != "unsupported" or v.rule is None or v.result is None:
            continue
        # a note names a file that is there but broken (unreadable, a key misplaced): fixing it may be all
        advice = (
            "fix the file named, commit what shows it, or uncheck the item"
            if v.result.notes
            else "commit what shows it or uncheck the item"
        )
        yield finding_at(
            v.item.span,
            f"checked, but the repository shows no sign of '{v.rule.title}': {v.result.missing}; {advice}",
            None,
        )
