"""Lint, fix, lint again until stable; then write the report atomically, or show the diff.

The loop works on the file's own text (``raw``: decoded, BOM removed, line endings kept) and lints
what the engine would read from it, so every pass sees exactly what ``check`` would see on the fixed
file.  It stops when a pass finds nothing to apply, when a text comes back (a cycle), or after
:data:`MAX_PASSES` passes; the last lint is the result shown.  Written back are the same bytes with the
edits made: the BOM when there was one, UTF-8, the file's mode.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from report_lint.api import CheckRequest, plan_check
from report_lint.diagnostic import Diagnostic, Fix
from report_lint.engine import LintOptions, lint_text
from report_lint.errors import InputError
from report_lint.evidence.filesource import FileSource
from report_lint.evidence.repo import open_source
from report_lint.fixes.edits import apply, choose
from report_lint.result import LintResult, ReportResult
from report_lint.safe_text import visible
from report_lint.source import decode, read_report

# a line with its own line break (the last one may have none); never str.splitlines (\v, \f, U+2028 …)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
MAX_PASSES = 8  # fixes that make new fixable problems are rare: a few passes reach a fixed point
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class FixOutcome:
    file: Path
    display: str
    before: bytes
    after: bytes
    fixed: int  # fixes applied, over all passes
    result: ReportResult  # the lint of ``after``

    @property
    def changed(self) -> bool:
        return self.after != self.before


def applicable(diagnostics: Iterable[Diagnostic], unsafe: bool) -> list[Fix]:
    """The fixes ``--fix`` takes: the safe ones, and with ``--unsafe-fixes`` the unsafe ones too."""
    return [d.fix for d in diagnostics if d.fix is not None and (unsafe or d.fix.applicability == "safe")]


def _read(file: Path, display: str) -> bytes:
    """The report's bytes, refused with the lint's own one-line errors (size, file type, encoding)."""
    read_report(file, display)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{display}: cannot read: {exc.strerror or exc}") from None
    decode(data, display)  # these very bytes are UTF-8 (the file may have changed since read_report)
    return data


def _encode(raw: str, had_bom: bool) -> bytes:
    return (BOM if had_bom else b"") + raw.encode("utf-8")


def fix_report(
    file: Path,
    repo_root: Path,
    display: str,
    options: LintOptions,
    *,
    unsafe: bool = False,
    source: FileSource | None = None,
    max_passes: int = MAX_PASSES,
) -> FixOutcome:
    """Apply the fixes the lint offers for ``file`` until none is left (or ``max_passes`` passes have
    applied some); the result is the lint of the final text.  Nothing is written here."""
    before = _read(file, display)
    had_bom = before.startswith(BOM)
    raw = before[len(BOM) :].decode("utf-8") if had_bom else before.decode("utf-8")
    # one listing of the repository for every pass: only the report changes between them
    files = source if source is not None else open_source(repo_root)
    seen = {raw}
    fixed = 0
    for _ in range(max_passes):
        result = _lint(raw, had_bom, file, repo_root, display, options, files)
        chosen = choose(applicable(result.diagnostics, unsafe), raw)
        if not chosen:
            break
        new = apply(raw, chosen)
        if new in seen:  # a cycle (two rules undoing each other): stop where we are
            break
        seen.add(new)
        raw = new
        fixed += len(chosen)
    else:
        result = _lint(raw, had_bom, file, repo_root, display, options, files)
    return FixOutcome(file, display, before, _encode(raw, had_bom), fixed, result)


def _lint(
    raw: str,
    had_bom: bool,
    file: Path,
    repo_root: Path,
    display: str,
    options: LintOptions,
    files: FileSource,
) -> ReportResult:
    text = decode(_encode(raw, had_bom), display).text  # exactly what a lint of the file reads
    return lint_text(
        text, file=file, repo_root=repo_root, display=display, options=options, had_bom=had_bom, source=files
    )


def write(outcome: FixOutcome) -> None:
    """Replace the report by the fixed bytes atomically: a temporary file in the same folder (same file
    system), the original's permission bits, then ``os.replace``.  The report must not have changed
    since it was read (an editor saving meanwhile wins; the student runs --fix again)."""
    if not outcome.changed:
        return
    file = outcome.file
    try:
        st = os.lstat(file)
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
            raise InputError(f"{outcome.display}: not a regular file; --fix writes only regular files")
        if file.read_bytes() != outcome.before:
            raise InputError(f"{outcome.display}: changed while it was being fixed; nothing written")
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".report-lint-fix")
    except OSError as exc:
        raise InputError(f"{outcome.display}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(outcome.after)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, file)
    except OSError as exc:
        raise InputError(f"{outcome.display}: cannot write: {exc.strerror or exc}") from None
    finally:  # an error or an interrupt before the replace leaves no temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def unified_diff(outcome: FixOutcome) -> str:
    """The change as a unified diff (``a/PATH`` -> ``b/PATH``), every line neutralised for a terminal.

    Lines are split at ``\r\n``, ``\r`` and ``\n`` only (as the report's lines are) and shown without
    their own line break; the diff's lines end in ``\n``."""
    if not outcome.changed:
        return ""
    old = _LINE.findall(outcome.before.decode("utf-8"))
    new = _LINE.findall(outcome.after.decode("utf-8"))
    out = []
    for line in difflib.unified_diff(old, new, f"a/{outcome.display}", f"b/{outcome.display}"):
        body = line.rstrip("\r\n") if line.endswith(("\r", "\n")) else line
        out.append(visible(body) + "\n")
        if not line.endswith(("\r", "\n")):
            out.append("\\ No newline at end of file\n")
    return "".join(out)


def run_fix(
    request: CheckRequest, *, unsafe: bool, write_files: bool
) -> tuple[LintResult, str, list[FixOutcome]]:
    """``check --fix`` / ``--diff``: fix each requested report (written only with ``write_files``)."""
    reports, options, fail_on = plan_check(request)
    outcomes = []
    files = open_source(request.repo_root)
    for path, display in reports:
        outcome = fix_report(path, request.repo_root, display, options, unsafe=unsafe, source=files)
        if write_files:
            write(outcome)
        outcomes.append(outcome)
    result = LintResult(reports=tuple(o.result for o in outcomes), repo_root=str(request.repo_root))
    return result, fail_on, outcomes
