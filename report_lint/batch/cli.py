"""``report-lint batch``: argument parsing and the run; wired into ``report_lint.cli``.

This module never imports ``report_lint.cli`` (that one imports this one to register the subcommand).
Every error names the option it is about, is one line, and shows the given value neutralised.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from report_lint import __version__
from report_lint.batch.text import shown
from report_lint.cli_parser import DEFAULT_REPORT, Parser, comma_list
from report_lint.errors import UsageError

DEFAULT_OUT = "report-lint-batch"
DEFAULT_TIMEOUT = 60.0  # seconds per repository (runner.DEFAULT_TIMEOUT; not imported: keep this cheap)
_CODE = re.compile(r"^[A-Z]{1,4}\d{0,4}$")


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"--jobs wants a positive whole number, not '{shown(value)}'")
    return int(value)


def _timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(
            f"--timeout wants a positive number of seconds, not '{shown(value)}'"
        )
    return seconds


def parse_at(value: str) -> datetime:
    """An ISO 8601 date and time; without an offset it is local time.  Always returned timezone-aware."""
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        raise UsageError(f"--at {text}: give a time too, e.g. {text}T23:59 (or {text}T23:59+01:00)")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--at {shown(value)}: not an ISO 8601 date and time such as 2026-01-23T23:59+01:00"
        ) from None
    return when if when.tzinfo is not None else when.astimezone()


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "batch", help="lint many repositories at once (staff): CSV, JSON and an HTML dashboard"
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="a repository (work tree or bare) or a folder searched for repositories at any depth",
    )
    p.add_argument(
        "--repos-file",
        metavar="FILE",
        help="repositories, one path or URL per line, or a CSV with a 'url' or 'path' column and optional "
        "'group' and 'branch' columns (paths relative to the file); URLs are cloned into --clone-dir",
    )
    p.add_argument(
        "--clone-dir",
        metavar="DIR",
        help="the cache of clones of --repos-file URLs, kept between runs so that a run fetches only what "
        "changed (default: $XDG_CACHE_HOME/report-lint/clones, else ~/.cache/report-lint/clones)",
    )
    p.add_argument(
        "--token-host",
        action="append",
        metavar="HOST",
        help="a host (host or host:port) that gets the token of $GIT_TOKEN or $GITHUB_TOKEN over https; "
        "repeat for more (default: github.com)",
    )
    p.add_argument("--jobs", "-j", type=_jobs, metavar="N", help="parallel processes (default: CPU count)")
    p.add_argument(
        "--at",
        metavar="DATETIME",
        help="lint each default branch's last commit at or before this time (committer date; "
        "ISO 8601, local time unless an offset is given), read from git objects",
    )
    p.add_argument(
        "--out", default=DEFAULT_OUT, metavar="DIR", help=f"output folder (default: {DEFAULT_OUT})"
    )
    p.add_argument(
        "--report",
        default=DEFAULT_REPORT,
        metavar="PATH",
        help=f"the report inside each repository (default: {DEFAULT_REPORT})",
    )
    p.add_argument(
        "--rules", metavar="NAME|PATH", help="rule pack name or file (default: detected per report)"
    )
    p.add_argument("--count-mode", choices=("official", "prose"), help="how words are counted")
    p.add_argument("--select", type=comma_list, default=[], metavar="RULES", help="only these rules/codes")
    p.add_argument("--ignore", type=comma_list, default=[], metavar="RULES", help="skip these rules/codes")
    p.add_argument(
        "--timeout",
        type=_timeout,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"wall-clock limit per repository; one that takes longer is stopped and becomes an error row "
        f"(default: {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument(
        "--no-inline-config",
        action="store_true",
        help="ignore the reports' own `report-lint: disable` comments, so nothing can be hidden from staff",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    p.add_argument(
        "--no-handin-pages",
        action="store_true",
        help="do not write each group's hand-in page (handin/): about a quarter less work per report",
    )
    p.add_argument(
        "--compare",
        metavar="OLD_RESULTS_JSON",
        help="the results.json of an earlier run: show how each group moved since then",
    )


def _selection(args: argparse.Namespace) -> Any:
    from report_lint.checks import CHECKS
    from report_lint.engine import Selection

    for option, patterns in (("--select", args.select), ("--ignore", args.ignore)):
        for pattern in patterns:
            if pattern not in CHECKS and pattern != "suppression" and not _CODE.match(pattern):
                raise UsageError(
                    f"{option}: unknown rule or code '{shown(pattern)}' (known: {', '.join(sorted(CHECKS))})"
                )
    return Selection(tuple(args.select), tuple(args.ignore), {})


def run(args: argparse.Namespace) -> int:
    """Exit 0: all repositories linted; 1: some could not be (their rows say why); 2: usage error."""
    from report_lint.batch import dashboard
    from report_lint.batch.discover import discover, split_listed
    from report_lint.batch.handin import FOLDER, write_pages
    from report_lint.batch.rows import mark_duplicate_groups
    from report_lint.batch.runner import default_jobs, run_jobs
    from report_lint.batch.worker import Job
    from report_lint.batch.writers import write_csv, write_json, write_questions_csv
    from report_lint.engine import LintOptions
    from report_lint.errors import ReportLintError
    from report_lint.packs.loader import load_pack

    cwd = Path.cwd()
    if not args.paths and not args.repos_file:
        raise UsageError("batch: give at least one PATH or --repos-file")
    report = args.report.strip().lstrip("/")
    if not report or ".." in Path(report).parts or "\0" in report:
        raise UsageError(f"--report {shown(args.report)}: must be a path inside the repository")
    at = parse_at(args.at) if args.at else None
    selection = _selection(args)
    old = None
    if args.compare:  # read before the run: a bad file costs nothing
        from report_lint.batch.compare import load_old

        old = load_old(args.compare, cwd)
    options = LintOptions(
        pack=args.rules,
        pack_base=cwd,
        count_mode=args.count_mode,
        selection=selection,
        inline_config=not args.no_inline_config,
    )
    if args.rules:
        try:  # a bad pack is one error, not N rows
            pack = load_pack(args.rules, base=cwd)
        except ReportLintError as exc:
            raise UsageError(f"--rules {shown(args.rules)}: {shown(str(exc))}") from None
        selection.validate(pack)
    local_rows, url_rows = split_listed(args.repos_file, cwd)
    targets = discover(list(args.paths), args.repos_file, report, cwd, listed=local_rows)
    jobs = args.jobs or default_jobs()
    fetch_stats: dict[str, Any] = {}
    fetched = _fetch(args, url_rows, targets, at, jobs, cwd, fetch_stats) if url_rows else []
    targets = sorted([*targets, *(f.target for f in fetched)], key=lambda t: t.display)
    if not targets:
        raise UsageError("batch: no repositories found")
    out = cwd / args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"--out {shown(args.out)}: cannot create it: {shown(why)}") from None
    started = time.perf_counter()
    # warm the imports the workers need before the pool forks, so each worker does not repeat them
    import report_lint.batch.worker  # noqa: F401

    by_display = {f.target.display: f for f in fetched}
    reused, stamp = _reused(args, targets, by_display, options, report, cwd)
    todo = [t for t in targets if t.display not in reused]
    linted = run_jobs(
        [Job(t, report, at, options, not args.no_handin_pages) for t in todo],
        jobs,
        progress=False if args.no_progress else None,
        timeout=args.timeout,
    )
    if fetched:
        from report_lint.batch import clone_rows

        for target, row in zip(todo, linted, strict=True):
            got = by_display.get(target.display)
            if got is not None and got.commit and target.git_dir is not None:
                clone_rows.save(target.git_dir, got.commit, stamp, row)
    done = iter(linted)
    rows = [reused[t.display] if t.display in reused else next(done) for t in targets]
    if fetched:
        fetch_stats["reused"] = len(reused)
    for row in rows:  # what fetching learnt (a redirect, the branch) on the URL rows
        got = by_display.get(row.path)
        if got is not None:
            row.notes = [*got.notes, *row.notes]
            if got.branch and row.branch in ("", "HEAD"):  # a clone's one branch is what HEAD names
                row.branch = got.branch
    duplicates = mark_duplicate_groups(rows)
    meta = {
        "generated": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        "at": at.isoformat() if at else None,
        "report": shown(report),
        "jobs": jobs,
        "timeout": args.timeout,
        "inline_config": not args.no_inline_config,
        "version": __version__,
        "seconds": round(time.perf_counter() - started, 3),
        "duplicate_groups": {str(group): paths for group, paths in duplicates.items()},
    }
    if fetch_stats:  # only with URL rows: the results of a run over folders stay as they were
        meta["fetch"] = fetch_stats
    if old is not None:
        from report_lint.batch.compare import compare

        meta["compare"] = compare(rows, old)
    try:
        pages = write_pages(rows, out)
        write_csv(rows, out / "results.csv")
        write_questions_csv(rows, out / "questions.csv")
        write_json(rows, meta, out / "results.json")
        dashboard.write(rows, meta, out / "dashboard.html")
    except OSError as exc:
        raise UsageError(f"--out {shown(args.out)}: cannot write: {exc.strerror or exc}") from None
    failed = sum(1 for r in rows if not r.linted)
    where = out.relative_to(cwd) if out.is_relative_to(cwd) else out
    claimed = (
        f"; group number claimed twice or more: {', '.join(str(g) for g in duplicates)}" if duplicates else ""
    )
    from report_lint import terminal

    terminal.write(  # the stream's encoding; --out is shown neutralised
        sys.stdout,
        f"linted {len(rows) - failed}/{len(rows)} repositories"
        f"{f' ({failed} could not be linted)' if failed else ''}{claimed} in {meta['seconds']:.1f}s -> "
        f"{shown(str(where))}/results.csv, questions.csv, results.json, dashboard.html"
        f"{f', {FOLDER}/ ({pages} hand-in pages)' if pages else ''}\n"
        + (f"{meta['compare']['summary']}\n" if old is not None else ""),
    )
    return 1 if failed else 0


def _fetch(
    args: argparse.Namespace,
    url_rows: list[Any],
    linted: list[Any],
    at: datetime | None,
    jobs: int,
    cwd: Path,
    stats: dict[str, Any],
) -> list[Any]:
    """The repos file's URL rows cloned or fetched into the cache, one ``clone.Fetched`` each; what it
    cost goes into ``stats`` (results.json's ``batch.fetch``)."""
    from report_lint import terminal
    from report_lint.batch.clone import check_clone_dir, default_clone_dir, remote_targets
    from report_lint.batch.clone_auth import from_environment

    option = "--clone-dir" if args.clone_dir else "the default --clone-dir"
    clone_dir = Path(os.path.abspath(cwd / args.clone_dir)) if args.clone_dir else default_clone_dir()
    check_clone_dir(clone_dir, linted, option)
    try:
        clone_dir.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"{option} {shown(str(clone_dir))}: cannot create it: {shown(why)}") from None
    auth = from_environment(args.token_host)
    started, cpu = time.perf_counter(), _cpu()
    fetched = remote_targets(
        url_rows,
        clone_dir,
        at=at,
        timeout=args.timeout,
        auth=auth,
        jobs=jobs,
        progress=False if args.no_progress else None,
    )
    failed = sum(1 for f in fetched if f.target.problem)
    stats.update(
        repositories=len(fetched),
        failed=failed,
        cloned=sum(1 for f in fetched if f.cloned),
        changed=sum(1 for f in fetched if f.changed),
        seconds=round(time.perf_counter() - started, 3),
        cpu_seconds=round(_cpu() - cpu, 3),
    )
    terminal.write(
        sys.stdout,
        f"fetched {len(fetched) - failed}/{len(fetched)} repositories"
        f"{f' ({failed} could not be fetched)' if failed else ''} in {time.perf_counter() - started:.1f}s"
        f" -> {shown(str(clone_dir))}\n",
    )
    return fetched


def _reused(
    args: argparse.Namespace,
    targets: list[Any],
    by_display: dict[str, Any],
    options: Any,
    report: str,
    cwd: Path,
) -> tuple[dict[str, Any], str]:
    """Rows of earlier runs for the URL rows whose linted commit is unchanged (see ``clone_rows``),
    by display path; and the options' fingerprint they were looked up with."""
    if not by_display:
        return {}, ""
    from report_lint.batch import clone_rows

    rules = Path(cwd / args.rules) if args.rules else None
    # a row kept from a run without hand-in pages has none to write
    stamp = clone_rows.fingerprint(options, report, rules) + ("" if args.no_handin_pages else "+pages")
    reused = {}
    for target in targets:
        got = by_display.get(target.display)
        if got is None or not got.commit or target.git_dir is None or target.problem:
            continue
        row = clone_rows.load(target.git_dir, got.commit, stamp)
        if row is not None:
            row.path, row.folder_group = target.display, target.folder_group
            reused[target.display] = row
    return reused, stamp


def _cpu() -> float:
    """CPU seconds of this process (all threads) and of its children that have ended (git)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    """``python -m report_lint.batch ...``: the subcommand on its own (same errors and exit codes)."""
    from report_lint import terminal
    from report_lint.errors import ReportLintError

    parser = Parser(prog="report-lint")
    add_parser(parser.add_subparsers(dest="command", parser_class=Parser))
    try:
        return run(parser.parse_args(["batch", *(sys.argv[1:] if argv is None else argv)]))
    except ReportLintError as exc:
        terminal.error(sys.stderr, str(exc))
        return 2
    except KeyboardInterrupt:
        terminal.error(sys.stderr, "interrupted", prefix="report-lint:")
        return 2
