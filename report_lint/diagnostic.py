"""The one record every check produces and every formatter consumes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Literal

# "safe": the report means the same afterwards (``--fix``); "unsafe": it may not (``--unsafe-fixes``)
Applicability = Literal["safe", "unsafe"]


class Severity(enum.IntEnum):
    """Ordered so that ``severity >= Severity.WARNING`` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Edit:
    """Replace the document text from ``line:column`` up to ``end_line:end_column`` (exclusive) by
    ``content``; an insertion when both ends are the same.

    Positions are the report model's (1-based document lines, code-point columns: see
    ``parsing.nodes``), so a rule writes an edit from the spans it was given; only the fix engine
    (``report_lint.fixes``) turns them into offsets of the file as it is on disk (CRLF, BOM).
    """

    line: int
    column: int
    end_line: int
    end_column: int
    content: str

    def to_json(self) -> dict[str, object]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "content": self.content,
        }


@dataclass(frozen=True)
class Fix:
    """What a rule offers with its finding: exact edits that remove the problem (applied together)."""

    title: str  # for people, imperative: "add the missing `!`"
    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "applicability": self.applicability,
            "edits": [e.to_json() for e in self.edits],
        }


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A located problem. Field order is the sort order: file, then position."""

    path: str
    line: int
    column: int
    end_line: int
    code: str
    rule: str
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    question: int | None = field(default=None, compare=False)
    end_column: int | None = field(default=None, compare=False)
    fix: Fix | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "question": self.question,
        }
        if self.fix is not None:  # only fixable diagnostics carry the key (older readers see no change)
            out["fix"] = self.fix.to_json()
        return out


@dataclass(frozen=True)
class Finding:
    """What a check yields: no path, no severity, no code (the engine adds those from the pack)."""

    line: int
    column: int
    end_line: int
    message: str
    question: int | None = None
    end_column: int | None = None
    # a finding may ask for a lower severity than the rule's (e.g. remote images are only info)
    severity: Severity | None = None
    fix: Fix | None = None  # an exact edit that removes the problem, if the rule knows one
