"""Hand-written inputs with exact expected spans for every construct the report model relies on."""

from __future__ import annotations

import pytest
from position_checks import problems, walk

from report_lint.parsing import parse_markdown
from report_lint.parsing.markdown import _parse_positioned
from report_lint.parsing.nodes import Node, Span


def parse(text: str, line_offset: int = 0) -> list[Node]:
    nodes = _parse_positioned(text, line_offset)
    assert parse_markdown(text, line_offset=line_offset) == nodes
    return nodes


def of_type(nodes: list[Node], kind: str) -> list[Node]:
    return [n for n in walk(nodes) if n.type == kind]


def spans(nodes: list[Node], kind: str) -> list[tuple[int, int, int, int | None]]:
    return [(n.span.line, n.span.column, n.span.end_line, n.span.end_column) for n in of_type(nodes, kind)]


def assert_consistent(text: str, nodes: list[Node]) -> None:
    assert problems(text.split("\n"), nodes) == []


def test_atx_and_setext_headings() -> None:
    text = "# Title #\n\n  ## Sub\n\nSetext one\n===\n\nTwo\nlines\n---\n"
    nodes = parse(text)
    headings = of_type(nodes, "heading")
    assert [h.span for h in headings] == [
        Span(1, 1, 1, 10),
        Span(3, 3, 3, 9),
        Span(5, 1, 6, 4),
        Span(8, 1, 10, 4),
    ]
    assert [h.attrs["setext"] for h in headings] == [False, False, True, True]
    assert [h.attrs["level"] for h in headings] == [1, 2, 1, 2]
    # inline text of the ATX heading starts after the marker
    assert headings[0].children[0].span == Span(1, 3, 1, 8)
    assert headings[3].children[-1].span.line == 9
    assert_consistent(text, nodes)


def test_heading_text_that_looks_like_the_marker() -> None:
    nodes = parse("## # ##\n")
    (heading,) = of_type(nodes, "heading")
    assert heading.children[0].raw == "#"
    assert heading.children[0].span.column == 4


def test_paragraph_inline_nodes_on_continuation_lines() -> None:
    text = "Some *text* with [a link](http://x)\nand ![img](figures/a.png) and `code` <b>x</b>\n"
    nodes = parse(text)
    assert nodes[0].type == "paragraph"
    assert nodes[0].span == Span(1, 1, 2, 46)
    assert spans(nodes, "link") == [(1, 18, 1, 36)]
    assert spans(nodes, "image") == [(2, 5, 2, 26)]
    assert spans(nodes, "codespan") == [(2, 31, 2, 37)]
    assert spans(nodes, "inline_html") == [(2, 38, 2, 41), (2, 42, 2, 46)]
    assert spans(nodes, "emphasis") == [(1, 6, 1, 12)]
    texts = of_type(nodes, "text")
    assert [(t.raw, t.span.line, t.span.column) for t in texts][:4] == [
        ("Some ", 1, 1),
        ("text", 1, 7),
        (" with ", 1, 12),
        ("a link", 1, 19),
    ]
    assert_consistent(text, nodes)


def test_emphasis_containing_links_and_images() -> None:
    text = "**see [the docs](u) and ![fig](figures/f.png)** _x [y](z)_\n"
    nodes = parse(text)
    assert spans(nodes, "strong") == [(1, 1, 1, 48)]
    assert spans(nodes, "link") == [(1, 7, 1, 20), (1, 52, 1, 58)]
    assert spans(nodes, "image") == [(1, 25, 1, 46)]
    assert_consistent(text, nodes)


def test_nested_block_quotes() -> None:
    text = "> **quoted**\n> > deeper `code` ![i](figures/x.png)\n> > Answer: more\n"
    nodes = parse(text)
    quotes = of_type(nodes, "block_quote")
    assert [q.span for q in quotes] == [Span(1, 1, 3, 17), Span(2, 3, 3, 17)]
    paragraphs = of_type(nodes, "paragraph")
    assert [p.span for p in paragraphs] == [Span(1, 3, 1, 13), Span(2, 5, 3, 17)]
    assert spans(nodes, "image") == [(2, 19, 2, 38)]
    assert spans(nodes, "codespan") == [(2, 12, 2, 18)]
    assert_consistent(text, nodes)


def test_lazy_continuation_lines() -> None:
    text = "> a quote\nlazy line with [link](u)\n\nafter\n"
    nodes = parse(text)
    assert nodes[0].type == "block_quote"
    assert nodes[0].span == Span(1, 1, 2, 25)
    assert spans(nodes, "link") == [(2, 16, 2, 25)]
    assert nodes[-1].span == Span(4, 1, 4, 6)
    assert_consistent(text, nodes)


def test_lists_nested_and_in_quotes() -> None:
    text = (
        "* [x] item (M5)\n"
        "* [ ] other\n"
        "    - nested ![a](figures/x.png)\n"
        "\n"
        "> 1. in quote\n"
        ">    - deeper [l](u)\n"
        "\n"
        "- item\n"
        "  > quote in list ![i](p)\n"
    )
    nodes = parse(text)
    items = of_type(nodes, "list_item")
    assert [(i.span.line, i.span.column) for i in items] == [
        (1, 1),
        (2, 1),
        (3, 5),
        (5, 3),
        (6, 6),
        (8, 1),
    ]
    assert items[1].span.end_line == 3
    assert spans(nodes, "image") == [(3, 14, 3, 33), (9, 19, 9, 26)]
    assert spans(nodes, "link") == [(6, 15, 6, 21)]
    assert [q.span.line for q in of_type(nodes, "block_quote")] == [5, 9]
    assert of_type(nodes, "block_quote")[1].span.column == 3
    assert_consistent(text, nodes)


def test_list_item_with_empty_first_line() -> None:
    text = "-\n  text on the next line [l](u)\n- b\n"
    nodes = parse(text)
    items = of_type(nodes, "list_item")
    assert [i.span for i in items] == [Span(1, 1, 2, 31), Span(3, 1, 3, 4)]
    first_block = items[0].children[0]
    assert first_block.span == Span(2, 3, 2, 31)
    assert spans(nodes, "link") == [(2, 25, 2, 31)]
    assert_consistent(text, nodes)


def test_ordered_list_item_content_starting_with_digits() -> None:
    text = "1. 2 apples\n10) ten\n"
    nodes = parse(text)
    # "10)" starts a second list (other delimiter)
    assert [b.span.column for b in of_type(nodes, "block_text")] == [4, 5]
    assert [n.span.line for n in of_type(nodes, "list")] == [1, 2]
    assert_consistent(text, nodes)


def test_tabs() -> None:
    text = "-\ttabbed [l](u)\n\n>\tquote tab ![i](p)\n\n\tindented code\n\n- a\n\n\tcontinued ![j](q)\n"
    nodes = parse(text)
    assert spans(nodes, "link") == [(1, 10, 1, 16)]
    assert spans(nodes, "image") == [(3, 13, 3, 20), (9, 12, 9, 19)]
    code = of_type(nodes, "block_code")
    # line 5 is indented code; the tab line after "- a" continues the item
    assert [c.span for c in code] == [Span(5, 2, 5, 15)]
    assert_consistent(text, nodes)
    code_text = "para\n\n\tcode line\n\tmore\n"
    code_nodes = parse(code_text)
    assert spans(code_nodes, "block_code") == [(3, 2, 4, 6)]


def test_fenced_code_with_hashes_inside() -> None:
    text = "```python\n### not a heading\n# nor this\n```\n\n~~~~\n```\n~~~~\n\n  ```\n  unclosed\n\n"
    nodes = parse(text)
    assert of_type(nodes, "heading") == []
    code = of_type(nodes, "block_code")
    assert [c.span for c in code] == [Span(1, 1, 4, 4), Span(6, 1, 8, 5), Span(10, 3, 12, 1)]
    assert code[0].attrs["info"] == "python"
    assert code[0].attrs["marker"] == "```"
    assert_consistent(text, nodes)


def test_html_blocks() -> None:
    text = (
        '<img src="figures/a.png" width="50%">\n\n<!-- a comment\nover lines -->\n\n'
        'text <img src="b.png"> inline\n'
    )
    nodes = parse(text)
    html = of_type(nodes, "block_html")
    assert [h.span for h in html] == [Span(1, 1, 1, 38), Span(3, 1, 4, 15)]
    assert spans(nodes, "inline_html") == [(6, 6, 6, 23)]
    assert_consistent(text, nodes)


def test_thematic_break_and_table() -> None:
    text = "a\n\n***\n\n| col | ![i](figures/t.png) |\n|-----|---|\n| [l](u) | `c` |\n"
    nodes = parse(text)
    assert spans(nodes, "thematic_break") == [(3, 1, 3, 4)]
    assert spans(nodes, "table") == [(5, 1, 7, 17)]
    assert spans(nodes, "image") == [(5, 9, 5, 28)]
    assert spans(nodes, "link") == [(7, 3, 7, 9)]
    assert spans(nodes, "codespan") == [(7, 12, 7, 15)]
    cells = of_type(nodes, "table_cell")
    assert [(c.raw, c.span.column) for c in cells] == [
        ("col", 3),
        ("![i](figures/t.png)", 9),
        ("[l](u)", 3),
        ("`c`", 12),
    ]
    assert_consistent(text, nodes)


def test_reference_links_and_autolinks() -> None:
    text = "[ref]: http://example.com\n\nsee [ref], [text][ref], [ref][] and <https://a.b/c> ![img][ref]\n"
    nodes = parse(text)
    links = of_type(nodes, "link")
    assert [(n.span.column, n.span.end_column) for n in links] == [(5, 10), (12, 23), (25, 32), (37, 52)]
    assert links[0].attrs["ref"] == "REF"
    assert links[-1].attrs.get("autolink") is True
    assert spans(nodes, "image") == [(3, 53, 3, 64)]
    assert_consistent(text, nodes)


def test_nested_brackets_closed_in_one_run() -> None:
    text = "[a]: /u\n\n[![a]] and [![i](p)](q)\n"
    nodes = parse(text)
    assert spans(nodes, "image") == [(3, 2, 3, 6), (3, 13, 3, 20)]
    assert spans(nodes, "link") == [(3, 12, 3, 24)]
    assert_consistent(text, nodes)


def test_escapes_keep_text_columns() -> None:
    text = "\\*not emphasis\\* then [l](u) \\\\*em*\n"
    nodes = parse(text)
    assert spans(nodes, "link") == [(1, 23, 1, 29)]
    assert spans(nodes, "emphasis") == [(1, 32, 1, 36)]
    assert_consistent(text, nodes)


def test_line_offset_for_front_matter() -> None:
    document = "---\nlayout: default\n---\n\n# Heading\n\n![a](figures/x.png)\n"
    body = "\n".join(document.split("\n")[3:])
    nodes = parse(body, line_offset=3)
    assert spans(nodes, "heading") == [(5, 1, 5, 10)]
    assert spans(nodes, "image") == [(7, 1, 7, 20)]
    assert problems(document.split("\n"), nodes) == []


def test_unicode_columns_are_code_points() -> None:
    text = "ÆØÅ 😀 [link](u)\n"
    nodes = parse(text)
    assert spans(nodes, "link") == [(1, 7, 1, 16)]


def test_text_without_trailing_newline_and_empty_input() -> None:
    assert parse("") == []
    nodes = parse("# h")
    assert nodes[0].span == Span(1, 1, 1, 4)


@pytest.mark.parametrize(
    "text",
    [
        "- a\n> b\n" * 3000,
        "> a\n- b\n" * 3000,
        ">" * 500 + " deep\n",
        "".join(">" * i + " a\n" for i in range(1, 300)),
        "".join("  " * i + "- a\n" for i in range(300)),
        "> - " * 500 + "a\n",
        "a\x00b\n# \x00 [x\x00](y)\n",
        "x" * 1_000_000 + " [l](u)\n",
        "[" * 20000 + "\n",
        "![" * 5000 + "](x)" * 5000,
    ],
    ids=[
        "alt-list-quote",
        "alt-quote-list",
        "deep-quote",
        "deep-quotes",
        "deep-lists",
        "quote-list",
        "nul",
        "1mb-line",
        "brackets",
        "images",
    ],
)
def test_pathological_inputs_never_raise(text: str) -> None:
    nodes = parse_markdown(text)
    assert problems(text.split("\n"), nodes) == []


def test_one_mb_line_position() -> None:
    text = "x" * 1_000_000 + " [l](u)\n"
    nodes = parse_markdown(text)
    assert spans(nodes, "link") == [(1, 1_000_002, 1, 1_000_008)]


def test_quote_in_list_in_quote_in_list_on_lazy_lines() -> None:
    # regression: lines 2-3 do not continue the outer quote (its '>' would need at most 3 spaces after
    # the item's indent), yet mistune makes their '>' a quote inside the inner item; re-scanning the
    # physical line for container markers took that '>' for the outer quote's
    text = '- > 1. alpha\n       > ~~gone~~ <img src="a.png">\n       > alpha [l](u)'
    nodes = parse(text)
    quotes = of_type(nodes, "block_quote")
    assert [q.span for q in quotes] == [Span(1, 3, 3, 22), Span(2, 8, 3, 22)]
    assert of_type(quotes[1].children, "paragraph")[0].span == Span(2, 10, 3, 22)
    assert spans(nodes, "inline_html") == [(2, 19, 2, 36)]
    assert spans(nodes, "link") == [(3, 16, 3, 22)]
    assert_consistent(text, nodes)


def test_quote_prepended_before_a_paragraph_that_resumes_below_it() -> None:
    # regression: "2)" cannot start a list inside the quote, so mistune hands its line back to the
    # paragraph *above* the quote and inserts the quote before that paragraph; the quote was left
    # unstamped (it took the line before it) and the resumed text was put one line too high
    text = "alpha\n> **quoted**\n2) [ ] ~~gone~~ [l](u)\nmore ![i](p)"
    nodes = parse(text)
    assert [n.type for n in nodes] == ["block_quote", "paragraph"]
    assert nodes[0].span == Span(2, 1, 2, 13)
    assert nodes[1].span == Span(1, 1, 4, 13)
    assert spans(nodes, "strikethrough") == [(3, 8, 3, 16)]
    assert spans(nodes, "link") == [(3, 17, 3, 23)]
    assert spans(nodes, "image") == [(4, 6, 4, 13)]
    assert_consistent(text, nodes)


def test_block_of_blanks_does_not_end_before_it_starts() -> None:
    # regression: mistune makes indented code of a first line of blanks; its end column was 1
    (code,) = parse("     ")
    assert code.type == "block_code"
    assert code.span.end_column is not None and code.span.end_column >= code.span.column


def test_tabs_inside_nested_containers() -> None:
    text = "> - a\n>\t>\tb ![i](p)\n>\t>\t-\tc [l](u)\n>\t>\t\tlazy `x`"
    nodes = parse(text)
    assert [q.span for q in of_type(nodes, "block_quote")] == [Span(1, 1, 4, 14), Span(2, 3, 4, 14)]
    assert [i.span for i in of_type(nodes, "list_item")] == [Span(1, 3, 4, 14), Span(3, 5, 4, 14)]
    assert spans(nodes, "image") == [(2, 7, 2, 14)]
    assert spans(nodes, "link") == [(3, 9, 3, 15)]
    assert spans(nodes, "codespan") == [(4, 11, 4, 14)]
    assert_consistent(text, nodes)


def test_lazy_continuation_lines_inside_nested_quotes() -> None:
    text = "> > a\nlazy [l](u)\n> > - item\nlazy2 ![i](p)"
    nodes = parse(text)
    assert [q.span for q in of_type(nodes, "block_quote")] == [Span(1, 1, 4, 14), Span(1, 3, 4, 14)]
    assert of_type(nodes, "paragraph")[0].span == Span(1, 5, 2, 12)
    assert of_type(nodes, "list_item")[0].span == Span(3, 5, 4, 14)
    assert spans(nodes, "link") == [(2, 6, 2, 12)]
    assert spans(nodes, "image") == [(4, 7, 4, 14)]
    assert_consistent(text, nodes)


def test_list_items_starting_with_a_blank_line_inside_quotes() -> None:
    text = "> -\n>   item ![i](p)\n> 1.\n>\n>    not in item [l](u)\n> - > -\n>     >   deep `c`"
    nodes = parse(text)
    items = of_type(nodes, "list_item")
    assert [i.span for i in items] == [
        Span(1, 3, 2, 17),
        Span(3, 3, 3, 5),
        Span(6, 3, 7, 19),
        Span(6, 7, 7, 19),
    ]
    assert items[0].children[0].span == Span(2, 5, 2, 17)
    assert of_type(nodes, "paragraph")[0].span == Span(5, 6, 5, 24)
    assert spans(nodes, "image") == [(2, 10, 2, 17)]
    assert spans(nodes, "link") == [(5, 18, 5, 24)]
    assert spans(nodes, "codespan") == [(7, 16, 7, 19)]
    assert_consistent(text, nodes)
