"""Hand-built results for the formatter tests (no parser involved)."""

from __future__ import annotations

from report_lint.diagnostic import Diagnostic, Severity
from report_lint.result import LintResult, QuestionStatus, ReportResult

CODES = {
    "answer-length": "RL201",
    "image-count": "RL202",
    "missing-figure": "RL301",
    "broken-link": "RL403",
    "checklist-unclaimed": "RL502",
    "unknown-rule-x": "RL999",
}


def diag(
    line: int,
    message: str = "a problem",
    *,
    severity: Severity = Severity.ERROR,
    rule: str = "answer-length",
    column: int = 1,
    end_line: int | None = None,
    end_column: int | None = None,
    path: str = "reports/README.md",
    question: int | None = None,
) -> Diagnostic:
    return Diagnostic(
        path=path,
        line=line,
        column=column,
        end_line=line if end_line is None else end_line,
        code=CODES.get(rule, "RL998"),
        rule=rule,
        severity=severity,
        message=message,
        question=question,
        end_column=end_column,
    )


def question(
    number: int, *, words: int = 150, passed: bool = True, line: int | None = None
) -> QuestionStatus:
    return QuestionStatus(
        number=number,
        line=line if line is not None else 10 * number,
        words=words,
        other_words=words - 3,
        images=1,
        word_limit=(100, 200),
        image_limit=(1, 2),
        passed=passed,
        unfilled=False,
    )


def result(
    *diagnostics: Diagnostic,
    repo_root: str = ".",
    path: str = "reports/README.md",
    questions: tuple[QuestionStatus, ...] = (),
) -> LintResult:
    report = ReportResult(
        path=path,
        rules="dtu-mlops-31q-2026",
        count_mode="official",
        questions=questions,
        diagnostics=tuple(diagnostics),
    )
    return LintResult(reports=(report,), repo_root=repo_root)
