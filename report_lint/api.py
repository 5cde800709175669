"""The library API: what the CLI, the pre-commit hook, the action and batch call. Never prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from report_lint.config import discover, load
from report_lint.config_types import LoadedConfig
from report_lint.engine import LintOptions, Selection, lint_file
from report_lint.packs.plain import CountMode
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


def options_for(
    cfg: LoadedConfig | None,
    *,
    pack_base: Path,
    rules: str | None = None,
    count_mode: CountMode | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    severity: tuple[tuple[str, str], ...] = (),
    inline_config: bool = True,
) -> LintOptions:
    """The lint options: the given settings, and the configuration's where they are unset.

    One place for ``check`` and the language server, so both lint a report the same way."""
    origin = "--rules" if rules else None
    merged = dict(severity)
    origins: dict[tuple[str, str], str] = {}
    if cfg is not None:
        # an entry is the file's only where the file's value is the one used
        origins = {
            key: where
            for key, where in cfg.entry_origins.items()
            if (key[0] == "select" and not select)
            or (key[0] == "ignore" and not ignore)
            or (key[0] == "severity" and key[1] not in merged)
        }
        if not rules and cfg.rules:
            origin = "config"
        rules = rules or cfg.rules
        count_mode = count_mode or cast("CountMode | None", cfg.count_mode)
        select = select or tuple(cfg.select or ())
        ignore = ignore or tuple(cfg.ignore or ())
        merged = {**cfg.severity, **merged}
    return LintOptions(
        pack=rules,
        pack_base=pack_base,
        count_mode=count_mode,
        selection=Selection(tuple(select), tuple(ignore), merged, origins),
        inline_config=inline_config,
        pack_origin=origin,
    )


def run_check(request: CheckRequest) -> tuple[LintResult, str]:
    """Lint the requested reports; return the result and the effective fail-on level.

    Settings from the discovered configuration (nearest to the first report, never above the
    repository root) apply where the request leaves them unset.
    """
    reports, options, fail_on = plan_check(request)
    results = tuple(lint_file(path, request.repo_root, display, options) for path, display in reports)
    return LintResult(reports=results, repo_root=str(request.repo_root)), fail_on


def plan_check(request: CheckRequest) -> tuple[list[tuple[Path, str]], LintOptions, str]:
    """The reports to lint, the options to lint them with and the fail-on level (``check`` and
    ``check --fix`` plan alike)."""
    reports = request.reports
    cfg: LoadedConfig | None = None
    if request.use_config:
        start = reports[0][0].parent if reports else request.repo_root
        if request.config_file is not None:
            cfg = load(request.config_file, request.repo_root)
        else:
            cfg = discover(start, request.repo_root)
        if cfg.reports and not request.explicit_reports:
            reports = [(p, p.relative_to(request.repo_root).as_posix()) for p in cfg.reports]
    options = options_for(
        cfg,
        pack_base=Path.cwd(),
        rules=request.rules,
        count_mode=request.count_mode,
        select=request.select,
        ignore=request.ignore,
        severity=request.severity,
        inline_config=request.inline_config,
    )
    fail_on = request.fail_on or (cfg.fail_on if cfg is not None else None)
    return reports, options, fail_on or "error"
