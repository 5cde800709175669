"""One row per repository: what the CSV, the JSON and the dashboard are made of."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from report_lint.checks import CHECKS

# the per-rule count columns, fixed so that every run's CSV has the same header
RULE_COLUMNS = (*CHECKS, "suppression")

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
)


@dataclass
class RepoRow:
    path: str  # display path of the repository
    folder_group: int | None = None  # from a group_<N> folder
    group: int | None = None  # the group number written in the report
    mode: str = ""  # "worktree" or "commit"
    branch: str = ""
    commit: str = ""
    committed: str = ""  # committer date of ``commit``, ISO 8601
    report: str = ""  # the report's path inside the repository
    template: str = ""  # the rule pack
    questions_passed: int = 0
    questions_total: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    rules: dict[str, int] = field(default_factory=dict)
    unsupported_claims: int = 0
    unfilled_placeholders: int = 0
    missing_figures: int = 0
    error: str = ""  # one line; set when the repository could not be linted
    # per question: {"number", "state" (pass|fail|unfilled), "line", "words", "images"}
    questions: list[dict[str, Any]] = field(default_factory=list)
    # the report's line text for every line a diagnostic points at (the dashboard's snippets)
    snippets: dict[str, str] = field(default_factory=dict)
    result: dict[str, Any] | None = None  # the LintResult JSON (same shape as --format json)
    seconds: float = 0.0

    def csv_row(self) -> dict[str, object]:
        row: dict[str, object] = {
            "group": "" if self.group is None else self.group,
            "folder_group": "" if self.folder_group is None else self.folder_group,
            "path": self.path,
            "commit": self.commit,
            "committed": self.committed,
            "template": self.template,
            "questions_passed": self.questions_passed,
            "questions_total": self.questions_total,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "unsupported_claims": self.unsupported_claims,
            "unfilled_placeholders": self.unfilled_placeholders,
            "missing_figures": self.missing_figures,
            "error": self.error,
        }
        for rule in RULE_COLUMNS:
            row[f"rule:{rule}"] = self.rules.get(rule, 0)
        return row

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("snippets")
        data.pop("seconds")
        return data
