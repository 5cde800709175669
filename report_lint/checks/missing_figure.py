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
from dataclasses import dataclass

from report_lint.checks._fixes import rewrite_path
from report_lint.checks._util import (
    IMAGE_EXTENSIONS,
    case_variants,
    finding_at,
    is_image_path,
    lookup,
    relative_to_report,
    repo_files,
    resolve,
    suggest,
)
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Applicability, Finding, Fix, Severity
from report_lint.model import Report
from report_lint.parsing.nodes import Span

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


FIXES = (
    "`--fix` corrects a path whose case differs from exactly one file in the repository "
    "(`figures/Loss.PNG` -> `figures/loss.png`); `--unsafe-fixes` also replaces a misspelt name by "
    "the one file the message suggests (it may not be the figure you meant: check it)."
)


@dataclass(frozen=True)
class _Problem:
    message: str
    severity: Severity | None = None
    # the path (relative to the report) that would be right, and whether writing it is safe
    better: str | None = None
    applicability: Applicability = "safe"


def _fix(report: Report, dest: Span | None, problem: _Problem) -> Fix | None:
    if problem.better is None:
        return None
    title = f"write `{problem.better}`"
    if problem.applicability == "unsafe":
        title = f"replace the path by `{problem.better}`"
    return rewrite_path(report, dest, problem.better, title, problem.applicability)


def _problem(ctx: CheckContext, report: Report, url: str, what: str) -> _Problem | None:
    target = resolve(report, url)
    shown = url.strip()
    if target.kind == "skip":
        return None
    if target.kind == "empty":
        return _Problem(f"{what} has an empty path")
    if target.kind == "placeholder":
        return _Problem(
            f"`{shown}` is the template's placeholder path: put your file in `figures/` and write "
            "its name, e.g. `figures/training_loss.png`"
        )
    if target.kind == "remote":
        return _Problem(
            f"{what} `{shown}` is loaded from the web: it is not checked, and staff's HTML export may "
            "not show it; commit the file under `reports/figures/` and link it relatively",
            Severity.INFO,
        )
    if target.kind == "outside":
        return _Problem(
            f"{what} `{shown}` points outside the repository ({target.reason}): "
            "copy the file into `reports/figures/` and link it as `figures/<name>`"
        )
    found = lookup(ctx, target.rel)
    if found.escapes:
        return _Problem(
            f"{what} `{shown}` resolves outside the repository through a symbolic link: "
            "commit the file itself"
        )
    if found.exists:
        return None
    if found.excluded is not None:
        return _Problem(
            f"{what} `{shown}` is not in the repository: {target.rel} is on your computer, but "
            f"{found.excluded}, so GitHub and the graders do not have it; commit it "
            f"(`git add -f {target.rel}`) or change the ignore rule"
        )
    if found.case_variant is not None:
        variant = relative_to_report(report, found.case_variant)
        # safe only when exactly one listed file has this name up to case (else which one is meant?)
        unique = len(case_variants(ctx, target.rel)) == 1
        # the fix keeps a path written from the repository root (`/reports/figures/x.png`) so
        better = "/" + found.case_variant if target.repo_absolute else variant
        return _Problem(
            f"{what} `{shown}` does not match the file's name in case "
            f"(GitHub Pages is case-sensitive): did you mean {variant}?",
            better=better if unique else None,
        )
    message = f"{what} `{shown}` does not exist (looked for {target.rel or '.'})"
    if target.repo_absolute:  # `/etc/x.png` never means the computer's root: say so
        message += ": a leading `/` is read from the repository root, not from your computer"
    rel = target.rel
    if not target.repo_absolute and "/" in rel:
        # written from the repository root although the report lives in a sub-directory
        written = posixpath.normpath(target.path)
        if written != rel and not written.startswith("../") and lookup(ctx, written).exists:
            better = relative_to_report(report, written)
            return _Problem(
                message + f": the path is relative to the repository root, but links in {report.path} "
                f"are relative to its folder; write `{better}`"
            )
    guess = suggest(report, rel, repo_files(ctx, IMAGE_EXTENSIONS), ctx)
    if guess:
        message += f"; did you mean {guess}?"
        # a guess: the file may exist under another name for a reason, so only --unsafe-fixes takes it
        return _Problem(message, better=guess, applicability="unsafe")
    return _Problem(message)


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    seen: set[tuple[int, int]] = set()
    for image in report.images:
        if image.in_prompt:
            continue
        problem = _problem(ctx, report, image.src, "image")
        seen.add((image.span.line, image.span.column))
        if problem:
            fix = _fix(report, image.dest, problem) if image.syntax == "markdown" else None
            yield finding_at(image.span, problem.message, image.question, severity=problem.severity, fix=fix)
    for link in report.links:
        if link.in_prompt or link.question is None or not is_image_path(link.url):
            continue
        if (link.span.line, link.span.column) in seen:
            continue
        problem = _problem(ctx, report, link.url, "figure link")
        if problem:
            fix = _fix(report, link.dest, problem)
            yield finding_at(link.span, problem.message, link.question, severity=problem.severity, fix=fix)
