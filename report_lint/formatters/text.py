"""``path:line:col: CODE [rule] severity: message`` lines, then a one-line summary.

For a terminal: every piece of report text (path, message) is neutralised with
:func:`report_lint.safe_text.one_line` — one diagnostic stays one line and no control or bidi
character reaches the terminal raw — and colour (``style``) is added only afterwards.
"""

from __future__ import annotations

from typing import Any

from report_lint.diagnostic import Severity
from report_lint.result import LintResult
from report_lint.safe_text import one_line
from report_lint.terminal import Style


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(result: LintResult) -> str:
    parts = []
    for report in result.reports:
        if report.expected_questions:
            total = max(report.expected_questions, len(report.questions))
            parts.append(f"{report.questions_passed}/{total} questions pass")
    parts.append(_plural(result.count(Severity.ERROR), "error"))
    parts.append(_plural(result.count(Severity.WARNING), "warning"))
    parts.append(_plural(result.count(Severity.INFO), "info"))
    return " · ".join(parts)


def render(result: LintResult, *, style: Style | None = None, **_: Any) -> str:
    style = style or Style()
    lines = []
    for d in result.diagnostics:
        where = style.bold(f"{one_line(d.path)}:{d.line}:{d.column}:")
        severity = style.severity(f"{d.severity}:", str(d.severity))
        lines.append(f"{where} {one_line(d.code)} [{one_line(d.rule)}] {severity} {one_line(d.message)}")
    lines.append(style.bold(summary_line(result)))
    return "\n".join(lines) + "\n"
