"""GitHub job summary (``$GITHUB_STEP_SUMMARY``): GitHub-flavoured markdown with every diagnostic.

Annotations are capped at 10 per severity per step; the summary is where *all* diagnostics are
listed: per report, a table of the questions (words, limit, images, status) and the full list of
diagnostics, each linked to its line when ``GITHUB_SERVER_URL``, ``GITHUB_REPOSITORY`` and
``GITHUB_SHA`` are set.  GitHub accepts at most 1 MiB per step: past ``max_bytes`` the list is cut
(least severe last) and a note says how many were left out.

Report text is untrusted: every piece of it (messages, paths) is escaped so that it renders as text,
never as markdown (no injected links, images, tables or HTML), and its control and bidi characters
are shown visibly (:func:`report_lint.formatters.github.sanitize`).  Printed with ``--format summary``
on a stream that lacks the icons, they read ``FAIL``, ``WARN``, ``INFO``, ``ok`` (see
:mod:`report_lint.safe_text`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import quote

from report_lint.annotate import ChangedLines, priority_order, touched
from report_lint.diagnostic import Diagnostic, Severity
from report_lint.formatters.github import sanitize, workspace_path
from report_lint.result import LintResult, QuestionStatus, ReportResult

SUMMARY_LIMIT = 1024 * 1024
ICONS = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&:@$=\"'^])")


def md_escape(text: str) -> str:
    """Plain text that renders as itself: one line, every markdown-active character escaped."""
    one_line = " ".join(sanitize(text).split())
    return _MD_SPECIAL.sub(r"\\\1", one_line)


def code_span(text: str) -> str:
    """Text shown as inline code, whatever backticks it holds."""
    one_line = " ".join(sanitize(text).split()).replace("|", "¦")
    fence = "`"
    while fence in one_line:
        fence += "`"
    pad = " " if one_line.startswith("`") or one_line.endswith("`") else ""
    return f"{fence}{pad}{one_line}{pad}{fence}"


def line_link(
    path: str, line: int, end_line: int | None = None, env: Mapping[str, str] | None = None
) -> str | None:
    """``…/blob/<sha>/<path>?plain=1#L<line>`` (``plain=1``: markdown files show line anchors)."""
    env = os.environ if env is None else env
    server = env.get("GITHUB_SERVER_URL", "").rstrip("/")
    repo = env.get("GITHUB_REPOSITORY", "")
    sha = env.get("GITHUB_SHA", "")
    if not (server and repo and sha):
        return None
    anchor = f"#L{line}" + (f"-L{end_line}" if end_line and end_line > line else "")
    # surrogateescape: a file name that is not UTF-8 is linked by its own bytes (`\xff` -> `%FF`)
    where = quote(path, safe="/", errors="surrogateescape")
    return f"{server}/{quote(repo)}/blob/{quote(sha)}/{where}?plain=1{anchor}"


def _link(text: str, url: str | None) -> str:
    return f"[{text}]({url})" if url else text


def _range(limit: tuple[int, int] | None) -> str:
    return "—" if limit is None else f"{limit[0]}–{limit[1]}"


def _status(q: QuestionStatus) -> str:
    if q.unfilled:
        return "⬜ unfilled"
    return "✅ pass" if q.passed else "❌ fail"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _counts(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> str:
    parts = [
        f"{ICONS[s]} {_plural(sum(1 for d in diagnostics if d.severity == s), str(s))}"
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    return ", ".join(parts)


def _report_header(result: LintResult, report: ReportResult, workspace: str, env: Mapping[str, str]) -> str:
    path = workspace_path(result, report.path, workspace)
    title = _link(code_span(path), line_link(path, 1, env=env))
    lines = [
        f"### {title}",
        "",
        f"Rules {code_span(report.rules)}, count mode {code_span(report.count_mode)}: "
        f"{_counts(report.diagnostics)}; "
        f"{report.questions_passed}/{len(report.questions)} questions pass.",
        "",
    ]
    if report.expected_questions is not None and report.expected_questions != len(report.questions):
        lines += [
            f"The template has {report.expected_questions} questions; {len(report.questions)} were found.",
            "",
        ]
    if report.questions:
        lines += [
            "| Question | Words | Word limit | Images | Image limit | Status |",
            "|---:|---:|:---:|---:|:---:|:---|",
        ]
        for q in report.questions:
            number = _link(q.name, line_link(path, q.line, env=env))
            lines.append(
                f"| {number} | {q.words} | {_range(q.word_limit)} | {q.images} | "
                f"{_range(q.image_limit)} | {_status(q)} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def _diagnostic_item(
    result: LintResult,
    d: Diagnostic,
    workspace: str,
    env: Mapping[str, str],
    changed_lines: ChangedLines | None,
) -> str:
    path = workspace_path(result, d.path, workspace)
    where = _link(code_span(f"{path}:{d.line}:{d.column}"), line_link(path, d.line, d.end_line, env))
    mark = " *(changed in this pull request)*" if touched(d, changed_lines) else ""
    return (
        f"- {ICONS[d.severity]} {where} **{md_escape(d.code)}** {code_span(d.rule)}: "
        f"{md_escape(d.message)}{mark}\n"
    )


def render(
    result: LintResult,
    *,
    workspace: str = ".",
    env: Mapping[str, str] | None = None,
    changed_lines: ChangedLines | None = None,
    max_bytes: int = SUMMARY_LIMIT,
) -> str:
    """The job summary; at most ``max_bytes`` bytes of UTF-8 (pass what is left of the step's 1 MiB)."""
    env = os.environ if env is None else env
    all_diags = result.diagnostics
    head = ["## report-lint\n\n"]
    if not result.reports:
        head.append("No report was checked.\n")
    else:
        head.append(f"{_plural(len(result.reports), 'report')}: {_counts(all_diags)}.\n\n")
    for report in result.reports:
        head.append(_report_header(result, report, workspace, env))
    text = "".join(head)
    if not all_diags:
        text += "No problems found.\n"
        return _clip(text, max_bytes)

    ordered = priority_order(all_diags)
    title = f"#### Diagnostics ({len(ordered)})\n\n"
    used = len(text.encode()) + len(title.encode())
    reserve = 300  # for the truncation note
    items: list[str] = []
    for i, d in enumerate(ordered):
        item = _diagnostic_item(result, d, workspace, env, changed_lines)
        size = len(item.encode())
        if used + size + reserve > max_bytes:
            left = ordered[i:]
            are = "is" if len(left) == 1 else "are"
            note = (
                f"\n**{_plural(len(left), 'more diagnostic')} {are} not listed** ({_counts(left)}): "
                "GitHub keeps at most 1 MiB of job summary per step. Run `report-lint check` locally to see "
                "them all.\n"
            )
            return _clip(text + title + "".join(items) + note, max_bytes)
        items.append(item)
        used += size
    return _clip(text + title + "".join(items), max_bytes)


def _clip(text: str, max_bytes: int) -> str:
    """A last resort when even the tables exceed the budget: cut on a line boundary."""
    data = text.encode()
    if len(data) <= max_bytes:
        return text
    note = "\n\n**Summary cut: GitHub keeps at most 1 MiB per step.**\n"
    cut = data[: max(0, max_bytes - len(note.encode()))].decode("utf-8", "ignore")
    cut = cut[: cut.rfind("\n") + 1] if "\n" in cut else ""
    return cut + note
