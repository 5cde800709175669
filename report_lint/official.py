"""The course checker's answer slicing (``report.py check``), reproduced exactly.

Its quirks are the point: a word ``Answer:`` inside an answer splits it, a ``##`` truncates it,
text after the last question is counted into it, and any answer count other than the
template's makes it stop with ``ValueError`` before checking anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import re2

# the checker's image regex, verbatim: `.` does not cross lines.  On RE2, whose leftmost-first matches
# are Python's for this pattern, in linear time: Python's `re` rescans a line of `![![![…` from every
# `![` (a 40 KB line took 8 s).
CHECKER_IMAGE = re2.compile(r"\!\[.*?\]\(.*?\)")


@dataclass(frozen=True)
class OfficialSlice:
    text: str
    start: int  # offset in the full text just after the "Answer:" that opens the slice
    lead: int  # newlines stripped from the front: the text itself starts at start + lead
    words: int
    images: int


def slice_answers(text: str, skip_chars: int) -> list[OfficialSlice]:
    """The answers the checker would see, in its order, with their offsets in ``text``."""
    body = text[skip_chars:]
    pieces = body.split("Answer:")
    starts: list[int] = []
    offset = skip_chars
    for piece in pieces:
        starts.append(offset)
        offset += len(piece) + len("Answer:")
    kept: list[tuple[str, int]] = []
    for piece, start in zip(pieces, starts, strict=True):
        if "###" in piece:
            cut = piece.split("###")[0]
            if "##" in cut:
                cut = cut.split("##")[0]
            kept.append((cut, start))
    kept.append((pieces[-1], starts[-1]))
    kept = kept[1:]
    out: list[OfficialSlice] = []
    for answer, start in kept:
        stripped = answer.strip("\n")
        out.append(
            OfficialSlice(
                text=stripped,
                start=start,
                lead=len(answer) - len(answer.lstrip("\n")),
                words=len(stripped.split()),
                images=len(CHECKER_IMAGE.findall(stripped)),
            )
        )
    return out
