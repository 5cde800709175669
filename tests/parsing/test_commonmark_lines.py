"""Block start lines agree with markdown-it-py's ``token.map`` on the CommonMark spec examples.

The examples are in ``fixtures/commonmark-spec.json`` (see ``fixtures/README.md``).  markdown-it-py runs
with the ``commonmark`` preset plus ``table`` and ``strikethrough``, matching our mistune plugins.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from position_checks import problems

from report_lint.parsing.markdown import _parse_positioned

markdown_it = pytest.importorskip("markdown_it")

SPEC = Path(__file__).parent / "fixtures" / "commonmark-spec.json"

# markdown-it token type -> our node type
_THEIRS = {
    "heading_open": "heading",
    "paragraph_open": "paragraph",
    "blockquote_open": "block_quote",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "list_item_open": "list_item",
    "fence": "block_code",
    "code_block": "block_code",
    "html_block": "block_html",
    "hr": "thematic_break",
    "table_open": "table",
}
_BLOCKS = frozenset(_THEIRS.values())

# Examples where mistune and markdown-it-py legitimately build different block structures (so start
# lines cannot be compared).  Currently none: mistune 3.4 and markdown-it-py agree on all 652.
# Add entries as {example_number: "reason"}.
STRUCTURE_DIFFERS: dict[int, str] = {}

# the agreement must not drop below this (number of examples with identical block start lines)
MIN_AGREEING = 652


def _ours(text: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []

    def visit(nodes: list) -> None:  # type: ignore[type-arg]
        for node in nodes:
            kind = "paragraph" if node.type == "block_text" else node.type
            if kind in _BLOCKS:
                out.append((kind, node.span.line))
            if kind not in ("paragraph", "heading", "table"):
                visit(node.children)

    visit(_parse_positioned(text))
    return out


def _theirs(md: object, text: str) -> list[tuple[str, int]]:
    tokens = md.parse(text)  # type: ignore[attr-defined]
    return [(_THEIRS[t.type], t.map[0] + 1) for t in tokens if t.type in _THEIRS]


@pytest.fixture(scope="module")
def examples() -> list[dict[str, object]]:
    return json.loads(SPEC.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_block_start_lines_agree_with_markdown_it(examples: list[dict[str, object]]) -> None:
    md = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    agreeing = 0
    structure = 0
    disagreeing: list[str] = []
    for example in examples:
        number = int(example["example"])  # type: ignore[call-overload]
        if number in STRUCTURE_DIFFERS:
            continue
        text = str(example["markdown"])
        ours, theirs = _ours(text), _theirs(md, text)
        if [k for k, _ in ours] != [k for k, _ in theirs]:
            structure += 1
            disagreeing.append(f"example {number}: block structure differs: {ours} vs {theirs}")
        elif ours != theirs:
            disagreeing.append(f"example {number}: start lines differ: {ours} vs {theirs}")
        else:
            agreeing += 1
    print(f"CommonMark block start lines: {agreeing}/{len(examples)} agree, {structure} differ in structure")
    assert agreeing >= MIN_AGREEING, "\n".join(disagreeing[:20])
    assert not disagreeing, "\n".join(disagreeing[:20])


def test_every_spec_example_position_holds_its_node(examples: list[dict[str, object]]) -> None:
    failures = []
    for example in examples:
        text = str(example["markdown"])
        found = problems(text.split("\n"), _parse_positioned(text))
        if found:
            failures.append(f"example {example['example']}: {found[:3]}")
    assert failures == []
