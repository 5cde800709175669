"""image-count: images per answer within the limits the course checker enforces.

``official`` mode counts what the checker's regex ``!\\[.*?\\]\\(.*?\\)`` finds in its slice;
``prose`` mode counts images that actually render (markdown or ``<img>``).  Images the checker
counts but CommonMark does not render (a raw space in the path) are reported one by one.
"""

from __future__ import annotations

from collections.abc import Iterator

from report_lint.checks._util import answer_anchor, finding_at, is_image_path, plural, unanswered
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.model import Image, QuestionSection, Report

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


def _unrendered_reason(image: Image) -> str:
    src = image.src.strip()
    if " " in src or "\t" in src:
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
                )
        spec = ctx.pack.question(q.number)
        if spec is None or spec.images is None or unanswered(ctx, q):
            continue
        limit = spec.images
        count, rendered, note = _count(ctx, report, q)
        if count < limit.min:
            yield from _too_few(q, count, rendered, limit.min, limit.max, note)
        elif count > limit.max:
            extra = sorted(q.images, key=lambda i: (i.span.line, i.span.column))
            anchor = extra[limit.max].span if len(extra) > limit.max else answer_anchor(q)
            yield finding_at(
                anchor,
                f"answer has {plural(count, 'image')}, limit {limit}: remove {count - limit.max}{note}",
                q.number,
            )


def _too_few(
    q: QuestionSection, count: int, rendered: int, low: int, high: int, note: str
) -> Iterator[Finding]:
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
        )
        return
    yield finding_at(answer_anchor(q), message + ": add `![description](figures/your-file.png)`", q.number)
