"""unfilled-placeholder: template placeholders, to-do markers and example text left in an answer.

Only answer lines are scanned (``QuestionSection.answer_lines`` never holds the intro, the
checklist or a prompt), so the template's intro, which quotes the placeholder format, is never
reported.  The patterns come from the pack (``placeholders:``, RE2, case-insensitive).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import re2

from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.model import QuestionSection, Report, SourceLine
from report_lint.packs.models import PlaceholderSpec

NAME = "unfilled-placeholder"
SUMMARY = "A template placeholder, to-do marker or the template's example text is left in an answer."
HELP = (
    "The template marks each answer's place with a line such as `--- question 14 fill here ---`, and "
    "its examples use `...` for the parts you fill in. The course checker counts leftovers like these "
    "as words of your answer, and readers see them in the hand-in. Delete the placeholder line once you "
    "have written the answer, resolve notes such as `[TO DO: ...]`, `TODO` or `FIXME`, and replace "
    "every `...` of a copied example with your own text."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "> Answer:\n\n--- question 14 fill here ---\n\nWe tracked every run in Weights & Biases ..."
HOW_TO_FIX = (
    "Delete the placeholder line and any `TODO`/`[TO DO: ...]` "
    "note, and replace each `...` with your own words."
)

_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_TOKEN = re.compile(r"\.\.\.|…|[^\W_]+(?:['’][^\W_]+)*")
_EXAMPLE = re.compile(r"\bexample\s*:", re.I)
_ELLIPSIS = ("...", "…")


def _compiled(ctx: CheckContext) -> list[tuple[PlaceholderSpec, Any]]:
    key = f"{NAME}.patterns"
    if key not in ctx.cache:
        out: list[tuple[PlaceholderSpec, Any]] = []
        for spec in ctx.pack.placeholders:
            try:
                out.append((spec, re2.compile("(?i)" + spec.pattern)))
            except re2.error:  # the pack loader validates patterns; never crash a run on one
                continue
        ctx.cache[key] = out
    result: list[tuple[PlaceholderSpec, Any]] = ctx.cache[key]
    return result


def _mask_code_spans(text: str) -> str:
    """Inline code replaced by spaces of the same length, so columns stay put."""
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)


def _message(spec: PlaceholderSpec, matched: str, question: int) -> str:
    return spec.message.replace("{match}", matched.strip()).replace("{question}", str(question))


def _placeholders(ctx: CheckContext, q: QuestionSection) -> Iterator[Finding]:
    patterns = [
        (spec, rx) for spec, rx in _compiled(ctx) if spec.questions is None or q.number in spec.questions
    ]
    for line in q.answer_lines:
        taken: list[tuple[int, int]] = []
        masked: str | None = None
        for spec, rx in patterns:
            if line.in_code and not spec.in_code:
                continue
            text = line.text
            if not spec.in_code:
                if masked is None:
                    masked = _mask_code_spans(line.text)
                text = masked
            for match in rx.finditer(text):
                start, end = match.start(), match.end()
                if end <= start or any(start < t_end and t_start < end for t_start, t_end in taken):
                    continue
                taken.append((start, end))
                yield Finding(
                    line=line.number,
                    column=line.start_column + start,
                    end_line=line.number,
                    end_column=line.start_column + end,
                    message=_message(spec, line.text[start:end], q.number),
                    question=q.number,
                )


def _tokens(text: str) -> list[tuple[str, int]]:
    return [(m.group(0).lower(), m.start()) for m in _TOKEN.finditer(text)]


def _example_tokens(prompt_text: str) -> list[str]:
    match = _EXAMPLE.search(prompt_text)
    example = prompt_text[match.end() :] if match else ""
    return ["..." if t in _ELLIPSIS else t for t, _ in _tokens(example)]


def _matches_example(before: list[str], after: list[str], example: list[str]) -> bool:
    for j, token in enumerate(example):
        if token != "...":
            continue
        left = example[max(0, j - len(before)) : j]
        right = example[j + 1 : j + 1 + len(after)]
        left_ok = len(before) >= 1 and left == before
        right_ok = len(after) >= 1 and right == after
        if (left_ok and len(before) >= 2) or (right_ok and len(after) >= 2) or (left_ok and right_ok):
            return True
    return False


def _example_left_in(q: QuestionSection) -> Iterator[Finding]:
    """A `...` whose neighbouring words are the template example's: the example was pasted in."""
    example = _example_tokens(q.prompt_text)
    if "..." not in example:
        return
    for line in q.answer_lines:
        if line.in_code:
            continue
        yield from _ellipses_in_line(line, example, q.number)


def _ellipses_in_line(line: SourceLine, example: list[str], number: int) -> Iterator[Finding]:
    tokens = _tokens(_mask_code_spans(line.text))
    words = [t for t, _ in tokens]
    for i, (token, offset) in enumerate(tokens):
        if token not in _ELLIPSIS:
            continue
        before = [w for w in words[max(0, i - 2) : i] if w not in _ELLIPSIS]
        after = [w for w in words[i + 1 : i + 3] if w not in _ELLIPSIS]
        if _matches_example(before, after, example):
            yield Finding(
                line=line.number,
                column=line.start_column + offset,
                end_line=line.number,
                end_column=line.start_column + offset + len(token),
                message="the template's example text is left here with its `...`: "
                "replace the `...` (and the example wording) with your own answer",
                question=number,
            )


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    for q in report.questions:
        yield from _placeholders(ctx, q)
        yield from _example_left_in(q)
