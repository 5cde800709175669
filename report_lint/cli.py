"""Command line: parses arguments, calls the library, prints, returns an exit code.

Exit codes: 0 nothing at or above ``--fail-on``; 1 something is; 2 usage, input or rule-file error.

Everything printed goes through :mod:`report_lint.terminal` (the stream's own encoding, never a
crash) and untrusted text in it through :mod:`report_lint.safe_text` (no raw control characters).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from report_lint import __version__, terminal
from report_lint.cli_parser import DEFAULT_REPORT, Parser, comma_list
from report_lint.errors import InputError, ReportLintError, UsageError
from report_lint.safe_text import ERRORS, visible
from report_lint.targets import repo_root, report_paths

if TYPE_CHECKING:
    from report_lint.fixes.run import FixOutcome
    from report_lint.result import LintResult

    _Sub = argparse._SubParsersAction[Parser]

COMMANDS = ("check", "schema", "rules", "explain", "config", "batch", "lsp", "preview", "init")


def _check_parser(sub: argparse._SubParsersAction[Parser]) -> None:
    p = sub.add_parser("check", help="lint reports (the default command)")
    p.add_argument("reports", nargs="*", metavar="REPORT", help=f"report files (default: {DEFAULT_REPORT})")
    p.add_argument(
        "--repo", metavar="DIR", help="repository root (default: git top level of the current dir)"
    )
    p.add_argument("--rules", metavar="NAME|PATH", help="rule pack name or file (default: detected)")
    p.add_argument("--count-mode", choices=("official", "prose"), help="how words are counted")
    p.add_argument("--select", type=comma_list, default=[], metavar="RULES", help="only these rules/codes")
    p.add_argument("--ignore", type=comma_list, default=[], metavar="RULES", help="skip these rules/codes")
    p.add_argument(
        "--format",
        default="auto",
        choices=("auto", "text", "json", "github", "sarif", "summary"),
        help="output format (default auto: github under GitHub Actions, else text)",
    )
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text format and errors: auto (default) on a terminal unless NO_COLOR is set "
        "or FORCE_COLOR asks for it; always and never win over both",
    )
    p.add_argument(
        "--quiet", "-q", action="store_true", help="only error diagnostics, no summary line (text format)"
    )
    p.add_argument(
        "--statistics",
        action="store_true",
        help="one count per rule (count, code, rule) instead of each diagnostic (text format)",
    )
    p.add_argument(
        "--show-source",
        action="store_true",
        help="show the offending report line with a caret under the column (text format)",
    )
    p.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes rules offer (the report file is the only file written), then show "
        "what remains",
    )
    p.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes --fix would make as a unified diff, write nothing; exit 1 if there are any",
    )
    p.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, also apply fixes that may change what the report means",
    )
    p.add_argument("--config", metavar="FILE", help="use this configuration file instead of discovering one")
    p.add_argument(
        "--fail-on", choices=("error", "warning", "info"), help="lowest severity that fails (error)"
    )
    p.add_argument("--output", metavar="FILE", help="write the formatted result here instead of stdout")
    p.add_argument(
        "--no-config", action="store_true", help="ignore pyproject.toml/.report-lint.yaml settings"
    )
    p.add_argument(
        "--no-inline-config",
        action="store_true",
        help="ignore the report's `report-lint: disable` comments (suppress nothing)",
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


def _simple_parsers(sub: _Sub, name: str) -> None:
    if name == "schema":
        schema = sub.add_parser("schema", help="print the JSON Schema of rule pack files")
        schema.add_argument("--output", metavar="FILE", help="write the schema here instead of stdout")
    elif name == "rules":
        rules = sub.add_parser(
            "rules", help="list the built-in rule packs and rules, or one pack's rules and limits"
        )
        rules.add_argument(
            "pack", nargs="?", metavar="PACK", help="a pack name or file: its rules and limits per question"
        )
    elif name == "explain":
        explain = sub.add_parser("explain", help="a rule's help, an example and what fixes it")
        explain.add_argument("rule", metavar="RULE", help="a rule name (answer-length) or code (RL201)")
    elif name == "lsp":
        lsp = sub.add_parser(
            "lsp", help="run the language server (live diagnostics in an editor; needs [lsp])"
        )
        lsp.add_argument(
            "--stdio", action="store_true", help="talk LSP over stdin/stdout (the only transport)"
        )


def _config_parser(sub: _Sub) -> None:
    config = sub.add_parser("config", help="print the effective configuration and where each value came from")
    config.add_argument(
        "reports", nargs="*", metavar="REPORT", help="the configuration nearest to this report is shown"
    )
    config.add_argument(
        "--repo", metavar="DIR", help="repository root (default: git top level of the current dir)"
    )
    config.add_argument("--config", metavar="FILE", help="a configuration file instead of discovery")
    config.add_argument("--rules", metavar="NAME|PATH", help="show the effect of check --rules")
    config.add_argument(
        "--count-mode", choices=("official", "prose"), help="show the effect of check --count-mode"
    )
    config.add_argument(
        "--fail-on", choices=("error", "warning", "info"), help="show the effect of check --fail-on"
    )


def _add_subparser(sub: _Sub, name: str) -> None:
    # batch, preview and init keep their options beside their code; their modules are imported only
    # when that command (or the full help) is asked for: `check` would otherwise import them on every
    # run for nothing
    if name == "check":
        _check_parser(sub)
    elif name == "batch":
        from report_lint.batch import cli as batch_cli

        batch_cli.add_parser(sub)
    elif name == "preview":
        from report_lint.handin import preview as preview_cli

        preview_cli.add_parser(sub)  # type: ignore[arg-type]
    elif name == "init":
        from report_lint.init import cli as init_cli

        init_cli.add_parser(sub)
    elif name == "config":
        _config_parser(sub)
    else:
        _simple_parsers(sub, name)


# the order `report-lint --help` lists them in
_HELP_ORDER = ("check", "schema", "rules", "explain", "batch", "preview", "init", "config", "lsp")


def build_parser(command: str | None = None) -> Parser:
    """The whole command line, or only ``command``'s subcommand (what a run of it needs to parse)."""
    parser = Parser(prog="report-lint", description="Lint templated exam reports with exact line numbers.")
    parser.add_argument("--version", action="version", version=f"report-lint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    for name in _HELP_ORDER if command is None else (command,):
        _add_subparser(sub, name)
    return parser


def _emit(text: str, output: str | None, option: str = "--output") -> None:
    if output:
        try:
            # the formatters leave nothing UTF-8 cannot hold; ERRORS is the net should one slip through
            Path(output).write_text(text, encoding="utf-8", errors=ERRORS)
        except OSError as exc:
            raise UsageError(f"{option} {output}: cannot write: {exc.strerror or exc}") from None
    else:
        terminal.write(sys.stdout, text)


def _run_check(args: argparse.Namespace) -> int:
    from report_lint.api import CheckRequest, run_check
    from report_lint.diagnostic import Severity
    from report_lint.formatters import load_formatter

    cwd = Path.cwd()
    root = repo_root(args.repo, cwd)
    config_file = _config_file(args, cwd)
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
        inline_config=not args.no_inline_config,
        config_file=config_file,
    )
    fmt = args.format
    if fmt == "auto":
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    text_only = [o for o in ("quiet", "statistics", "show_source") if getattr(args, o)]
    if text_only and fmt != "text":
        option = "--" + text_only[0].replace("_", "-")
        raise UsageError(f"{option} shapes the text format; the format here is {fmt} (add --format text)")
    if args.fix and args.diff:
        raise UsageError("--fix writes the fixes and --diff only shows them: give one of the two")
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes goes with --fix or --diff")
    fixed: tuple[int, int] | None = None
    if args.fix or args.diff:
        from report_lint.fixes import run as fixes

        result, fail_on, outcomes = fixes.run_fix(request, unsafe=args.unsafe_fixes, write_files=args.fix)
        if args.diff:
            return _show_diff(outcomes)
        fixed = (sum(o.fixed for o in outcomes), len(result.diagnostics))
    else:
        result, fail_on = run_check(request)
    # annotations attach to the diff only with paths relative to the workspace
    workspace = os.environ.get("GITHUB_WORKSPACE") or str(cwd)
    changed = None
    if args.changed_lines_from:
        from report_lint.annotate import changed_lines_from

        changed = changed_lines_from(Path(args.changed_lines_from), root)
    extra: dict[str, object] = {}
    if fmt == "github":
        extra = {"changed_lines": changed, "only_changed": args.only_changed_lines}
    elif fmt == "text":
        extra = {
            # a file never gets colour, whatever --color says: it is read later, elsewhere
            "style": style_for(args.color, sys.stdout) if not args.output else terminal.Style(),
            "cwd": cwd.resolve(),
            "quiet": args.quiet,
            "show_statistics": args.statistics,
            "sources": _sources(result) if args.show_source else None,
            "fixed": fixed,
        }
    elif fmt in ("json", "sarif") and not args.output:
        # lossless on any stream: what the encoding lacks becomes a JSON \u escape
        extra = {"ensure_ascii": not terminal.unicode_stream(sys.stdout)}
    _emit(load_formatter(fmt).render(result, workspace=workspace, **extra), args.output)
    if fixed is not None and fmt != "text":  # the machine formats keep stdout to themselves
        from report_lint.formatters.text import fixed_line

        terminal.write(sys.stderr, fixed_line(*fixed) + "\n")
    _write_extras(args, result, workspace, changed)
    diagnostics = result.diagnostics
    if args.only_changed_lines and changed is not None:
        from report_lint.annotate import touched

        diagnostics = tuple(d for d in diagnostics if touched(d, changed))
    threshold = Severity.parse(fail_on)
    return 1 if any(d.severity >= threshold for d in diagnostics) else 0


def _show_diff(outcomes: Sequence[FixOutcome]) -> int:
    """--diff: the unified diff on stdout, the count on stderr (as ruff); 1 when there is a change."""
    from report_lint.fixes.run import unified_diff

    terminal.write(sys.stdout, "".join(unified_diff(o) for o in outcomes))
    count = sum(o.fixed for o in outcomes)
    terminal.write(sys.stderr, f"Would fix {count} problem{'' if count == 1 else 's'}.\n")
    return 1 if any(o.changed for o in outcomes) else 0


def style_for(choice: str, stream: terminal.Stream) -> terminal.Style:
    """``--color``: ``always``/``never`` win over the environment; ``auto`` is terminal.colour_wanted."""
    if choice == "always":
        return terminal.Style(True)
    if choice == "never":
        return terminal.Style(False)
    return terminal.Style.for_stream(stream)


def _config_file(args: argparse.Namespace, cwd: Path) -> Path | None:
    if not args.config:
        return None
    if args.no_config:
        raise UsageError("--config and --no-config exclude each other")
    path = Path(args.config) if Path(args.config).is_absolute() else cwd / args.config
    if not path.is_file():
        raise UsageError(f"--config {args.config}: no such file")
    return path


def _sources(result: LintResult) -> dict[str, tuple[str, ...]]:
    """The lines of each linted report, for --show-source (read as the engine read them)."""
    from report_lint.source import read_report

    out: dict[str, tuple[str, ...]] = {}
    for report in result.reports:
        try:
            out[report.path] = read_report(Path(result.repo_root) / report.path, report.path).lines
        except InputError:  # gone since it was linted: the diagnostics are still shown
            continue
    return out


def _write_extras(
    args: argparse.Namespace, result: LintResult, workspace: str, changed: dict[str, set[int]] | None
) -> None:
    """--sarif, --summary (appended: the step summary file is shared) and --github-output."""
    # each formatter is imported only when its option is given (most runs give none)
    if args.sarif:
        from report_lint.formatters import sarif

        _emit(sarif.render(result, workspace=workspace), args.sarif, "--sarif")
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
        with path.open("a", encoding="utf-8", errors=ERRORS) as handle:
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write: {exc.strerror or exc}") from None


def _run_config(args: argparse.Namespace) -> int:
    from report_lint.config import discover, load
    from report_lint.config_describe import describe

    cwd = Path.cwd()
    root = repo_root(args.repo, cwd)
    reports = report_paths(args.reports, root, cwd)
    start = reports[0][0].parent if reports else root
    cfg = load(Path(args.config), root) if args.config else discover(start, root)
    overrides = {"rules": args.rules, "count_mode": args.count_mode, "fail_on": args.fail_on}
    # values and keys come from a file in the repository: untrusted; the line structure is ours
    terminal.write(sys.stdout, visible(describe(cfg, overrides), newlines=True))
    return 0


def _run_schema(args: argparse.Namespace) -> int:
    from report_lint.packs.models import PackFile

    _emit(json.dumps(PackFile.model_json_schema(), indent=2, sort_keys=True) + "\n", args.output)
    return 0


def _run_rules(args: argparse.Namespace) -> int:
    from report_lint import cli_info

    text = cli_info.describe_pack(args.pack, Path.cwd()) if args.pack else cli_info.list_packs()
    terminal.write(sys.stdout, text)
    return 0


def _run_explain(args: argparse.Namespace) -> int:
    from report_lint import cli_info

    terminal.write(sys.stdout, cli_info.explain(args.rule))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "check")
    colour = "auto"  # --color, once parsed, also colours the error line
    try:
        # a run parses with its own subcommand only; --help and --version (no command) see them all
        command = args_list[0] if args_list[0] in COMMANDS else None
        args = build_parser(command).parse_args(args_list)
        colour = getattr(args, "color", "auto")
        if args.command == "schema":
            return _run_schema(args)
        if args.command == "rules":
            return _run_rules(args)
        if args.command == "explain":
            return _run_explain(args)
        if args.command == "batch":
            from report_lint.batch import cli as batch_cli

            return batch_cli.run(args)
        if args.command == "config":
            return _run_config(args)
        if args.command == "lsp":
            from report_lint.lsp import main as lsp_main  # lazy: pygls is an optional extra

            return lsp_main()
        if args.command == "preview":
            from report_lint.handin import preview as preview_cli

            return preview_cli.run(args)
        if args.command == "init":
            from report_lint.init import cli as init_cli

            return init_cli.run(args)
        return _run_check(args)
    except ReportLintError as exc:
        terminal.error(sys.stderr, str(exc), style=style_for(colour, sys.stderr))
        return 2
    except KeyboardInterrupt:
        terminal.error(sys.stderr, "interrupted", prefix="report-lint:")
        return 2
    except RecursionError:
        # every reader (report, packs, config, evidence, event file) bounds its own nesting and names
        # its file; one that escapes is our bug, not the report's
        terminal.error(
            sys.stderr,
            "(RecursionError: an input nested too deeply); rerun with REPORT_LINT_DEBUG=1 and report it",
            prefix="report-lint: internal error",
        )
        return 2
    except terminal.StreamClosed:
        return _stdout_closed()
    except Exception as exc:  # a bug of ours: still one line, unless debugging
        if os.environ.get("REPORT_LINT_DEBUG"):
            raise
        where = type(exc).__name__
        terminal.error(
            sys.stderr,
            f"({where}: {exc}); rerun with REPORT_LINT_DEBUG=1 and report it",
            prefix="report-lint: internal error",
        )
        return 2


def _stdout_closed() -> int:
    """The reader went away (``report-lint check | head -1``): no message, no second error at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor behind stdout
        pass
    return 2
