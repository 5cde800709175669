"""Command line: parses arguments, calls the library, prints, returns an exit code.

Exit codes: 0 nothing at or above ``--fail-on``; 1 something is; 2 usage, input or rule-file error.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from report_lint import __version__
from report_lint.batch import cli as batch_cli  # cheap: heavy imports happen inside run()
from report_lint.errors import InputError, ReportLintError, UsageError
from report_lint.handin import preview as preview_cli  # cheap: heavy imports happen inside run()
from report_lint.result import LintResult

COMMANDS = ("check", "schema", "rules", "config", "batch", "preview")
DEFAULT_REPORT = "reports/README.md"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _check_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("check", help="lint reports (the default command)")
    p.add_argument("reports", nargs="*", metavar="REPORT", help=f"report files (default: {DEFAULT_REPORT})")
    p.add_argument(
        "--repo", metavar="DIR", help="repository root (default: git top level of the current dir)"
    )
    p.add_argument("--rules", metavar="NAME|PATH", help="rule pack name or file (default: detected)")
    p.add_argument("--count-mode", choices=("official", "prose"), help="how words are counted")
    p.add_argument("--select", type=_csv, default=[], metavar="RULES", help="only these rules/codes")
    p.add_argument("--ignore", type=_csv, default=[], metavar="RULES", help="skip these rules/codes")
    p.add_argument("--format", default="auto", choices=("auto", "text", "json", "github", "sarif", "summary"))
    p.add_argument(
        "--fail-on", choices=("error", "warning", "info"), help="lowest severity that fails (error)"
    )
    p.add_argument("--output", metavar="FILE", help="write the formatted result here instead of stdout")
    p.add_argument(
        "--no-config", action="store_true", help="ignore pyproject.toml/.report-lint.yaml settings"
    )
    p.add_argument("--summary", metavar="FILE", help="append a GitHub job summary (markdown) to FILE")
    p.add_argument("--sarif", metavar="FILE", help="also write SARIF 2.1.0 to FILE")
    p.add_argument(
        "--github-output", metavar="FILE", help="append the counts to FILE as name=value lines (step outputs)"
    )
    p.add_argument(
        "--changed-lines-from",
        metavar="EVENT_JSON|DIFF",
        help="a pull_request event payload or a unified diff: annotate the lines it changed first",
    )
    p.add_argument(
        "--only-changed-lines",
        action="store_true",
        help="annotate and fail only on lines --changed-lines-from changed",
    )


def build_parser() -> _Parser:
    parser = _Parser(prog="report-lint", description="Lint templated exam reports with exact line numbers.")
    parser.add_argument("--version", action="version", version=f"report-lint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    _check_parser(sub)
    schema = sub.add_parser("schema", help="print the JSON Schema of rule pack files")
    schema.add_argument("--output", metavar="FILE")
    sub.add_parser("rules", help="list the built-in rule packs and rules")
    batch_cli.add_parser(sub)
    preview_cli.add_parser(sub)  # type: ignore[arg-type]
    config = sub.add_parser("config", help="print the effective configuration and where each value came from")
    config.add_argument("reports", nargs="*", metavar="REPORT")
    config.add_argument("--repo", metavar="DIR")
    config.add_argument("--config", metavar="FILE", help="a configuration file instead of discovery")
    config.add_argument("--rules", metavar="NAME|PATH")
    config.add_argument("--count-mode", choices=("official", "prose"))
    config.add_argument("--fail-on", choices=("error", "warning", "info"))
    return parser


def git_toplevel(start: Path) -> Path | None:
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=start,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0 or not proc.stdout.strip():
        return None
    return Path(proc.stdout.strip())


def repo_root(option: str | None, cwd: Path) -> Path:
    if option is not None:
        root = (cwd / option).resolve()
        if not root.exists():
            raise InputError(f"--repo {option}: no such directory")
        if not root.is_dir():
            raise InputError(f"--repo {option}: not a directory")
        return root
    return (git_toplevel(cwd) or cwd).resolve()


def report_paths(reports: Sequence[str], root: Path, cwd: Path) -> list[tuple[Path, str]]:
    """Absolute path and display path (relative to the root, '/'-separated) of each report."""
    out = []
    for given in reports or [str(root / DEFAULT_REPORT)]:
        path = Path(given) if Path(given).is_absolute() else cwd / given
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
            raise InputError(f"{given}: cannot resolve the path: {exc}") from None
        try:
            display = resolved.relative_to(root).as_posix()
        except ValueError:
            raise InputError(f"{given}: the report is outside the repository root {root}") from None
        out.append((resolved, display))
    return out


def _emit(text: str, output: str | None) -> None:
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--output {output}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _run_check(args: argparse.Namespace) -> int:
    from report_lint.api import CheckRequest, run_check
    from report_lint.diagnostic import Severity
    from report_lint.formatters import load_formatter

    cwd = Path.cwd()
    root = repo_root(args.repo, cwd)
    request = CheckRequest(
        repo_root=root,
        reports=report_paths(args.reports, root, cwd),
        rules=args.rules,
        count_mode=args.count_mode,
        select=tuple(args.select),
        ignore=tuple(args.ignore),
        fail_on=args.fail_on,
        use_config=not args.no_config,
        explicit_reports=bool(args.reports),
    )
    result, fail_on = run_check(request)
    # annotations attach to the diff only with paths relative to the workspace
    workspace = os.environ.get("GITHUB_WORKSPACE") or str(cwd)
    changed = None
    if args.changed_lines_from:
        from report_lint.annotate import changed_lines_from

        changed = changed_lines_from(Path(args.changed_lines_from), root)
    fmt = args.format
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    extra: dict[str, object] = {}
    if fmt == "github":
        extra = {"changed_lines": changed, "only_changed": args.only_changed_lines}
    _emit(load_formatter(fmt).render(result, workspace=workspace, **extra), args.output)
    _write_extras(args, result, workspace, changed)
    diagnostics = result.diagnostics
    if args.only_changed_lines and changed is not None:
        from report_lint.annotate import touched

        diagnostics = tuple(d for d in diagnostics if touched(d, changed))
    threshold = Severity.parse(fail_on)
    return 1 if any(d.severity >= threshold for d in diagnostics) else 0


def _write_extras(
    args: argparse.Namespace, result: LintResult, workspace: str, changed: dict[str, set[int]] | None
) -> None:
    """--sarif, --summary (appended: the step summary file is shared) and --github-output."""
    # each formatter is imported only when its option is given (most runs give none)
    if args.sarif:
        from report_lint.formatters import sarif

        _emit(sarif.render(result, workspace=workspace), args.sarif)
    if args.summary:
        from report_lint.formatters import summary

        target = Path(args.summary)
        used = target.stat().st_size if target.is_file() else 0
        text = summary.render(
            result, workspace=workspace, changed_lines=changed, max_bytes=summary.SUMMARY_LIMIT - used
        )
        _append(target, text, "--summary")
    if args.github_output:
        from report_lint.formatters import github

        _append(Path(args.github_output), github.render_outputs(result), "--github-output")


def _append(path: Path, text: str, option: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write: {exc.strerror or exc}") from None


def _run_config(args: argparse.Namespace) -> int:
    from report_lint.config import describe, discover, load

    cwd = Path.cwd()
    root = repo_root(args.repo, cwd)
    reports = report_paths(args.reports, root, cwd)
    start = reports[0][0].parent if reports else root
    cfg = load(Path(args.config), root) if args.config else discover(start, root)
    overrides = {"rules": args.rules, "count_mode": args.count_mode, "fail_on": args.fail_on}
    sys.stdout.write(describe(cfg, overrides))
    return 0


def _run_schema(args: argparse.Namespace) -> int:
    from report_lint.packs.models import PackFile

    _emit(json.dumps(PackFile.model_json_schema(), indent=2, sort_keys=True) + "\n", args.output)
    return 0


def _run_rules() -> int:
    from report_lint.checks import CHECKS, load_check
    from report_lint.packs.loader import builtin_names, load_pack

    lines = ["built-in rule packs:"]
    for name in builtin_names():
        try:
            pack = load_pack(name)
        except ReportLintError:
            continue
        lines.append(f"  {name}: {pack.description}")
    lines.append("rules:")
    for rule in CHECKS:
        lines.append(f"  {rule}: {load_check(rule).SUMMARY}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "check")
    try:
        args = build_parser().parse_args(args_list)
        if args.command == "schema":
            return _run_schema(args)
        if args.command == "rules":
            return _run_rules()
        if args.command == "batch":
            return batch_cli.run(args)
        if args.command == "config":
            return _run_config(args)
        if args.command == "preview":
            return preview_cli.run(args)
        return _run_check(args)
    except ReportLintError as exc:
        sys.stderr.write(f"report-lint: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("report-lint: interrupted\n")
        return 2
    except RecursionError:
        sys.stderr.write("report-lint: error: the report is nested too deeply to parse\n")
        return 2
    except Exception as exc:  # a bug of ours: still one line, unless debugging
        if os.environ.get("REPORT_LINT_DEBUG"):
            raise
        where = type(exc).__name__
        sys.stderr.write(
            f"report-lint: internal error ({where}: {exc}); rerun with REPORT_LINT_DEBUG=1 and report it\n"
        )
        return 2
