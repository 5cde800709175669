"""Positioned markdown nodes: the contract between the parser and the report model.

Lines and columns are 1-based and refer to the *document* lines: the decoded text with
``\\r\\n`` and lone ``\\r`` normalised to ``\\n``, a UTF-8 BOM removed, and front matter kept
(line 1 is the file's first line, so front matter lines are counted).  Columns count
characters (code points) of that physical line, tabs count as one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, order=True, slots=True)
class Span:
    line: int
    column: int
    end_line: int
    # exclusive end column (1-based column just after the last character), None if unknown
    end_column: int | None = None


# A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``; the parser makes one
# span per node, so it fills the slots directly (same object, same fields, about 3x faster).
_new_object = object.__new__
_SET_LINE, _SET_COLUMN, _SET_END_LINE, _SET_END_COLUMN = (
    vars(Span)[name].__set__ for name in ("line", "column", "end_line", "end_column")
)


def make_span(line: int, column: int, end_line: int, end_column: int | None) -> Span:
    """``Span(line, column, end_line, end_column)``, faster (for the parser's hot loops)."""
    span: Span = _new_object(Span)
    _SET_LINE(span, line)
    _SET_COLUMN(span, column)
    _SET_END_LINE(span, end_line)
    _SET_END_COLUMN(span, end_column)
    return span


# A leaf (most nodes: text, codespan, softbreak …) shares these instead of holding an empty list and an
# empty dict of its own: 120 bytes less per leaf (a 1 MB report has ~100,000 leaves).
NO_CHILDREN: tuple[Node, ...] = ()
NO_ATTRS: Mapping[str, Any] = MappingProxyType({})


class Node:
    """One mistune token with its source span.

    ``type`` is mistune's token type: block types (``heading``, ``paragraph``, ``block_quote``,
    ``list``, ``list_item``, ``block_code``, ``block_html``, ``thematic_break``, ``blank_line``,
    ``table`` …) and inline types (``text``, ``image``, ``link``, ``codespan``, ``inline_html``,
    ``emphasis``, ``strong``, ``softbreak`` …).  ``attrs`` are mistune's attrs (``level`` for
    headings, ``url`` for links and images, ``info`` for code blocks, …); ``raw`` is mistune's raw
    text where the token has one (code, html, text).  ``children`` and ``attrs`` are read-only.

    A plain slotted class, not a dataclass: the parser makes one per token, and a dataclass costs
    ~1 ms of import time for its generated methods; equality and repr are the dataclass's.
    """

    __slots__ = ("attrs", "children", "raw", "span", "type")

    type: str
    span: Span
    children: tuple[Node, ...]
    attrs: Mapping[str, Any]
    raw: str

    def __init__(
        self,
        type: str,
        span: Span,
        children: Sequence[Node] = NO_CHILDREN,
        attrs: Mapping[str, Any] = NO_ATTRS,
        raw: str = "",
    ) -> None:
        self.type = type
        self.span = span
        self.children = tuple(children) if children else NO_CHILDREN
        self.attrs = attrs if attrs else NO_ATTRS
        self.raw = raw

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return (self.type, self.span, self.children, dict(self.attrs), self.raw) == (
            other.type,
            other.span,
            other.children,
            dict(other.attrs),
            other.raw,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable-looking and compared by value, as before

    def __repr__(self) -> str:
        return (
            f"Node(type={self.type!r}, span={self.span!r}, children={list(self.children)!r}, "
            f"attrs={dict(self.attrs)!r}, raw={self.raw!r})"
        )

    def walk(self) -> list[Node]:
        """This node and all descendants, in document order."""
        out: list[Node] = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


_SET_TYPE, _SET_SPAN, _SET_CHILDREN, _SET_ATTRS, _SET_RAW = (
    vars(Node)[name].__set__ for name in ("type", "span", "children", "attrs", "raw")
)


def make_node(kind: str, span: Span, children: tuple[Node, ...], attrs: Mapping[str, Any], raw: str) -> Node:
    """``Node(kind, span, children, attrs, raw)`` for the parser's hot loops: ``children`` already a tuple
    (``NO_CHILDREN`` when empty) and ``attrs`` ``NO_ATTRS`` when empty; fills the slots directly."""
    node: Node = _new_object(Node)
    _SET_TYPE(node, kind)
    _SET_SPAN(node, span)
    _SET_CHILDREN(node, children)
    _SET_ATTRS(node, attrs)
    _SET_RAW(node, raw)
    return node
