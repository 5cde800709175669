"""unfilled-placeholder: template placeholders, to-do markers and example text left in an answer.

Only answer lines are scanned (``QuestionSection.answer_lines`` never holds the intro, the
checklist or a prompt), so the template's intro, which quotes the placeholder format, is never
reported.  The patterns come from the pack (``placeholders:``, RE2, case-insensitive).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from report_lint.checks._fixes import delete_line
from report_lint.checks._placeholders import (
    Pattern,
    Taken,
    VisibleText,
    compiled,
    find,
    mask_code,
    prefilter,
    visible,
)
from report_lint.checks._util import finding_at, unanswered
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding, Fix
from report_lint.model import QuestionSection, Report, SourceLine
from report_lint.packs.plain import PlaceholderSpec

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

# placeholders that are a line of their own in the template (``--- question 14 fill here ---``): --fix
# deletes such a line when the answer holds something else; a pack may name others (rule option)
DELETABLE = ("fill-here", "fill-here-bare")
FIXES = (
    "`--fix` deletes a `--- question N fill here ---` line that stands beside your answer (with one "
    "blank line next to it); an answer holding nothing but the placeholder is left for you to write."
)

_TOKEN = re.compile(r"\.\.\.|…|[^\W_]+(?:['’][^\W_]+)*")
_EXAMPLE = re.compile(r"\bexample\s*:", re.I)
_ELLIPSIS = ("...", "…")


def _message(spec: PlaceholderSpec, matched: str, question: int) -> str:
    return spec.message.replace("{match}", matched.strip()).replace("{question}", str(question))


def _placeholders(ctx: CheckContext, report: Report, q: QuestionSection) -> Iterator[Finding]:
    patterns = [p for p in compiled(ctx) if p.spec.questions is None or q.number in p.spec.questions]
    if not patterns:
        return
    found = list(_matches(ctx, report, q, patterns))
    deletable = _deletable(ctx)
    alone = {line.number: spec.id for line, spec, start, end in found if _alone(line, start, end)}
    # an answer holding nothing but placeholder lines is left for the student: deleting them would
    # leave it empty
    answered = any(line.text.strip() and line.number not in alone for line in q.answer_lines)
    for line, spec, start, end in found:
        fix = None
        if answered and alone.get(line.number) == spec.id and spec.id in deletable:
            fix = Fix("delete the placeholder line", (delete_line(report, line.number),))
        yield Finding(
            line=line.number,
            column=line.start_column + start,
            end_line=line.number,
            end_column=line.start_column + end,
            message=_message(spec, visible(line.text[start:end]), q.number),
            question=q.number,
            fix=fix,
        )


def _alone(line: SourceLine, start: int, end: int) -> bool:
    """The match is all the physical line holds (blanks aside), outside code."""
    return line.start_column == 1 and not line.in_code and not (line.text[:start] + line.text[end:]).strip()


def _deletable(ctx: CheckContext) -> frozenset[str]:
    chosen = ctx.options.get("deletable", DELETABLE)
    if not isinstance(chosen, (list, tuple)):
        return frozenset(DELETABLE)
    return frozenset(str(c) for c in chosen)


def _matches(
    ctx: CheckContext, report: Report, q: QuestionSection, patterns: list[Pattern]
) -> Iterator[tuple[SourceLine, PlaceholderSpec, int, int]]:
    # the patterns each view is searched with (code spans masked or not; only in-code ones in code)
    groups = {
        (in_code, masked): [
            p for p in patterns if (p.spec.in_code or not in_code) and masked is not p.spec.in_code
        ]
        for in_code in (False, True)
        for masked in (False, True)
    }
    filters = {key: prefilter(ctx.cache, group) if group else None for key, group in groups.items()}
    for line in q.answer_lines:
        taken: Taken | None = None
        views: dict[bool, VisibleText] = {}  # keyed by "code spans masked"
        skip: dict[bool, bool] = {}  # a view none of its patterns can match anywhere
        for pattern in patterns:
            if line.in_code and not pattern.spec.in_code:
                continue
            masked = not pattern.spec.in_code
            view = views.get(masked)
            if view is None:
                view = views[masked] = VisibleText(mask_code(report, line) if masked else line.text)
                combined = filters[(line.in_code, masked)]
                skip[masked] = combined is not None and combined.search(view.text) is None
            if skip[masked]:
                continue
            for start, end in find(pattern, view):
                if taken is None:
                    taken = Taken(len(line.text))
                if not taken.claim(start, end):
                    continue
                yield line, pattern.spec, start, end


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


def _example_left_in(report: Report, q: QuestionSection) -> Iterator[Finding]:
    """A `...` whose neighbouring words are the template example's: the example was pasted in."""
    example = _example_tokens(q.prompt_text)
    if "..." not in example:
        return
    for line in q.answer_lines:
        if line.in_code:
            continue
        yield from _ellipses_in_line(report, line, example, q.number)


def _ellipses_in_line(report: Report, line: SourceLine, example: list[str], number: int) -> Iterator[Finding]:
    if "..." not in line.text and "…" not in line.text:
        # no ellipsis token can come out of the line (masking code only blanks characters): skip the
        # tokenising, which was ~40 % of this rule on real-shaped reports
        return
    tokens = _tokens(mask_code(report, line))
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


def _answer_placeholders(ctx: CheckContext, q: QuestionSection) -> Iterator[Finding]:
    """The template's answer placeholder (``structure.placeholders``) left beside a written answer (a
    blank answer is answer-length's to report)."""
    if not q.placeholders or unanswered(ctx, q):
        return
    for span, text in q.placeholders:
        yield finding_at(
            span, f"the template's placeholder `{text.strip()}` is still here: delete it", q.number
        )


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    for q in report.questions:
        yield from _answer_placeholders(ctx, q)
        yield from _placeholders(ctx, report, q)
        yield from _example_left_in(report, q)
