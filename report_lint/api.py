"""The library API: what the CLI, the pre-commit hook, the action and batch call. Never prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from report_lint.config import discover, load
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
    inline_config: bool = True  # False: ignore the reports' suppression comments
    config_file: Path | None = None  # this configuration file instead of discovery


def run_check(request: CheckRequest) -> tuple[LintResult, str]:
    """Lint the requested reports; return the result and the effective fail-on level.

    Settings from the discovered configuration (nearest to the first report, never above the
    repository root) apply where the request leaves them unset.
    """
    reports = request.reports
    rules, count_mode, fail_on = request.rules, request.count_mode, request.fail_on
    select, ignore, severity = request.select, request.ignore, dict(request.severity)
    origin = "--rules" if rules else None
    if request.use_config:
        start = reports[0][0].parent if reports else request.repo_root
        if request.config_file is not None:
            cfg = load(request.config_file, request.repo_root)
        else:
            cfg = discover(start, request.repo_root)
        if not rules and cfg.rules:
            origin = "config"
        rules = rules or cfg.rules
        count_mode = count_mode or cast("CountMode | None", cfg.count_mode)
        fail_on = fail_on or cfg.fail_on
        select = select or (cfg.select or ())
        ignore = ignore or (cfg.ignore or ())
        severity = {**cfg.severity, **severity}
        if cfg.reports and not request.explicit_reports:
            reports = [(p, p.relative_to(request.repo_root).as_posix()) for p in cfg.reports]
    options = LintOptions(
        pack=rules,
        pack_base=Path.cwd(),
        count_mode=count_mode,
        selection=Selection(tuple(select), tuple(ignore), severity),
        inline_config=request.inline_config,
        pack_origin=origin,
    )
    results = tuple(lint_file(path, request.repo_root, display, options) for path, display in reports)
    return LintResult(reports=results, repo_root=str(request.repo_root)), fail_on or "error"
