"""Lint one repository into one :class:`RepoRow`; runs inside the worker processes.

Two modes.  *Work tree* (a checkout, no ``--at``; or a folder without ``.git``, e.g. a downloaded ZIP,
mode ``folder``): the report and the evidence come from the files on disk, exactly as
``report-lint check`` sees them.  *Commit* (``--at``, and always for bare
repositories): the report is read from one commit's git objects, and :class:`GitCommitSource` is handed
to the engine, so the evidence engine and the file checks (``CheckContext.files()``) read the same
commit; the work tree is never touched.

:func:`lint_target` never raises: any failure becomes the row's one-line ``error``.  Every string of
the row it returns is cleaned (:func:`report_lint.batch.text.clean_data`): a file name that is not
UTF-8 is shown escaped, never an error when the outputs are written.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from report_lint.batch.discover import Target
from report_lint.batch.gitsource import GitCommitSource, git, snapshot
from report_lint.batch.handin import handin_page
from report_lint.batch.rows import RepoRow
from report_lint.batch.text import clean, clean_data, shown
from report_lint.diagnostic import Severity
from report_lint.engine import LintOptions, analyse_text
from report_lint.errors import InputError, ReportLintError
from report_lint.model import Report
from report_lint.result import ReportResult
from report_lint.source import MAX_REPORT_BYTES, decode, read_report

SNIPPET_CHARS = 400


@dataclass(frozen=True)
class Job:
    target: Target
    report: str  # the report's path inside each repository
    at: datetime | None
    options: LintOptions
    handin_pages: bool = True  # render each report's hand-in page (batch --no-handin-pages: skip)


NOT_GIT = "not a git repository (a folder of files, e.g. a downloaded ZIP)"


def one_line(exc: BaseException) -> str:
    if isinstance(exc, ReportLintError):
        text = str(exc)
    elif isinstance(exc, OSError) and exc.strerror:  # "Permission denied: reports/x", not an errno dump
        name = f": {exc.filename}" if isinstance(exc.filename, str) else ""
        text = f"{exc.strerror}{name}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return shown(" ".join(clean(text).split()), limit=500) or type(exc).__name__


def failed_row(job: Job, why: str, partial: RepoRow | None = None) -> RepoRow:
    """The row of a repository that could not be linted: no counts, one line saying why, and what
    was learnt before the failure (mode, branch, commit: which commit was looked at)."""
    target = job.target
    row = RepoRow(path=target.display, folder_group=target.folder_group, report=job.report, error=why)
    if partial is not None:
        row.mode, row.branch, row.commit, row.committed = (
            clean(partial.mode),
            clean(partial.branch),
            clean(partial.commit),
            clean(partial.committed),
        )
        row.notes = [clean(note) for note in partial.notes]
    return row


def lint_target(job: Job) -> RepoRow:
    started = time.perf_counter()
    target = job.target
    row = RepoRow(path=target.display, folder_group=target.folder_group, report=job.report)
    try:
        _lint(job, row)
        row = RepoRow(**clean_data(_fields(row)))
    except RecursionError:
        # every reader bounds its own nesting and names its file; one that escapes is our bug
        row = failed_row(job, "internal error (RecursionError: an input nested too deeply)", row)
    except Exception as exc:  # one broken repository is a row, never the end of the run
        row = failed_row(job, one_line(exc), row)
    row.seconds = time.perf_counter() - started
    return row


def _fields(row: RepoRow) -> dict[str, object]:
    return {name: getattr(row, name) for name in RepoRow.__dataclass_fields__}


def _lint(job: Job, row: RepoRow) -> None:
    target = job.target
    if target.problem:
        raise InputError(target.problem)
    if not target.path.is_dir():
        raise InputError("no such directory")
    root = Path(os.path.realpath(target.path))
    file = root / job.report
    if target.git_dir is None:
        if job.at is not None:  # linting the files on disk would silently ignore the deadline
            raise InputError(f"{NOT_GIT}: no history, so --at cannot apply; lint it without --at")
        if not os.path.lexists(file):
            raise InputError(f"{NOT_GIT} and no {shown(job.report)} in it")
        row.mode = "folder"
        row.notes.append(f"{NOT_GIT}: linted the files on disk, no commit")
    if job.at is None and not target.bare:
        if target.git_dir is not None:
            row.mode = "worktree"
            head = git(target.git_dir, "log", "-1", "--format=%H %cI", "HEAD", "--", check=False) or ""
            row.commit, _, row.committed = head.strip().partition(" ")
        real = Path(os.path.realpath(file))
        if not str(real).startswith(str(root) + os.sep):
            raise InputError(f"{job.report}: resolves outside the repository")
        source = read_report(file, job.report)
        _finish(job, row, source.text, source.had_bom, root, None)
        return
    assert target.git_dir is not None  # a folder without git was linted from disk above
    row.mode = "commit"
    snap = snapshot(target.git_dir, job.at)
    row.branch, row.commit, row.committed = snap.branch, snap.commit, snap.committed
    with GitCommitSource(root, target.git_dir, snap.commit) as commit_source:
        if job.report not in commit_source.entries():
            raise InputError(f"{job.report}: not in commit {snap.commit[:10]}")
        data = commit_source.read(job.report, MAX_REPORT_BYTES + 1)
        if data is None:
            raise InputError(f"{job.report}: cannot read it from commit {snap.commit[:10]}")
        if len(data) > MAX_REPORT_BYTES:
            raise InputError(f"{job.report}: larger than the {MAX_REPORT_BYTES} byte limit")
        text = decode(data, job.report)
        _finish(job, row, text.text, text.had_bom, root, commit_source)


def _finish(
    job: Job, row: RepoRow, text: str, had_bom: bool, root: Path, commit_source: GitCommitSource | None
) -> None:
    result, report = analyse_text(
        text,
        file=root / job.report,
        repo_root=root,
        display=job.report,
        options=job.options,
        had_bom=had_bom,
        source=commit_source,  # None: the work tree, as ``report-lint check`` reads it
    )
    _fill(row, result, report)
    if not job.handin_pages:
        return
    try:  # the hand-in page is an extra: a failure here is a note on the row, never a lost row
        row.handin_html, row.handin_problem = handin_page(text, had_bom, job.options, root, row.template)
    except Exception as exc:
        row.handin_problem = f"hand-in page not rendered: {one_line(exc)}"


def _fill(row: RepoRow, result: ReportResult, report: Report) -> None:
    diagnostics = result.diagnostics
    row.template = result.rules
    row.group = int(result.group) if result.group else None
    row.questions_total = max(result.expected_questions or 0, len(result.questions))  # as `check` prints
    row.questions_passed = result.questions_passed
    row.errors = result.count(Severity.ERROR)
    row.warnings = result.count(Severity.WARNING)
    row.infos = result.count(Severity.INFO)
    row.rules = dict(sorted(Counter(d.rule for d in diagnostics).items()))
    row.unfilled_placeholders = row.rules.get("unfilled-placeholder", 0)
    row.missing_figures = sum(
        1 for d in diagnostics if d.rule == "missing-figure" and d.severity >= Severity.WARNING
    )
    if result.checklist:
        row.unsupported_claims = sum(1 for c in result.checklist if c.get("verdict") == "unsupported")
    else:
        row.unsupported_claims = row.rules.get("checklist-unsupported", 0)
    placeholder_qs = {d.question for d in diagnostics if d.rule == "unfilled-placeholder"}
    for q in result.questions:
        state = "unfilled" if q.unfilled or q.number in placeholder_qs else ("pass" if q.passed else "fail")
        row.questions.append(
            {
                "number": q.number,
                "state": state,
                "line": q.line,
                "words": q.words,
                "images": q.images,
                "word_limit": list(q.word_limit) if q.word_limit else None,
                "image_limit": list(q.image_limit) if q.image_limit else None,
            }
        )
    lines = report.lines
    for d in diagnostics:
        if 1 <= d.line <= len(lines):
            row.snippets[str(d.line)] = lines[d.line - 1][:SNIPPET_CHARS]
    row.result = {"version": 1, "reports": [result.to_json()]}
