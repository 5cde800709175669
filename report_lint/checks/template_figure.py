"""template-figure: a figure that is byte-identical to one of the template's example figures.

Figures are read through ``ctx.files()``, at most ``_MAX_BYTES`` of each.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from report_lint.checks._util import file_size, finding_at, local_figure, read_head
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.model import Report

NAME = "template-figure"
SUMMARY = "A figure is the template's own example screenshot, not one of yours."
HELP = (
    "The template ships example figures (for instance `figures/wandb.png` and `figures/overview.png`) that "
    "its prompts point to for inspiration. Showing one of them as your answer does not count: take a "
    "screenshot of your own project, save it under a new name in `figures/`, and link that file."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "![our runs](figures/wandb.png)"
HOW_TO_FIX = (
    "Take a screenshot of your own project, save it under a new name in `figures/` and link that file."
)

# the template's figures are small screenshots; never hash anything larger
_MAX_BYTES = 16 * 1024 * 1024


def _digest(ctx: CheckContext, rel: str) -> str | None:
    cache: dict[str, str | None] = ctx.cache.setdefault(f"{NAME}.sha256", {})
    if rel not in cache:
        size = file_size(ctx, rel)
        data = read_head(ctx, rel, _MAX_BYTES) if size is not None and size <= _MAX_BYTES else None
        cache[rel] = None if data is None else hashlib.sha256(data).hexdigest()
    return cache[rel]


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    known = {f.sha256: f.name for f in ctx.pack.template_figures}
    if not known:
        return
    for image in report.images:
        if image.in_prompt:
            continue
        rel = local_figure(ctx, report, image.src)
        if rel is None:
            continue
        digest = _digest(ctx, rel)
        if digest is None or digest not in known:
            continue
        yield finding_at(
            image.span,
            f"figure `{image.src.strip()}` is the template's example figure {known[digest]}, not a "
            "screenshot of your project: replace it with your own",
            image.question,
        )
