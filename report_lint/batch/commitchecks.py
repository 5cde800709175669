"""The file-system checks, answered from a commit (``--at`` and bare repositories).

``missing-figure``, ``figure-format``, ``template-figure`` and ``broken-link`` look files up on disk
(``checks/_util.lookup``, ``repo_files``, ``open``).  When batch lints a commit it switches those four
rules off in the engine and runs these equivalents against the commit's file list instead, with the
pack's codes and severities.  They reuse the checks' pure helpers (path resolution, suggestions,
format sniffing); messages are shorter than the originals, and inline suppressions do not apply to them.
Delete this module once the checks read through ``CheckContext`` from a ``FileSource``.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Iterator
from functools import cached_property

from report_lint.batch.gitsource import GitCommitSource
from report_lint.checks._util import (
    ACCEPTED_EXTENSIONS,
    IMAGE_EXTENSIONS,
    finding_at,
    is_image_path,
    relative_to_report,
    resolve,
    suggest,
)
from report_lint.checks.figure_format import sniff
from report_lint.diagnostic import Diagnostic, Finding, Severity
from report_lint.engine import Selection
from report_lint.model import Report
from report_lint.packs.models import Pack

RULES = ("missing-figure", "figure-format", "template-figure", "broken-link")
_TEMPLATE_MAX = 16 * 1024 * 1024
_EXPECTED = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


class _Tree:
    def __init__(self, source: GitCommitSource) -> None:
        self.source = source
        self.files = tuple(source.list())

    @cached_property
    def file_set(self) -> frozenset[str]:
        return frozenset(self.files)

    @cached_property
    def dirs(self) -> frozenset[str]:
        out: set[str] = set()
        for name in self.files:
            parts = name.split("/")
            out.update("/".join(parts[:n]) for n in range(1, len(parts)))
        return frozenset(out)

    @cached_property
    def folded(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name in (*self.files, *sorted(self.dirs)):
            out.setdefault(name.casefold(), name)
        return out

    def exists(self, rel: str) -> bool:
        return rel == "" or rel in self.file_set or rel in self.dirs

    def is_file(self, rel: str) -> bool:
        return rel in self.file_set

    def case_variant(self, rel: str) -> str | None:
        hit = self.folded.get(rel.casefold())
        return hit if hit is not None and hit != rel else None


def _missing(tree: _Tree, report: Report, url: str, what: str) -> tuple[str, Severity | None] | None:
    target = resolve(report, url)
    shown = url.strip()
    if target.kind == "skip":
        return None
    if target.kind == "empty":
        return f"{what} has an empty path", None
    if target.kind == "placeholder":
        return f"`{shown}` is the template's placeholder path: link your own file in `figures/`", None
    if target.kind == "remote":
        return f"{what} `{shown}` is loaded from the web: it is not checked", Severity.INFO
    if target.kind == "outside":
        return f"{what} `{shown}` points outside the repository ({target.reason})", None
    if tree.exists(target.rel):
        return None
    variant = tree.case_variant(target.rel)
    if variant is not None:
        return (
            f"{what} `{shown}` does not match the file's name in case: did you mean "
            f"{relative_to_report(report, variant)}?"
        ), None
    message = f"{what} `{shown}` is not in the commit (looked for {target.rel or '.'})"
    candidates = [f for f in tree.files if posixpath.splitext(f)[1].lower() in IMAGE_EXTENSIONS]
    guess = suggest(report, target.rel, candidates if what != "link" else list(tree.files))
    return (message + (f"; did you mean {guess}?" if guess else "")), None


def _figures(tree: _Tree, report: Report) -> Iterator[Finding]:
    seen: set[tuple[int, int]] = set()
    for image in report.images:
        if image.in_prompt:
            continue
        seen.add((image.span.line, image.span.column))
        problem = _missing(tree, report, image.src, "image")
        if problem:
            yield finding_at(image.span, problem[0], image.question, severity=problem[1])
    for link in report.links:
        if link.in_prompt or link.question is None or not is_image_path(link.url):
            continue
        if (link.span.line, link.span.column) not in seen:
            problem = _missing(tree, report, link.url, "figure link")
            if problem:
                yield finding_at(link.span, problem[0], link.question, severity=problem[1])


def _links(tree: _Tree, report: Report) -> Iterator[Finding]:
    for link in report.links:
        if link.in_prompt or link.question is None or is_image_path(link.url):
            continue
        if resolve(report, link.url).kind in ("remote", "placeholder"):
            continue
        problem = _missing(tree, report, link.url, "link")
        if problem:
            yield finding_at(link.span, problem[0], link.question, severity=problem[1])


def _formats(tree: _Tree, report: Report, pack: Pack, rule: str) -> Iterator[Finding]:
    known = {f.sha256: f.name for f in pack.template_figures}
    for image in report.images:
        target = resolve(report, image.src)
        if image.in_prompt or target.kind != "local":
            continue
        extension = posixpath.splitext(target.rel)[1].lower()
        shown = image.src.strip()
        if rule == "figure-format" and extension not in ACCEPTED_EXTENSIONS:
            yield finding_at(image.span, f"figure `{shown}` is not .png, .jpg or .jpeg", image.question)
            continue
        if not tree.is_file(target.rel):
            continue
        if rule == "figure-format":
            head = tree.source.read(target.rel, 32)
            actual = sniff(head) if head else None
            if head is not None and actual != _EXPECTED[extension]:
                what = (
                    "an empty file" if not head else f"not a {_EXPECTED[extension]} image ({actual or '?'})"
                )
                yield finding_at(image.span, f"figure `{shown}` is {what}", image.question)
        elif known and (tree.source.size(target.rel) or 0) <= _TEMPLATE_MAX:
            data = tree.source.read(target.rel, _TEMPLATE_MAX)
            name = known.get(hashlib.sha256(data).hexdigest()) if data is not None else None
            if name:
                yield finding_at(
                    image.span, f"figure `{shown}` is the template's example figure {name}", image.question
                )


def run(report: Report, pack: Pack, source: GitCommitSource, selection: Selection) -> list[Diagnostic]:
    """Diagnostics of the four file-system rules, from the commit ``source`` reads."""
    tree = _Tree(source)
    out: list[Diagnostic] = []
    for rule in RULES:
        spec = pack.rules.get(rule)
        if spec is None or not spec.enabled or not selection.wants(rule, spec.code):
            continue
        if rule == "missing-figure":
            findings: Iterator[Finding] = _figures(tree, report)
        elif rule == "broken-link":
            findings = _links(tree, report)
        else:
            findings = _formats(tree, report, pack, rule)
        override = selection.severity.get(rule) or selection.severity.get(spec.code)
        for f in findings:
            severity = Severity.parse(override) if override else (f.severity or Severity.parse(spec.severity))
            out.append(
                Diagnostic(
                    report.path,
                    f.line,
                    f.column,
                    max(f.end_line, f.line),
                    spec.code,
                    rule,
                    severity,
                    f.message,
                    f.question,
                    f.end_column,
                )
            )
    return out
