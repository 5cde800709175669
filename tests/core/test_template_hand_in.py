"""A blank template handed in as it is: nothing the template itself wrote is reported.

Every blank template generation (../shared/templates) is linted as ``reports/README.md`` of a scratch
git repository through the real CLI.  What remains must be things a student has to fix in their own
answers: no diagnostic may point into the intro or the checklist (before the first question heading),
and only the rules below may speak.  The template's intro shows the image syntax in a `code span`, which
is code, not a figure.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from checks.cli_run import lint_text
from tooling import shared_files

# what a blank template may be told: leftover placeholders, empty answers (words, images), the missing
# group number and study numbers, and checked checklist items the (empty) repository does not show
STUDENT_ACTS = {"unfilled-placeholder", "answer-length", "image-count", "group-info", "checklist-unsupported"}
_HEADING = re.compile(r"^#{1,6}\s*Question\s*\d+", re.M)


def hand_in(tmp_path: Path, text: str) -> list[dict[str, Any]]:
    """``text`` as ``reports/README.md`` (with an empty ``reports/figures/``), committed, linted by the CLI."""
    return lint_text(tmp_path / "repo", text)


def _first_question_line(text: str) -> int:
    match = _HEADING.search(text)
    assert match is not None
    return text.count("\n", 0, match.start()) + 1


@pytest.mark.parametrize("name", ["template-2023-27q", "template-2024-31q", "template-2026-31q"])
def test_blank_template_reports_only_what_students_fill_in(tmp_path: Path, name: str) -> None:
    (template,) = [p for p in shared_files("templates", "template-*.md") if p.stem == name]
    text = template.read_text(encoding="utf-8")
    diagnostics = hand_in(tmp_path, text)
    first = _first_question_line(text)
    assert diagnostics, "a blank template has empty answers to report"
    before = [d for d in diagnostics if d["line"] < first]
    assert before == [], f"diagnostics in the template's own text (before line {first}): {before}"
    assert {d["rule"] for d in diagnostics} <= STUDENT_ACTS
    for d in diagnostics:
        if d["rule"] == "answer-length":  # a blank answer is empty, never "too long"
            assert d["message"].startswith("answer is empty"), d
        if d["rule"] == "image-count":
            assert "answer has 0 images" in d["message"], d


def test_template_2026_intro_example_is_code_not_a_figure(tmp_path: Path) -> None:
    (template,) = [p for p in shared_files("templates", "template-*.md") if p.stem == "template-2026-31q"]
    text = template.read_text(encoding="utf-8")
    example = "`![my_image](figures/<image>.<extension>)`"
    assert example in text  # the intro shows the image syntax in a code span
    assert not [d for d in hand_in(tmp_path, text) if d["rule"] == "missing-figure"]


def test_seed_001_has_nothing_in_the_intro(tmp_path: Path) -> None:
    (seed,) = [p for p in shared_files("seeds", "*.txt") if p.name.startswith("001_")]
    diagnostics = hand_in(tmp_path, seed.read_text(encoding="utf-8"))
    assert diagnostics
    assert [d for d in diagnostics if d["line"] < 30] == []


def test_image_syntax_in_a_code_span_of_an_answer_is_code(tmp_path: Path) -> None:
    (template,) = [p for p in shared_files("templates", "template-*.md") if p.stem == "template-2026-31q"]
    lines = template.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "--- question 3 fill here ---" in line)
    lines[at] = "We show the syntax as code: `![x](figures/nope.png)` and ``![y](figures/gone.png)``."
    lines.insert(at + 1, "")
    lines.insert(at + 2, "    ![z](figures/indented-code.png)")  # an indented code block
    diagnostics = hand_in(tmp_path, "\n".join(lines))
    mentioned = [d for d in diagnostics if d["line"] in (at + 1, at + 3)]
    assert mentioned == [], mentioned
    # a real image in the same answer is still checked
    lines[at] += " ![real](figures/nope.png)"
    missing = [d for d in hand_in(tmp_path / "again", "\n".join(lines)) if d["rule"] == "missing-figure"]
    assert [(d["line"], d["column"]) for d in missing] == [(at + 1, len(lines[at]) - 24)]


def test_reference_material_is_beside_the_project() -> None:
    # skips on a developer's machine without ../shared; fails under CI=true (see tests/tooling.py)
    assert len(shared_files("templates", "template-*.md")) == 3
    assert len(shared_files("seeds", "*.txt")) >= 5
