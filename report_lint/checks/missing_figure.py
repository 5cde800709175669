"""missing-figure: an image (or a link to an image file) whose file is not in the repository.

Paths resolve relative to the report's directory (``/x`` relative to the repository root), are
percent-decoded, and compared case-exactly (GitHub Pages runs on Linux) against ``ctx.files()``: the
tracked plus untracked-not-ignored files (a commit's files in batch ``--at`` mode).  A figure that is on
disk but ignored by git is missing, and the message says why.  A path that leaves the repository is an
error and is never opened.  Remote images are not fetched.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from report_lint.checks._util import (
    IMAGE_EXTENSIONS,
    finding_at,
    is_image_path,
    lookup,
    relative_to_report,
    repo_files,
    resolve,
    suggest,
)
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding, Severity
from report_lint.model import Report

NAME = "missing-figure"
SUMMARY = "An image or figure link points at a file that is not in the repository."
HELP = (
    "Figures must be committed to the repository, normally in `reports/figures/`, and linked relative "
    "to the report: `![my plot](figures/my_plot.png)`. File names are case-sensitive on GitHub Pages "
    "(`Figures/Plot.PNG` is not `figures/plot.png`) even when your own computer does not care. Paths "
    "that leave the repository (`../`, `C:\\Users\\...`, `file://`) only work on your computer. Images "
    "loaded from the web may not appear in the exported hand-in."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "![training loss](Figures/Loss.PNG)"
HOW_TO_FIX = (
    "Commit the image under `reports/figures/` and link it with "
    "the file's exact name, relative to the report."
)


def _problem(ctx: CheckContext, report: Report, url: str, what: str) -> tuple[str, Severity | None] | None:
    target = resolve(report, url)
    shown = url.strip()
    if target.kind == "skip":
        return None
    if target.kind == "empty":
        return f"{what} has an empty path", None
    if target.kind == "placeholder":
        return (
            f"`{shown}` is the template's placeholder path: put your file in `figures/` and write "
            "its name, e.g. `figures/training_loss.png`"
        ), None
    if target.kind == "remote":
        return (
            f"{what} `{shown}` is loaded from the web: it is not checked, and staff's HTML export may "
            "not show it; commit the file under `reports/figures/` and link it relatively"
        ), Severity.INFO
    if target.kind == "outside":
        return (
            f"{what} `{shown}` points outside the repository ({target.reason}): "
            "copy the file into `reports/figures/` and link it as `figures/<name>`"
        ), None
    found = lookup(ctx, target.rel)
    if found.escapes:
        return (
            f"{what} `{shown}` resolves outside the repository through a symbolic link: "
            "commit the file itself"
        ), None
    if found.exists:
        return None
    if found.excluded is not None:
        return (
            f"{what} `{shown}` is not in the repository: {target.rel} is on your computer, but "
            f"{found.excluded}, so GitHub and the graders do not have it; commit it "
            f"(`git add -f {target.rel}`) or change the ignore rule"
        ), None
    if found.case_variant is not None:
        return (
            f"{what} `{shown}` does not match the file's name in case "
            f"(GitHub Pages is case-sensitive): did you mean "
            f"{relative_to_report(report, found.case_variant)}?"
        ), None
    message = f"{what} `{shown}` does not exist (looked for {target.rel or '.'})"
    if target.repo_absolute:  # `/etc/x.png` never means the computer's root: say so
        message += ": a leading `/` is read from the repository root, not from your computer"
    rel = target.rel
    if not target.repo_absolute and "/" in rel:
        # written from the repository root although the report lives in a sub-directory
        written = posixpath.normpath(target.path)
        if written != rel and not written.startswith("../") and lookup(ctx, written).exists:
            better = relative_to_report(report, written)
            return (
                message + f": the path is relative to the repository root, but links in {report.path} "
                f"are relative to its folder; write `{better}`"
            ), None
    guess = suggest(report, rel, repo_files(ctx, IMAGE_EXTENSIONS), ctx)
    if guess:
        message += f"; did you mean {guess}?"
    return message, None


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    seen: set[tuple[int, int]] = set()
    for image in report.images:
        if image.in_prompt:
            continue
        problem = _problem(ctx, report, image.src, "image")
        seen.add((image.span.line, image.span.column))
        if problem:
            yield finding_at(image.span, problem[0], image.question, severity=problem[1])
    for link in report.links:
        if link.in_prompt or link.question is None or not is_image_path(link.url):
            continue
        if (link.span.line, link.span.column) in seen:
            continue
        problem = _problem(ctx, report, link.url, "figure link")
        if problem:
            yield finding_at(link.span, problem[0], link.question, severity=problem[1])
