"""Checks run on reports parsed by the real pipeline (builder text -> build_report -> check)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from builders import PACK_FOR, ReportBuilder, words
from tooling import SHARED, collect_shared

from report_lint.checks import load_check
from report_lint.diagnostic import Finding

from .factory import context, load_pack
from .images import jpeg, png

build = pytest.importorskip("report_lint.build")
source = pytest.importorskip("report_lint.source")

SEEDS = SHARED / "seeds"


def lint(
    text: str,
    generation: str = "31q-2026",
    repo: Path | None = None,
    rule: str = "",
    count_mode: str = "official",
) -> dict[str, list[Finding]]:
    pack = load_pack(PACK_FOR[generation])
    root = repo or Path("/nonexistent-repo")
    report = build.build_report(
        source.normalise_newlines(text),
        path="reports/README.md",
        file=root / "reports" / "README.md",
        repo_root=root,
        official_skip_chars=pack.official_skip_chars,
        expected_questions=pack.question_count,
    )
    names = (
        [rule]
        if rule
        else [
            "unfilled-placeholder",
            "answer-length",
            "image-count",
            "missing-figure",
            "figure-format",
            "template-figure",
            "template-structure",
            "group-info",
            "broken-link",
        ]
    )
    out: dict[str, list[Finding]] = {}
    for name in names:
        ctx = context(pack, name, count_mode, root)
        out[name] = list(load_check(name).check(ctx, report))
    return out


def flat(result: dict[str, list[Finding]]) -> list[tuple[str, Finding]]:
    return [(name, f) for name, fs in result.items() for f in fs]


@pytest.mark.parametrize("generation", ["27q", "31q-2024", "31q-2025", "31q-2026"])
def test_well_filled_report_is_clean(tmp_path: Path, generation: str) -> None:
    b = ReportBuilder(generation=generation, fill_words=150)
    figures = {f"figures/q{n}_{i}.png": png() for n in (14, 19, 20, 21, 25, 29) for i in (1, 2, 3)}
    b.write(tmp_path, figures)
    got = flat(lint(b.text(), generation, tmp_path))
    assert got == []


def test_unfilled_template_reports_each_placeholder_not_the_intro() -> None:
    b = ReportBuilder()
    got = lint(b.text(), rule="unfilled-placeholder")["unfilled-placeholder"]
    expected = [b.line_of(f"--- question {n} fill here ---", 2 if n == 1 else 1) for n in range(1, 32)]
    lines = [f.line for f in got if "placeholder" in f.message]
    assert lines == expected
    assert all(f.line > b.line_of("## Group information") for f in got)


@pytest.mark.parametrize(
    "options",
    [
        {"marker_style": "bare"},
        {"thematic_breaks": True},
        {"crlf": True},
        {"front_matter": True},
        {"heading_extra": {5: "[✔] Johan", 6: "[Done] Klaus"}},
        {"intro": False, "checklist": False},
    ],
)
def test_deviations_still_find_each_answer(options: dict[str, Any]) -> None:
    short = "Our answer to question five is far too short."
    b = ReportBuilder(answers={5: short, 6: "--- question 6 fill here ---"}, fill_words=150, **options)
    got = lint(b.text())
    assert [f.line for f in got["unfilled-placeholder"]] == [b.line_of("--- question 6 fill here ---")]
    q5 = [f for f in got["answer-length"] if f.question == 5]
    assert len(q5) == 1 and q5[0].line == b.line_of(short)
    # the checker counts the thematic breaks around the answer as words
    assert ("add 89" if options.get("thematic_breaks") else "add 91") in q5[0].message
    assert got["template-structure"] == []


def test_answer_on_the_marker_line() -> None:
    short = "Twenty words would be needed here but we wrote only a handful of them."
    b = ReportBuilder(answers={1: "24", 7: short}, marker_style="inline", fill_words=150)
    got = lint(b.text())
    assert got["group-info"] == []
    (q7,) = [f for f in got["answer-length"] if f.question == 7]
    assert q7.line == b.line_of("> Answer: " + short) and q7.column == len("> Answer: ") + 1


def test_placeholder_dashes_kept_around_the_answer() -> None:
    b = ReportBuilder(answers={1: "--- 24 ---"}, fill_words=150)
    got = lint(b.text())
    assert got["group-info"] == [] and got["unfilled-placeholder"] == []


def test_placeholder_left_above_the_answer() -> None:
    b = ReportBuilder(fill_words=150, keep_placeholder={9})
    got = lint(b.text())["unfilled-placeholder"]
    assert [(f.line, f.question) for f in got] == [(b.line_of("--- question 9 fill here ---"), 9)]


def test_code_fence_with_hashes_and_setext_underline_inside_answers() -> None:
    code = "```bash\n### not a heading\npython train.py\n```\n" + words(120)
    setext = words(110) + "\nTool output\n-----------\nmore text here"
    b = ReportBuilder(answers={12: words(60) + "\n" + code, 13: setext}, fill_words=150)
    got = lint(b.text())
    assert got["template-structure"] == []
    assert got["unfilled-placeholder"] == []


def test_stray_answer_word_is_located(tmp_path: Path) -> None:
    b = ReportBuilder(answers={8: words(120) + "\nAnswer: the coverage is 80 percent"}, fill_words=150)
    got = lint(b.text())["template-structure"]
    assert [f.line for f in got] == [b.line_of("Answer: the coverage")]


def test_edited_stated_limit_and_renamed_heading() -> None:
    b = ReportBuilder(
        fill_words=150,
        stated_override={11: "Recommended answer length: 100-300 words."},
        heading_override={16: "### Q16"},
    )
    got = lint(b.text())["template-structure"]
    assert any(f.line == b.line_of("100-300 words") and "stated limit" in f.message for f in got)


def test_figures_end_to_end(tmp_path: Path) -> None:
    answers = {
        14: words(210) + "\n\n![loss](figures/Loss.png)\n![fake](figures/fake.png)\n![x](figures/a b.png)",
        19: "[this figure](figures/bucket_ours.png)",
        20: "![reg](reports/figures/registry_ours.png)",
        21: "![build](https://example.org/build.png)",
    }
    b = ReportBuilder(answers=answers, fill_words=150)
    b.write(
        tmp_path,
        {
            "figures/loss.png": png(),
            "figures/fake.png": jpeg(),
            "figures/a b.png": png(),
            "figures/bucket_ours.png": png(),
            "figures/registry_ours.png": png(),
            **{f"figures/q{n}_1.png": png() for n in (25, 29)},
        },
    )
    got = lint(b.text(), repo=tmp_path)
    missing = {f.line: f.message for f in got["missing-figure"]}
    assert "case" in missing[b.line_of("figures/Loss.png")]
    assert "relative to the repository root" in missing[b.line_of("reports/figures/registry_ours.png")]
    assert "HTML export" in missing[b.line_of("example.org/build.png")]
    assert [f.line for f in got["figure-format"]] == [b.line_of("figures/fake.png")]
    image_count = {f.question: f.message for f in got["image-count"]}
    assert "forget the `!`" in image_count[19]
    assert "not rendered" in image_count[14]


@pytest.mark.parametrize("seed", [p.name for p in collect_shared("seeds", "*.txt")])
def test_seed_placeholders_at_exact_lines(seed: str) -> None:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    generation = "27q" if text.count("### Question") < 30 else "31q-2024"
    lines = text.split("\n")
    first_question = next(i for i, line in enumerate(lines, 1) if line.startswith("### Question"))
    want = sorted(
        i
        for i, line in enumerate(lines, 1)
        if i > first_question and re.search(r"fill here|\[TO DO", line, re.I)
    )
    got = lint(text, generation, rule="unfilled-placeholder")["unfilled-placeholder"]
    got_lines = sorted({f.line for f in got if "placeholder" in f.message or "note" in f.message})
    assert got_lines == want
    assert all(f.line > first_question for f in got)
