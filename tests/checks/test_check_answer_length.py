from __future__ import annotations

from builders import words

from report_lint.checks import answer_length as rule

from .factory import ReportFactory, context, run


def test_too_long_official_with_prose_count_and_exact_lines() -> None:
    f = ReportFactory()
    q = f.question(7, words(90) + "\n\n```\n" + words(30) + "\n```")
    (only,) = run(rule, context(), f.build())
    assert only.line == q.answer.line and only.end_line == q.answer.end_line  # type: ignore[union-attr]
    assert only.message.startswith("answer has 122 words, limit 50–100: cut 22 (prose count: 90)")


def test_too_short_says_how_many_to_add() -> None:
    f = ReportFactory()
    f.question(11, words(150))
    (only,) = run(rule, context(), f.build())
    assert "answer has 150 words, limit 200–300: add 50" in only.message


def test_prose_mode_uses_prose_words_and_shows_official() -> None:
    f = ReportFactory()
    f.question(7, words(40) + "\n```\n" + words(20) + "\n```")
    (only,) = run(rule, context(count_mode="prose"), f.build())
    assert "answer has 40 words" in only.message and "official count: 62" in only.message


def test_placeholder_only_answer_is_empty_but_checker_counts_it() -> None:
    f = ReportFactory()
    q = f.question(9, "--- question 9 fill here ---")
    (only,) = run(rule, context(), f.build())
    assert only.message.startswith("answer is empty")
    assert "counts 6 words" in only.message
    assert only.line == q.answer.line  # type: ignore[union-attr]


def test_empty_answer_points_at_marker() -> None:
    f = ReportFactory()
    q = f.question(9, "")
    (only,) = run(rule, context(), f.build())
    assert only.line == q.marker.line and "empty" in only.message  # type: ignore[union-attr]


def test_empty_answer_without_marker_points_at_heading() -> None:
    f = ReportFactory()
    q = f.question(9, "", marker=False)
    (only,) = run(rule, context(), f.build())
    assert only.line == q.heading.line


def test_zero_minimum_accepts_empty_and_no_limit_questions_skipped() -> None:
    f = ReportFactory()
    f.question(28, "")
    f.question(19, "")
    f.question(3, "")  # 2026: 0-200
    assert run(rule, context(), f.build()) == []


def test_within_limits_passes() -> None:
    f = ReportFactory()
    f.question(31, words(250))  # 2025+ checker: 50-300
    assert run(rule, context(), f.build()) == []
    assert len(run(rule, context("dtu-mlops-31q-2024"), f.build())) == 1


def test_checker_crash_falls_back_to_prose_and_says_so() -> None:
    f = ReportFactory(official_error="Number of answers are different from the expected 31")
    f.question(7, words(120))
    (only,) = run(rule, context(), f.build())
    assert "answer has 120 words" in only.message and "prose count used" in only.message
