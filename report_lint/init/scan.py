"""Read a blank template: which headings are its questions, and the text of each question's section.

The question headings are the largest family of headings (or bold lines) written the same way: the same
word before a number (``Task 2.1``, ``Q4``, ``Exercise 3b``), or a bare dotted number (``1.2``), at the
same level.  Everything in a blank template's section is the template's own text (prompt, limits,
marker, placeholder); ``answers.py`` decides where a student's answer goes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from report_lint.parsing.markdown import parse_markdown
from report_lint.parsing.nodes import Node
from report_lint.sections import heading_level, plain_text

_NUMBER = r"\d+(?:\.\d+)*[a-z]?"
# "Task 2.1", "Q4", "**Exercise 3b**": a word, then the number
_WORDED = re.compile(r"^(?P<word>[A-Za-z][A-Za-z-]{0,30})[ \t]*(?P<number>" + _NUMBER + r")(?![\w.])")
# "1.2 Cleaning", "3) Results": a bare number (dotted, or followed by `.`/`)` and text)
_BARE = re.compile(r"^(?P<number>\d+\.\d+(?:\.\d+)*[a-z]?|\d+[a-z]?(?=[.)]\s))(?![\w])")


@dataclass(frozen=True)
class Heading:
    node: Node
    level: int  # 0: a bold line
    word: str  # "" for a bare number
    number: str
    rest: str  # the heading's text after the number


@dataclass(frozen=True)
class Scheme:
    word: str
    level: int
    headings: tuple[Heading, ...]

    @property
    def dotted(self) -> bool:
        return any(not h.number.isdigit() for h in self.headings)


@dataclass(frozen=True)
class Section:
    heading: Heading
    first: int  # first line after the heading
    last: int  # last line of the section
    blocks: tuple[Node, ...]  # its top-level blocks, blank lines left out


def _bold(block: Node) -> bool:
    if block.type != "paragraph" or block.span.line != block.span.end_line:
        return False
    kids = [c for c in block.children if not (c.type == "text" and not (c.raw or "").strip())]
    return len(kids) == 1 and kids[0].type == "strong"


def _candidate(block: Node) -> Heading | None:
    if block.type == "heading" and not block.attrs.get("setext", False):
        level = heading_level(block)
    elif _bold(block):
        level = 0
    else:
        return None
    text = plain_text(block).strip()
    match = _WORDED.match(text) or _BARE.match(text)
    if match is None:
        return None
    word = match.groupdict().get("word") or ""
    rest = text[match.end() :].lstrip(" \t:.)]-").strip()
    return Heading(block, level, word, match.group("number"), rest)


def schemes(blocks: list[Node]) -> list[Scheme]:
    """Families of numbered headings, the likeliest question headings first."""
    families: dict[tuple[str, int], list[Heading]] = {}
    for block in blocks:
        found = _candidate(block)
        if found is not None:
            families.setdefault((found.word.lower(), found.level), []).append(found)
    out = [Scheme(hs[0].word, level, tuple(hs)) for (_, level), hs in families.items()]
    # most headings first; then deeper headings (parts hold questions), then the earlier family
    out.sort(key=lambda s: (-len(s.headings), -s.level if s.level else -7, s.headings[0].node.span.line))
    return out


def sections(blocks: list[Node], scheme: Scheme, last_line: int) -> list[Section]:
    """Each question's section: up to the next question heading or a heading of a higher level."""
    starts = [h.node.span.line for h in scheme.headings]
    enders = sorted(
        b.span.line
        for b in blocks
        if b.type == "heading" and b.span.line not in starts and 0 < heading_level(b) <= _end_level(scheme)
    )
    out = []
    for i, heading in enumerate(scheme.headings):
        line = heading.node.span.line
        stop = scheme.headings[i + 1].node.span.line - 1 if i + 1 < len(scheme.headings) else last_line
        stop = min([stop, *(e - 1 for e in enders if line < e <= stop)])
        first = heading.node.span.end_line + 1
        inside = tuple(b for b in blocks if first <= b.span.line <= stop and b.type != "blank_line")
        out.append(Section(heading, first, stop, inside))
    return out


def _end_level(scheme: Scheme) -> int:
    """Headings above the questions' level end a question (a bold-line question: any heading does)."""
    return scheme.level - 1 if scheme.level else 6


def end_level(scheme: Scheme) -> int:
    return _end_level(scheme)


def parse(text: str) -> list[Node]:
    return parse_markdown(text)


def most_common(values: list[str]) -> str:
    return Counter(values).most_common(1)[0][0]
