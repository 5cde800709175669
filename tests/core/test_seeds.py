"""The five real reports: placeholders at their exact lines, and the course checker's verdicts.

The seeds live beside the project (../shared/seeds); they are read at test time, never copied.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from reference_checker import naive_answers
from tooling import SHARED, collect_shared

from report_lint.engine import LintOptions, Selection, lint_file

SEEDS_DIR = SHARED / "seeds"
SEEDS = collect_shared("seeds", "*.txt")

# The course checker's limits (words; images) per template generation, written out independently of
# our packs so that a wrong pack fails this test.
W, IMG = "words", "images"
LIMITS_27 = {
    3: {W: (100, 200)},
    4: {W: (100, 200)},
    5: {W: (100, 200)},
    6: {W: (50, 100)},
    7: {W: (50, 100)},
    8: {W: (100, 200)},
    9: {W: (100, 200)},
    10: {W: (100, 200)},
    11: {W: (200, 300)},
    12: {W: (50, 100)},
    13: {W: (100, 200)},
    14: {W: (200, 300), IMG: (1, 3)},
    15: {W: (100, 200)},
    16: {W: (100, 200)},
    17: {W: (50, 200)},
    18: {W: (100, 200)},
    19: {IMG: (1, 2)},
    20: {IMG: (1, 1)},
    21: {IMG: (1, 1)},
    22: {W: (100, 200)},
    23: {W: (100, 200)},
    24: {W: (25, 100)},
    25: {W: (200, 400), IMG: (1, 1)},
    26: {W: (200, 400)},
    27: {W: (50, 200)},
}
LIMITS_31: dict[int, dict[str, tuple[int, int]]] = {
    **{n: {W: (100, 200)} for n in (3, 4, 5, 6, 8, 9, 10, 13, 15, 16, 18, 22, 23, 24, 25, 26, 27)},
    7: {W: (50, 100)},
    11: {W: (200, 300)},
    12: {W: (50, 100)},
    14: {W: (200, 300), IMG: (1, 3)},
    17: {W: (50, 200)},
    19: {IMG: (1, 2)},
    20: {IMG: (1, 2)},
    21: {IMG: (1, 2)},
    28: {W: (0, 200)},
    29: {W: (200, 400), IMG: (1, 1)},
    30: {W: (200, 400)},
    31: {W: (50, 300)},
}


def checker_failures(text: str, question_count: int) -> set[int]:
    """The course checker on ``text``: the numbers of the questions it warns about."""
    answers = naive_answers(text, 43 if question_count == 27 else 0)
    assert len(answers) == question_count, "the checker would stop on this seed"
    limits = LIMITS_27 if question_count == 27 else dict(LIMITS_31)
    if question_count == 31:
        # 2024-12 checker: Q31 50-200; from 2025-01 50-300; from 2026-01 also Q3 0-200. The template's
        # own stated limits tell the generations apart.
        if not re.search(r"answer length:\s*50-300", text):
            limits[31] = {W: (50, 200)}
        if (
            re.search(r"answer length:\s*0-200 words\.?\s*\n(?:.*\n){0,6}?.*Answer:", text)
            and "open-source frameworks" in text
        ):
            limits[3] = {W: (0, 200)}
    failed = set()
    for number, answer in enumerate(answers, start=1):
        rule = limits.get(number, {})
        words = len(answer.split())
        images = len(re.findall(r"\!\[.*?\]\(.*?\)", answer))
        if W in rule and not rule[W][0] <= words <= rule[W][1]:
            failed.add(number)
        if IMG in rule and not rule[IMG][0] <= images <= rule[IMG][1]:
            failed.add(number)
    return failed


def scratch_repo(tmp_path: Path, seed: Path) -> Path:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "README.md").write_bytes(seed.read_bytes())
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def lint(repo: Path, select: tuple[str, ...], pack: str | None = None):  # type: ignore[no-untyped-def]
    options = LintOptions(pack=pack, selection=Selection(select=select))
    return lint_file(repo / "reports" / "README.md", repo, "reports/README.md", options)


def first_question_line(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines, start=1) if re.match(r"#+\s*Question\s+1\b", line))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_every_placeholder_at_its_line_and_none_in_intro(tmp_path: Path, seed: Path) -> None:
    repo = scratch_repo(tmp_path, seed)
    lines = seed.read_text(encoding="utf-8").split("\n")
    start = first_question_line(lines)
    expected = {
        n
        for n, line in enumerate(lines, start=1)
        if n > start and re.search(r"-{3,}\s*question\s+\d+\s+fill\s+here|\[\s*TO\s*DO", line, re.I)
    }
    result = lint(repo, ("unfilled-placeholder",))
    reported = {d.line for d in result.diagnostics if d.rule == "unfilled-placeholder"}
    assert expected <= reported
    assert all(d.line > start for d in result.diagnostics)
    for d in result.diagnostics:
        if d.line in expected:
            line = lines[d.line - 1]
            assert line[d.column - 1 :].lower().lstrip("`").startswith(("-", "[", "todo")), (d, line)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_official_failures_equal_course_checker(tmp_path: Path, seed: Path) -> None:
    repo = scratch_repo(tmp_path, seed)
    text = seed.read_text(encoding="utf-8")
    result = lint(repo, ("answer-length", "image-count"))
    count = result.expected_questions
    assert count in (27, 31)
    ours = {d.question for d in result.diagnostics if d.question is not None}
    assert ours == checker_failures(text, count)
