"""The caret of --show-source: tab stops, escapes and wide characters before the column."""

from __future__ import annotations

import pytest

from report_lint.formatters.text import TAB_STOP, source_excerpt


@pytest.mark.parametrize(
    ("line", "column", "end", "shown", "start", "width"),
    [
        ("abc", 2, 3, "abc", 1, 1),
        ("\tx", 2, None, " " * TAB_STOP + "x", TAB_STOP, 1),
        ("ab\tx", 4, 5, "ab" + " " * (TAB_STOP - 2) + "x", TAB_STOP, 1),
        ("a\x1bb", 3, 4, "a\\x1bb", 5, 1),
        ("漢x", 2, 3, "漢x", 2, 1),
        ("\u202eword", 2, 6, "<U+202E>word", 8, 4),
        ("short", 40, None, "short", 5, 1),  # past the end of the line: the caret follows it
    ],
)
def test_caret_lands_under_the_column(
    line: str, column: int, end: int | None, shown: str, start: int, width: int
) -> None:
    assert source_excerpt(line, column, end) == (shown, start, width)
