"""image-count: images per answer within the limits the course checker enforces.

``official`` mode counts what the checker's regex ``!\\[.*?\\]\\(.*?\\)`` finds in its slice;
``prose`` mode counts images that actually render (markdown or ``<img>``).  Images the checker
counts but CommonMark does not render (a raw space in the path) are reported one by one.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from report_lint.checks._fixes import destination, insert, written
from report_lint.checks._util import (
    answer_anchor,
    finding_at,
    is_image_path,
    local_figure,
    plural,
    unanswered,
)
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Edit, Finding, Fix
from report_lint.model import Image, Link, QuestionSection, Report
from report_lint.parsing.nodes import Span

NAME = "image-count"
SUMMARY = "An answer has fewer or more images than the course checker allows."
HELP = (
    "Some questions ask for screenshots or a figure, and the course checker counts them with the "
    "markdown image syntax `![alt](figures/file.png)`. A link without the `!` (`[alt](figures/file.png)`) "
    "is not an image, and an image whose path holds a raw space is not shown on the rendered page: "
    "write the path as `<figures/my plot.png>` or `figures/my%20plot.png`, or rename the file."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "> Answer:\n\n[our bucket](figures/bucket_ours.png)"
HOW_TO_FIX = (
    "Add the missing `!` (`![our bucket](figures/bucket_ours.png)`), "
    "or add or remove images until the count fits."
)


FIXES = (
    "`--fix` adds the missing `!` to a link whose target is an image file in the repository, and "
    "writes a path holding a raw space as `<figures/my plot.png>`."
)
# what browsers show as an image (a link to a PDF or a TIFF stays a link)
_SHOWN = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif"})


def _bracket_fix(report: Report, image: Image) -> Fix | None:
    """`![a](my plot.png)` -> `![a](<my plot.png>)`: the path is kept, only bracketed."""
    if image.dest is None or image.dest.line != image.span.line:
        return None
    text = written(report, image.dest)
    if text is None:
        return None
    path = text.strip()
    if not path or destination(path, bracketed=True) is None:
        return None
    lead = len(text) - len(text.lstrip())
    column = image.dest.column + lead
    edit = Edit(image.dest.line, column, image.dest.line, column + len(path), f"<{path}>")
    return Fix("write the path as `<…>`", (edit,))


def _bang_fix(ctx: CheckContext, report: Report, q: QuestionSection, link: Link) -> Fix | None:
    """`[a](figures/x.png)` -> `![a](figures/x.png)` when figures/x.png is an image in the repository."""
    rel = local_figure(ctx, report, link.url)
    if rel is None or posixpath.splitext(rel)[1].lower() not in _SHOWN:
        return None
    if link.dest is None:  # a reference-style or automatic link: not the `[…](…)` the fix is about
        return None
    if any(_inside(i.span, link.span) for i in q.images):
        return None  # `[![a](x.png)](y.png)`: a linked image is already an image
    return Fix("add the missing `!`", (insert(link.span.line, link.span.column, "!"),))


def _inside(inner: Span, outer: Span) -> bool:
    far = 1 << 30  # an unknown end column runs to the line's end
    starts_after = (outer.line, outer.column) <= (inner.line, inner.column)
    ends_before = (inner.end_line, inner.end_column or far) <= (outer.end_line, outer.end_column or far)
    return starts_after and ends_before


def _has_blank(image: Image) -> bool:
    src = image.src.strip()
    return " " in src or "\t" in src


def _unrendered_reason(image: Image) -> str:
    src = image.src.strip()
    if _has_blank(image):
        fixed = src.replace(" ", "%20")
        return (
            f"the path `{src}` holds a raw space; write `<{src}>` or `{fixed}` "
            "(or rename the file without spaces)"
        )
    return "markdown does not read this as an image; check the brackets and parentheses"


def _rendered(q: QuestionSection) -> list[Image]:
    return [i for i in q.images if i.syntax != "unrendered"]


def _count(ctx: CheckContext, report: Report, q: QuestionSection) -> tuple[int, int, str]:
    rendered = len(_rendered(q))
    if ctx.count_mode == "prose":
        return rendered, rendered, ""
    if q.official is None:
        if report.official_error:
            return rendered, rendered, " (the course checker stops before counting; rendered images used)"
        return rendered, rendered, ""
    return q.official.images, rendered, ""


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    for q in report.questions:
        for image in q.images:
            if image.syntax == "unrendered" and not image.in_prompt:
                yield finding_at(
                    image.span,
                    "this image is not rendered: "
                    + _unrendered_reason(image)
                    + "; the course checker counts it, but the hand-in page will not show it",
                    q.number,
                    fix=_bracket_fix(report, image) if _has_blank(image) else None,
                )
        spec = ctx.pack.question(q.number)
        if spec is None or spec.images is None or unanswered(ctx, q):
            continue
        limit = spec.images
        count, rendered, note = _count(ctx, report, q)
        if count < limit.min:
            yield from _too_few(ctx, report, q, (count, rendered, limit.min, limit.max), note)
        elif count > limit.max:
            extra = sorted(q.images, key=lambda i: (i.span.line, i.span.column))
            anchor = extra[limit.max].span if len(extra) > limit.max else answer_anchor(q)
            yield finding_at(
                anchor,
                f"answer has {plural(count, 'image')}, limit {limit}: remove {count - limit.max}{note}",
                q.number,
            )


def _too_few(
    ctx: CheckContext, report: Report, q: QuestionSection, counts: tuple[int, int, int, int], note: str
) -> Iterator[Finding]:
    count, rendered, low, high = counts
    want = f"{low}" if low == high else f"{low}–{high}"
    links = [lk for lk in q.links if not lk.in_prompt and is_image_path(lk.url)]
    message = f"answer has {plural(count, 'image')}, this question needs {want}{note}"
    if rendered != count:
        message += f" ({plural(rendered, 'image')} actually shown)"
    if links:
        first = links[0]
        yield finding_at(
            first.span,
            message + f": did you forget the `!`? `[{first.text}]({first.url})` is a link to an image, "
            f"not an image; write `![{first.text}]({first.url})`",
            q.number,
            fix=_bang_fix(ctx, report, q, first),
        )
        return
    yield finding_at(answer_anchor(q), message + ": add `![description](figures/your-file.png)`", q.number)
