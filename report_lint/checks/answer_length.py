"""answer-length: each answer's word count within the limits the course checker enforces.

Two counts exist for every answer: ``official`` (the course checker's slice and
``len(text.split())``, quirks included) and ``prose`` (words of the rendered answer).  The run's
count mode decides the verdict; the message always shows the other count too.
"""

from __future__ import annotations

from collections.abc import Iterator

from report_lint.checks._util import answer_anchor, finding_at, plural, unanswered
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.model import QuestionSection, Report
from report_lint.packs.plain import Range

NAME = "answer-length"
SUMMARY = "An answer has fewer or more words than the course checker allows."
HELP = (
    "Every question has a word range that the course's `report.py check` enforces (it is stated in the "
    'prompt as "Answer length"). By default report-lint counts exactly as that checker does, so you see '
    "the verdict staff will see: the checker counts everything between this question's `Answer:` and the "
    "next heading, including code, image markup, links and a left-over `fill here` line. The message also "
    "gives the prose count (the words a reader sees). Add or cut words until the count is inside the range."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "> Recommended answer length: 100-200 words.\n>\n> Answer:\n\nWe used DVC."
HOW_TO_FIX = "Write more (or cut) until the count in the message is inside the question's range."


def _counts(ctx: CheckContext, report: Report, q: QuestionSection) -> tuple[int, int | None, str]:
    """(count used for the verdict, the other mode's count or None, a note on the fallback)."""
    official = q.official.words if q.official is not None else None
    if ctx.count_mode == "prose":
        return q.prose_words, official, ""
    if q.official is None or official is None:
        if report.official_error:
            note = " (the course checker stops before counting any answer; prose count used)"
        else:
            note = " (the course checker does not find this answer; prose count used)"
        return q.prose_words, None, note
    if q.marker is not None and q.official.line != q.marker.line:
        return (
            official,
            q.prose_words,
            (f" (the course checker counts only from line {q.official.line}, where `Answer:` appears again)"),
        )
    return official, q.prose_words, ""


def _verdict(count: int, limit: Range) -> str:
    if count < limit.min:
        return f"add {limit.min - count}"
    return f"cut {count - limit.max}"


def _not_answered(ctx: CheckContext, q: QuestionSection) -> Finding:
    """Another course's blank answer: at the template's placeholder, else where the answer goes."""
    if q.placeholders:
        span, text = q.placeholders[0]
        return finding_at(
            span,
            f"question {q.name} is not answered yet: replace the template's placeholder `{text.strip()}` "
            "with your answer",
            q.number,
        )
    marker = ctx.pack.structure.answer.marker_text
    where = f" below `{marker}`" if q.marker is not None else ""
    return finding_at(
        answer_anchor(q), f"question {q.name} is not answered yet: write your answer{where}", q.number
    )


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    other_name = "official count" if ctx.count_mode == "prose" else "prose count"
    for q in report.questions:
        if unanswered(ctx, q):
            yield _not_answered(ctx, q)
            continue
        spec = ctx.pack.question(q.number)
        if spec is None or spec.words is None:
            continue
        limit = spec.words
        count, other, note = _counts(ctx, report, q)
        if limit.min <= count <= limit.max:
            continue
        if q.answer is None or q.prose_words == 0:
            # nothing a reader would call an answer
            if limit.min == 0:
                continue
            if count == 0:
                message = f"answer is empty: write {limit} words"
            else:
                message = (
                    f"answer is empty (only placeholder or markup is left), the course checker counts "
                    f"{plural(count, 'word')}: write {limit} words"
                )
            yield finding_at(answer_anchor(q), message + note, q.number)
            continue
        other_text = f" ({other_name}: {other})" if other is not None else ""
        message = (
            f"answer has {plural(count, 'word')}, limit {limit}: {_verdict(count, limit)}{other_text}{note}"
        )
        yield Finding(
            line=q.answer.line,
            column=q.answer.column,
            end_line=q.answer.end_line,
            message=message,
            question=q.number,
        )
