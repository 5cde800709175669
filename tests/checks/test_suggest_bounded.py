""" "Did you mean": the bounded search gives difflib's answer exactly, up to the pool cap."""

from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from report_lint.checks._util import _POOL_CAP, closest

_NAME = st.text(alphabet="abc_/.", min_size=1, max_size=12)


@given(st.lists(_NAME, max_size=40), _NAME)
def test_closest_is_get_close_matches(pool: list[str], word: str) -> None:
    want = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    assert closest(word, pool) == (want[0] if want else None)


def test_beyond_the_cap_the_neighbours_in_sort_order_are_compared() -> None:
    pool = [f"figures/frames/frame_{i:06d}.png" for i in range(20 * _POOL_CAP)]
    pool.append("figures/accuracy.png")
    assert closest("figures/acuracy.png", pool) == "figures/accuracy.png"
    assert closest("figures/frames/frame_012345.pgn", pool) == "figures/frames/frame_012345.png"
