"""The library API: what the CLI, the pre-commit hook, the action and batch call. Never prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from report_lint.engine import LintOptions, Selection, lint_file
from report_lint.packs.models import CountMode
from report_lint.result import LintResult


@dataclass(frozen=True)
class CheckRequest:
    repo_root: Path
    reports: list[tuple[Path, str]]  # absolute path, display path
    rules: str | None = None
    count_mode: CountMode | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    fail_on: str | None = None
    use_config: bool = True
    explicit_reports: bool = False


def run_check(request: CheckRequest) -> tuple[LintResult, str]:
    """Lint the requested reports; return the result and the effective fail-on level."""
    options = LintOptions(
        pack=request.rules,
        pack_base=Path.cwd(),
        count_mode=request.count_mode,
        selection=Selection(request.select, request.ignore, dict(request.severity)),
    )
    results = tuple(lint_file(path, request.repo_root, display, options) for path, display in request.reports)
    return LintResult(reports=results, repo_root=str(request.repo_root)), request.fail_on or "error"
