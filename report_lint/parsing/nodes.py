"""Positioned markdown nodes: the contract between the parser and the report model.

Lines and columns are 1-based and refer to the *document* lines: the decoded text with
``\\r\\n`` and lone ``\\r`` normalised to ``\\n``, a UTF-8 BOM removed, and front matter kept
(line 1 is the file's first line, so front matter lines are counted).  Columns count
characters (code points) of that physical line, tabs count as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(slots=True)
class Node:
    """One mistune token with its source span.

    ``type`` is mistune's token type: block types (``heading``, ``paragraph``, ``block_quote``,
    ``list``, ``list_item``, ``block_code``, ``block_html``, ``thematic_break``, ``blank_line``,
    ``table`` …) and inline types (``text``, ``image``, ``link``, ``codespan``, ``inline_html``,
    ``emphasis``, ``strong``, ``softbreak`` …).  ``attrs`` are mistune's attrs (``level`` for
    headings, ``url`` for links and images, ``info`` for code blocks, …); ``raw`` is mistune's raw
    text where the token has one (code, html, text).
    """

    type: str
    span: Span
    children: list[Node] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    raw: str = ""

    def walk(self) -> list[Node]:
        """This node and all descendants, in document order."""
        out: list[Node] = [self]
        for child in self.children:
            out.extend(child.walk())
        return out
