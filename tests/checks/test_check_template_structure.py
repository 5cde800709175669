from __future__ import annotations

from builders import words

from report_lint.checks import template_structure as rule
from report_lint.model import OfficialAnswer
from report_lint.packs.plain import Pack

from .factory import ReportFactory, context, load_pack, run


def small_pack(count: int = 4) -> Pack:
    pack = load_pack("dtu-mlops-31q-2026")
    return pack.replace(question_count=count)


def test_complete_report_passes() -> None:
    f = ReportFactory()
    for n in range(1, 5):
        f.question(n, "x")
    assert run(rule, context(small_pack()), f.build()) == []


def test_missing_duplicated_out_of_order_and_beyond() -> None:
    f = ReportFactory()
    f.question(1, "a")
    q3 = f.question(3, "b")
    dup = f.question(3, "c")
    late = f.question(2, "d")
    extra = f.question(5, "e")
    got = run(rule, context(small_pack()), f.build())
    by_line = {(x.line, x.message.split(":")[0]) for x in got}
    assert (dup.heading.line, f"question 3 appears twice (first at line {q3.heading.line})") in by_line
    assert any(x.line == late.heading.line and "comes after question 3" in x.message for x in got)
    assert any(x.line == extra.heading.line and "there is no question 5" in x.message for x in got)
    assert any(x.question == 4 and "question 4 is missing" in x.message for x in got)


def test_renamed_heading_level_and_missing_marker() -> None:
    f = ReportFactory()
    f.question(1, "a", heading="Q1")
    f.question(2, "b", level=2)
    f.question(3, "c", marker=False, official=False)
    f.question(4, "d", heading="Question 4 [✔] Johan")
    got = sorted(run(rule, context(small_pack()), f.build()), key=lambda x: (x.line, x.column))
    messages = [x.message for x in got]
    assert len(got) == 4, messages
    assert "renamed" in messages[0] and "`### Question 1`" in messages[0]
    # `## Question 2` holds no `###`: the course checker drops question 1's answer
    assert "drops question 1's answer" in messages[1] and got[1].line > got[0].line
    assert "level 2" in messages[2]
    assert "no `Answer:` marker" in messages[3]


def test_stated_limit_edited() -> None:
    f = ReportFactory()
    q = f.question(7, words(60), stated="Recommended answer length: 50-150 words.")
    f.question(31, words(60), stated="Recommended answer length: 50-200 words.")  # 2025: stated 50-200
    got = [x for x in run(rule, context("dtu-mlops-31q-2025"), f.build()) if "stated limit" in x.message]
    assert [x.line for x in got] == [q.stated_limits.span.line]  # type: ignore[union-attr]
    assert "50–150 words where the template says 50–100" in got[0].message


def test_checker_error_points_at_stray_answer_word() -> None:
    f = ReportFactory(official_error="Number of answers are different from the expected 4")
    for n in range(1, 5):
        f.question(n, "x")
    stray_line = f.add_line("Answer: we think so")
    f.extra_official.append(OfficialAnswer(9, "we think so", 3, 0, stray_line, stray_line))
    got = run(rule, context(small_pack()), f.build())
    (only,) = got
    assert only.line == stray_line and "the course checker will stop with" in only.message


def test_checker_error_with_missing_heading_is_summarised() -> None:
    f = ReportFactory(official_error="Number of answers are different from the expected 4")
    for n in (1, 2, 4):
        f.question(n, "x")
    got = run(rule, context(small_pack()), f.build())
    assert any(
        "the report has 3 questions, the template has 4; the course checker will stop" in x.message
        for x in got
    )
