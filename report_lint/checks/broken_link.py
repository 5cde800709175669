"""broken-link: a relative link in an answer to a file or folder that is not in the repository.

Fragment-only links (``#section``) and links with a scheme (``https:``, ``mailto:``) are skipped;
links to image files are ``missing-figure``'s.  Targets are looked up in ``ctx.files()`` (tracked plus
untracked-not-ignored files, or a commit's in batch ``--at`` mode); paths leaving the repository are
never opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from report_lint.checks._util import (
    finding_at,
    is_image_path,
    lookup,
    relative_to_report,
    repo_files,
    resolve,
    suggest,
)
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.model import Report

NAME = "broken-link"
SUMMARY = "A relative link in an answer points at a file that is not in the repository."
HELP = (
    "Links such as `[our Dockerfile](../dockerfiles/train.dockerfile)` are resolved relative to the "
    "report's folder (`reports/`), so a file at the repository root is `../name`. File names are "
    "case-sensitive on GitHub. Links to your own computer (`C:\\...`, `file://`) work for nobody else; "
    "for web pages write the full address starting with `https://`."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "See [our Dockerfile](dockerfiles/train.dockerfile)."
HOW_TO_FIX = (
    "Point the link at the file relative to `reports/` "
    "(`../dockerfiles/train.dockerfile`), or use a full `https://` address."
)

_DOMAIN = re.compile(
    r"^(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|org|net|io|dk|ai|dev|app|eu)(?:/|$)"
)


def _problem(ctx: CheckContext, report: Report, url: str) -> str | None:
    target = resolve(report, url)
    shown = url.strip()
    if target.kind in ("skip", "remote", "placeholder"):
        return None
    if target.kind == "empty":
        return "link has an empty target"
    if target.kind == "outside":
        return f"link `{shown}` points outside the repository ({target.reason})"
    found = lookup(ctx, target.rel)
    if found.escapes:
        return f"link `{shown}` resolves outside the repository through a symbolic link"
    if found.exists:
        return None
    if found.excluded is not None:
        return (
            f"link `{shown}` points at {target.rel}, which is not in the repository: it is on your "
            f"computer, but {found.excluded}, so nobody else has it; commit it or change the ignore rule"
        )
    if _DOMAIN.match(target.path):
        return f"link `{shown}` is read as a file in the repository: did you mean https://{target.path}?"
    if found.case_variant is not None:
        return (
            f"link `{shown}` does not match the file's name in case (GitHub is case-sensitive): "
            f"did you mean {relative_to_report(report, found.case_variant)}?"
        )
    message = f"link `{shown}` points at {target.rel or '.'}, which is not in the repository"
    guess = suggest(report, target.rel, repo_files(ctx), ctx)
    if guess:
        message += f"; did you mean {guess}?"
    return message


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    for link in report.links:
        if link.in_prompt or link.question is None or is_image_path(link.url):
            continue
        problem = _problem(ctx, report, link.url)
        if problem:
            yield finding_at(link.span, problem, link.question)
