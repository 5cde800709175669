"""The report model finds each answer and checklist item in reports that break the template."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_lint.build import build_report
from report_lint.model import QuestionSection, Report
from report_lint.source import decode


def build(text: str, *, skip: int = 0, expected: int | None = None) -> Report:
    source = decode(text.encode("utf-8"), "README.md")
    return build_report(
        source.text,
        path="reports/README.md",
        file=Path("/r/reports/README.md"),
        repo_root=Path("/r"),
        had_bom=source.had_bom,
        official_skip_chars=skip,
        expected_questions=expected,
    )


def q(report: Report, number: int) -> QuestionSection:
    section = report.question(number)
    assert section is not None, f"question {number} not found"
    return section


def answer_text(section: QuestionSection) -> str:
    return "\n".join(line.text for line in section.answer_lines).strip()


SECTION = "### Question {n}\n> **Prompt {n}?**\n>\n> Recommended answer length: 100-200 words.\n>\n> Answer:\n\n{body}\n\n"


def test_plain_template_sections_and_marker_positions() -> None:
    text = (
        "# Our report\n\n## Group information\n\n"
        + SECTION.format(n=1, body="24")
        + SECTION.format(n=2, body="s123456, s234567")
    )
    report = build(text)
    assert [s.number for s in report.questions] == [1, 2]
    one = q(report, 1)
    assert one.heading.line == 5
    assert one.marker is not None and (one.marker.line, one.marker.column) == (10, 3)
    assert one.answer is not None and one.answer.line == 12
    assert answer_text(one) == "24"
    assert one.stated_limits is not None and (one.stated_limits.min_words, one.stated_limits.max_words) == (
        100,
        200,
    )


def test_front_matter_is_skipped_and_lines_stay_document_lines() -> None:
    text = "---\nlayout: default\nnav_exclude: true\n---\n\n" + SECTION.format(n=1, body="Group 7")
    report = build(text)
    assert report.front_matter is not None and report.front_matter.span.end_line == 4
    assert q(report, 1).heading.line == 6
    assert q(report, 1).answer.line == 13  # type: ignore[union-attr]


def test_heading_with_extra_text_and_level() -> None:
    report = build("## Question 4 [✔] Johan\n> **P?**\n>\n> Answer:\n\nWe did it.\n")
    section = q(report, 4)
    assert section.heading_extra == "[✔] Johan"
    assert section.heading_level == 2


def test_headings_setext_and_fences_inside_an_answer_stay_in_it() -> None:
    body = (
        "We used this:\n\n### Our setup\n\n- ### listed heading\n\n```bash\n### not a heading\n```\n\n"
        "Output of the tool\n-----\n\nMore text after."
    )
    text = SECTION.format(n=5, body=body) + SECTION.format(n=6, body="Next answer.")
    report = build(text)
    five = q(report, 5)
    assert "More text after." in answer_text(five)
    assert "### not a heading" in answer_text(five)
    assert any(line.in_code for line in five.answer_lines)
    assert answer_text(q(report, 6)) == "Next answer."


def test_answer_on_marker_line_and_bare_marker() -> None:
    text = (
        "### Question 1\n> **Group?**\n>\n> Answer: 50\n\n"
        "### Question 2\n**Study numbers?**\n\nAnswer:\ns123456\n"
    )
    report = build(text)
    one, two = q(report, 1), q(report, 2)
    assert answer_text(one) == "50"
    assert one.answer is not None and (one.answer.line, one.answer.column) == (4, 11)
    assert two.marker is not None and two.marker.line == 9 and two.marker.column == 1
    assert answer_text(two) == "s123456"


def test_answer_continuing_inside_the_block_quote() -> None:
    report = build(
        "### Question 3\n> **P?**\n>\n> Answer:\n> We kept writing inside the quote.\n> Two lines.\n"
    )
    three = q(report, 3)
    assert three.answer is not None and three.answer.line == 5
    assert three.prose_words == 8


def test_prompt_without_example_or_length_lines_and_reformatted_prompt() -> None:
    text = (
        "### Question 3\n\n> _Which framework did you use?_ Joined onto one line. Answer:\n\nWe used timm.\n"
    )
    # a formatter joined the prompt lines: the marker is not at the line start, so the quote is the prompt
    report = build(text)
    three = q(report, 3)
    assert "timm" in answer_text(three)
    assert three.prompt_text.startswith("_Which framework")


def test_placeholder_kept_above_below_and_dashes_around_answer() -> None:
    body = "--- question 8 fill here ---\n\n--- We used DVC with a GCS remote. ---\n\n---\n\n`--- question 8 fill here ---`"
    report = build(SECTION.format(n=8, body=body))
    eight = q(report, 8)
    lines = [line.text for line in eight.answer_lines]
    assert lines.count("--- question 8 fill here ---") == 1
    assert "`--- question 8 fill here ---`" in lines
    assert eight.prose_words == 7  # placeholders, dashes and the thematic break are not words


def test_thematic_breaks_around_answers_do_not_move_the_span() -> None:
    report = build(SECTION.format(n=9, body="---\n\nThe real answer.\n\n---"))
    nine = q(report, 9)
    assert nine.answer is not None and nine.answer.line == 10 and nine.answer.end_line == 10


@pytest.mark.parametrize(
    ("line", "state", "tag"),
    [
        ("* [x] Create a git repository (M5)", "checked", "M5"),
        ("* [X] Create a git repository (M5)", "checked", "M5"),
        ("- [x] Create a git repository (M5)", "checked", "M5"),
        ("* [✅] Create a git repository (M5)", "checked", "M5"),
        ("- ❌ Create a git repository (M5)", "unchecked", "M5"),
        ("* [~] Create a git repository (M5)", "partial", "M5"),
        ("* [ ] **Create a git repository** (M5) - Johan", "unchecked", "M5"),
        ("* [x] Remember to fill out requirements (M2+M6)", "checked", "M2+M6"),
        ("* [x] Create a git repository", "checked", None),
    ],
)
def test_checklist_boxes(line: str, state: str, tag: str | None) -> None:
    report = build(
        f"## Overall project checklist\n\n### Week 1\n\n{line}\n\n## Group information\n\n"
        + SECTION.format(n=1, body="1")
    )
    assert len(report.checklist) == 1
    item = report.checklist[0]
    assert item.state == state
    assert item.module_tag == tag
    assert item.section == "Week 1"
    assert item.span.line == 5 and item.span.column == 1
    assert "**" not in item.text


def test_wrapped_checklist_item_is_joined() -> None:
    text = (
        "### Week 1\n\n* [x] Remember to fill out the `requirements.txt` file with whatever dependencies that you\n"
        "    are using (M2+M6)\n* [ ] Next item (M7)\n"
    )
    report = build(text)
    first, second = report.checklist
    assert first.text.endswith("that you are using (M2+M6)")
    assert (first.span.line, first.span.end_line) == (3, 4)
    assert first.modules == ("M2", "M6")
    assert second.span.line == 5


def test_whole_checklist_deleted_and_file_starting_at_group_information() -> None:
    report = build("## Group information\n\n" + SECTION.format(n=1, body="Awesome 21"))
    assert report.checklist == ()
    assert answer_text(q(report, 1)) == "Awesome 21"


def test_crlf_bom_nbsp_and_word_joiners() -> None:
    text = "\ufeff" + SECTION.format(
        n=3, body="We\u00a0used\u2060 Hydra\u00a0for\u00a0configs — and it worked 🎉."
    )
    report = build(text.replace("\n", "\r\n"))
    three = q(report, 3)
    assert three.heading.line == 1
    assert three.answer is not None and three.answer.line == 8
    assert three.prose_words == 8  # the dash and the emoji alone are not words


def test_images_of_every_shape_are_found_with_positions() -> None:
    body = (
        '![a](figures/a.png)\n<img src="figures/b.png" width="300">\n![c](<figures/c d.png>)\n'
        "![e](figures/e%20f.png)\n![raw](figures/raw space.png)\n![remote](https://example.org/x.png)\n"
        "![abs](/reports/figures/g.png)\n![lit](figures/<image>.<extension>)\n"
    )
    report = build(SECTION.format(n=14, body=body))
    images = q(report, 14).images
    by_src = {i.src: i for i in images}
    assert by_src["figures/a.png"].syntax == "markdown" and by_src["figures/a.png"].span.line == 8
    assert by_src["figures/b.png"].syntax == "html" and by_src["figures/b.png"].span.line == 9
    raw = [i for i in images if i.syntax == "unrendered"]
    assert [i.span.line for i in raw] == [12]
    assert any("c" in i.src and "d.png" in i.src for i in images)
    assert any(i.src.startswith("https://") for i in images)
    assert all(i.question == 14 and not i.in_prompt for i in images)


def test_prompt_links_are_marked_in_prompt_and_not_in_answer() -> None:
    text = (
        "### Question 14\n> **Upload screenshots. See [this figure](figures/wandb.png).**\n>\n> Answer:\n\n"
        "Our runs: [chart](figures/chart.png)\n"
    )
    report = build(text)
    section = q(report, 14)
    assert [lk.url for lk in section.links] == ["figures/chart.png"]
    prompt_links = [lk for lk in report.links if lk.in_prompt]
    assert [lk.url for lk in prompt_links] == ["figures/wandb.png"]


def test_official_slices_follow_the_checker_including_a_stray_answer_word() -> None:
    # the checker skips the piece before the stray `Answer:` (it holds no `###`) and keeps the rest
    text = SECTION.format(n=1, body="see Answer: here") + SECTION.format(n=2, body="x")
    report = build(text, expected=2)
    assert [a.words for a in report.official_answers] == [1, 1]
    assert report.official_error is None
    assert q(report, 1).official is not None and q(report, 1).official.words == 1  # type: ignore[union-attr]
    three = SECTION.format(n=1, body="a") + SECTION.format(n=2, body="b\n\n### Our notes\n\nc")
    report = build(three, expected=2)
    assert report.official_error is not None and "finds 3" in report.official_error


def test_text_after_the_last_question_counts_into_it_officially() -> None:
    report = build(SECTION.format(n=1, body="a b c") + "Trailing notes here\n", expected=1)
    section = q(report, 1)
    assert section.official is not None and section.official.words == 6
    assert section.official.line == 6 and section.official.end_line == 10


def test_missing_marker_uses_the_prompt_quote() -> None:
    report = build("### Question 7\n> **Prompt without a marker**\n\nOur answer is here.\n")
    seven = q(report, 7)
    assert seven.marker is None
    assert answer_text(seven) == "Our answer is here."
