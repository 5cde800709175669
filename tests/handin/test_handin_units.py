"""The pieces under the rule: GitHub's structure without HTML equals the HTML route, inert text renders
to no structure on either page, the reused Markdown instance renders as a fresh ``markdown.markdown``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report_lint.handin import export, github, inline
from report_lint.handin.analysis import inert
from report_lint.handin.structure import Elem, Structure, extract
from report_lint.parsing.markdown import parse_markdown
from tests.handin.test_handin_fixtures import CASES
from tests.tooling import collect_shared

SAMPLES = [answer for answer, _ in CASES.values()] + [
    "<details>\n<summary>more</summary>\n\n- a\n- b\n\n</details>",
    "<script>alert(1)</script>\n\ntext <iframe src=x></iframe> and <LINK>",
    "> quoted\n> - with a list\n\n1. one\n\n        code under the item\n2. two",
    "text with &amp; entity and a [ref link][r]\n\n[r]: https://example.org/r",
]


def _flat(structure: Structure) -> list[tuple[str, str, int, int]]:
    out: list[tuple[str, str, int, int]] = []

    def walk(elem: Elem) -> None:
        out.append((elem.kind, elem.key, elem.line, elem.end_line))
        for child in elem.children:
            walk(child)

    for elem in structure.lists:
        walk(elem)
    out += [(e.kind, e.key, e.line, e.end_line) for e in structure.leaves]
    return out


def test_structure_without_html_equals_the_html_route() -> None:
    for sample in SAMPLES:
        blocks = parse_markdown(sample + "\n")
        direct = github.structure(blocks)
        via_html = extract(github.render(blocks), github=True)
        assert _flat(direct) == _flat(via_html), sample
        assert [e.hint for e in direct.leaves] == [e.hint for e in via_html.leaves], sample


_INERT_CHARS = st.sampled_from(list("abcdefghij KLMN 0123456789.,;:!?'\"()/%$@^{}=_*+-#>\n"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_INERT_CHARS, max_size=120).map("".join))
def test_inert_text_has_no_structure_on_either_page(text: str) -> None:
    if not inert(list(enumerate(text.split("\n"), 1)), text):
        return
    # parsed where an answer sits, after the `> Answer:` line: mistune alone reads a document that is one
    # line of 5 spaces as a code block, which no answer can be (CommonMark: a blank line)
    blocks = parse_markdown("> Answer:\n\n" + text + "\n")[1:]
    assert github.structure(blocks).signature() == ((), ())
    assert extract(markdown.markdown(text), github=False).signature() == ((), ())


def test_reused_instance_renders_as_a_fresh_call() -> None:
    # reference definitions and footnote-like state must not leak from one call into the next
    texts = ["[x]: https://example.org/x\n\nsee [me][x]", "see [me][x]", *SAMPLES, "see [me][x]"]
    for text in texts:
        assert export.render(text) == markdown.markdown(text), text


def test_export_cuts_then_renders() -> None:
    pipeline = export.Pipeline(skip_chars=43)
    text = "# Exam template for 02476 Machine Learning Operations\n\n- a\n- b\n"
    assert export.export_html(text, pipeline) == markdown.markdown(text[43:])


def test_githubs_side_agrees_with_markdown_it_on_the_fixtures() -> None:
    """The GitHub model (mistune + GFM tables/strikethrough) against markdown-it-py's CommonMark, on every
    fixture that needs no task-list or linkify plugin (markdown-it-py ships neither)."""
    from markdown_it import MarkdownIt

    from tests.handin.oracle import _GITHUB, _project

    reference = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    lazy_tables = [  # found by the property test: a table on lazy continuation lines is text
        "- model\n| a | b |\n|---|---|\n| m | 1 |",
        "- model\n\n  | a | b |\n  |---|---|\n  | m | 1 |",
        "> quote\n| a | b |\n|---|---|",
        "> quote\n> | a | b |\n> |---|---|",
    ]
    for answer in lazy_tables:
        ours = github.structure(parse_markdown(answer + "\n"))
        assert (("table", "") in [(e.kind, e.key) for e in ours.leaves]) == (
            "<table>" in reference.render(answer)
        )
    for answer, _ in CASES.values():
        if "[ ]" in answer or "[x]" in answer or re.search(r"(?<![(<\"])https?://", answer):
            continue  # task boxes, and bare addresses GitHub autolinks (linkify)
        mistune_page = _project(str(_GITHUB(answer + "\n")), keep_dropped=False)
        commonmark_page = _project(reference.render(answer + "\n"), keep_dropped=False)
        assert mistune_page == commonmark_page, answer


def test_work_bounds_skip_what_python_markdown_cannot_finish() -> None:
    assert export.too_costly("[" * 20_000) is not None  # Python-Markdown: about 45 s
    assert export.too_costly("> " * 60 + "deep") is not None
    assert export.too_costly("x\n\n" * 100_001) is not None
    assert export.too_costly("We used [DVC](https://dvc.org) and `make`.\n\n" * 200) is None


def _too_costly_line_by_line(text: str) -> bool:
    """The bounds tested on every paragraph and line, with no shortcut."""
    if len(text) > export.MAX_TEXT:
        return True
    for paragraph in text.split("\n\n"):
        if sum(paragraph.count(c) for c in "[<!`") * len(paragraph) > export.MAX_PARAGRAPH_COST:
            return True
    for line in text.split("\n"):
        prefix = line[: len(line) - len(line.lstrip(" >\t"))]
        if prefix.count(">") + len(prefix) // 2 > export.MAX_DEPTH:
            return True
    return False


_BOUND_PIECES = st.sampled_from(
    ["[", "<", "`", "!", "x", " ", ">", "\t", "\n", "\n\n", "> " * 9, " " * 9, "[" * 500]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_BOUND_PIECES, max_size=200).map("".join))
def test_the_work_bounds_shortcuts_decide_as_the_full_scan(text: str) -> None:
    assert (export.too_costly(text) is not None) == _too_costly_line_by_line(text), text


# ------------------------------------------------------------------ the rule's faster inline stage
_MARKUP = st.sampled_from(
    [
        "`",
        "``",
        "\\",
        "[",
        "]",
        "(",
        ")",
        "!",
        "<",
        ">",
        "&",
        ";",
        "*",
        "_",
        "  \n",
        "\n",
        "\n\n",
        " ",
        "#",
        "- ",
        "1. ",
        "    ",
        "> ",
        "|",
        "~",
        "=",
        ":",
        "/",
        "@",
        '"',
        "'",
        "\x02",
        "\x03",
        "amp",
        "a",
        "b",
        "x://y",
        "http://e.org",
        "a@b.c",
        "<a href='u'>",
        "</a>",
        "<div>",
        "</div>",
        "<!--",
        "-->",
        "&amp;",
        "&#65;",
        "[r]: http://e.org/r",
        "[r]",
        "![i](f.png)",
        '[t](u "title")',
        "<b>",
        "</b>",
        "**",
        "__",
    ]
)


def test_the_fast_inline_stage_is_installed() -> None:
    md = markdown.Markdown()
    assert inline.install(md)
    from markdown.treeprocessors import InlineProcessor

    processor = md.treeprocessors["inline"]
    assert type(processor) is not InlineProcessor and isinstance(processor, InlineProcessor)
    # every stock pattern is known: none falls back to "always applied" on the pinned version
    for name in [*inline.TRIGGERS, "html"]:
        assert name in md.inlinePatterns and inline._needs(name, md.inlinePatterns[name]) is not None, name


@settings(max_examples=int(os.environ.get("HANDIN_EXAMPLES", "400")), deadline=None)
@given(st.lists(_MARKUP, max_size=60).map("".join))
def test_the_fast_inline_stage_renders_byte_for_byte_as_markdown(text: str) -> None:
    assert export.render(text, fast=True) == markdown.markdown(text), text


def test_the_fast_inline_stage_on_fixtures_and_seeds() -> None:
    texts = [*SAMPLES, *(p.read_text(encoding="utf-8") for p in collect_shared("seeds", "*.txt"))]
    for text in texts:
        assert export.render(text, fast=True) == markdown.markdown(text)


def test_an_answer_python_markdown_fails_on_is_named_not_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    # Python-Markdown 3.4-3.6 (inside the pinned range) raise AssertionError on some `<![` input
    from report_lint.build import build_report
    from report_lint.handin import analysis
    from tests.builders import ReportBuilder

    def failing(text: str, extensions: tuple[str, ...] = (), *, fast: bool = False) -> str:
        raise AssertionError("unknown status keyword")

    report = build_report(
        ReportBuilder(answers={5: "see <![x] here"}, fill_words=120).text(),
        path="reports/README.md",
        file=Path("/nonexistent/reports/README.md"),
        repo_root=Path("/nonexistent"),
    )
    question = report.question(5)
    assert question is not None
    monkeypatch.setattr(analysis.export, "render", failing)
    monkeypatch.setattr(analysis.export, "structure", failing)  # the rule's route (the element tree)
    rendering = analysis.render_answer(report, question, ())
    assert rendering is not None and rendering.skipped == "Python-Markdown fails on it (AssertionError)"
