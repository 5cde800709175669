"""Edits in document positions -> offsets in the file's own text, and applying them.

Document lines are the decoded text split at ``\r\n``, ``\r`` and ``\n`` with a BOM removed (see
``parsing.nodes``); columns count code points.  The file's text (``raw`` below: decoded, BOM removed,
line endings as they are) has the same lines with their own line breaks, so a position maps to an
offset by the start of its raw line plus its column: every byte an edit does not cover is copied
unchanged, whatever the line endings.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from report_lint.diagnostic import Edit, Fix

_BREAK = re.compile(r"\r\n|\r|\n")


class RawIndex:
    """Where each document line starts in ``raw`` and how long it is (without its line break)."""

    def __init__(self, raw: str) -> None:
        self.starts = [0]
        self.lengths: list[int] = []
        for match in _BREAK.finditer(raw):
            self.lengths.append(match.start() - self.starts[-1])
            self.starts.append(match.end())
        self.lengths.append(len(raw) - self.starts[-1])

    def offset(self, line: int, column: int) -> int | None:
        """The offset of ``line:column`` (column ``length + 1`` is the line's end); None if off the text."""
        if not 1 <= line <= len(self.starts) or not 1 <= column <= self.lengths[line - 1] + 1:
            return None
        return self.starts[line - 1] + column - 1


@dataclass(frozen=True)
class Located:
    """A fix with its edits as ``(start, end, content)`` offsets in ``raw``, in order."""

    fix: Fix
    edits: tuple[tuple[int, int, str], ...]

    @property
    def start(self) -> int:
        return self.edits[0][0]

    @property
    def end(self) -> int:
        return self.edits[-1][1]


def locate(fix: Fix, index: RawIndex) -> Located | None:
    """``fix`` in offsets; None when an edit falls off the text or two of its edits overlap (a rule's
    bug must never corrupt a report: such a fix is dropped)."""
    spans = []
    for edit in fix.edits:
        start = index.offset(edit.line, edit.column)
        end = index.offset(edit.end_line, edit.end_column)
        if start is None or end is None or end < start:
            return None
        spans.append((start, end, edit.content))
    if not spans:
        return None
    spans.sort(key=lambda s: (s[0], s[1]))
    for (_, end, _), (start, _, _) in itertools.pairwise(spans):
        if start < end:
            return None
    return Located(fix, tuple(spans))


def choose(fixes: Iterable[Fix], raw: str) -> list[Located]:
    """The fixes to apply in one pass: in file order, each one clear of the one before.  A fix that
    overlaps the one before is left for the next pass (which sees it again on the fixed text); so is
    an insertion where the one before ends, which could race it.  Edits that merely touch (deleting
    line 3, then line 4) both apply, so a run of adjacent fixes never needs one pass each."""
    index = RawIndex(raw)
    located = [lf for lf in (locate(f, index) for f in fixes) if lf is not None]
    located.sort(key=lambda lf: (lf.start, lf.end))
    chosen: list[Located] = []
    for lf in located:
        if chosen:
            last = chosen[-1]
            if lf.start < last.end or (lf.start == last.end and (_inserts(lf, first=True) or _inserts(last))):
                continue
        chosen.append(lf)
    return chosen


def _inserts(lf: Located, *, first: bool = False) -> bool:
    """Whether the fix's first (or last) edit inserts without replacing anything."""
    start, end, _ = lf.edits[0] if first else lf.edits[-1]
    return start == end


def apply(raw: str, chosen: list[Located]) -> str:
    """``raw`` with the chosen (ordered, disjoint) fixes' edits made."""
    pieces = []
    at = 0
    for lf in chosen:
        for start, end, content in lf.edits:
            pieces.append(raw[at:start])
            pieces.append(content)
            at = end
    pieces.append(raw[at:])
    return "".join(pieces)


def edit_offsets(edit: Edit, raw: str) -> tuple[int, int] | None:
    """Where one edit falls in ``raw`` (for tests and the language server)."""
    index = RawIndex(raw)
    start, end = index.offset(edit.line, edit.column), index.offset(edit.end_line, edit.end_column)
    return None if start is None or end is None else (start, end)
