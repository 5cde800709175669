"""Our positions (1-based lines, 1-based code-point columns) to LSP positions (0-based, code units).

LSP counts a column in the code units of the negotiated position encoding: UTF-16 unless client and
server agreed on UTF-8 or UTF-32.  A non-BMP character such as 🙂 is one code point (one of our
columns) but two UTF-16 units and four UTF-8 bytes, so every column after it shifts.

Our document lines are the buffer split at ``\\r\\n``, ``\\r`` and ``\\n`` — the same split LSP uses —
with a leading BOM removed; a buffer that starts with a BOM keeps it as a character of LSP line 0, so
the first line's columns move one character right.  No lsprotocol import here: this is pure arithmetic,
tested on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]


def code_units(text: str, encoding: Encoding) -> int:
    """Length of ``text`` in the encoding's code units."""
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-16":
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True)
class LineIndex:
    """The buffer's lines as LSP sees them, to convert our columns into the client's units."""

    lines: Sequence[str]  # document lines without the BOM (lines[n - 1] is our line n)
    had_bom: bool = False

    def position(self, line: int, column: int | None, encoding: Encoding) -> tuple[int, int]:
        """LSP (line, character) of our 1-based ``line``/``column``; ``None`` = end of the line.

        Out-of-range values are clamped into the buffer: a diagnostic is never dropped for it.
        """
        if not self.lines:
            return 0, 0
        index = min(max(line, 1), len(self.lines)) - 1
        text = self.lines[index]
        chars = len(text) if column is None else min(max(column, 1) - 1, len(text))
        units = code_units(text[:chars], encoding)
        if index == 0 and self.had_bom:
            units += code_units("\ufeff", encoding)
        return index, units

    def range(
        self, line: int, column: int, end_line: int, end_column: int | None, encoding: Encoding
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        """LSP start and (exclusive) end; an unknown end column means "to the end of ``end_line``"."""
        start = self.position(line, column, encoding)
        end = self.position(max(end_line, line), end_column, encoding)
        return start, max(end, start)
