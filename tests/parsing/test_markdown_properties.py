"""Property tests: in generated report-shaped documents every node's position holds that node."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from position_checks import EXACT, problems, walk

from report_lint.parsing import parse_markdown
from report_lint.parsing.markdown import _parse_positioned

WORD = st.sampled_from(["alpha", "beta", "M5", "data", "model", "ÆØÅ", "😀", "x_y", "a*b", "1.", "#tag"])
WORDS = st.lists(WORD, min_size=1, max_size=5).map(" ".join)
URL = st.sampled_from(
    ["figures/x.png", "http://a.b/c", "figures/my image.png", "<figures/y.png>", "u 'title'"]
)

INLINE = st.one_of(
    WORDS,
    st.builds(lambda w, u: f"![{w}]({u})", WORDS, URL),
    st.builds(lambda w, u: f"[{w}]({u})", WORDS, URL),
    st.builds(lambda w: f"**{w}**", WORDS),
    st.builds(lambda w, u: f"*see [{w}]({u})*", WORDS, URL),
    st.builds(lambda w: f"`{w}`", WORDS),
    st.just('<img src="figures/a.png" width="50%">'),
    st.just("<https://example.com/x>"),
    st.just("[ref]"),
    st.just("\\*escaped\\*"),
    st.just("~~gone~~"),
)


def _examples(count: int) -> int:
    """``count``, or more when a profile asks for more (``--hypothesis-profile=deep``, see conftest)."""
    return max(count, settings.default.max_examples)


LINE = st.lists(INLINE, min_size=1, max_size=4).map(" ".join)
INDENT = st.sampled_from(["", " ", "  ", "   ", "\t"])


def _lines(*parts: str) -> str:
    return "\n".join(parts)


BLOCK = st.one_of(
    st.builds(
        lambda n, t, close: f"{'#' * n} {t}{' #' if close else ''}", st.integers(1, 6), LINE, st.booleans()
    ),
    st.builds(lambda t, u: _lines(t, u * 3), LINE, st.sampled_from(["=", "-"])),
    st.builds(lambda t: f"> **{t}**", WORDS),
    st.builds(lambda t: f"> Answer: {t}", LINE),
    st.builds(lambda a, b: _lines(f"> {a}", f"> > {b}", b), LINE, LINE),
    st.builds(
        lambda items, mark: _lines(
            *(f"{mark} [{'x' if i % 2 else ' '}] {t} (M{i})" for i, t in enumerate(items))
        ),
        st.lists(LINE, min_size=1, max_size=4),
        st.sampled_from(["*", "-", "+", "1.", "2)"]),
    ),
    st.builds(lambda a, b, ind: _lines(f"- {a}", f"{ind}  - {b}", f"{ind}    {b}"), LINE, LINE, INDENT),
    st.builds(lambda a: _lines("-", f"  {a}"), LINE),
    st.builds(lambda a, b: _lines(f"1. {a}", f"   > {b}", f"   > {a}"), LINE, LINE),
    st.builds(lambda a, b: _lines(f"> - {a}", f">   {b}", f"> 2. {b}"), LINE, LINE),
    st.builds(
        lambda lang, body, fence: _lines(f"{fence}{lang}", "### not a heading", body, fence),
        st.sampled_from(["", "python", "bash"]),
        LINE,
        st.sampled_from(["```", "~~~", "````"]),
    ),
    st.builds(lambda ind, t: f"{ind}{t}", INDENT, LINE),
    st.builds(lambda t: _lines("<!-- comment", t, "-->"), WORDS),
    st.just('<img src="figures/x.png" alt="x">'),
    st.builds(lambda a, b: _lines("| a | b |", "|---|:-:|", f"| {a} | {b} |"), INLINE, INLINE),
    st.just("***"),
    st.builds(lambda a, b: _lines(a, b), LINE, LINE),
    st.just("[ref]: http://example.com/ref"),
)
SEPARATOR = st.sampled_from(["\n\n", "\n", "\n\n\n", "\n \n"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(BLOCK, min_size=1, max_size=8))
    out = blocks[0]
    for block in blocks[1:]:
        out += draw(SEPARATOR) + block
    if draw(st.booleans()):
        out += "\n"
    return out


@st.composite
def front_matter_documents(draw: st.DrawFn) -> tuple[str, int]:
    body = draw(documents())
    front = draw(st.sampled_from(["---\nlayout: default\n---\n", "---\na: 1\nb: 2\n---\n\n", ""]))
    return front + body, front.count("\n")


@settings(max_examples=_examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_every_node_position_holds_its_node(text: str) -> None:
    nodes = _parse_positioned(text)
    assert problems(text.split("\n"), nodes) == []
    for node in walk(nodes):
        if node.type in EXACT:
            assert node.span.end_column is not None


@settings(max_examples=_examples(100), deadline=None)
@given(front_matter_documents())
def test_line_offset_below_front_matter(case: tuple[str, int]) -> None:
    document, offset = case
    body = "\n".join(document.split("\n")[offset:])
    nodes = _parse_positioned(body, offset)
    assert problems(document.split("\n"), nodes) == []
    assert all(node.span.line > offset for node in walk(nodes))


@settings(max_examples=_examples(100), deadline=None)
@given(documents(), st.sampled_from(["> ", "- ", "1. ", "> - ", "- > "]))
def test_positions_hold_inside_containers(text: str, prefix: str) -> None:
    width = " " * len(prefix)
    lines = text.split("\n")
    indent = "> " if prefix.startswith(">") else width
    wrapped = "\n".join([prefix + lines[0], *(indent + x for x in lines[1:])])
    nodes = _parse_positioned(wrapped)
    assert problems(wrapped.split("\n"), nodes) == []


MARKDOWN_ALPHABET = st.sampled_from(
    [
        *"#>-*+_`~![]()<>|=:\\ \t\n\n\n1.)ab&;\x00\u2028\u00a0\x0b\x0c\x1c\x85\u3000",
        *["    ", "```", "---", "> ", "- ", "1. ", "![a](b)", "[a]: /u", "<!--", "-->", "<div>"],
        *["**", "\t- "],
    ]
)


@settings(max_examples=_examples(500), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWN_ALPHABET, max_size=80).map("".join))
def test_fuzz_never_raises_and_spans_are_in_range(text: str) -> None:
    # the strict internal parse must not raise either (no silent fallback)
    nodes = _parse_positioned(text)
    assert parse_markdown(text) == nodes
    line_count = len(text.split("\n"))
    for node in walk(nodes):
        s = node.span
        assert 1 <= s.line <= s.end_line <= line_count
        assert s.column >= 1


@settings(max_examples=_examples(200), deadline=None)
@given(st.text(max_size=200))
def test_fuzz_arbitrary_text(text: str) -> None:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    nodes = _parse_positioned(text)
    line_count = len(text.split("\n"))
    for node in walk(nodes):
        assert 1 <= node.span.line <= node.span.end_line <= line_count
