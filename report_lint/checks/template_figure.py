"""template-figure: a figure that is byte-identical to one of the template's example figures."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from report_lint.checks._util import file_size, finding_at, local_figure
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

# the template's figures are small screenshots; never hash anything larger
_MAX_BYTES = 16 * 1024 * 1024


def _digest(ctx: CheckContext, path: Path) -> str | None:
    cache: dict[str, str | None] = ctx.cache.setdefault(f"{NAME}.sha256", {})
    key = str(path)
    if key not in cache:
        size = file_size(path)
        if size is None or size > _MAX_BYTES or not path.is_file():
            cache[key] = None
        else:
            try:
                cache[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                cache[key] = None
    return cache[key]


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    known = {f.sha256: f.name for f in ctx.pack.template_figures}
    if not known:
        return
    for image in report.images:
        if image.in_prompt:
            continue
        real = local_figure(ctx, report, image.src)
        if real is None:
            continue
        digest = _digest(ctx, real)
        if digest is None or digest not in known:
            continue
        yield finding_at(
            image.span,
            f"figure `{image.src.strip()}` is the template's example figure {known[digest]}, not a "
            "screenshot of your project: replace it with your own",
            image.question,
        )
