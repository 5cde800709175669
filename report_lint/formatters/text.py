"""``path:line:col: CODE [rule] severity: message`` lines, then a one-line summary."""

from __future__ import annotations

from typing import Any

from report_lint.diagnostic import Severity
from report_lint.result import LintResult


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _clean(text: str) -> str:
    # one diagnostic, one line: never let report text break the line structure
    return text.replace("\r", " ").replace("\n", " ")


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


def render(result: LintResult, **_: Any) -> str:
    lines = []
    for d in result.diagnostics:
        lines.append(
            f"{_clean(d.path)}:{d.line}:{d.column}: {d.code} [{d.rule}] {d.severity}: {_clean(d.message)}"
        )
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
