"""The one record every check produces and every formatter consumes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


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

    def to_json(self) -> dict[str, object]:
        return {
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
