"""Positions: physical lines, container prefixes, and inline offsets mapped to lines and columns
(see ``markdown``)."""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

from .blocks import _INLINE_STRIP, _LIST_MARKER, Token
from .inline import PosInlineParser
from .nodes import NO_ATTRS, NO_CHILDREN, Node, Span, make_node, make_span

# ---------------------------------------------------------------------------------------------
# positions: physical lines, container prefixes, inline offsets


class _Doc:
    """The document's physical lines plus the parsers' environment."""

    def __init__(
        self, text: str, line_offset: int, inline: PosInlineParser, env: Any, numbers: list[int] | None = None
    ) -> None:
        self.lines = text.split("\n")
        self.line_offset = line_offset
        self.inline = inline
        self.env = env
        # One int object per document line, shared by every span on it: a line number above 256 is a
        # 32-byte object of its own each time it is computed (two per span, ~6 MB per MB of report).
        # ``numbers`` (document line n at index n - 1) shares the caller's, when it covers the text.
        first, count = 1 + line_offset, len(self.lines)
        if numbers is not None and len(numbers) >= line_offset + count and numbers[line_offset] == first:
            self.numbers = numbers[line_offset : line_offset + count]
        else:
            self.numbers = list(range(first, first + count))

    def intern(self, number: int) -> int:
        """``number``, as the shared int of its line when it is a document line."""
        index = number - 1 - self.line_offset
        if 0 <= index < len(self.numbers):
            return self.numbers[index]
        return number

    def line(self, number: int) -> str:
        index = number - 1 - self.line_offset
        if index >= 0:
            try:
                return self.lines[index]
            except IndexError:
                pass
        return ""

    def clamp(self, number: int) -> int:
        """The nearest document line to ``number`` (its shared int)."""
        numbers = self.numbers
        index = number - 1 - self.line_offset
        if index <= 0:
            return numbers[0]
        return numbers[index] if index < len(numbers) else numbers[-1]


# chain entries: (True, 0) for a block quote, (False, marker_line) for a list item
Chain = tuple[tuple[bool, int], ...]


def _prefix_end(physical: str, number: int, chain: Chain) -> int:
    """Offset in the physical line just after the container markers of ``chain`` on that line."""
    pos = 0
    size = len(physical)
    for is_quote, marker_line in chain:
        while pos < size and physical[pos] in " \t":
            pos += 1
        if is_quote:
            if pos < size and physical[pos] == ">":
                pos += 1
            else:
                return pos  # lazy continuation line
        elif number == marker_line:
            m = _LIST_MARKER.match(physical, pos)
            if not m:
                return pos
            pos = m.end()
    return pos


def _skip_blank(physical: str, pos: int) -> int:
    size = len(physical)
    while pos < size and physical[pos] in " \t":
        pos += 1
    return pos


def _content_col(doc: _Doc, number: int, chain: Chain, tail: Any = None) -> int:
    physical = doc.line(number)
    return _content_start(physical, number, chain, tail) + 1


def _content_start(physical: str, number: int, chain: Chain, tail: Any) -> int:
    """Offset of a block's first character in its physical line.

    ``tail`` (recorded while parsing, see ``_tail_at``) gives it exactly; re-scanning the container
    markers of ``chain`` is only a fallback for tokens without one.
    """
    if isinstance(tail, int) and 0 < tail <= len(physical):
        start = len(physical) - tail
        if physical[start] not in " \t":
            return start
    if chain:
        return _skip_blank(physical, _prefix_end(physical, number, chain))
    return _skip_blank(physical, 0)


def _line_end_col(doc: _Doc, number: int) -> int:
    return len(doc.line(number).rstrip()) + 1


class _InlineMap:
    """Maps offsets of an inline source to (document line, column).

    Inline line *k* is document line ``first_line + k``; its text, without leading blanks, is searched
    for in the physical line after the container markers (tabs are only ever expanded in leading
    blanks, so the rest is verbatim).
    """

    def __init__(
        self,
        doc: _Doc,
        src: str,
        first_line: int,
        chain: Chain,
        first_hint: int | None = None,
        fixed_anchor: int | None = None,
        numbers: list[int] | None = None,
    ) -> None:
        self.doc = doc
        self.src = src
        self.first_line = first_line
        # document line of each inline line when they are not consecutive
        self.numbers = numbers
        self.chain = chain
        self.first_hint = first_hint
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(src)] if "\n" in src else [0]
        self.anchors: dict[int, tuple[int, int]] = {}
        if fixed_anchor is not None:
            self.anchors[0] = (0, fixed_anchor)
        self.lead0, self.phys0 = self._anchor(0)

    def _anchor(self, k: int) -> tuple[int, int]:
        """(leading blanks of inline line k, physical offset where the rest of it starts)."""
        anchor = self.anchors.get(k)
        if anchor is not None:
            return anchor
        starts = self.starts
        start = starts[k]
        end = starts[k + 1] - 1 if k + 1 < len(starts) else len(self.src)
        text = self.src[start:end]
        rest = text.lstrip(" \t")
        lead = len(text) - len(rest)
        number = self.number(k)
        physical = self.doc.line(number)
        if k == 0 and self.first_hint is not None:
            hint = self.first_hint
            found = physical.find(rest, hint) if rest else -1
        else:
            # the line's text is a verbatim suffix of its physical line (see ``_tail_at``); only the
            # inline source's end may have lost trailing blanks
            body = rest.rstrip(_INLINE_STRIP)
            found = len(physical.rstrip(_INLINE_STRIP)) - len(body)
            if not body or found < 0 or not physical.startswith(body, found):
                hint = _prefix_end(physical, number, self.chain) if self.chain else 0
                found = physical.find(rest, hint) if rest else -1
            else:
                hint = found
        anchor = (lead, found if found >= 0 else _skip_blank(physical, hint))
        self.anchors[k] = anchor
        return anchor

    def locate(self, offset: int) -> tuple[int, int]:
        starts = self.starts
        if len(starts) == 1:
            k = 0
            within = offset
            lead, physical_start = self.lead0, self.phys0
        else:
            k = bisect_right(starts, offset) - 1
            within = offset - starts[k]
            lead, physical_start = self.anchors.get(k) or self._anchor(k)
        if within > lead:
            return self.number(k), physical_start + within - lead + 1
        return self.number(k), physical_start + 1

    def number(self, k: int) -> int:
        numbers = self.numbers
        if numbers is not None and k < len(numbers):
            return numbers[k]
        return self.doc.intern(self.first_line + k)

    def span(self, start: int, end: int) -> Span:
        if len(self.starts) == 1 and self.numbers is None:
            lead = self.lead0
            base = self.phys0 + 1 - lead
            line = self.first_line
            col = base + start if start > lead else base + lead
            if end <= start:
                return make_span(line, col, line, col)
            last = end - 1
            return make_span(line, col, line, (base + last if last > lead else base + lead) + 1)
        line, col = self.locate(start)
        if end <= start:
            return make_span(line, col, line, col)
        end_line, end_col = self.locate(end - 1)
        return make_span(line, col, end_line, end_col + 1)


_NEWLINE = re.compile("\n")
_ASCII_PUNCT = frozenset(string.punctuation)
_INLINE_OPEN = {"link": 1, "image": 2, "strikethrough": 2}
_DELIM = {"emphasis": 1, "strong": 2}


def _align_text(raw: str, src: str, start: int) -> int:
    """End offset in ``src`` of text token ``raw`` starting at ``start``.

    mistune removes the backslash of escaped ASCII punctuation; a backslash before ASCII punctuation
    in inline source is always such an escape.
    """
    j = start
    size = len(src)
    for ch in raw:
        if j + 1 < size and src[j] == "\\" and src[j + 1] == ch and ch in _ASCII_PUNCT:
            j += 2
        elif j < size and src[j] == ch:
            j += 1
        else:
            return min(start + len(raw), size)
    return j


def _inline_nodes(tokens: list[Token], imap: _InlineMap, cursor: int) -> tuple[tuple[Node, ...], int]:
    """The nodes of inline ``tokens`` (a tuple, ``NO_CHILDREN`` when empty) and the offset after them."""
    nodes: list[Node] = []
    append = nodes.append
    src = imap.src
    span = imap.span
    for tok in tokens:
        kind = tok["type"]
        if kind == "text":
            raw = tok["raw"]
            if "\\" not in raw and src.startswith(raw, cursor):
                end = cursor + len(raw)
            else:
                end = _align_text(raw, src, cursor)
            append(make_node("text", span(cursor, end), NO_CHILDREN, NO_ATTRS, raw))
            cursor = end
            continue
        children: tuple[Node, ...] = NO_CHILDREN
        raw = tok.get("raw", "")
        if not isinstance(raw, str):
            raw = ""
        width = _DELIM.get(kind)
        if width is not None:
            start = cursor
            children, inner_end = _inline_nodes(tok.get("children", []), imap, start + width)
            end = inner_end + width
        else:
            s = tok.get("_s")
            start = s if isinstance(s, int) else cursor
            if "children" in tok:
                children, inner_end = _inline_nodes(tok["children"], imap, start + _INLINE_OPEN.get(kind, 0))
            else:
                inner_end = start + len(raw)
            e = tok.get("_e")
            end = e if isinstance(e, int) and e >= start else inner_end
        if end > len(src):
            end = len(src)
        attrs = _attrs(tok)
        ds = tok.get("_ds")
        if isinstance(ds, int):  # a link's or image's written destination (see ``inline._destination``)
            attrs = {**attrs, "dest": span(ds, min(int(tok["_de"]), len(src)))}
        append(make_node(kind, span(start, end), children, attrs, raw))
        if end > cursor:
            cursor = end
    return (tuple(nodes) if nodes else NO_CHILDREN), cursor


def _attrs(tok: Token) -> Mapping[str, Any]:
    """The node's attrs: a new dict, or the shared empty ``NO_ATTRS``."""
    kind = tok["type"]
    found = tok.get("attrs")
    if kind not in _EXTRA_ATTRS:
        return dict(found) if found else NO_ATTRS
    attrs = dict(found) if found else {}
    if kind == "link" or kind == "image":
        if "ref" in tok:
            attrs["ref"] = tok["ref"]
            attrs["label"] = tok.get("label")
        if "_auto" in tok:
            attrs["autolink"] = True
    elif kind == "list":
        attrs["tight"] = tok.get("tight", True)
        attrs["bullet"] = tok.get("bullet", "")
    elif kind == "block_code":
        attrs["style"] = tok.get("style", "")
        if "marker" in tok:
            attrs["marker"] = tok["marker"]
    elif kind == "heading":
        attrs["setext"] = tok.get("style") == "setext"
    return attrs if attrs else NO_ATTRS


# token types whose node gets attrs beyond mistune's own (see ``_attrs``)
_EXTRA_ATTRS = frozenset({"link", "image", "list", "block_code", "heading"})
