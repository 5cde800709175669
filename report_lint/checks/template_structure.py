"""template-structure: the question headings, ``Answer:`` markers and stated limits the checker relies on.

The course checker finds answers only by the literal text ``Answer:`` and the ``###`` headings; it
stops with an error when it does not find exactly the template's number of answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from report_lint.checks._util import finding_at
from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding
from report_lint.model import QuestionSection, Report
from report_lint.packs.plain import Range
from report_lint.parsing.nodes import Span

NAME = "template-structure"
SUMMARY = "A question heading, `Answer:` marker or stated limit differs from the template."
HELP = (
    "The course's checker and HTML export find your answers by the template's structure: one "
    "`### Question N` heading per question, in order, each followed by its quoted prompt ending in "
    "`> Answer:`. Renaming, deleting or duplicating a heading, removing an `Answer:` marker or writing "
    "the word `Answer:` inside an answer makes the checker count the wrong text or stop with an error "
    "before checking anything. Keep the headings, prompts and stated limits as the template has them and "
    "write only below each `Answer:`."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "## Question 22\n\n> Answer:"
HOW_TO_FIX = (
    "Restore the template's heading, prompt and `> Answer:` line exactly, and write only below `Answer:`."
)

_EXACT = re.compile(r"^Question (\d+)\b")


def _limit(lo: int | None, hi: int | None) -> Range | None:
    if lo is None or hi is None or lo > hi:
        return None
    return Range(min=lo, max=hi)


def _headings(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    expected = ctx.pack.question_count
    structure = ctx.pack.structure
    seen: dict[int, QuestionSection] = {}
    highest = 0
    for q in report.questions:
        if q.number in seen:
            yield finding_at(
                q.heading,
                f"question {q.name} appears twice (first at line {seen[q.number].heading.line}): "
                "keep one heading per question",
                q.number,
            )
            continue
        seen[q.number] = q
        if expected is not None and q.number > expected:
            yield finding_at(
                q.heading,
                f"the template has {expected} questions; there is no question {q.name}",
                q.number,
            )
        elif q.number < highest:
            yield finding_at(
                q.heading,
                f"question {q.name} comes after question {ctx.pack.label(highest)}: "
                "keep the questions in order",
                q.number,
            )
        highest = max(highest, q.number)
        if structure.heading.canonical == _DTU_CANONICAL:
            yield from _renamed(q)
        else:
            yield from _renamed_from(q, structure.heading.canonical)
        if structure.answer.start != "marker":
            continue
        if q.marker is None and not structure.course_checker:
            yield finding_at(
                q.heading,
                f"question {q.name} has no `{structure.answer.marker_text}` line: the answer starts after "
                "it; restore it as the template has it",
                q.number,
            )
        elif q.marker is None:
            yield finding_at(
                q.heading,
                f"question {q.number} has no `Answer:` marker: the course checker finds answers by it; "
                "restore `> Answer:` as the last line of the prompt",
                q.number,
            )
    if expected is not None:
        yield from _missing(ctx, report, seen, expected)


_DTU_CANONICAL = "### Question {number}"
_TRAILING = re.compile(r"^[\w.]")


def _renamed_from(q: QuestionSection, canonical: str) -> Iterator[Finding]:
    """A heading that no longer starts as the template's (``## Task {number}``) does, at its level."""
    want = canonical.replace("{number}", q.name)
    hashes = len(want) - len(want.lstrip("#"))
    text = want.lstrip("#").strip().strip("*_").strip()
    have = q.heading_text.strip().strip("*_").strip()
    if not have.startswith(text) or _TRAILING.match(have[len(text) :]):
        yield finding_at(
            q.heading, f"heading `{q.heading_text}` is renamed: the template's heading is `{want}`", q.number
        )
    elif hashes and q.heading_level != hashes:
        yield finding_at(
            q.heading,
            f"heading of question {q.name} is level {q.heading_level} (`{'#' * q.heading_level}`): "
            f"the template uses `{want}`",
            q.number,
        )


def _renamed(q: QuestionSection) -> Iterator[Finding]:
    text = q.heading_text.strip().strip("*_").strip()
    match = _EXACT.match(text)
    if match is None or int(match.group(1)) != q.number:
        yield finding_at(
            q.heading,
            f"heading `{q.heading_text}` is renamed: the template's heading is `### Question {q.number}`",
            q.number,
        )
    elif q.heading_level != 3:
        yield finding_at(
            q.heading,
            f"heading of question {q.number} is level {q.heading_level} (`{'#' * q.heading_level}`): "
            f"the template uses `### Question {q.number}`",
            q.number,
        )


def _missing(
    ctx: CheckContext, report: Report, seen: dict[int, QuestionSection], expected: int
) -> Iterator[Finding]:
    ordered = sorted(seen.values(), key=lambda s: s.heading.line)
    structure = ctx.pack.structure
    for number in range(1, expected + 1):
        if number in seen:
            continue
        after = [s for s in ordered if s.number > number]
        before = [s for s in ordered if s.number < number]
        if after:
            anchor = after[0].heading
            where = f"expected before question {after[0].name}"
        elif before:
            last = before[-1]
            anchor = Span(last.end_line, 1, last.end_line)
            where = f"expected after question {last.name}"
        else:
            line = report.first_question_line or 1
            anchor = Span(line, 1, line)
            where = "no question headings were found"
        label = ctx.pack.label(number)
        heading = structure.heading.canonical.replace("{number}", label)
        marker = f" and `{structure.answer.marker_text}`" if structure.answer.start == "marker" else ""
        yield Finding(
            line=anchor.line,
            column=anchor.column,
            end_line=anchor.line,
            message=f"question {label} is missing ({where}): restore `{heading}` with its prompt{marker}",
            question=number,
        )


def _skipped(report: Report) -> list[tuple[QuestionSection, int]]:
    """Answers the course checker drops: no ``###`` between their ``Answer:`` and the next one."""
    marked = [(q, q.marker) for q in report.questions if q.marker is not None]
    marked.sort(key=lambda pair: pair[1].line)
    out = []
    for (q, marker), (_, next_marker) in zip(marked, marked[1:]):  # noqa: B905, RUF007
        first = report.lines[marker.line - 1][(marker.end_column or 1) - 1 :]
        between = [first, *report.lines[marker.line : next_marker.line - 1]]
        last = report.lines[next_marker.line - 1][: next_marker.column - 1]
        if "###" not in "\n".join([*between, last]):
            out.append((q, next_marker.line))
    return out


def _count(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    if not ctx.pack.structure.course_checker:
        return  # no checker to stop or miscount; a missing question is reported at its place
    expected = ctx.pack.question_count
    found = len({q.number for q in report.questions})
    line = report.first_question_line or 1
    markers = {q.marker.line for q in report.questions if q.marker is not None}
    stray_lines = sorted({a.line for a in report.official_answers if a.line not in markers})
    error = f"the course checker will stop with: {report.official_error}" if report.official_error else ""
    located = False
    for stray in stray_lines:
        consequence = (
            f"; {error}" if error else ("; it then reads only the text after it as this question's answer")
        )
        located = True
        yield Finding(
            line=stray,
            column=1,
            end_line=stray,
            message="the text `Answer:` on this line starts a new answer for the course checker"
            f"{consequence}: reword it (e.g. `answer -`)",
        )
    for q, next_marker in _skipped(report):
        if next_marker in stray_lines:
            continue  # already explained by the stray `Answer:`
        located = True
        consequence = f"; {error}" if error else "; the answers after it are judged against the wrong limits"
        yield finding_at(
            q.marker,  # type: ignore[arg-type]
            f"the course checker drops question {q.number}'s answer: no `###` heading follows this `Answer:` "
            f"before the next one (line {next_marker}){consequence}",
            q.number,
        )
    count_problem = f"the report has {found} questions, the template has {expected}"
    if expected is not None and found != expected:
        message = count_problem + (f"; {error}" if error and not located else "")
        yield Finding(line=line, column=1, end_line=line, message=message)
    elif error and not located:
        yield Finding(line=line, column=1, end_line=line, message=error)


def _stated(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    for q in report.questions:
        spec = ctx.pack.question(q.number)
        stated = q.stated_limits
        if spec is None or stated is None:
            continue
        want_words = spec.stated_words or spec.words
        have_words = _limit(stated.min_words, stated.max_words)
        want_images = spec.stated_images or spec.images
        have_images = _limit(stated.min_images, stated.max_images)
        problems = []
        # a template generation may state either the checker's limit or its own (2025: question 31)
        if want_words is not None and have_words is not None and have_words not in (want_words, spec.words):
            checker = ctx.pack.structure.course_checker
            enforced = f" (the course checker enforces {spec.words})" if spec.words and checker else ""
            problems.append(f"{have_words} words where the template says {want_words}{enforced}")
        if want_images is not None and have_images is not None and have_images != want_images:
            problems.append(f"{have_images} images where the template says {want_images}")
        if problems:
            yield finding_at(
                stated.span,
                "the stated limit was edited: " + "; ".join(problems) + ": restore the template's text",
                q.number,
            )


def check(ctx: CheckContext, report: Report) -> Iterator[Finding]:
    yield from _headings(ctx, report)
    yield from _count(ctx, report)
    yield from _stated(ctx, report)
