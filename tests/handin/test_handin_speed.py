"""The rule's shortcuts give exactly what the slower way they replace gives (issue 10's speed work)."""

from __future__ import annotations

import os
from difflib import SequenceMatcher

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report_lint.handin import blockparse, export, inline, tree
from report_lint.handin.analysis import quieted
from report_lint.handin.compare import _matching_blocks
from report_lint.handin.structure import EVENT_TAGS, Elem, Extractor, Structure, extract
from tests.handin.test_handin_fixtures import CASES
from tests.tooling import collect_shared

_KEYS = st.lists(
    st.sampled_from(["list", "code", "heading", "table", ("link", "x"), ("link", "y")]), max_size=8
)


@settings(max_examples=400, deadline=None)
@given(a=_KEYS, b=_KEYS)
def test_matching_blocks_are_difflibs(a: list[object], b: list[object]) -> None:
    expected = [
        (m.a, m.b, m.size)
        for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
        if m.size
    ]
    assert _matching_blocks(a, b) == expected


def test_matching_blocks_single_element_takes_the_first_occurrence() -> None:
    assert _matching_blocks(["code"], ["list", "code", "code"]) == [(0, 1, 1)]
    assert _matching_blocks(["list", "code", "code"], ["code"]) == [(1, 0, 1)]
    assert _matching_blocks(["code"], ["list"]) == []


def _flat(structure: Structure) -> list[object]:
    def walk(elem: Elem) -> list[object]:
        fields = [elem.kind, elem.key, elem.line, elem.end_line, elem.hint, elem.text, elem.depth, elem.group]
        return [*fields, [walk(child) for child in elem.children]]

    return [[walk(e) for e in structure.lists], [walk(e) for e in structure.leaves]]


def _html_route(text: str) -> Structure:
    return extract(export.render(text, fast=True), github=False)


# Markdown pieces joined at random: lists, code, links, images, entities, escapes, e-mail links (the `&`
# post-processor), raw HTML (the stash: the tree route declines), long attributes, empty elements
_PIECES = st.sampled_from(
    [
        "- item\n",
        "  - nested\n",
        "    - deep\n",
        "1. one\n",
        "3) three\n",
        "\n",
        "text ",
        "# head\n",
        "## sub ##\n",
        "```\ncode\n```\n",
        "    indented < & >\n",
        "`a & b` ",
        "&copy; &amp; &#35; & ",
        "\\* \\[ ",
        "*em* __strong__ ",
        '[link](https://example.org/a?b=1&c=2 "t & q") ',
        "![img](figures/a b.png) ",
        "<https://example.org/x> ",
        "<me@example.org> ",
        "<span>raw</span> ",
        "<div>\nblock\n</div>\n",
        "line  \nbreak ",
        "> quote\n",
        "***\n",
        "[ref][r]\n\n[r]: http://r.example/&x\n",
        "[long](https://example.org/" + "x" * 1100 + ") ",
        "- [x] box\n",
        "\"quoted\" 'single' ",
    ]
)


@settings(max_examples=int(os.environ.get("HANDIN_EXAMPLES", "400")), deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_the_tree_route_reads_what_the_html_route_reads(text: str) -> None:
    assert _flat(export.structure(text, skip_inline=False)) == _flat(_html_route(text)), text


def test_the_tree_route_on_fixtures_and_seeds() -> None:
    texts = [answer for answer, _ in CASES.values()]
    texts += [p.read_text(encoding="utf-8") for p in collect_shared("seeds", "*.txt")]
    for text in texts:
        assert _flat(export.structure(text, skip_inline=False)) == _flat(_html_route(text))


def test_the_tree_route_is_taken_for_plain_markdown_and_declined_for_raw_html() -> None:
    md = export._instance((), True)
    for text, taken in [
        ("We used:\n- ruff\n  - mypy\n\n```bash\n# run\nmake\n```\n\n[a](b) ![c](d) R&D `x`", True),
        ("mail <me@example.org> and `a<b`", True),
        ("some <span>raw</span> HTML", False),
        ("an entity: &copy;", False),  # Python-Markdown stashes entities as raw HTML
        ("a [link](https://example.org/" + "x" * 1100 + ")", False),
    ]:
        md.reset()
        root = export._tree(md, text)
        assert tree.stock_output(md)
        assert (tree.structure(md, root) is not None) == taken, text
        assert _flat(export.structure(text, skip_inline=False)) == _flat(_html_route(text))


def _perceived(structure: Structure) -> list[object]:
    """Every field but an item's collected text (the rule reads only its hint)."""

    def walk(elem: Elem) -> list[object]:
        text = "" if elem.kind == "item" else elem.text
        fields = [elem.kind, elem.key, elem.line, elem.end_line, elem.hint, text, elem.depth, elem.group]
        return [*fields, [walk(child) for child in elem.children]]

    return [[walk(e) for e in structure.lists], [walk(e) for e in structure.leaves]]


# the pieces ``inline_inert`` must see through or refuse: code spans at a line's edge or holding `>`,
# emphasis, escapes, line breaks, headings with markup, lines with few letters, long list numbers
_INLINE_PIECES = st.sampled_from(
    [
        "- item\n",
        "* `torch`: trains the model\n",
        "  - nested `x`\n",
        "    - deep *em*\n",
        "1. one __two__\n",
        "12345678901. long number\n",
        "\n",
        "text ",
        "`a b` ",
        "` spaced ` ",
        "`\nedge` ",
        "`edge\n` ",
        "`a > b` ",
        "a > b ",
        "> quote `q`\n",
        "> `\n",
        "*em*\n__strong__ ",
        "snake_case_name ",
        "\\* \\` \\_ ",
        "line  \nbreak ",
        "# head *x*\n",
        "title\n===\n",
        "    indented `code`\n",
        "```\nfenced\n```\n",
        ". , ; : - ( ) " * 12,
        "word " * 30,
        "`" + ". " * 70 + "tail words here and more` ",
        "`.` " * 50 + "words after many spans ",
        "***\n",
        "!bang ",
        "- an item with \x0265\x03 in it\n",  # the source's own STX digits ETX: unescaped on the hand-in
    ]
)


@settings(max_examples=int(os.environ.get("HANDIN_EXAMPLES", "400")), deadline=None)
@given(st.lists(_INLINE_PIECES, max_size=30).map("".join))
def test_leaving_the_inline_stage_out_changes_nothing_the_rule_reads(text: str) -> None:
    with_stage = export.structure(text, skip_inline=False)
    assert _perceived(export.structure(text)) == _perceived(with_stage), text
    assert with_stage.signature() == export.structure(text).signature()


def _left_out(text: str) -> bool:
    md = export._instance((), True)
    md.reset()
    return export.inline_inert(text) and not export.inline_matters(export._blocks(md, text))


@pytest.mark.parametrize(
    ("text", "left_out"),
    [
        ("We used:\n\n* `torch`: the model\n* `dvc`: the data\n", True),
        ("plain words, *emphasis*, snake_case and a line  \nbreak", True),
        ("in a span: `a > b` here", True),  # escaped to `&gt;` in the tree, read back as `>`
        ("a fence outside any list:\n\n```bash\nmake\n```\n", True),  # no element collects its text
        ("a [link](u)", False),
        ("a <b>tag</b>", False),
        ("R&D", False),
        ("- a span that starts at a line's end: `\ncode`", False),  # its newline is stripped
        ("> - a quote\n>   `\ncode`", False),
        ("- " + "`.` " * 100 + "few letters", False),  # the first 40 letters lie past what an item collects
        ("- " + "word " * 40, True),
        ("# `x` heading\n\n- item\n", False),  # a message quotes a heading's text
    ],
)
def test_when_the_inline_stage_is_left_out(text: str, left_out: bool) -> None:
    assert _left_out(text) is left_out


@pytest.mark.parametrize(
    "text",
    [
        "- a span that starts at a line's end: `\n`code` and more words after it",
        "- " + "`.` " * 100 + "and then the words of this item",
    ],
)
def test_each_refusal_to_leave_the_inline_stage_out_is_needed(text: str) -> None:
    # with the inline stage left out anyway, these answers' item hints would differ from the hand-in's
    md = export._instance((), True)
    md.reset()
    root = export._blocks(md, text)
    for processor in list(md.treeprocessors)[1:]:
        root = processor.run(root) or root
    raw = tree.structure(md, root)
    assert raw is not None
    assert _perceived(raw) != _perceived(export.structure(text, skip_inline=False))
    assert not _left_out(text)  # and so the stage is kept for them


def test_the_inline_stage_is_left_out_only_without_headings() -> None:
    md = export._instance((), True)
    for text, left_out in [("- `x` item\n", True), ("# `x` heading\n\n- item\n", False)]:
        md.reset()
        root = export._tree(md, text, skip_inline=True)
        codes = [el for el in root.iter() if el.tag == "code"]
        assert (not codes) == left_out, text


@pytest.mark.parametrize(
    "text",
    [
        "see [the docs][d] and [d] and ![plot][p] and ![p]\n\n[d]: https://example.org/d\n[p]: figures/p.png",
        "see [the docs][d] and [d] and ![plot][p] and ![p]",  # no definitions: the reference patterns left out
        "- [x] tests\n- [ ] docs\n\n![plot](figures/q.png) and [a link](u) and ! [not an image]",
        "an image split by an escape: !\\[x](y), a bang before a link: ![x](y) and [![x](y)](z)",
        "[d]: https://example.org/d\n\n- [D] is defined in another case\n- [x] a box",
    ],
)
def test_the_fast_inline_stage_with_and_without_references(text: str) -> None:
    assert export.render(text, fast=True) == markdown.markdown(text)


def test_the_reference_patterns_are_known() -> None:
    md = markdown.Markdown()
    found = inline._reference_patterns(md.inlinePatterns)
    assert found == {id(md.inlinePatterns[name]) for name in inline.REFERENCES}


def test_the_block_processors_are_listed_once_in_the_stock_order() -> None:
    md = markdown.Markdown()
    blockparse.install(md)
    listed = md.parser.blockprocessors
    stock = markdown.Markdown().parser.blockprocessors
    assert type(listed) is not type(stock)
    assert [type(p) for p in listed] == [type(p) for p in stock]
    processor = next(iter(listed))  # "empty", priority 100: the first
    listed.deregister("empty")
    assert "empty" not in listed and processor not in list(listed)  # deregistering lists them anew
    listed.register(processor, "empty", 100)
    assert [type(p) for p in listed] == [type(p) for p in stock]
    assert export.render("- a\n- b\n\n    code\n\n> q", fast=True) == markdown.markdown(
        "- a\n- b\n\n    code\n\n> q"
    )


def _events(tag: str | None) -> tuple[object, ...]:
    extractor = Extractor(github=False)
    extractor.handle_starttag("li", [])  # an open item, so text and boxes have somewhere to go
    attrs: list[tuple[str, str | None]] = [("href", "u"), ("src", "s"), ("type", "checkbox"), ("start", "3")]
    if tag is not None:
        extractor.handle_starttag(tag, attrs)
    extractor.handle_data("text")
    if tag is not None:
        extractor.handle_endtag(tag)
    extractor.handle_data("tail")
    state = (len(extractor.open), extractor.pre_depth, extractor.end_line)
    return (state, _flat(extractor.result()))


def test_the_tags_the_tree_walk_leaves_out_change_nothing_in_the_extractor() -> None:
    # every tag of HTML (and so of Python-Markdown's output), and names no renderer knows
    html_tags = "a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label legend li link main map mark meta meter nav noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script section select small source span strike strong style sub summary sup table tbody td template textarea tfoot th thead time title tr track u ul var video wbr xmp noembed noframes plaintext"
    names = sorted({*html_tags.split(), *EVENT_TAGS, "x-custom", "rl"})
    plain = _events(None)
    for name in names:
        assert (_events(name) != plain) == (name in EVENT_TAGS), name


# lines for ``quieted``: paragraph text the hand-in shows as text (code spans, fences, table rows,
# strikethrough, bare addresses, escapes) and every line that can start or continue a block, or make a
# link, image, raw HTML or an entity
_LINES = st.sampled_from(
    [
        "plain words here",
        "`code` in a line and `more`",
        "```bash",
        "```",
        "# set y",
        "| a | b |",
        "|---|---|",
        "we dropped ~~pandas~~",
        "see https://example.org/x and www.example.org",
        "\\* escaped \\` and a\\",
        "- item",
        "* `ruff`: a star item",
        "  - nested",
        "    indented",
        "\tafter a tab",
        "1. one",
        "2) two",
        "> quote",
        "title",
        "===",
        "---",
        "***",
        "_ _ _",
        "[link](https://example.org/l)",
        "![img](figures/a.png)",
        "R&D &amp;",
        "a line  ",
        "",
        "",
    ]
)


def _quieted(text: str) -> tuple[str, bool]:
    return quieted(tuple(enumerate(text.split("\n"), 1)))


@settings(max_examples=int(os.environ.get("HANDIN_EXAMPLES", "400")), deadline=None)
@given(st.lists(_LINES, max_size=24).map("\n".join))
def test_quieting_changes_nothing_on_the_hand_in(text: str) -> None:
    if "<" in text:
        return  # never quieted (test below)
    quiet_text, quiet = _quieted(text)
    source = export.structure(text + "\n")
    assert _flat(export.structure(quiet_text)) == _flat(source), (text, quiet_text)
    if quiet:
        assert source.signature() == ((), ()) and not source.leaves, text
        assert export.structure(text + "\n", skip_inline=False).signature() == ((), ()), text


@pytest.mark.parametrize(
    ("text", "quiet"),
    [
        ("We used `uv` and `ruff`:\n\n```bash\nuv run train\n```\n\na | b\n~~x~~ https://example.org", True),
        ("words\n\n* `ruff`: lint\n* `dvc`: data", False),  # a list
        ("words [a link](u)", False),
        ("R&D", False),
        ("    code", False),
        ("title\n===", False),
    ],
)
def test_what_is_quieted(text: str, quiet: bool) -> None:
    quiet_text, all_quiet = _quieted(text)
    assert all_quiet is quiet
    if quiet:
        assert set(quiet_text.split()) == {"x"}


def test_quieting_leaves_text_with_raw_html_or_for_extensions_alone() -> None:
    lines = tuple(enumerate(["<div>", "", "plain words", "", "</div>", "", "more words"], 1))
    assert quieted(lines) == ("<div>\n\nplain words\n\n</div>\n\nmore words\n", False)
    plain = tuple(enumerate(["plain words", "", "Term", ": a definition"], 1))
    assert quieted(plain, ("extra",)) == ("plain words\n\nTerm\n: a definition\n", False)
    assert quieted(plain)[0] == "x\n\nx\n"


def _parents() -> list[object]:
    from xml.etree import ElementTree as etree

    after_list = etree.Element("div")
    etree.SubElement(after_list, "ul")
    return [etree.Element("div"), etree.Element("li"), after_list]


# each block with no more of the processors' characters than it needs
_SHORT_BLOCKS = st.sampled_from(
    ["> said\n", "## h\n", "1. a\n", "+ plus\n", "    four\n", "a\n===\n", "[r]: /u\n", "___\n"]
)
_BLOCKS_TEXT = st.lists(st.one_of(_PIECES, _SHORT_BLOCKS, _LINES.map(lambda line: line + "\n")), max_size=30)


@settings(max_examples=int(os.environ.get("HANDIN_EXAMPLES", "400")), deadline=None)
@given(_BLOCKS_TEXT.map("".join))
def test_a_block_processor_left_out_cannot_pass_on_any_block(text: str) -> None:
    md = markdown.Markdown()
    blocks = [text, *text.split("\n\n"), *(line for line in text.split("\n"))]
    blocks += [block.lstrip(" ") for block in blocks]  # detabbed, as inside a list item
    for name in blockparse.unneeded(text, md.tab_length):
        processor = md.parser.blockprocessors[name]
        for block in blocks:
            if name == "reference":  # its test passes every block; its run declines without a match
                assert processor.RE.search(block) is None, block
                continue
            for parent in _parents():
                assert not processor.test(parent, block), (name, block)


def test_block_processors_are_left_out_only_while_parsing_and_only_stock_ones() -> None:
    md = export._instance((), True)
    md.reset()
    export._blocks(md, "plain words\n")
    assert md.parser.blockprocessors.left_out == frozenset()
    assert len(list(md.parser.blockprocessors)) == 11
    assert blockparse.unneeded("plain words", 4) == frozenset(
        {"hashheader", "setextheader", "hr", "ulist", "quote", "reference", "code", "indent", "olist"}
    )
    assert blockparse.unneeded("- 1. `#` > [x] ==", 4) == frozenset({"code", "indent"})

    class Heading(markdown.blockprocessors.HashHeaderProcessor):  # an extension's own, under the name
        pass

    own = markdown.Markdown()
    blockparse.install(own)
    own.parser.blockprocessors.register(Heading(own.parser), "hashheader", 70)
    own.parser.blockprocessors.left_out = frozenset({"hashheader", "quote"})
    kinds = [type(p) for p in own.parser.blockprocessors]
    # a processor from elsewhere makes it a pipeline this module does not know: nothing is left out
    assert Heading in kinds and markdown.blockprocessors.BlockQuoteProcessor in kinds
    stock = markdown.Markdown()
    blockparse.install(stock)
    stock.parser.blockprocessors.left_out = frozenset({"hashheader", "quote"})
    kinds = [type(p) for p in stock.parser.blockprocessors]
    assert len(kinds) == 9 and markdown.blockprocessors.BlockQuoteProcessor not in kinds


def test_unescaping_is_left_out_only_behind_the_stock_preprocessors() -> None:
    # they remove STX and ETX from the text: without the inline stage no placeholder is left to restore
    assert export._stock_preprocessors(markdown.Markdown())
    assert not export._stock_preprocessors(markdown.Markdown(extensions=["extra"]))
    md = export._instance((), True)
    md.reset()
    root = export._tree(md, "- an item with \x0265\x03 in it\n", skip_inline=True)
    assert root is not None and root[0][0].text == "an item with 65 in it"


@pytest.mark.parametrize("extension", ["tables", "fenced_code"])
def test_no_block_processor_is_left_out_with_an_extension(extension: str) -> None:
    # an extension's block processor or pre-processor may parse text the lines no longer hold (as
    # md_in_html does with raw HTML blocks' content): only the core pipeline leaves processors out
    md = markdown.Markdown(extensions=[extension])
    blockparse.install(md)
    processors = md.parser.blockprocessors
    assert hasattr(processors, "left_out")  # installed: listed once
    everything = list(processors)
    processors.left_out = blockparse.unneeded("plain words", md.tab_length)
    assert list(processors) == everything
