"""official.slice_answers must equal the course checker's algorithm, re-implemented naively here."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_checker import naive_counts
from tooling import collect_shared

from report_lint.official import slice_answers

SEEDS = collect_shared("seeds", "*.txt")


def reference(text: str, skip: int) -> tuple[list[int], list[int]]:
    counts = naive_counts(text, skip)
    return [w for w, _ in counts], [i for _, i in counts]


def ours(text: str, skip: int) -> tuple[list[int], list[int]]:
    slices = slice_answers(text, skip)
    return [s.words for s in slices], [s.images for s in slices]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seeds_match_reference(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    for skip in (0, 43):
        assert ours(text, skip) == reference(text, skip)


def test_slice_offsets_point_after_marker() -> None:
    text = "intro ###\n> Answer:\n\nfirst answer\n\n### Question 2\n> Answer: second\n"
    slices = slice_answers(text, 0)
    assert [s.text for s in slices] == ["first answer", " second"]
    assert [s.words for s in slices] == [2, 1]
    for s in slices:
        assert text[s.start - len("Answer:") : s.start] == "Answer:"


PIECES = st.sampled_from(
    [
        "Answer:",
        "###",
        "##",
        "#",
        "\n",
        " ",
        "word",
        "![a](b.png)",
        "![x](",
        ")",
        "--- q fill here ---",
        "\n\n",
        "é",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=60), st.sampled_from([0, 3, 43]))
def test_generated_text_matches_reference(parts: list[str], skip: int) -> None:
    text = "".join(parts)
    assert ours(text, skip) == reference(text, skip)
