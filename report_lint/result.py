"""The finished result of a lint run: what formatters consume."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from report_lint.diagnostic import Diagnostic, Severity


@dataclass(frozen=True)
class QuestionStatus:
    number: int
    line: int
    words: int  # in the count mode the run used
    other_words: int  # in the other mode
    images: int
    word_limit: tuple[int, int] | None
    image_limit: tuple[int, int] | None
    passed: bool
    unfilled: bool
    # the number as the template writes it when that is not `number` ("2.1"; a pack's key is 1..n)
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or str(self.number)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "number": self.number,
            "line": self.line,
            "words": self.words,
            "images": self.images,
            "passed": self.passed,
        }
        if self.label:  # only packs with dotted numbers: every other pack's JSON stays as it was
            out["label"] = self.label
        return out


@dataclass(frozen=True)
class ReportResult:
    path: str  # relative to the repository root, '/'-separated
    rules: str  # pack name
    count_mode: str
    questions: tuple[QuestionStatus, ...]
    diagnostics: tuple[Diagnostic, ...]
    # per-item checklist verdicts (filled by the evidence engine), JSON-ready
    checklist: tuple[dict[str, Any], ...] = ()
    expected_questions: int | None = None
    group: str | None = None  # the group number question 1 gives
    pack_chosen_by: str = "detected"  # or "--rules", "config"
    pack_matched_well: bool | None = None  # detected packs: False when no built-in pack fits well

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    @property
    def questions_passed(self) -> int:
        return sum(1 for q in self.questions if q.passed)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "group": self.group,
            "rules": self.rules,
            "pack": {
                "name": self.rules,
                "chosen_by": self.pack_chosen_by,
                "matched_well": self.pack_matched_well,
            },
            "count_mode": self.count_mode,
            "questions": [q.to_json() for q in self.questions],
            "diagnostics": [d.to_json() for d in self.diagnostics],
            "checklist": list(self.checklist),
        }


@dataclass(frozen=True)
class LintResult:
    reports: tuple[ReportResult, ...]
    repo_root: str = "."
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(d for r in self.reports for d in r.diagnostics)

    def count(self, severity: Severity) -> int:
        return sum(r.count(severity) for r in self.reports)

    def to_json(self) -> dict[str, object]:
        return {"version": 1, "reports": [r.to_json() for r in self.reports]}
