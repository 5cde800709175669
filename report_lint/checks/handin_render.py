"""handin-render: what staff's hand-in page shows differently from GitHub.

Staff grade the page the course's export makes (the pack's ``handin:``: for DTU, ``text[43:]`` rendered
by Python-Markdown with no extensions); students look at GitHub.  Each answer is rendered both ways and
compared structurally (``report_lint.handin``); every difference is reported at its source line with what
staff will see and a fix that works on both.  Images are also resolved both ways: the hand-in holds only
the report's folder, so a figure outside it (``../figures/x.png``, ``/figures/x.png``) shows on GitHub only.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from report_lint.checks._util import lookup, report_dir, resolve
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding, Severity
from report_lint.handin.analysis import AnswerRendering, analyse
from report_lint.handin.compare import Difference
from report_lint.handin.structure import Elem
from report_lint.model import Report

NAME = "handin-render"
SUMMARY = "The course's hand-in page (what staff grade) shows this part of an answer differently from GitHub."
HELP = (
    "Staff do not grade your report on GitHub: the course renders README.md with Python-Markdown, which "
    "needs a blank line before a list, 4 spaces to nest a list item, and knows no fenced code blocks, "
    "tables, task boxes, strikethrough or bare-URL links. Each finding says what staff will see and how to "
    "write it so both show the same. `report-lint preview --compare` shows the two side by side."
)
EXAMPLE = "> Answer:\n\nWe used three tools:\n- ruff\n- mypy\n- pytest"
HOW_TO_FIX = (
    "Write it so both renderers agree: a blank line before a list, 4-space indentation for nested "
    "items, code indented by 4 spaces instead of a fence, plain lists instead of tables."
)

CACHE_KEY = "handin.analysis"


def analysis(ctx: CheckContext, report: Report) -> list[AnswerRendering]:
    """The answers rendered both ways, once per report (the preview page reads the same)."""
    cached = ctx.cache.get(CACHE_KEY)
    if cached is None:
        spec = ctx.pack.handin
        cached = analyse(report, tuple(spec.extensions) if spec else ())
        ctx.cache[CACHE_KEY] = cached
    return list(cached)


def _source(report: Report, line: int) -> str:
    return report.lines[line - 1] if 0 < line <= len(report.lines) else ""


def _shown(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count_items(elem: Elem) -> int:
    return len(elem.children)


def _list_message(report: Report, diff: Difference, elem: Elem) -> str:
    count = _count_items(elem)
    n = "item" if count == 1 else f"{count} items"
    these = "this" if count == 1 else "these"
    first = _source(report, elem.line).lstrip()
    above = _source(report, elem.line - 1)
    nested = elem.depth > 0
    if nested and diff.absorbed:
        return (
            f"staff see {these} {n} flattened into the outer list, not nested: the hand-in nests list items "
            "only when they are indented by 4 spaces; indent them by 4 spaces (GitHub nests them too)"
        )
    if nested:
        return (
            f"staff see {these} nested {n} as text of the item above, not as a list: indent them by "
            "4 spaces and keep a blank line before them"
        )
    if first[:1].isdigit() and first.split(" ", 1)[0].endswith(")"):
        return (
            f"staff see {these} {n} as one paragraph: the hand-in only numbers lists written `1.`, "
            "not `1)`; write `1.` and keep a blank line before the list"
        )
    if above.strip():
        return (
            f"staff see {these} {n} as one paragraph with the text above (the hand-in needs a blank line "
            "before a list): add a blank line before the list"
        )
    return (
        f"staff do not see {these} {n} as a list: keep a blank line before the list and start items with `- `"
    )


# `(text)[address]`: a Markdown link with its two halves swapped, which GitHub shows as text with the bare
# address autolinked (its closing `]` included)
_SWAPPED_LINK = re.compile(r"\(([^()\[\]\n]+)\)\[([^\[\]\s]+)\]")


def _swapped_link(line: str, key: str) -> tuple[str, str] | None:
    """The label and address of the swapped link on ``line`` that GitHub autolinked as ``key``."""
    for match in _SWAPPED_LINK.finditer(line):
        if key in (match.group(2), match.group(2) + "]"):
            return match.group(1).strip(), match.group(2)
    return None


def _github_message(report: Report, diff: Difference, elem: Elem) -> str:
    kind = elem.kind
    line = _source(report, elem.line).lstrip()
    if kind == "list":
        return _list_message(report, diff, elem)
    if kind == "code":
        if line.startswith(("```", "~~~")) or line.lstrip("> ").startswith(("```", "~~~")):
            extra = " (and its lines become headings and lists)" if diff.absorbed else ""
            return (
                "staff see this fenced code block as one run of inline code, line breaks and indentation "
                f"lost{extra}: the hand-in knows no fences; indent the block by 4 spaces instead, with a "
                "blank line before it"
            )
        return "staff do not see this code block as code: indent it by 4 spaces, with a blank line before it"
    if kind == "table":
        return (
            "staff see this table as raw `|` text (the hand-in renders no Markdown tables): write it as an "
            "HTML `<table>`, which both show, or as a list"
        )
    if kind == "box":
        return ""  # grouped per list in _boxes
    if kind == "del":
        return (
            f"staff see `~~{_shown(elem.text, 40)}~~` with the tildes, not struck through: "
            "write `<del>…</del>`, which both show"
        )
    if kind == "link":
        swapped = _swapped_link(line, elem.key)
        if swapped is not None:
            label, address = swapped
            return (
                f"this link is written the wrong way round, `(text)[address]`: staff see it as plain text "
                f"and GitHub links the address with its `]`; write `[{_shown(label, 40)}]({address})`, "
                "which both show as a link"
            )
        if elem.text.strip() and elem.key.endswith(elem.text.strip()):
            return (
                f"staff see `{_shown(elem.text)}` as plain text, not a link (the hand-in links only "
                f"`<…>` addresses): write `<{elem.key}>`"
            )
        return (
            f"staff do not see the link to `{_shown(elem.key)}`: write it as "
            f"`[text]({_shown(elem.key)})` outside HTML blocks"
        )
    if kind == "image":
        return (
            f"staff do not see image `{_shown(elem.key)}` (the hand-in does not render Markdown inside an "
            f'HTML block): write it as `<img src="{_shown(elem.key)}">`, which both show'
        )
    if kind == "heading":
        return (
            f"staff do not see `{_shown(elem.text)}` as a heading: put it on its own line with a blank "
            "line before it"
        )
    return f"staff see this {kind} differently from GitHub"


def _handin_message(report: Report, elem: Elem, line: int) -> str:
    kind = elem.kind
    source = _source(report, line).lstrip()
    if kind == "heading":
        if source.startswith("#") and not source.lstrip("#").startswith((" ", "\t")):
            return (
                f"staff see `{_shown(source)}` as a heading, GitHub shows it as text (no space after `#`): "
                "write `# Title` for a heading, or `\\#` for a literal `#`"
            )
        return f"staff see `{_shown(elem.text)}` as a heading; GitHub does not"
    if kind == "image":
        return (
            f"GitHub does not show image `{_shown(elem.key)}` (a Markdown path cannot hold a space), staff "
            "do: write the space as `%20` or rename the file"
        )
    if kind == "html":
        return (
            f"staff's page keeps the raw `<{elem.key}>` element, GitHub removes it (or shows it as text): "
            "remove it so both show the same"
        )
    if kind == "code":
        return "staff see this as a code block, GitHub as text: add a blank line before it or indent it less"
    if kind in ("list", "item"):
        return "staff see a list here that GitHub does not show: check the blank lines and indentation"
    if kind == "link":
        return f"staff see a link to `{_shown(elem.key)}` that GitHub does not show"
    return f"staff see a {kind} here that GitHub does not show"


def _changed_message(diff: Difference) -> str:
    gh, pm = diff.github, diff.handin
    assert gh is not None and pm is not None
    if gh.kind == "list":
        start = gh.key.split(":", 1)[1] if ":" in gh.key else "1"
        return (
            f"staff see this numbered list start at 1, not {start} (the hand-in ignores the first "
            "number): keep the list in one piece, numbered from 1"
        )
    if gh.kind in ("image", "link"):
        return f"staff's page uses `{_shown(pm.key)}` here, GitHub `{_shown(gh.key)}`"
    return f"staff see this {gh.kind} differently from GitHub"


def _boxes(diffs: list[Difference]) -> Iterator[tuple[int, int, int]]:
    """One (line, end_line, count) per list whose task boxes the hand-in shows as text."""
    groups: dict[int, list[Difference]] = {}
    for diff in diffs:
        if diff.side == "github" and diff.kind == "box" and diff.github is not None:
            groups.setdefault(diff.github.group, []).append(diff)
    for members in groups.values():
        yield members[0].line, members[-1].line, len(members)


def _findings(report: Report, rendering: AnswerRendering) -> Iterator[Finding]:
    diffs = list(rendering.differences)
    for line, end_line, count in _boxes(diffs):
        boxes = "this task box" if count == 1 else f"these {count} task boxes"
        yield Finding(
            line,
            1,
            end_line,
            f"staff see {boxes} as literal `[ ]` / `[x]` text, not check boxes: write the state in words "
            "or with ✅ / ❌, which both show",
            rendering.question,
        )
    for diff in diffs:
        if diff.kind == "box" and diff.side == "github":
            continue
        if diff.side == "github" and diff.github is not None:
            message = _github_message(report, diff, diff.github)
        elif diff.side == "handin" and diff.handin is not None:
            message = _handin_message(report, diff.handin, diff.line)
        elif diff.github is not None and diff.handin is not None:
            message = _changed_message(diff)
        else:
            message = "staff's hand-in page shows this answer's structure differently from GitHub"
        yield Finding(diff.line, _column(report, diff.line), diff.end_line, message, rendering.question)


def _column(report: Report, line: int) -> int:
    text = _source(report, line)
    return len(text) - len(text.lstrip()) + 1 if text.strip() else 1


def _image_paths(ctx: CheckContext, report: Report, rendering: AnswerRendering) -> Iterator[Finding]:
    """Images GitHub finds but the hand-in cannot: it holds only the report's folder."""
    folder = report_dir(report)
    for elem in rendering.github.leaves:
        if elem.kind != "image":
            continue
        target = resolve(report, elem.key)
        if target.kind != "local":
            continue
        inside = not target.repo_absolute and (
            not folder or target.rel == folder or target.rel.startswith(folder + "/")
        )
        if inside or not lookup(ctx, target.rel).exists:
            continue
        where = folder or "the repository root"
        fix = posixpath.relpath(
            posixpath.join(folder, "figures", posixpath.basename(target.rel)), folder or "."
        )
        reason = (
            "a path starting with `/` means the repository root on GitHub only"
            if target.repo_absolute
            else f"the hand-in holds only the {where} folder"
        )
        yield Finding(
            elem.line,
            _column(report, elem.line),
            elem.line,
            f"staff do not see image `{_shown(elem.key)}`, GitHub does ({reason}): move the figure into "
            f"{where}/figures/ and write `{fix}`",
            rendering.question,
        )


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    if ctx.pack.handin is None:
        return
    for rendering in analysis(ctx, report):
        if rendering.skipped is not None:
            yield Finding(
                rendering.first_line,
                1,
                rendering.first_line,
                f"this answer is not compared with the hand-in page: {rendering.skipped}; "
                "the course's export may not finish on it either",
                rendering.question,
                severity=Severity.INFO,
            )
            continue
        yield from _findings(report, rendering)
        yield from _image_paths(ctx, report, rendering)
