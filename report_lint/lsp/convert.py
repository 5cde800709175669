"""Our diagnostics and question statuses in LSP's terms: ranges, severities, codes, links, hover text.

Data flows one way here too: the lint result is final; this module only translates it (it never decides
a severity or re-reads the report).
"""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types

from report_lint.diagnostic import Diagnostic, Fix, Severity
from report_lint.lsp.positions import Encoding, LineIndex
from report_lint.result import QuestionStatus, ReportResult

SOURCE = "report-lint"
SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# control characters and bidirectional overrides from the report's text would otherwise reach the
# editor's problem list as they are (an invisible override can reorder what the student reads)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with every control or bidi character written as ``\\uXXXX``."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def default_rules_doc() -> str | None:
    """The rules table of this installation's README (``README.md#rules``), if it ships one.

    The rules have no per-rule documentation page yet: every code links to the one table that lists
    them all (code, default severity, what each finds).  A wheel install has no README on disk, so it
    gets no link unless the client passes ``initializationOptions.rulesDocUrl``.
    """
    readme = Path(__file__).resolve().parents[2] / "README.md"
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return None
    # site-packages/README.md could be anyone's: only our own README, with its rules table, counts
    if not text.startswith("# report-lint\n") or "\n### Rules\n" not in text:
        return None
    return readme.as_uri() + "#rules"


def to_lsp(
    diagnostic: Diagnostic, index: LineIndex, encoding: Encoding, doc_url: str | None
) -> types.Diagnostic:
    start, end = index.range(
        diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column, encoding
    )
    return types.Diagnostic(
        range=types.Range(
            start=types.Position(line=start[0], character=start[1]),
            end=types.Position(line=end[0], character=end[1]),
        ),
        message=visible(diagnostic.message),
        severity=SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        code_description=types.CodeDescription(href=doc_url) if doc_url else None,
        source=SOURCE,
        # the rule name travels with the diagnostic: where code actions will find which rule to ask
        data={"rule": diagnostic.rule, "question": diagnostic.question},
    )


def _limit(value: int, limit: tuple[int, int] | None) -> str:
    if limit is None:
        return ""
    mark = "✓" if limit[0] <= value <= limit[1] else "✗"
    return f", limit {limit[0]}–{limit[1]} {mark}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def hover_text(status: QuestionStatus, result: ReportResult) -> str:
    """The hover of a question heading: "Q14: 209 words, limit 200–300 ✓; images 1, limit 1–3 ✓",
    then the verdict and the count mode.

    The numbers are the lint result's, the same the summary table and ``--format json`` show.
    """
    q = status.number
    first = (
        f"Q{status.name}: {_plural(status.words, 'word')}{_limit(status.words, status.word_limit)}; "
        f"images {status.images}{_limit(status.images, status.image_limit)}"
    )
    errors = [d for d in result.diagnostics if d.question == q and d.severity == Severity.ERROR]
    if status.unfilled:
        verdict = "unfilled: the answer is empty"
    elif status.passed:
        verdict = "passes"
    elif errors:
        rules = ", ".join(sorted({d.rule for d in errors}))
        verdict = f"fails: {_plural(len(errors), 'error')} ({rules})"
    else:
        verdict = "fails: outside the limit"
    other = "prose" if result.count_mode == "official" else "official"
    counted = f"{result.count_mode} count" + (
        f" ({other} count: {status.other_words})" if status.other_words != status.words else ""
    )
    # two lines in markdown: a hard break, not a paragraph, keeps the hover small
    return f"{first}  \n{verdict} · {counted}"


def question_at(result: ReportResult, line: int) -> QuestionStatus | None:
    """The question whose heading is on our 1-based ``line``."""
    return next((q for q in result.questions if q.line == line and q.line > 0), None)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    """Whether two ranges share a position (touching counts: a cursor at a diagnostic's end is on it)."""
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and (
        b.start.line,
        b.start.character,
    ) <= (a.end.line, a.end.character)


def fix_title(diagnostic: Diagnostic, fix: Fix) -> str:
    """ "report-lint: add the missing `!` (RL202)"; an unsafe fix says so first, as ruff's editors do."""
    unsafe = "(unsafe) " if fix.applicability == "unsafe" else ""
    return f"report-lint: {unsafe}{visible(fix.title)} ({visible(diagnostic.code)})"


def code_actions(
    result: ReportResult,
    index: LineIndex,
    encoding: Encoding,
    uri: str,
    version: int | None,
    wanted: types.Range,
    doc_url: str | None = None,
    versioned: bool = True,
) -> list[types.CodeAction]:
    """A quick fix for each fix of a diagnostic that touches ``wanted`` (the cursor or a selection):
    the same edits ``report-lint check --fix`` applies, as a workspace edit of this document."""
    actions = []
    for diagnostic in result.diagnostics:
        fix = diagnostic.fix
        if fix is None:
            continue
        published = to_lsp(diagnostic, index, encoding, doc_url)
        if not _overlaps(published.range, wanted):
            continue
        edits = []
        for edit in fix.edits:
            start, end = index.range(edit.line, edit.column, edit.end_line, edit.end_column, encoding)
            edits.append(
                types.TextEdit(
                    range=types.Range(
                        start=types.Position(line=start[0], character=start[1]),
                        end=types.Position(line=end[0], character=end[1]),
                    ),
                    new_text=edit.content,
                )
            )
        if versioned:  # the client refuses the edit if the buffer moved on since the lint
            change = types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                        edits=edits,
                    )
                ]
            )
        else:
            change = types.WorkspaceEdit(changes={uri: edits})
        actions.append(
            types.CodeAction(
                title=fix_title(diagnostic, fix),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[published],
                is_preferred=fix.applicability == "safe",
                edit=change,
            )
        )
    return actions
