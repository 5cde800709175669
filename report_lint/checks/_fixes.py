"""Building the fixes rules offer with their findings: exact edits in the report model's positions.

Every edit is written against spans the parsed report already carries (a link's span, an image's
``dest``, a document line); nothing here parses text.  The fix engine (``report_lint.fixes``) maps the
positions onto the file as it is on disk, so line endings, a BOM and the bytes around are kept.
"""

from __future__ import annotations

import posixpath

from report_lint.diagnostic import Applicability, Edit, Fix
from report_lint.model import Report
from report_lint.parsing.nodes import Span

# characters a bare (unbracketed) destination cannot hold as they are; `<…>` can, except these
_NEEDS_BRACKETS = frozenset(" \t()")
_NEVER = frozenset("<>\n\r\\%?#\"'")


def insert(line: int, column: int, text: str) -> Edit:
    return Edit(line, column, line, column, text)


def delete_line(report: Report, number: int) -> Edit:
    """Remove document line ``number`` with its line break, and one blank line after it when a blank
    line (or the start of the file) is before it, so no double blank line is left behind."""
    lines = report.lines
    last = len(lines)  # a file ending in a newline has an empty last "line"
    blank = {n for n in (number - 1, number + 1) if 1 <= n <= last and not lines[n - 1].strip()}
    if number < last:
        end = number + 1
        before_blank = number == 1 or number - 1 in blank
        if end in blank and end < last and before_blank:
            end += 1  # the blank line after goes too: the one before (or the file's start) remains
        elif end == last and number > 1 and number - 1 in blank:
            return Edit(number - 1, 1, end, 1, "")  # at the file's end: no blank line left before it
        return Edit(number, 1, end, 1, "")
    # the very last line (no line break after it): take the break before it instead
    if number == 1:
        return Edit(1, 1, 1, len(lines[0]) + 1, "")
    return Edit(number - 1, len(lines[number - 2]) + 1, number, len(lines[number - 1]) + 1, "")


def written(report: Report, span: Span) -> str | None:
    """The text a one-line span covers, as the report writes it."""
    if span.line != span.end_line or span.end_column is None or not 1 <= span.line <= len(report.lines):
        return None
    return report.lines[span.line - 1][span.column - 1 : span.end_column - 1]


def destination(path: str, *, bracketed: bool) -> str | None:
    """How ``path`` (a report-relative POSIX path) is written as a link destination; None when it
    cannot be written without escapes (which would change what the reader sees in the source)."""
    if not path or any(c in _NEVER for c in path) or any(ord(c) < 32 for c in path):
        return None
    if bracketed or any(c in _NEEDS_BRACKETS for c in path):
        return f"<{path}>"
    return path


def rewrite_path(
    report: Report, dest: Span | None, new_path: str, title: str, applicability: Applicability
) -> Fix | None:
    """Replace the path written at ``dest`` by ``new_path``, keeping the writer's `<…>` and a leading
    ``./``; None when the written destination holds a query, a fragment or escapes (left alone)."""
    if dest is None:
        return None
    text = written(report, dest)
    if text is None:
        return None
    bracketed = text.startswith("<") and text.endswith(">") and len(text) >= 2
    inner = text[1:-1] if bracketed else text
    if not inner or any(c in _NEVER for c in inner):
        return None
    # keep how the path was led in (`./figures/x.png`) when only the rest changes
    prefix = ""
    if inner.startswith("./") and not new_path.startswith(("./", "../")):
        prefix = "./"
    shown = destination(prefix + new_path, bracketed=bracketed)
    if shown is None or shown == text or posixpath.normpath(prefix + new_path) == posixpath.normpath(inner):
        return None
    end = dest.column + len(text)
    return Fix(title, (Edit(dest.line, dest.column, dest.line, end, shown),), applicability)
