"""group-info: question 1 holds a group number, question 2 a list of study numbers.

Which questions these are comes from the pack (``kind: group-number`` / ``kind: study-numbers``).
Placeholder text (as the pack defines it) is ignored here; ``unfilled-placeholder`` reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import re2

from report_lint.checks._placeholders import VisibleText, blank, compiled, find
from report_lint.checks._util import answer_anchor, finding_at
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.model import QuestionSection, Report, SourceLine
from report_lint.parsing.nodes import Span

NAME = "group-info"
SUMMARY = "Question 1 is not a group number, or question 2 is not a list of study numbers."
HELP = (
    "Staff match reports to groups and students by these two answers. Question 1 wants the group number "
    "you signed up with (e.g. `42`); question 2 wants every member's DTU study number, an `s` followed by "
    "six digits, separated by commas (e.g. `s123456, s234567, s345678`). Names, e-mail addresses or user "
    "names cannot be matched."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "### Question 2\n\n> Answer:\n\nAnna, Bo and Chen"
HOW_TO_FIX = (
    "Write the group number in question 1 and every member's study number (`s123456, s234567`) in question 2."
)

_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_NUMBER = re.compile(r"(?<![\w.])\d{1,4}(?!\w|[.,]\d)")
_STUDY = re.compile(r"(?<![A-Za-z0-9])[sS]\d{6}(?!\d)")
_BARE_DIGITS = re.compile(r"(?<![A-Za-z0-9])\d{6}(?![\d])")
_WRONG_LENGTH = re.compile(r"(?<![A-Za-z0-9])[sS](?:\d{4,5}|\d{7,8})(?![\d])")
# RE2, linear: Python's backtracking engine retries `[\w.+-]+` from every start of a long word (80k
# characters took a minute).  `[\pL\pN_]` is Python's Unicode `\w` (RE2's `\w` is ASCII only).
_EMAIL = re2.compile(r"[\pL\pN_.+-]+@[\pL\pN_-]+(?:\.[\pL\pN_-]+)+")
_EXAMPLE = re.compile(r"(?<![A-Za-z0-9])s[xX]{6}(?![A-Za-z0-9])", re.I)


def _clean_lines(ctx: CheckContext, q: QuestionSection) -> list[tuple[SourceLine, str]]:
    """Answer lines outside code, quote markers and placeholders blanked (columns kept)."""
    out = []
    patterns = compiled(ctx)
    for line in q.answer_lines:
        if line.in_code:
            continue
        text = _QUOTE.sub(lambda m: " " * len(m.group(0)), line.text)
        for pattern in patterns:  # each pattern sees what the ones before it left
            text = blank(text, list(find(pattern, VisibleText(text))))
        out.append((line, text))
    return out


def _at(line: SourceLine, match: Any) -> Span:  # a match of `re` or of RE2
    return Span(line.number, line.start_column + match.start(), line.number, line.start_column + match.end())


def _group_number(ctx: CheckContext, q: QuestionSection) -> Iterator[Finding]:
    lines = _clean_lines(ctx, q)
    if not any(text.strip() for _, text in lines):
        message = f"question {q.number} is empty: write your group number (e.g. `42`)"
        yield finding_at(answer_anchor(q), message, q.number)
        return
    if any(_NUMBER.search(text) for _, text in lines):
        return
    for line, text in lines:
        if _STUDY.search(text) or _BARE_DIGITS.search(text):
            match = _STUDY.search(text) or _BARE_DIGITS.search(text)
            assert match is not None
            yield finding_at(
                _at(line, match),
                f"`{match.group(0)}` looks like a study number; question "
                f"{q.number} wants your group number (e.g. `42`)",
                q.number,
            )
            return
    yield finding_at(
        answer_anchor(q),
        f"question {q.number} has no group number: write the number you signed up with (e.g. `42`)",
        q.number,
    )


def _study_numbers(ctx: CheckContext, q: QuestionSection) -> Iterator[Finding]:
    lines = _clean_lines(ctx, q)
    valid: dict[str, int] = {}
    example = False
    for line, text in lines:
        for match in _EMAIL.finditer(text):
            local = match.group(0).split("@", 1)[0]
            inside = _STUDY.fullmatch(local)
            hint = f"write just `{local.lower()}`" if inside else "write the member's study number instead"
            yield finding_at(_at(line, match), f"`{match.group(0)}` is an e-mail address: {hint}", q.number)
        masked = blank(text, [m.span() for m in _EMAIL.finditer(text)])
        for match in _STUDY.finditer(masked):
            number = match.group(0).lower()
            if number in valid:
                yield finding_at(
                    _at(line, match),
                    f"study number `{match.group(0)}` is listed twice (also on line {valid[number]})",
                    q.number,
                )
            else:
                valid[number] = line.number
        for match in _BARE_DIGITS.finditer(masked):
            yield finding_at(
                _at(line, match),
                f"`{match.group(0)}` is missing the `s`: write `s{match.group(0)}`",
                q.number,
            )
        for match in _WRONG_LENGTH.finditer(masked):
            yield finding_at(
                _at(line, match),
                f"`{match.group(0)}` is not a study number (`s` followed by exactly six digits)",
                q.number,
            )
        if _EXAMPLE.search(line.text):
            example = True
    if valid:
        return
    if example:
        message = (
            f"question {q.number} still shows the template's example `sXXXXXX`: list each member's "
            "study number (e.g. `s123456, s234567`)"
        )
    elif any(text.strip() for _, text in lines):
        message = (
            f"question {q.number} lists no study numbers: write each member's study number, `s` and "
            "six digits (e.g. `s123456, s234567`), not names or user names"
        )
    else:
        message = f"question {q.number} is empty: list each member's study number (e.g. `s123456, s234567`)"
    yield finding_at(answer_anchor(q), message, q.number)


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    for q in report.questions:
        spec = ctx.pack.question(q.number)
        if spec is None:
            continue
        if spec.kind == "group-number":
            yield from _group_number(ctx, q)
        elif spec.kind == "study-numbers":
            yield from _study_numbers(ctx, q)
