"""``--format github``: GitHub Actions workflow commands (annotations on the report's lines).

Every line this module prints is built so that report text — which is untrusted — cannot start a
workflow command of its own:

* annotation messages and properties are escaped as GitHub's toolkit does (``%``, CR and LF in the
  message; also ``:`` and ``,`` in properties), so a message is always one physical line that the
  runner has already recognised as *our* command;
* other control characters are shown as ``\\xNN``, bidi controls as ``<U+202E>`` and the bytes of
  non-UTF-8 file names as ``\\xff`` (no terminal escape sequence or reordering reaches the log; see
  :mod:`report_lint.safe_text`);
* the legacy ``##[command]`` form, recognised anywhere in a line, is broken with a zero-width space;
* plain log lines (the diagnostics beyond the annotation budget) never start with ``::`` after
  whitespace.

GitHub keeps 10 annotations per severity per step and drops the rest silently, so annotations are
emitted in priority order (see :mod:`report_lint.annotate`), the rest are listed in a log group, and
a closing notice says how many were not annotated.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from report_lint.annotate import ANNOTATION_BUDGET, ChangedLines, apply_budget, priority_order, touched
from report_lint.diagnostic import Diagnostic, Severity
from report_lint.result import LintResult
from report_lint.safe_text import BIDI_AND_SURROGATES, escape_char

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
# the runner truncates longer messages; keep our own tail ("[code rule]") visible
MAX_MESSAGE = 4000

ZWSP = "\u200b"
# C0 and C1 controls, DEL, bidi controls, the Unicode line/paragraph separators and lone surrogates;
# CR, LF and TAB are handled apart
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_AND_SURROGATES}]")
_LEGACY = re.compile(r"##\[")
# what may stand before a line's first visible character: whitespace and invisible format characters
_LEADING_INVISIBLE = re.compile(r"^[\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]*")


def _show_control(match: re.Match[str]) -> str:
    return escape_char(match.group(0))


def sanitize(text: str) -> str:
    """Make controls visible and break the legacy ``##[`` command form; CR/LF are left alone."""
    return _LEGACY.sub("##" + ZWSP + "[", _CONTROL.sub(_show_control, text))


def escape_data(text: str) -> str:
    """A workflow command's message, as ``@actions/core`` escapes it."""
    return sanitize(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def neutralise_line(text: str) -> str:
    """One plain log line that cannot be read as a workflow command.

    CR and LF become visible ``\\r``/``\\n`` (so the text stays one line), and a ``::`` at the
    start of the line (after whitespace or invisible characters) is split with a zero-width space.
    """
    line = sanitize(text).replace("\r", "\\r").replace("\n", "\\n")
    lead = _LEADING_INVISIBLE.match(line)
    start = lead.end() if lead else 0
    if line.startswith("::", start):
        line = line[: start + 1] + ZWSP + line[start + 1 :]
    return line


def workspace_path(result: LintResult, path: str, workspace: str = ".") -> str:
    """The diagnostic's path relative to the workspace, '/'-separated, without a ``./`` prefix.

    ``Diagnostic.path`` is relative to the repository root; the run's repository root may be a
    subdirectory of the workspace (``--repo examples/demo``), and annotations only attach to the
    diff when the path is relative to the workspace.
    """
    root = Path(result.repo_root)
    candidate = Path(path) if Path(path).is_absolute() else root / path
    try:
        rel = os.path.relpath(candidate.resolve(), Path(workspace).resolve())
    except ValueError:  # another drive on Windows
        rel = path
    if rel.startswith(".."):
        rel = path
    posix = PurePosixPath(rel.replace(os.sep, "/")).as_posix()
    while posix.startswith("./"):
        posix = posix[2:]
    return posix


def location(d: Diagnostic, path: str) -> str:
    return f"{path}:{d.line}:{d.column}"


def message_text(d: Diagnostic, path: str) -> str:
    """What the log shows: it starts with ``path:line:col`` since the log omits file and line."""
    body = d.message
    if len(body) > MAX_MESSAGE:
        body = body[: MAX_MESSAGE - 1] + "…"
    return f"{location(d, path)}: {d.code} [{d.rule}] {body}"


def annotation(d: Diagnostic, path: str) -> str:
    """One ``::error file=…,line=…,endLine=…,col=…,title=…::message`` line."""
    props = [("file", path), ("line", str(d.line)), ("endLine", str(max(d.end_line, d.line)))]
    # GitHub takes col/endColumn only on a one-line annotation (@actions/core: "Cannot be sent when
    # `startLine` and `endLine` are different values"), so a range over several lines has neither
    if d.end_line == d.line:
        props.append(("col", str(d.column)))
        if d.end_column is not None and d.end_column - 1 > d.column:
            props.append(("endColumn", str(d.end_column - 1)))  # ours is exclusive, GitHub's inclusive
    props.append(("title", f"{d.code} {d.rule}"))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{COMMANDS[d.severity]} {joined}::{escape_data(message_text(d, path))}"


def plain_line(d: Diagnostic, path: str) -> str:
    return neutralise_line(f"{d.severity}: {message_text(d, path)}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render(
    result: LintResult,
    *,
    workspace: str = ".",
    changed_lines: ChangedLines | None = None,
    only_changed: bool = False,
    budget: int = ANNOTATION_BUDGET,
) -> str:
    """Annotations in priority order within GitHub's budget, then the overflow as plain log lines.

    ``changed_lines`` (paths relative to the repository root) puts the lines a pull request touched
    first; with ``only_changed`` the other diagnostics are not printed at all (only counted).
    ``only_changed`` without ``changed_lines`` (not a pull request) filters nothing.
    """
    diagnostics = list(result.diagnostics)
    skipped = 0
    if only_changed and changed_lines is not None:
        kept = [d for d in diagnostics if touched(d, changed_lines)]
        skipped = len(diagnostics) - len(kept)
        diagnostics = kept
    split = apply_budget(priority_order(diagnostics, changed_lines), budget)
    paths: dict[str, str] = {}

    def path_of(d: Diagnostic) -> str:
        if d.path not in paths:
            paths[d.path] = workspace_path(result, d.path, workspace)
        return paths[d.path]

    lines = [annotation(d, path_of(d)) for d in split.annotated]
    if split.overflow:
        counts = ", ".join(
            _plural(n, str(s))
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if (n := sum(1 for d in split.overflow if d.severity == s))
        )
        lines.append(f"::group::report-lint: {len(split.overflow)} more (not annotated)")
        lines.extend(plain_line(d, path_of(d)) for d in split.overflow)
        lines.append("::endgroup::")
        was = "was" if len(split.overflow) == 1 else "were"
        note = (
            f"{_plural(len(split.overflow), 'more diagnostic')} {was} not annotated ({counts}): GitHub keeps "
            f"{budget} annotations per severity per step. All are in the job summary and in the "
            "log group 'report-lint: … more'."
        )
        lines.append(f"::notice title={escape_property('report-lint')}::{escape_data(note)}")
    if skipped:
        lines.append(
            neutralise_line(
                f"report-lint: {_plural(skipped, 'diagnostic')} on lines this change did not touch "
                "not shown (--only-changed-lines)"
            )
        )
    return "\n".join(lines) + ("\n" if lines else "")


def outputs(result: LintResult) -> dict[str, str]:
    """The action's outputs: counts over all reports."""
    return {
        "errors": str(result.count(Severity.ERROR)),
        "warnings": str(result.count(Severity.WARNING)),
        "infos": str(result.count(Severity.INFO)),
        "questions-passed": str(sum(r.questions_passed for r in result.reports)),
        "questions-total": str(sum(len(r.questions) for r in result.reports)),
    }


def render_outputs(values: Mapping[str, str] | LintResult) -> str:
    """``name=value`` lines for ``$GITHUB_OUTPUT`` (values here are numbers: no delimiters needed)."""
    mapping = outputs(values) if isinstance(values, LintResult) else values
    for key, value in mapping.items():
        if "\n" in key or "\n" in value or "=" in key:
            raise ValueError(f"output {key!r} cannot be written as one line")
    return "".join(f"{key}={value}\n" for key, value in mapping.items())
