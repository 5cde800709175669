from __future__ import annotations

import pytest

from report_lint.checks import group_info as rule

from .factory import ReportFactory, context, run


@pytest.mark.parametrize(
    "answer", ["24", "24.", "Awesome 21", "group number 4", "Group 7", "**MLOps 2024 group 5**"]
)
def test_group_numbers_accepted(answer: str) -> None:
    f = ReportFactory()
    f.question(1, answer)
    f.question(2, "s123456, s234567")
    assert run(rule, context(), f.build()) == []


@pytest.mark.parametrize(
    "answer,needle",
    [
        ("", "empty"),
        ("--- question 1 fill here ---", "empty"),
        ("The Awesome Team", "no group number"),
        ("s123456", "looks like a study number"),
    ],
)
def test_group_number_problems(answer: str, needle: str) -> None:
    f = ReportFactory()
    f.question(1, answer)
    (only,) = run(rule, context(), f.build())
    assert needle in only.message and only.question == 1


def test_study_numbers_problems_each_located() -> None:
    f = ReportFactory()
    q = f.question(
        2, "s123456, 234567, s12345\nJohan Hansen (johan@example.com), s123456, s345678@student.dtu.dk"
    )
    got = sorted(run(rule, context(), f.build()), key=lambda x: (x.line, x.column))
    line1 = q.answer_lines[0].number
    assert [(x.line, x.column) for x in got] == [
        (line1, 10),
        (line1, 18),
        (line1 + 1, 15),
        (line1 + 1, 35),
        (line1 + 1, 44),
    ]
    messages = [x.message for x in got]
    assert "missing the `s`" in messages[0] and "not a study number" in messages[1]
    assert "e-mail" in messages[2] and "listed twice" in messages[3] and "just `s345678`" in messages[4]


@pytest.mark.parametrize(
    "answer,needle",
    [("sXXXXXX, sXXXXXX", "template's example"), ("anna, bo, carl", "lists no study numbers"), ("", "empty")],
)
def test_no_study_numbers(answer: str, needle: str) -> None:
    f = ReportFactory()
    f.question(2, answer)
    (only,) = run(rule, context(), f.build())
    assert needle in only.message
