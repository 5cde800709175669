"""What the parse keeps alive: mistune's tokens are dropped as the nodes are built, leaves share their
empty children and attrs, and a line's number is one object however many spans refer to it.

Measured with ``tracemalloc`` as ratios of the same run (never absolute bytes): how far the parse's
peak rises above the larger of "tokens only" (when conversion starts) and "nodes only" (what is kept).
Were the whole token list alive until the last node is built, the peak would be about their sum.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from report_lint.parsing import markdown
from report_lint.parsing.markdown import parse_markdown
from report_lint.parsing.nodes import NO_ATTRS, NO_CHILDREN, Node


def _todo_list(lines: int) -> str:
    # one list of many items: all of it is a single top-level token, so it must be consumed inside
    return "".join(f"- TODO write part {i} of this answer\n" for i in range(lines))


def _paragraphs(count: int) -> str:
    return "".join(
        f"Paragraph {i} with *some* `code` and a [link](https://example.org/{i}).\n\n" for i in range(count)
    )


def _walk(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield from node.walk()


def _parse_traced(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Node], int, int, int]:
    """(nodes, bytes when conversion starts, peak bytes, bytes kept), relative to before the parse."""
    convert = markdown._convert
    at_start: list[int] = []

    def first_convert(tokens: list[Any], *args: Any) -> list[Node]:
        if not at_start:
            at_start.append(tracemalloc.get_traced_memory()[0])
        return convert(tokens, *args)

    parse_markdown("warm-up\n")  # the parsers are built once per thread: not part of the measure
    monkeypatch.setattr(markdown, "_convert", first_convert)
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        nodes = parse_markdown(text)
        peak = tracemalloc.get_traced_memory()[1]
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return nodes, at_start[0] - base, peak - base, kept - base


@pytest.mark.parametrize("text", [_todo_list(3000), _paragraphs(1500)], ids=["one-long-list", "paragraphs"])
def test_tokens_are_not_alive_beside_the_whole_node_tree(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    nodes, tokens, peak, kept = _parse_traced(text, monkeypatch)
    assert nodes
    # both halves are of the same order (each more than a third of the other), so keeping the tokens
    # to the end would put the peak near their sum, ≥ 1.33x the larger one
    assert min(tokens, kept) * 3 > max(tokens, kept)
    assert peak <= 1.2 * max(tokens, kept), (tokens, peak, kept)


def test_leaves_share_empty_children_and_attrs_and_lines_share_their_number() -> None:
    text = "\n" * 400 + _paragraphs(50)
    nodes = parse_markdown(text)
    leaves = [node for node in _walk(nodes) if not node.children]
    assert len(leaves) > 300
    assert all(node.children is NO_CHILDREN for node in leaves)
    plain = [node for node in leaves if node.type == "text"]
    assert plain and all(node.attrs is NO_ATTRS for node in plain)
    # every span on a line above 256 (not a cached small int) holds that line's one int object
    by_line: dict[int, set[int]] = {}
    for node in _walk(nodes):
        for number in (node.span.line, node.span.end_line):
            by_line.setdefault(number, set()).add(id(number))
    assert len(by_line) > 40
    assert all(len(ids) == 1 for ids in by_line.values())


def test_node_value_semantics_are_unchanged() -> None:
    first, second = parse_markdown("a *b* [c](d)\n"), parse_markdown("a *b* [c](d)\n")
    assert first == second
    assert first != parse_markdown("a *b* [c](e)\n")
    assert repr(first[0]).startswith(
        "Node(type='paragraph', span=Span(line=1, column=1, end_line=1, end_column="
    )
    with pytest.raises(TypeError):
        hash(first[0])


def test_report_lines_share_their_number_with_the_spans(tmp_path: Path) -> None:
    from report_lint.build import build_report

    questions = "".join(
        f"### Question {n}\n\n> Answer:\n\nWe did part {n} with *care*.\n\n" for n in range(1, 80)
    )
    text = "# Report\n\n" + "\n" * 300 + questions
    report = build_report(text, path="reports/README.md", file=tmp_path / "README.md", repo_root=tmp_path)
    ids: dict[int, set[int]] = {}
    for node in _walk(list(report.blocks)):
        ids.setdefault(node.span.line, set()).add(id(node.span.line))
    lines = [line for q in report.questions for line in q.answer_lines if line.number > 256]
    assert len(lines) > 100
    assert all(ids.get(line.number, {id(line.number)}) == {id(line.number)} for line in lines)
    assert sum(line.number in ids for line in lines) > 50
