"""Which lines a pull request touched, and in which order diagnostics become annotations.

GitHub keeps at most 10 error, 10 warning and 10 notice annotations per step (a composite action's
steps share one such budget) and silently drops the rest, so the order matters: errors first, and on
a pull request the lines it touched first.

``changed_lines`` maps a path relative to the repository root ('/'-separated, like
:attr:`Diagnostic.path`) to the set of 1-based line numbers the change added or modified (the new
side of the diff).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

from report_lint.changes import changed_since
from report_lint.diagnostic import Diagnostic, Severity
from report_lint.errors import InputError

ChangedLines = Mapping[str, AbstractSet[int]]

# GitHub's per-step limit, for each of error, warning and notice
ANNOTATION_BUDGET = 10

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")


def parse_unified_diff(text: str) -> dict[str, set[int]]:
    """New-side line numbers of added lines, per file, from ``git diff`` / unified diff text.

    Paths are taken from the ``+++ b/path`` headers (the ``b/`` prefix removed; a quoted C-style
    path is unquoted).  Deleted files (``+++ /dev/null``) contribute nothing.
    """
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    new_line = 0
    for raw in text.splitlines():
        if raw.startswith("+++ "):
            target = _diff_path(raw[4:])
            current = None if target is None else changed.setdefault(target, set())
            continue
        if raw.startswith("--- ") and current is None:
            continue
        match = _HUNK.match(raw)
        if match:
            new_line = int(match.group(1))
            continue
        if current is None or not raw:
            continue
        marker = raw[0]
        if marker == "+":
            current.add(new_line)
            new_line += 1
        elif marker == " ":
            new_line += 1
        # '-' lines and '\ No newline at end of file' do not advance the new side
    return {path: lines for path, lines in changed.items() if lines}


def _diff_path(header: str) -> str | None:
    header = header.split("\t", 1)[0].rstrip()
    if header == "/dev/null":
        return None
    if header.startswith('"') and header.endswith('"'):
        header = header[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
        header = header.encode("latin-1", "ignore").decode("utf-8", "replace")
    if header.startswith("b/"):
        header = header[2:]
    return header


def changed_lines_from(source: Path, repo_root: Path) -> dict[str, set[int]] | None:
    """Changed lines from a unified diff file or a GitHub event payload (``$GITHUB_EVENT_PATH``).

    For a ``pull_request`` event, the working tree is compared with the base commit
    (``pull_request.base.sha``; fetched with depth 1 if the checkout lacks it).  Returns ``None``
    when the event is not a pull request or the base commit cannot be had: annotations are then
    ordered by severity and position only.  An event file that cannot be read or parsed is an
    InputError naming that file.
    """
    try:
        text = source.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"{source}: cannot read changed lines: {exc.strerror or exc}") from exc
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith("{"):
        return parse_unified_diff(text)
    try:
        event = json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}:{exc.lineno}:{exc.colno}: not a JSON event: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{source}: not a usable event: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise InputError(f"{source}: not a usable event: {' '.join(str(exc).split())[:200]}") from None
    base = _base_sha(event)
    if base is None:
        return None
    return changed_since(repo_root, base)


def _base_sha(event: object) -> str | None:
    if not isinstance(event, dict):
        return None
    pr = event.get("pull_request")
    if not isinstance(pr, dict):
        return None
    base = pr.get("base")
    sha = base.get("sha") if isinstance(base, dict) else None
    if isinstance(sha, str) and re.fullmatch(r"[0-9a-fA-F]{7,64}", sha):
        return sha
    return None


def touched(diagnostic: Diagnostic, changed_lines: ChangedLines | None) -> bool:
    """Whether the diagnostic's range overlaps a changed line."""
    if not changed_lines:
        return False
    lines = changed_lines.get(diagnostic.path)
    if not lines:
        return False
    end = max(diagnostic.line, diagnostic.end_line)
    if end - diagnostic.line > 200:  # a whole-section range: test the first line only
        return diagnostic.line in lines
    return any(n in lines for n in range(diagnostic.line, end + 1))


def priority_order(
    diagnostics: Iterable[Diagnostic], changed_lines: ChangedLines | None = None
) -> list[Diagnostic]:
    """Errors first, then warnings, then infos; within each, touched lines first, then position."""
    return sorted(
        diagnostics,
        key=lambda d: (-int(d.severity), not touched(d, changed_lines), d),
    )


@dataclass(frozen=True)
class Budgeted:
    """Diagnostics split into those that become annotations and those that would be dropped."""

    annotated: tuple[Diagnostic, ...]
    overflow: tuple[Diagnostic, ...]


def apply_budget(ordered: Iterable[Diagnostic], budget: int = ANNOTATION_BUDGET) -> Budgeted:
    """Keep ``budget`` annotations per severity, leaving a notice slot for the "N more" line.

    The trailing notice is itself a notice annotation, so when anything overflows, infos get one
    slot fewer.
    """
    items = list(ordered)
    counts = {s: sum(1 for d in items if d.severity == s) for s in Severity}
    overflow_any = any(counts[s] > budget for s in Severity)
    limits = {s: budget for s in Severity}
    if overflow_any or counts[Severity.INFO] > budget:
        limits[Severity.INFO] = budget - 1
    shown: list[Diagnostic] = []
    rest: list[Diagnostic] = []
    used = dict.fromkeys(Severity, 0)
    for d in items:
        if used[d.severity] < limits[d.severity]:
            used[d.severity] += 1
            shown.append(d)
        else:
            rest.append(d)
    return Budgeted(tuple(shown), tuple(rest))
