"""Checks that a node's recorded position really holds that node in the source.

Used by the unit, property and real-report tests.  ``lines`` are the document lines (``text.split("\\n")``
of the whole document, front matter included).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from report_lint.parsing.nodes import Node

_LIST_MARKER = re.compile(r"(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)")
_THEMATIC = re.compile(r"(?:(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})$")
_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*$")
_FENCE = re.compile(r"(`{3,}|~{3,})")

# every node of these types must have an exact span
EXACT = frozenset(
    {
        "heading",
        "paragraph",
        "block_text",
        "block_quote",
        "list",
        "list_item",
        "block_code",
        "block_html",
        "thematic_break",
        "table",
        "image",
        "link",
        "codespan",
        "inline_html",
    }
)


def walk(nodes: Iterable[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        out.extend(node.walk())
    return out


def problems(lines: list[str], nodes: list[Node]) -> list[str]:
    """Every position problem found in the tree (empty when all positions hold their node)."""
    found: list[str] = []
    for node in walk(nodes):
        problem = check_node(lines, node)
        if problem:
            s = node.span
            found.append(f"{node.type} at {s.line}:{s.column}-{s.end_line}:{s.end_column}: {problem}")
    return found


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1]


def check_node(lines: list[str], node: Node) -> str | None:
    s = node.span
    if not (1 <= s.line <= s.end_line <= len(lines)):
        return "lines out of range"
    if s.column < 1:
        return "column < 1"
    start_line = _line(lines, s.line)
    if s.column > len(start_line) + 1:
        return "column beyond the line"
    if s.end_column is not None and s.line == s.end_line and s.end_column < s.column:
        return "end before start"
    rest = start_line[s.column - 1 :]
    end_line = _line(lines, s.end_line)
    end_char = end_line[s.end_column - 2] if s.end_column and 2 <= s.end_column <= len(end_line) + 1 else ""
    kind = node.type
    if kind == "heading":
        level = node.attrs["level"]
        if node.attrs["setext"]:
            if s.end_line <= s.line:
                return "setext heading without an underline line"
            if not _UNDERLINE.search(end_line):
                return f"no underline on the end line {end_line!r}"
            if not rest or rest[0].isspace():
                return "setext heading text does not start at the column"
        elif not re.match(f"#{{{level}}}(?:[ \t]|$)", rest):
            return f"no {'#' * level} at the column: {rest[:20]!r}"
    elif kind in ("paragraph", "block_text", "table", "table_row"):
        if not rest or rest[0] in " \t":
            return f"no text at the column: {rest[:20]!r}"
    elif kind == "block_quote":
        if not rest.startswith(">"):
            return f"no '>' at the column: {rest[:20]!r}"
    elif kind in ("list", "list_item"):
        if not _LIST_MARKER.match(rest):
            return f"no list marker at the column: {rest[:20]!r}"
    elif kind == "block_code":
        if node.attrs.get("style") == "fenced":
            marker = node.attrs.get("marker", "```")
            if not rest.startswith(marker):
                return f"no fence at the column: {rest[:20]!r}"
            closing = end_line.strip()
            closed = s.end_line > s.line and bool(closing) and closing == marker[0] * len(closing)
            if closed and len(closing) < len(marker):
                return "closing fence too short"
        elif not rest or rest[0].isspace():
            return "no code at the column"
    elif kind == "block_html":
        if not rest.startswith("<"):
            return f"no '<' at the column: {rest[:20]!r}"
    elif kind == "thematic_break":
        if not _THEMATIC.match(rest):
            return f"no thematic break at the column: {rest[:20]!r}"
    elif kind == "image":
        if not rest.startswith("!["):
            return f"no '![' at the column: {rest[:20]!r}"
        if end_char not in (")", "]"):
            return f"image does not end with ')' or ']': {end_char!r}"
    elif kind == "link":
        if node.attrs.get("autolink"):
            if not rest.startswith("<") or end_char != ">":
                return f"autolink not at '<'...'>': {rest[:20]!r}"
        elif not rest.startswith("["):
            return f"no '[' at the column: {rest[:20]!r}"
        elif end_char not in (")", "]"):
            return f"link does not end with ')' or ']': {end_char!r}"
    elif kind == "codespan":
        if not rest.startswith("`") or end_char != "`":
            return f"no backticks at the span ends: {rest[:20]!r} {end_char!r}"
    elif kind == "inline_html":
        if not rest.startswith("<") or end_char != ">":
            return f"no '<' ... '>' at the span ends: {rest[:20]!r}"
    elif kind == "text":
        first = node.raw.split("\n", 1)[0]
        if first and "\\" not in first and "\\" not in rest[: len(first) + 4] and not rest.startswith(first):
            return f"text {first[:20]!r} not at the column: {rest[:20]!r}"
    return None
