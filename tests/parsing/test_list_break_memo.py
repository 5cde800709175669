"""mistune's list-item break regex is built once per leading width for our parsers (it was built for
every list item), and a plain mistune parser in the same process still builds its own."""

from __future__ import annotations

from typing import Any

import mistune
import pytest
from mistune import list_parser

from report_lint.parsing import blocks
from report_lint.parsing.markdown import parse_markdown

LISTS = "".join(f"- item {i}\n  - nested {i}\n\n1. first\n2. second\n\n" for i in range(30))


def test_the_break_regex_is_built_once_per_leading_width(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    original = blocks._compile_list_break_sc

    def counting(block: Any, leading_width: int) -> Any:
        built.append(leading_width)
        return original(block, leading_width)

    first = parse_markdown(LISTS)
    monkeypatch.setattr(blocks, "_compile_list_break_sc", counting)
    assert parse_markdown(LISTS) == first
    assert parse_markdown(LISTS + "   - deeper\n") is not None
    # 120 list items parsed; only a width not seen before builds (here the 3-space one, once)
    assert len(built) == len(set(built)) <= 1


def test_a_plain_mistune_parser_is_not_served_from_our_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    original = blocks._compile_list_break_sc

    def counting(block: Any, leading_width: int) -> Any:
        built.append(leading_width)
        return original(block, leading_width)

    monkeypatch.setattr(blocks, "_compile_list_break_sc", counting)
    assert list_parser._compile_list_break_sc is blocks._list_break_sc
    md = mistune.create_markdown(renderer=None)
    tokens = md("- a\n- b\n")
    assert isinstance(tokens, list) and tokens[0]["type"] == "list"
    assert len(built) == 2  # one build per list item, as mistune does
