"""Real exam reports (read from the shared seed folder at test time; skipped when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from position_checks import problems, walk
from tooling import collect_shared

from report_lint.parsing.markdown import _parse_positioned

REPORTS = collect_shared("seeds", "*.txt")


def _front_matter_lines(text: str) -> int:
    lines = text.split("\n")
    if lines and lines[0] == "---":
        for index in range(1, len(lines)):
            if lines[index] in ("---", "..."):
                return index + 1
    return 0


@pytest.mark.parametrize("path", REPORTS, ids=[p.name for p in REPORTS])
def test_real_report_positions(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    offset = _front_matter_lines(text)
    for line_offset, body in ((0, text), (offset, "\n".join(lines[offset:]))):
        nodes = _parse_positioned(body, line_offset)
        assert problems(lines, nodes) == []
        assert any(node.type == "heading" for node in walk(nodes))
