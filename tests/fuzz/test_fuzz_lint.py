"""Fuzzing the whole in-process pipeline: bytes -> decode -> ``analyse_text`` / ``lint_text``.

Properties, on template-shaped documents with random mutations (``fuzz_docs``):

1. linting never raises;
2. every diagnostic position is inside the normalised text, and every model position (question
   headings, markers, answer spans, images, links, checklist items, comments, official slices) points at
   its node;
3. the output is identical across two runs;
4. the ``official`` counts equal the course checker's algorithm, re-implemented naively in ``fuzz_docs``.

Example counts: ``fuzz_docs.EXAMPLES`` (``HYPOTHESIS_PROFILE=ci`` runs 14,000).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_docs import Doc, documents, examples, naive_checker, template_documents
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from report_lint.engine import LintOptions, analyse_text, lint_text, resolve_pack
from report_lint.evidence.walk import WalkSource
from report_lint.formatters import json_format
from report_lint.model import Report
from report_lint.result import LintResult, ReportResult
from report_lint.source import decode

# None: detect the pack from the text, as the CLI does by default (costs ~10 ms, so one example in ten)
PACKS = st.sampled_from(
    [None]
    + ["dtu-mlops-27q", "dtu-mlops-31q-2024", "dtu-mlops-31q-2025", "dtu-mlops-31q-2026"] * 2
    + ["dtu-mlops-27q"]
)
# False: the default file source (git, then a walk) instead of an explicit walk of the empty root
WALK = st.integers(0, 9).map(bool)
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


@pytest.fixture(scope="session")
def repo_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One empty repository root for every example; it must still be empty afterwards (we never write)."""
    root = tmp_path_factory.mktemp("fuzz-repo")
    yield root
    assert list(root.iterdir()) == [], "linting wrote into the repository"


def _lint(doc: Doc, root: Path, pack: str | None, *, walk: bool = True) -> tuple[str, ReportResult, Report]:
    source = decode(doc.data, "reports/README.md")
    result, report = analyse_text(
        source.text,
        file=root / "reports" / "README.md",
        repo_root=root,
        display="reports/README.md",
        options=LintOptions(pack=pack),
        had_bom=source.had_bom,
        # an empty work tree without spawning git for every example; some examples take the default path
        source=WalkSource(root) if walk else None,
    )
    return source.text, result, report


# ------------------------------------------------------------------------------------------ positions

_HEADING_WORD = re.compile(r"question\s*0*(\d+)", re.I)
_MARKER = re.compile(r"^[*_]{0,2}Answer[*_]{0,2}[ \t]*:[*_]{0,2}$")
_HTML_IMG = re.compile(r"""<img\b(?:"[^"]*"|'[^']*'|[^>"'])*>""", re.I | re.S)  # quoted values may hold '>'


def _at(lines: list[str], line: int, column: int) -> str:
    return lines[line - 1][column - 1 :]


def _span_problem(
    lines: list[str], what: str, line: int, column: int, end_line: int, end_column: int | None
) -> str | None:
    n = len(lines)
    if not (1 <= line <= end_line <= n):
        return f"{what}: lines {line}-{end_line} outside 1..{n}"
    if not 1 <= column <= len(lines[line - 1]) + 1:
        return f"{what}: column {column} outside 1..{len(lines[line - 1]) + 1} of line {line}"
    if end_column is not None:
        if not 1 <= end_column <= len(lines[end_line - 1]) + 1:
            return f"{what}: end column {end_column} outside line {end_line}"
        if end_line == line and end_column < column:
            return f"{what}: end column {end_column} before column {column}"
    return None


def position_problems(text: str, result: ReportResult, report: Report) -> list[str]:
    lines = text.split("\n")
    found: list[str] = []

    def span(what: str, s: object) -> bool:
        problem = _span_problem(lines, what, s.line, s.column, s.end_line, s.end_column)  # type: ignore[attr-defined]
        if problem:
            found.append(problem)
        return problem is None

    assert report.lines == tuple(lines)
    for d in result.diagnostics:
        problem = _span_problem(
            lines, f"diagnostic {d.rule} {d.message[:60]!r}", d.line, d.column, d.end_line, d.end_column
        )
        if problem:
            found.append(problem)
    for q in report.questions:
        name = f"question {q.number}"
        if not span(f"{name} heading", q.heading):
            continue
        heading_line = lines[q.heading.line - 1]
        if not _at(lines, q.heading.line, q.heading.column).startswith("#"):
            found.append(f"{name} heading column {q.heading.column} is not at '#': {heading_line!r}")
        numbers = [int(m.group(1)) for m in _HEADING_WORD.finditer(re.sub(r"[*_\\]", "", heading_line))]
        if q.number not in numbers:
            found.append(
                f"{name} heading line {q.heading.line} does not say Question {q.number}: {heading_line!r}"
            )
        if not q.heading.line <= q.end_line <= len(lines):
            found.append(f"{name} ends at {q.end_line}, outside {q.heading.line}..{len(lines)}")
        if q.marker is not None and span(f"{name} marker", q.marker):
            held = lines[q.marker.line - 1][q.marker.column - 1 : (q.marker.end_column or 0) - 1]
            if not _MARKER.match(held) or not q.heading.line < q.marker.line <= q.end_line:
                found.append(f"{name} marker at {q.marker} holds {held!r}")
        if q.answer is not None and span(f"{name} answer", q.answer):
            rest = _at(lines, q.answer.line, q.answer.column)
            if not rest or rest[0].isspace() or not q.heading.line < q.answer.line <= q.end_line:
                found.append(f"{name} answer span {q.answer} starts at {rest[:20]!r}")
            if q.marker is not None and q.answer.line < q.marker.line:
                found.append(f"{name} answer {q.answer} before its marker {q.marker}")
        in_section = q.prompt is None or q.heading.line < q.prompt.line <= q.end_line
        if q.prompt is not None and span(f"{name} prompt", q.prompt) and not in_section:
            found.append(f"{name} prompt {q.prompt} outside the section")
        if q.stated_limits is not None and span(f"{name} limits", q.stated_limits.span):
            s = q.stated_limits.span
            held = lines[s.line - 1][s.column - 1 : (s.end_column or 0) - 1]
            if held != q.stated_limits.text:
                found.append(f"{name} stated limits at {s} hold {held!r}, not {q.stated_limits.text!r}")
        for sl in q.answer_lines:
            if not 1 <= sl.number <= len(lines) or lines[sl.number - 1][sl.start_column - 1 :] != sl.text:
                found.append(f"{name} answer line {sl.number}:{sl.start_column} is not {sl.text[:30]!r}")
    for img in report.images:
        if not span(f"image {img.src!r}", img.span):
            continue
        rest = _at(lines, img.span.line, img.span.column)
        if img.syntax == "html":
            tag = _HTML_IMG.match("\n".join([rest, *lines[img.span.line : img.span.end_line]]))
            if tag is None or img.src not in tag.group(0):
                found.append(f"html image {img.src!r} at {img.span} points at {rest[:40]!r}")
        elif not rest.startswith("!["):
            found.append(f"{img.syntax} image {img.src!r} at {img.span} points at {rest[:30]!r}")
    for placed in (*report.images, *report.links):
        if placed.question is not None and not any(
            q.number == placed.question and q.heading.line <= placed.span.line <= q.end_line
            for q in report.questions
        ):
            found.append(f"{placed} is placed in question {placed.question}, which does not hold its line")
    for item in report.checklist:
        if report.first_question_line is not None and item.span.line >= report.first_question_line:
            found.append(f"checklist item at {item.span} is after the first question")
    for link in report.links:
        if span(f"link {link.url!r}", link.span):
            rest = _at(lines, link.span.line, link.span.column)
            if not rest.startswith(("[", "<")):
                found.append(f"link {link.url!r} at {link.span} points at {rest[:30]!r}")
    for item in report.checklist:
        if span(f"checklist item {item.text[:30]!r}", item.span):
            line = lines[item.span.line - 1]
            if item.mark not in line[item.span.column - 1 :] or line[: item.span.column - 1].strip():
                found.append(f"checklist item {item.mark} at {item.span} points at {line!r}")
    for s, _body in report.html_comments:
        if span("comment", s) and not _at(lines, s.line, s.column).startswith("<!--"):
            found.append(f"comment at {s} points at {_at(lines, s.line, s.column)[:30]!r}")
    for answer in report.official_answers:
        if not 1 <= answer.line <= answer.end_line <= len(lines):
            found.append(f"official answer {answer.index} at lines {answer.line}-{answer.end_line}")
    for status in result.questions:
        if not 0 <= status.line <= len(lines):
            found.append(f"question status {status.number} at line {status.line}")
    return found


@settings(max_examples=examples("positions"), suppress_health_check=HEALTH)
@given(doc=documents(), pack=PACKS, walk=WALK)
def test_never_raises_and_positions_point_at_nodes(
    repo_root: Path, doc: Doc, pack: str | None, walk: bool
) -> None:
    text, result, report = _lint(doc, repo_root, pack, walk=walk)
    problems = position_problems(text, result, report)
    assert not problems, "\n".join(problems) + f"\n\ntext: {text!r}"


# --------------------------------------------------------------------------------------- determinism


def _json(result: ReportResult) -> str:
    return json_format.render(LintResult((result,)))


@settings(max_examples=examples("deterministic"), suppress_health_check=HEALTH)
@given(doc=documents(), pack=PACKS, walk=WALK)
def test_output_identical_across_runs(repo_root: Path, doc: Doc, pack: str | None, walk: bool) -> None:
    source = decode(doc.data, "reports/README.md")

    def run() -> str:
        result = lint_text(
            source.text,
            file=repo_root / "reports" / "README.md",
            repo_root=repo_root,
            display="reports/README.md",
            options=LintOptions(pack=pack),
            had_bom=source.had_bom,
            source=WalkSource(repo_root) if walk else None,
        )
        return _json(result)

    first = run()
    assert json.loads(first)["version"] == 1
    assert run() == first


# ------------------------------------------------------------------------------------------ official


def _check_official(doc: Doc, root: Path, pack_name: str | None) -> None:
    text, result, report = _lint(doc, root, pack_name)
    pack = resolve_pack(text, LintOptions(pack=pack_name))
    assert result.rules == pack.name
    reference = naive_checker(doc.checker_text(), pack.official_skip_chars)
    ours = [(a.words, a.images) for a in report.official_answers]
    assert ours == reference
    matches = len(reference) == pack.question_count
    event(f"checker answer count matches the template: {matches}")
    if not matches:
        return
    statuses = {s.number: s for s in result.questions}
    assert result.count_mode == "official"
    for q in report.questions:
        if not 1 <= q.number <= len(reference):
            continue
        assert q.official is not None, q.number
        assert (q.official.words, q.official.images) == reference[q.number - 1], q.number
        if report.question(q.number) is q:  # the first of duplicated headings is the one reported
            status = statuses[q.number]
            assert (status.words, status.images) == reference[q.number - 1], q.number


@settings(max_examples=examples("official"), suppress_health_check=HEALTH)
@given(doc=documents(), pack=PACKS)
def test_official_counts_match_the_naive_checker(repo_root: Path, doc: Doc, pack: str | None) -> None:
    _check_official(doc, repo_root, pack)


@settings(max_examples=examples("official_template"), suppress_health_check=HEALTH)
@given(doc=template_documents(), pack=PACKS)
def test_official_counts_per_question_on_full_templates(repo_root: Path, doc: Doc, pack: str | None) -> None:
    _check_official(doc, repo_root, pack)
