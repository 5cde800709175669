"""The placeholder prefilter (one combined RE2 search a line) skips a line only when no pattern of the
pack matches it anywhere: the rule's findings are those of searching every pattern on every line."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report_lint.checks._placeholders import Pattern, VisibleText, compiled, find, prefilter

from .factory import context

PACKS = ["dtu-mlops-27q", "dtu-mlops-31q-2024", "dtu-mlops-31q-2025", "dtu-mlops-31q-2026"]
PIECES = [
    "---",
    "—",
    "–",
    " ",
    "\u00a0",
    "\u200b",
    "\t",
    "question",
    "Question",
    "3",
    "14",
    "fill",
    "FILL",
    "here",
    "[",
    "]",
    "to",
    "do",
    "-",
    "TODO",
    "todo",
    "TO DO",
    "TBD",
    "FIXME",
    "XXX",
    "XXXX",
    "sXXXXXX",
    "s",
    "X",
    "_",
    "__",
    "`",
    "word",
    "...",
    "…",
    "a",
]

# whole placeholders in their case and spacing variants, for lines that do match
WHOLE = [
    "--- Question 3 FILL here ---",
    "---\u00a0question 14\u00a0fill here ---",
    "--- fill HERE ---",
    "[TO DO: x]",
    "[ to - do ]",
    "TODO",
    "FIXME",
    "__XXX__",
    "sXXXXXX",
    "`--- question 1 fill here ---`",
]
_RANDOM = st.lists(st.sampled_from(PIECES), max_size=10).map("".join)
LINES = st.one_of(_RANDOM, st.tuples(_RANDOM, st.sampled_from(WHOLE), _RANDOM).map("".join))


def _patterns(pack: str) -> list[Pattern]:
    return compiled(context(pack))


@pytest.mark.parametrize("pack", PACKS)
def test_every_builtin_pack_gets_a_prefilter(pack: str) -> None:
    assert prefilter({}, _patterns(pack)) is not None


@settings(max_examples=400, deadline=None)
@given(pack=st.sampled_from(PACKS), line=LINES)
def test_a_skipped_line_has_no_match_of_any_pattern(pack: str, line: str) -> None:
    patterns = _patterns(pack)
    combined = prefilter({}, patterns)
    assert combined is not None
    view = VisibleText(line)
    found = [span for pattern in patterns for span in find(pattern, view)]
    if combined.search(view.text) is None:
        assert found == []
    # and each pattern alone is filtered by its own combined form
    for pattern in patterns:
        alone = prefilter({}, [pattern])
        assert alone is not None
        if alone.search(view.text) is None:
            assert list(find(pattern, view)) == []


def test_a_named_group_after_a_backslash_leaves_the_patterns_unfiltered() -> None:
    pattern = _patterns("dtu-mlops-31q-2026")[0]
    odd = replace(pattern, spec=pattern.spec.replace(pattern=r"a\(?P<x>b)"))
    assert prefilter({}, [pattern, odd]) is None
