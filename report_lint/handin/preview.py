"""``report-lint preview [REPORT] [-o FILE] [--compare]``: the page staff grade, before they do.

Without ``--compare`` the output is exactly the course's export for this file: the same cut, the same
renderer, the same bytes (UTF-8) for the same input and ``markdown`` version.  ``--compare`` writes the
side-by-side page (``page.py``).  Nothing is written into the repository unless ``-o`` points there.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from report_lint.errors import InputError, UsageError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("preview", help="write the hand-in page as the course's export makes it")
    p.add_argument("report", nargs="?", metavar="REPORT", help="report file (default: reports/README.md)")
    p.add_argument("--repo", metavar="DIR", help="repository root (default: git top level of the cwd)")
    p.add_argument("--rules", metavar="NAME|PATH", help="rule pack name or file (default: detected)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the page here instead of stdout")
    p.add_argument(
        "--compare", action="store_true", help="one page with the hand-in beside GitHub, differences marked"
    )


def _pipeline(pack_handin: object, name: str) -> tuple[int, tuple[str, ...]]:
    if pack_handin is None:
        raise UsageError(f"rule pack {name!r} describes no hand-in export (handin: null)")
    skip = int(getattr(pack_handin, "skip_chars", 0))
    return skip, tuple(getattr(pack_handin, "extensions", ()))


def run(args: argparse.Namespace) -> int:
    from report_lint.engine import LintOptions, Selection, analyse_text, resolve_pack
    from report_lint.source import read_report
    from report_lint.targets import repo_root, report_paths

    from .analysis import analyse
    from .export import Pipeline, export_html, export_text, too_costly

    cwd = Path.cwd()
    root = repo_root(args.repo, cwd)
    ((path, display),) = report_paths([args.report] if args.report else [], root, cwd)
    source = read_report(path, display)
    selection = Selection(("handin-render", "handin-cut"))
    options = LintOptions(pack=args.rules, pack_base=cwd, selection=selection)
    pack = resolve_pack(source.text, options)
    skip, extensions = _pipeline(pack.handin, pack.name)
    try:  # validated by read_report above; read again as the export reads it (see export_text)
        text = export_text(path.read_bytes())
    except OSError as exc:
        raise InputError(f"{display}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:  # changed since read_report checked it
        raise InputError(f"{display}: not valid UTF-8; save the file as UTF-8") from None
    reason = too_costly(text[skip:])
    if reason is not None:  # the export itself would run for minutes (or recurse too deeply)
        raise InputError(f"{display}: not rendered: {reason}")
    page = export_html(text, Pipeline(extensions=extensions, skip_chars=skip))
    if args.compare:
        from .page import render

        result, report = analyse_text(
            source.text, file=path, repo_root=root, display=display, options=options, had_bom=source.had_bom
        )
        page = render(report, analyse(report, extensions, full=True), result.diagnostics, page)
    data = page.encode("utf-8")
    if args.output:
        try:
            Path(args.output).write_bytes(data)
        except OSError as exc:
            raise UsageError(f"--output {args.output}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
