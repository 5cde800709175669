"""Positioned markdown nodes: the contract between the parser and the report model.

Lines and columns are 1-based and refer to the *document* lines: the decoded text with
``\\r\\n`` and lone ``\\r`` normalised to ``\\n``, a UTF-8 BOM removed, and front matter kept
(line 1 is the file's first line, so front matter lines are counted).  Columns count
characters (code points) of that physical line, tabs count as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    line: int
    column: int
    end_line: int
    # exclusive end column (1-based column just after the last character), None if unknown
    end_column: int | None = None


@dataclass
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
