"""One row per repository: what the CSV, the JSON and the dashboard are made of.

A repository that could not be linted has no counts: they are ``None`` (empty in the CSV, ``null`` in
the JSON, "unknown" on the dashboard), never ``0``, so that it can never sort beside the clean groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from report_lint.checks import CHECKS

# the per-rule count columns, fixed so that every run's CSV has the same header
RULE_COLUMNS = (*CHECKS, "suppression")

# the counts a linted repository has and one that could not be linted does not
COUNT_FIELDS = (
    "questions_passed",
    "questions_total",
    "errors",
    "warnings",
    "infos",
    "unsupported_claims",
    "unfilled_placeholders",
    "missing_figures",
)

CSV_FIELDS = (
    "group",
    "folder_group",
    "path",
    "commit",
    "committed",
    "template",
    "questions_passed",
    "questions_total",
    "errors",
    "warnings",
    "infos",
    *(f"rule:{r}" for r in RULE_COLUMNS),
    "unsupported_claims",
    "unfilled_placeholders",
    "missing_figures",
    "error",
    "notes",
    # later additions (docs/batch-outputs.md): a new column only ever goes at the end
    "handin_preview",
    "movement",
    "errors_change",
    "newly_passing",
    "newly_failing",
)


@dataclass
class RepoRow:
    path: str  # display path of the repository
    folder_group: int | None = None  # from a group_<N> folder
    group: int | None = None  # the group number written in the report
    mode: str = ""  # "worktree", "commit" or "folder" (not a git repository: the files on disk)
    branch: str = ""
    commit: str = ""
    committed: str = ""  # committer date of ``commit``, ISO 8601
    report: str = ""  # the report's path inside the repository
    template: str = ""  # the rule pack
    questions_passed: int | None = None
    questions_total: int | None = None
    errors: int | None = None
    warnings: int | None = None
    infos: int | None = None
    rules: dict[str, int] = field(default_factory=dict)
    unsupported_claims: int | None = None
    unfilled_placeholders: int | None = None
    missing_figures: int | None = None
    error: str = ""  # one line; set when the repository could not be linted
    # one line each: what staff should know about a row (duplicate group number, not a git repository)
    notes: list[str] = field(default_factory=list)
    # per question: {"number", "state" (pass|fail|unfilled), "line", "words", "images"}
    questions: list[dict[str, Any]] = field(default_factory=list)
    # the report's line text for every line a diagnostic points at (the dashboard's snippets)
    snippets: dict[str, str] = field(default_factory=dict)
    result: dict[str, Any] | None = None  # the LintResult JSON (same shape as --format json)
    seconds: float = 0.0
    # the hand-in page as the course's export makes it (report_lint/batch/handin.py); not in the JSON:
    # batch writes it to ``handin_preview`` (a path inside the output folder) and drops it
    handin_html: str | None = None
    handin_preview: str | None = None
    handin_problem: str = ""  # why there is no preview (no hand-in export in the pack, too costly)
    # with --compare: how the row moved since the old run (report_lint/batch/compare.py); else None
    movement: dict[str, Any] | None = None

    @property
    def linted(self) -> bool:
        return not self.error

    def csv_row(self) -> dict[str, object]:
        def known(value: int | None) -> object:
            return "" if value is None else value

        row: dict[str, object] = {
            "group": known(self.group),
            "folder_group": known(self.folder_group),
            "path": self.path,
            "commit": self.commit,
            "committed": self.committed,
            "template": self.template,
            "error": self.error,
            "notes": "; ".join(self.notes),
            "handin_preview": self.handin_preview or "",
        }
        move = self.movement or {}
        change = move.get("errors_change")
        row["movement"] = move.get("status", "")
        row["errors_change"] = "" if change is None else int(change)  # a number: no formula guard
        row["newly_passing"] = " ".join(str(n) for n in move.get("newly_passing", []))
        row["newly_failing"] = " ".join(str(n) for n in move.get("newly_failing", []))
        for name in COUNT_FIELDS:
            row[name] = known(getattr(self, name))
        for rule in RULE_COLUMNS:
            row[f"rule:{rule}"] = self.rules.get(rule, 0) if self.linted else ""
        return row

    def to_json(self) -> dict[str, Any]:
        # the fields themselves, not ``asdict``'s deep copy: the values are plain JSON data (no nested
        # dataclass, which is all asdict would change) that the caller only serialises, and the copy of
        # 300 rows' diagnostics was ≈ 0.8 s of a batch's serial tail (results.json: 1.4 → 0.6 s)
        data = {name: getattr(self, name) for name in _JSON_FIELDS}
        if not self.linted:
            data["rules"] = None  # unknown, like the other counts
        return data


# what results.json holds of a row, in field order: not the snippets (the dashboard's), the timing or the
# hand-in page (written to its own file)
_JSON_FIELDS = tuple(f.name for f in fields(RepoRow) if f.name not in ("snippets", "seconds", "handin_html"))


def duplicate_groups(rows: Sequence[RepoRow]) -> dict[int, list[str]]:
    """Group numbers written in more than one linted report, each with the paths that claim it."""
    claims: dict[int, list[str]] = {}
    for row in rows:
        if row.group is not None:
            claims.setdefault(row.group, []).append(row.path)
    return {group: paths for group, paths in sorted(claims.items()) if len(paths) > 1}


def mark_duplicate_groups(rows: Sequence[RepoRow]) -> dict[int, list[str]]:
    """Note on every row that claims a group number another row claims too; return the duplicates."""
    duplicates = duplicate_groups(rows)
    for row in rows:
        if row.group in duplicates:
            others = [p for p in duplicates[row.group] if p != row.path]
            row.notes.append(f"group {row.group} is also claimed by {', '.join(others)}")
    return duplicates
