"""handin-cut: the hand-in export's blind cut eats the group's own text.

The course's export drops the first ``handin.skip_chars`` characters of README.md (43, meant for the 2023
template's front matter) for every report.  Eating (part of) the template's own first lines is the
course's business and never reported; eating anything else (a report that starts at its own title or at
``## Group information``) loses the group's text on the page staff grade.
"""

from __future__ import annotations

from collections.abc import Iterator

from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.model import Report
from report_lint.source import LineIndex

NAME = "handin-cut"
SUMMARY = "The hand-in export drops the report's first characters, and here they are the group's own text."
HELP = (
    "The course builds the page staff grade from `README.md` minus its first 43 characters (meant for the "
    "2023 template's front matter). If your file does not start with the template's own first lines, "
    "that cut removes your own text. Put the template's title line back at the top of the file."
)
EXAMPLE = "## Group information\n\n### Question 1\n..."
HOW_TO_FIX = "Start the file with the template's own title line, so the 43-character cut only removes that."


def _folded(text: str) -> str:
    return " ".join(text.split())


def harmless(removed: str, heads: list[str]) -> bool:
    """Only blanks, or (the start of) one of the template's own heads; spacing does not matter."""
    folded = _folded(removed)
    return not folded or any(_folded(head).startswith(folded) for head in heads)


def _shown(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    spec = ctx.pack.handin
    if spec is None or spec.skip_chars == 0:
        return
    # The export reads the file as Python's text mode does (``open().read()``, UTF-8): newlines are
    # universal, as in ``report.text``, but a byte-order mark is kept and is one of the cut characters.
    bom = "\ufeff" if report.had_bom else ""
    exported = bom + report.text
    removed = exported[: spec.skip_chars]
    own = removed[len(bom) :]  # the part of the text we parsed that the cut removes
    if harmless(own, list(spec.template_heads)):
        return
    index = LineIndex(report.text)
    cut_at = len(own)  # where the hand-in starts, as an offset into report.text
    last_line = index.line(max(cut_at - 1, 0))
    rest = exported[spec.skip_chars :]
    starts = rest.split()[0] if rest.split() else ""
    # the headings that start before the cut: lost whole, or left without their `#` marks
    lost = [
        report.lines[b.span.line - 1].strip()
        for b in report.blocks
        if b.type == "heading" and index.offset(b.span.line) + b.span.column - 1 < cut_at
    ]
    if starts and not rest[:1].isspace() and cut_at > 0 and not own[-1:].isspace():
        where = f"the hand-in starts mid-word at `{_shown(starts)}`"
    elif starts:
        where = f"the hand-in starts at `{_shown(starts)}`"
    else:
        where = "nothing is left of the hand-in"
    if lost:
        named = " and ".join(f"`{_shown(h)}`" for h in lost[:3])
        what = f"your {named} {'heading is' if len(lost) == 1 else 'headings are'} cut"
    else:
        what = f"your text `{_shown(own)}` is cut"
    counted = " (the byte-order mark at the start of the file is one of them)" if bom else ""
    yield Finding(
        1,
        1,
        last_line,
        f"the course's hand-in export drops the first {spec.skip_chars} characters of the file{counted}: "
        f"{where} — {what}; start the file with the template's title line "
        "`# Exam template for 02476 Machine Learning Operations` so the cut only takes that",
        None,
    )
