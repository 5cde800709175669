"""``path:line:col: CODE [rule] severity: message`` lines, then a one-line summary.

For a terminal: every piece of report text (path, message, a quoted source line) is neutralised with
:mod:`report_lint.safe_text` — one diagnostic stays one line and no control or bidi character reaches
the terminal raw — and colour (``style``) is added only afterwards.

Paths are shown relative to ``cwd`` (as ruff does: ``../../reports/README.md`` from ``src/pkg/``);
the machine formats keep repository-relative paths.  ``quiet`` keeps only errors and drops the
summary; ``statistics`` prints one count per rule instead of the diagnostics; ``sources`` (the
report's lines, by repository-relative path) adds the offending line with a caret under the column.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from report_lint.diagnostic import Diagnostic, Severity
from report_lint.result import LintResult, ReportResult
from report_lint.safe_text import one_line, visible
from report_lint.terminal import Style

TAB_STOP = 4  # a tab in a quoted source line becomes spaces up to the next multiple of this


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def pack_note(report: ReportResult) -> str:
    """Which pack linted the report and how it was chosen; says so when detection found no good fit."""
    if report.pack_matched_well is False:
        return f"no template matched well; tried {report.rules} ({report.pack_chosen_by})"
    return f"pack {report.rules} ({report.pack_chosen_by})"


def summary_line(result: LintResult) -> str:
    parts = []
    for report in result.reports:
        if report.expected_questions:
            total = max(report.expected_questions, len(report.questions))
            parts.append(f"{report.questions_passed}/{total} questions pass")
    parts.append(_plural(result.count(Severity.ERROR), "error"))
    parts.append(_plural(result.count(Severity.WARNING), "warning"))
    parts.append(_plural(result.count(Severity.INFO), "info"))
    parts += fixable_notes(result.diagnostics)
    notes = list(dict.fromkeys(pack_note(r) for r in result.reports))  # once each, in report order
    return " · ".join(parts + [one_line(n) for n in notes])


def fixable_notes(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """How many of the problems ``--fix`` would fix (and how many more ``--unsafe-fixes``), as ruff
    says "[*] 3 fixable with the --fix option"; nothing when none is fixable."""
    safe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == "safe")
    unsafe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == "unsafe")
    notes = [f"{safe} fixable with --fix"] if safe else []
    if unsafe:
        notes.append(
            f"{unsafe} more with --unsafe-fixes" if safe else f"{unsafe} fixable with --unsafe-fixes"
        )
    return notes


def fixed_line(fixed: int, remaining: int) -> str:
    """After ``--fix``: "Fixed 3 problems, 5 remaining." """
    return f"Fixed {_plural(fixed, 'problem')}, {remaining} remaining."


def display_path(result: LintResult, path: str, cwd: Path | None) -> str:
    """``path`` (relative to the repository root) as seen from ``cwd``, '/'-separated."""
    if cwd is None:
        return path
    try:
        rel = os.path.relpath(os.path.join(result.repo_root, path), cwd)
    except ValueError:  # another drive on Windows
        return path
    return rel.replace(os.sep, "/")


def _width(text: str) -> int:
    """Terminal cells: East Asian wide characters take two, combining marks none."""
    cells = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        cells += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return cells


def source_excerpt(line: str, column: int, end_column: int | None) -> tuple[str, int, int]:
    """The line as shown (tabs expanded, controls escaped) and the caret's start cell and width.

    ``column``/``end_column`` count code points of the raw line (``end_column`` exclusive); the
    caret is placed by the cells each shown piece takes, so it stays under the column after a tab,
    a wide character or an escaped control.
    """
    shown: list[str] = []
    cells = 0
    start = end = None
    for index, char in enumerate(line):
        if index == column - 1:
            start = cells
        if end_column is not None and index == end_column - 1:
            end = cells
        piece = " " * (TAB_STOP - cells % TAB_STOP) if char == "\t" else visible(char)
        shown.append(piece)
        cells += _width(piece)
    if start is None:  # at or past the end of the line (a missing piece is reported there)
        start = cells
    if end is None:
        end = cells
    return "".join(shown), start, max(1, end - start)


def _source_lines(d: Diagnostic, lines: Sequence[str], style: Style, gutter: int) -> list[str]:
    if not 1 <= d.line <= len(lines):
        return []
    end_column = d.end_column if d.end_line == d.line else None
    text, start, width = source_excerpt(lines[d.line - 1], d.column, end_column)
    number = str(d.line).rjust(gutter)
    blank = " " * gutter
    caret = style.severity("^" * width, str(d.severity))
    return [f"{number} | {text}".rstrip(), f"{blank} | {' ' * start}{caret}"]


def statistics(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """``count  CODE  rule`` per rule, most frequent first, then by code (as ``ruff --statistics``)."""
    counts = Counter((d.code, d.rule) for d in diagnostics)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if not rows:
        return []
    count_width = max(len(str(n)) for _, n in rows)
    code_width = max(len(one_line(code)) for (code, _), _ in rows)
    return [
        f"{str(n).rjust(count_width)}  {one_line(code).ljust(code_width)}  {one_line(rule)}"
        for (code, rule), n in rows
    ]


def render(
    result: LintResult,
    *,
    style: Style | None = None,
    cwd: Path | None = None,
    quiet: bool = False,
    show_statistics: bool = False,
    sources: Mapping[str, Sequence[str]] | None = None,
    fixed: tuple[int, int] | None = None,
    **_: Any,
) -> str:
    style = style or Style()
    diagnostics = [d for d in result.diagnostics if not quiet or d.severity == Severity.ERROR]
    lines: list[str] = []
    if show_statistics:
        lines.extend(statistics(diagnostics))
    else:
        paths: dict[str, str] = {}
        gutter = len(str(max((d.line for d in diagnostics), default=1)))
        for d in diagnostics:
            if d.path not in paths:
                paths[d.path] = one_line(display_path(result, d.path, cwd))
            where = style.bold(f"{paths[d.path]}:{d.line}:{d.column}:")
            severity = style.severity(f"{d.severity}:", str(d.severity))
            lines.append(f"{where} {one_line(d.code)} [{one_line(d.rule)}] {severity} {one_line(d.message)}")
            if sources is not None and d.path in sources:
                lines.extend(_source_lines(d, sources[d.path], style, gutter))
    if not quiet:
        lines.append(style.bold(summary_line(result)))
        if fixed is not None:
            lines.append(fixed_line(*fixed))
    return "\n".join(lines) + ("\n" if lines else "")
