from __future__ import annotations

from report_lint.checks import unfilled_placeholder as rule

from .factory import ReportFactory, context, run


def findings(f: ReportFactory, pack: str = "dtu-mlops-31q-2026"):  # type: ignore[no-untyped-def]
    return run(rule, context(pack), f.build())


def test_fill_here_variants_each_at_their_column() -> None:
    f = ReportFactory()
    f.question(
        3,
        "\n".join(
            [
                "--- question 3 fill here ---",
                "Real words of an answer.",
                "`--- Question 3 FILL HERE ---`",
                "----------  question 3   fill here ------------",
                "---question 3 fill here---",
            ]
        ),
    )
    got = findings(f)
    assert [(x.line, x.column) for x in got] == [
        (f.lines.index("--- question 3 fill here ---") + 1, 1),
        (f.lines.index("`--- Question 3 FILL HERE ---`") + 1, 1),
        (f.lines.index("----------  question 3   fill here ------------") + 1, 1),
        (f.lines.index("---question 3 fill here---") + 1, 1),
    ]
    assert all(x.question == 3 for x in got)
    assert got[0].end_column == 1 + len("--- question 3 fill here ---")
    assert "delete it" in got[0].message


def test_placeholder_below_an_answer_and_with_nbsp() -> None:
    f = ReportFactory()
    f.question(5, "We split the code into a package.\n\n---\u00a0question 5\u00a0fill here ---")
    (only,) = findings(f)
    assert only.line == len(f.lines) - 1


def test_todo_markers_bracketed_and_bare() -> None:
    f = ReportFactory()
    f.question(
        6,
        "Typing was used. [TO DO: explain the docs part]\nTBD by Anna. FIXME later.\n"
        "We built a todo app once.",
    )
    got = findings(f)
    texts = [x.message for x in got]
    assert len(got) == 3, texts
    first = got[0]
    assert first.column == len("Typing was used. ") + 1
    assert "[TO DO: explain the docs part]" in first.message
    assert got[1].column == 1 and "TBD" in got[1].message
    assert "FIXME" in got[2].message


def test_todo_in_fenced_code_and_code_span_is_not_a_marker() -> None:
    f = ReportFactory()
    f.question(12, "We ran it like this:\n```bash\n# TODO remove\npython train.py\n```\nSee `TODO.md` too.")
    assert findings(f) == []


def test_example_study_number_only_in_question_2() -> None:
    f = ReportFactory()
    f.question(2, "sXXXXXX, s123456")
    f.question(31, "Student sXXXXXX did the docker work.")
    got = findings(f)
    assert [(x.question, x.column) for x in got] == [(2, 1)]


def test_marker_line_tail_is_scanned_with_its_column() -> None:
    f = ReportFactory()
    f.question(1, "", marker_tail="--- question 1 fill here ---")
    (only,) = findings(f)
    assert only.column == 11


def test_example_with_ellipsis_left_in() -> None:
    example = "We used ... for managing our dependencies. The list was made with ... ."
    f = ReportFactory()
    f.question(
        4,
        "We used ... for managing our dependencies. We like it... a lot.",
        example=example,
        stated="Recommended answer length: 100-200 words.",
    )
    got = findings(f)
    assert len(got) == 1
    assert got[0].column == len("We used ") + 1
    assert "example" in got[0].message


def test_prompt_and_intro_are_never_scanned() -> None:
    f = ReportFactory()
    f.add_line("```--- question 1 fill here ---```")
    f.add_line("TODO: intro text")
    f.question(14, "Real answer.", prompt_image="figures/wandb.png", example="Put ... here and TODO there")
    assert findings(f) == []
