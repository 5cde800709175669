"""``batch --compare OLD/results.json``: how each group moved since a previous run.

Groups are matched between the runs in two passes: first by the group number written in the report
(when exactly one row of each run claims it), then the rows left over by their path.  So a group that
renamed its folder is still matched by its number, and one whose number was unknown in one run (its
report could not be linted) by its path.  Rows left over are *new* (only in this run) or *gone* (only in
the old one).  The old file is read as data: anything that is not a version-1 ``results.json`` is one
usage error (exit 2), never a traceback.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report_lint.batch.rows import RepoRow
from report_lint.batch.text import clean, shown
from report_lint.errors import UsageError

MAX_BYTES = 512 * 1024 * 1024  # a results.json of thousands of groups is a few tens of MB
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass(frozen=True)
class OldRow:
    path: str
    group: int | None
    error: str
    errors: int | None
    passing: frozenset[int]  # question numbers that passed
    failing: frozenset[int]  # question numbers that did not (fail or unfilled)


@dataclass(frozen=True)
class OldRun:
    name: str  # the file as given, for messages
    since: str  # the old run's date (YYYY-MM-DD) or "" when it has none
    rows: tuple[OldRow, ...]


def _bad(option: str, why: str) -> UsageError:
    return UsageError(f"--compare {shown(option)}: {why}")


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _old_row(entry: object, given: str, index: int) -> OldRow:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise _bad(given, f"repositories[{index}] is not a repository row with a path")
    questions = entry.get("questions")
    if not isinstance(questions, list):
        raise _bad(given, f"repositories[{index}] has no questions list")
    passing: set[int] = set()
    failing: set[int] = set()
    for q in questions:
        number = _int_or_none(q.get("number")) if isinstance(q, dict) else None
        if number is None:
            raise _bad(given, f"repositories[{index}] has a question without a number")
        (passing if q.get("state") == "pass" else failing).add(number)
    error = entry.get("error")
    return OldRow(
        path=clean(entry["path"]),  # a JSON string may hold a lone surrogate: never write one out
        group=_int_or_none(entry.get("group")),
        error=clean(error) if isinstance(error, str) else "",
        errors=_int_or_none(entry.get("errors")),
        passing=frozenset(passing),
        failing=frozenset(failing),
    )


def load_old(given: str, cwd: Path) -> OldRun:
    """The previous run's ``results.json``; a usage error (one line) for anything else."""
    path = cwd / given
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _bad(given, f"cannot read it: {shown(exc.strerror or str(exc))}") from None
    if len(data) > MAX_BYTES:
        raise _bad(given, f"larger than {MAX_BYTES // (1024 * 1024)} MB: not a results.json")
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _bad(given, "not JSON: give the results.json of an earlier `report-lint batch` run") from None
    if not isinstance(parsed, dict) or "repositories" not in parsed or "batch" not in parsed:
        raise _bad(given, "not a results.json of `report-lint batch` (no batch and repositories keys)")
    version = parsed.get("version")
    if version != 1:
        raise _bad(given, f"results version {shown(str(version))}; this report-lint reads version 1")
    repositories, batch = parsed["repositories"], parsed["batch"]
    if not isinstance(repositories, list) or not isinstance(batch, dict):
        raise _bad(given, "repositories is not a list or batch is not an object")
    rows = tuple(_old_row(entry, given, i) for i, entry in enumerate(repositories))
    generated = batch.get("generated")
    since = generated[:10] if isinstance(generated, str) and _DATE.match(generated) else ""
    return OldRun(name=given, since=since, rows=rows)


def _unique_groups(groups: Sequence[int | None]) -> set[int]:
    counts = Counter(g for g in groups if g is not None)
    return {g for g, n in counts.items() if n == 1}


def match(
    rows: Sequence[RepoRow], old: Sequence[OldRow]
) -> tuple[dict[int, tuple[OldRow, str]], list[OldRow]]:
    """Row index -> its old row and how it was matched ("group" or "path"); and the old rows no row
    matched (gone), in the old file's order."""
    new_unique = _unique_groups([r.group for r in rows])
    old_unique = _unique_groups([o.group for o in old])
    old_by_group = {o.group: o for o in old if o.group in old_unique}
    matched: dict[int, tuple[OldRow, str]] = {}
    used: set[int] = set()  # ids of old rows already matched
    for i, row in enumerate(rows):
        if row.group in new_unique and row.group in old_by_group:
            matched[i] = (old_by_group[row.group], "group")
            used.add(id(matched[i][0]))
    old_by_path = {o.path: o for o in old if id(o) not in used}
    for i, row in enumerate(rows):
        if i not in matched and row.path in old_by_path:
            matched[i] = (old_by_path.pop(row.path), "path")
            used.add(id(matched[i][0]))
    return matched, [o for o in old if id(o) not in used]


def _passing(row: RepoRow) -> set[int]:
    return {q["number"] for q in row.questions if q["state"] == "pass"}


def movement(row: RepoRow, before: OldRow | None, matched_by: str | None = None) -> dict[str, Any]:
    """What the dashboard's badge and the CSV's movement columns say about one row."""
    base: dict[str, Any] = {
        "status": "new",
        "matched_by": None,
        "old_path": None,
        "errors_before": None,
        "errors_change": None,
        "newly_passing": [],
        "newly_failing": [],
    }
    if before is None:
        return base
    base["matched_by"] = matched_by
    base["old_path"] = before.path
    base["errors_before"] = before.errors
    was_linted = not before.error and before.errors is not None
    if not row.linted or not was_linted:
        base["status"] = (
            "still not linted"
            if not row.linted and not was_linted
            else ("no longer linted" if not row.linted else "now linted")
        )
        return base
    assert row.errors is not None
    now = _passing(row)
    base["errors_change"] = row.errors - before.errors if before.errors is not None else None
    base["newly_passing"] = sorted(now & before.failing)
    base["newly_failing"] = sorted(before.passing - now)
    change = base["errors_change"] or 0
    better = change < 0 or bool(base["newly_passing"])
    worse = change > 0 or bool(base["newly_failing"])
    base["status"] = (
        "mixed" if better and worse else ("improved" if better else ("worse" if worse else "unchanged"))
    )
    return base


def compare(rows: Sequence[RepoRow], old: OldRun) -> dict[str, Any]:
    """Set each row's ``movement``; return the class-wide summary for the outputs' ``batch.compare``."""
    matched, gone = match(rows, old.rows)
    for i, row in enumerate(rows):
        before, how = matched.get(i, (None, None))
        row.movement = movement(row, before, how)
    counts = Counter(str(r.movement["status"]) for r in rows if r.movement is not None)
    improved = counts.get("improved", 0) + counts.get("now linted", 0)
    since = old.since or "the previous run"
    return {
        "file": shown(old.name),
        "since": old.since or None,
        "statuses": dict(sorted(counts.items())),
        "improved": improved,
        "worse": counts.get("worse", 0) + counts.get("no longer linted", 0),
        "new": counts.get("new", 0),
        "gone": [{"path": o.path, "group": o.group} for o in gone],
        "summary": summary_line(improved, counts, len(gone), since),
    }


def summary_line(improved: int, counts: Counter[str], gone: int, since: str) -> str:
    parts = [f"{improved} group{'' if improved == 1 else 's'} improved since {since}"]
    worse = counts.get("worse", 0) + counts.get("no longer linted", 0)
    for n, what in (
        (worse, "worse"),
        (counts.get("mixed", 0), "mixed"),
        (counts.get("new", 0), "new"),
        (gone, "gone"),
    ):
        if n:
            parts.append(f"{n} {what}")
    return ", ".join(parts)
