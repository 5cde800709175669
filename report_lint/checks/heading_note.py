"""heading-note: a note left on a question heading (``### Question 6 TODO``, ``### Question 4 [✔] Johan``).

Groups track their progress in the headings; the notes show in the hand-in, which staff grade.  The
heading itself still works for the course checker (``template-structure`` reports a renamed or
misnumbered one), so this is a warning of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from report_lint.checks._util import finding_at
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.model import QuestionSection, Report
from report_lint.parsing.nodes import Span

NAME = "heading-note"
SUMMARY = "A question heading carries a note after `Question N` (a to-do, a tick, a name)."
HELP = (
    "The template's headings are just `### Question N`. Notes added to them to track the work "
    "(`TODO`, `[x]`, `[✔] Anna`, `(done)`) are printed in the hand-in that staff grade: delete them "
    "once the answer is written, and keep the heading as the template has it."
)
EXAMPLE = "### Question 6 TODO (Anna)"
HOW_TO_FIX = "Delete the note so the heading reads exactly `### Question 6`."


def _note_span(report: Report, q: QuestionSection) -> Span:
    """Where the note is written on the heading line, else the whole heading."""
    line = q.heading.line
    if q.heading.end_line == line and 0 < line <= len(report.lines):
        raw = report.lines[line - 1]
        at = raw.rfind(q.heading_extra)
        if at >= 0:
            return Span(line, at + 1, line, at + 1 + len(q.heading_extra))
    return q.heading


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    if ctx.pack.structure.heading.canonical != "### Question {number}":
        return  # other templates write a title after the number: text there is no note
    for q in report.questions:
        note = q.heading_extra
        if not note:
            continue
        yield finding_at(
            _note_span(report, q),
            f"note `{note}` left on the heading of question {q.number} shows in the hand-in: "
            f"delete it so the heading reads `### Question {q.number}`",
            q.number,
        )
