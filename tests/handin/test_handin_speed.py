"""The rule's shortcuts give exactly what the slower way they replace gives (issue 10's speed work)."""

from __future__ import annotations

from difflib import SequenceMatcher

from hypothesis import given, settings
from hypothesis import strategies as st

from report_lint.handin.compare import _matching_blocks

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
