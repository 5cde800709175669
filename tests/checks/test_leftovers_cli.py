"""Leftovers the hand-in shows, found through the real CLI: placeholders hidden by emphasis or by
invisible characters, and notes left on question headings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from builders import ReportBuilder, words

from .cli_run import lint_text

ZERO_WIDTH = {
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "soft hyphen": "\u00ad",
    "word joiner": "\u2060",
}


def _filled(**answers: str) -> ReportBuilder:
    b = ReportBuilder(fill_words=150)
    b.answers.update({int(k[1:]): v for k, v in answers.items()})
    return b


def _at(diagnostics: list[dict[str, Any]], rule: str, line: int) -> list[dict[str, Any]]:
    return [d for d in diagnostics if d["rule"] == rule and d["line"] == line]


def test_marker_inside_bold_underscores_is_found(tmp_path: Path) -> None:
    answer = words(120) + " The cloud bill was __XXX USD__ in total, and *XXX* for storage."
    b = _filled(q24=answer)
    line = b.line_of("__XXX USD__")
    got = _at(lint_text(tmp_path, b.text()), "unfilled-placeholder", line)
    text = b.lines()[line - 1]
    want = [text.index("__XXX") + 3, text.index("*XXX*") + 2]
    assert [(d["column"], d["end_column"]) for d in got] == [(c, c + 3) for c in want]
    assert all("marker `XXX` is left" in d["message"] for d in got)


def test_example_study_number_inside_underscores_is_found(tmp_path: Path) -> None:
    b = _filled(q2="s123456, _sXXXXXX_")
    line = b.line_of("_sXXXXXX_")
    (got,) = _at(lint_text(tmp_path, b.text()), "unfilled-placeholder", line)
    assert got["column"] == b.lines()[line - 1].index("sXXXXXX") + 1
    assert got["end_column"] == got["column"] + len("sXXXXXX")


@pytest.mark.parametrize("name", sorted(ZERO_WIDTH))
def test_fill_here_with_an_invisible_character_inside(tmp_path: Path, name: str) -> None:
    mark = ZERO_WIDTH[name]
    placeholder = f"--- question 5 fi{mark}ll{mark} here ---"
    # another invisible character before it on the line: columns count the original characters
    b = _filled(q5=words(120) + "\n\n" + f"{mark}Done. {placeholder}")
    line = b.line_of(placeholder)
    (got,) = _at(lint_text(tmp_path, b.text()), "unfilled-placeholder", line)
    text = b.lines()[line - 1]
    assert got["column"] == text.index(placeholder) + 1
    assert got["end_column"] == got["column"] + len(placeholder)
    assert "`--- question 5 fill here ---`" in got["message"]  # shown as the reader sees it


def test_todo_word_split_by_an_invisible_character(tmp_path: Path) -> None:
    b = _filled(q6=words(70) + " TO\u200bDO: the last part.")
    line = b.line_of("TO\u200bDO")
    (got,) = _at(lint_text(tmp_path, b.text()), "unfilled-placeholder", line)
    assert got["column"] == b.lines()[line - 1].index("TO\u200bDO") + 1
    assert got["end_column"] == got["column"] + 5


@pytest.mark.parametrize(
    ("number", "note"),
    [(6, "TODO"), (7, "[] Andreas (done)"), (4, "[✔] Johan"), (9, "[x]")],
)
def test_note_on_a_question_heading_is_a_warning(tmp_path: Path, number: int, note: str) -> None:
    b = ReportBuilder(fill_words=150, heading_extra={number: note})
    line = b.line_of(f"### Question {number} ")
    diagnostics = lint_text(tmp_path, b.text())
    (got,) = _at(diagnostics, "heading-note", line)
    assert (got["code"], got["severity"]) == ("RL404", "warning")
    assert got["column"] == len(f"### Question {number} ") + 1
    assert got["end_column"] == got["column"] + len(note)
    assert f"`{note}`" in got["message"] and f"`### Question {number}`" in got["message"]
    assert not _at(diagnostics, "template-structure", line)  # the heading still works for the checker
    assert [d for d in diagnostics if d["rule"] == "heading-note"] == [got]


def test_plain_headings_have_no_note(tmp_path: Path) -> None:
    b = ReportBuilder(fill_words=150)
    assert not [d for d in lint_text(tmp_path, b.text()) if d["rule"] == "heading-note"]
