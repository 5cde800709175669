"""Falsifying examples the fuzz properties found, kept as plain tests (see ``test_fuzz_lint.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_lint.build import build_report


def _images(text: str) -> list[tuple[str, int, int]]:
    report = build_report(
        text, path="README.md", file=Path("/nonexistent/README.md"), repo_root=Path("/nonexistent")
    )
    return [(img.src, img.span.line, img.span.column) for img in report.images]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # found by the fuzzer: every <img> on a line was placed at the line's first "<img"
        (
            '<img src="figures/sub/y.jpg" width="50%"> "><img src=x onerror=alert(1)>\n',
            [("figures/sub/y.jpg", 1, 1), ("x", 1, 45)],
        ),
        ('text <img src="a.png"> and <img src="b.png">\n', [("a.png", 1, 6), ("b.png", 1, 28)]),
        # an upper-case tag was placed at a later lower-case one
        ('- x <IMG SRC="a.png"> <img src="b.png">\n', [("a.png", 1, 5), ("b.png", 1, 23)]),
        # two tags in one HTML block inside a quote, the second spanning lines
        ('> <p><img src="a.png"><img\n> src="b.png"></p>\n', [("a.png", 1, 6), ("b.png", 1, 23)]),
        # a quoted attribute holding '>' (the fuzzer's own oracle got this one wrong first)
        ('<img\nsrc=">figures/multi.png"\nwidth=50%>\n', [(">figures/multi.png", 1, 1)]),
    ],
)
def test_html_images_point_at_their_own_tag(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert _images(text) == expected
