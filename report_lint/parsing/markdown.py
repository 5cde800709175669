"""Markdown text to positioned :class:`~report_lint.parsing.nodes.Node` trees.

mistune 3 has no source positions of its own, so this module subclasses its block and inline parsers
and records where every token starts while mistune runs; columns are then found by re-scanning the
original physical lines.

How lines are found
    * Every block rule runs through ``Parser.parse_method(m, state)``; ``m.start()`` is the block's start
      in that state's text.  The wrapper stamps every token the rule added (appended, prepended or
      inserted) with that line, and leaf blocks with the last non-blank line the rule consumed.
    * Paragraphs are created in ``BlockState.add_paragraph``, where ``state.cursor`` is their start.
    * Block quotes and list items are re-parsed from rewritten text in a child state.  Each child state
      knows the document line of its own line 0 (``line0``); child line *i* is document line
      ``line0 + i``.  A stack of running rules on each state tells ``child_state`` which container asks.
      List item lines are taken from the marker lines seen while the list rule runs.
    * Inline rules run through ``InlineParser.parse_method``; tokens get their offset in the inline
      source, which is mapped to a physical line (block line + newlines before it) and a column (the
      inline line is located in the physical line).

Columns are 1-based code-point columns in the physical line (tabs count as one).  Container rewriting only
ever changes a line's leading blanks, so the rest of every line of every (child) state is a verbatim suffix
of its physical line: a block records the length of its line from its first non-blank character
(``_tail``) and its column is ``len(physical) - tail + 1``; inline lines are anchored the same way.
Re-scanning the physical line for container markers is only a fallback (it cannot tell an inner
quote's ``>`` on a lazy line from an outer one's).

Modules: ``blocks`` (block parser and state), ``inline`` (inline parser and state), ``positions``
(physical lines, container prefixes, inline offsets); this one turns tokens into nodes and is the entry.
"""

from __future__ import annotations

import threading
from typing import Any

import mistune
from mistune.plugins import Plugin
from mistune.plugins.formatting import strikethrough
from mistune.plugins.table import table, table_in_list, table_in_quote

from .blocks import _FALLBACK_RULE_DEPTH, _INLINE_STRIP, _MAX_RULE_DEPTH, PosBlockParser, PosBlockState, Token
from .inline import PosInlineParser
from .nodes import NO_CHILDREN, Node, Span, make_node, make_span
from .positions import (
    Chain,
    _attrs,
    _content_col,
    _content_start,
    _Doc,
    _inline_nodes,
    _InlineMap,
    _line_end_col,
    _skip_blank,
)

__all__ = ["parse_markdown"]


# ---------------------------------------------------------------------------------------------
# block tokens -> nodes


def _convert(tokens: list[Token], doc: _Doc, chain: Chain, default_line: int) -> list[Node]:
    """The nodes of ``tokens``, which are consumed: each token (and the tokens inside it) is dropped
    as soon as its node is built, so mistune's token dicts and our nodes are not both alive whole
    (on a 1 MB report the token list alone is ~22 MB)."""
    nodes: list[Node] = []
    line = default_line
    tokens.reverse()  # pop from the end: O(1) a token, in document order
    pop = tokens.pop
    while tokens:
        tok = pop()
        ln = tok.get("_ln")
        if isinstance(ln, int):
            line = ln
        nodes.append(_convert_one(tok, doc, chain, doc.clamp(line)))
    return nodes


def _convert_one(tok: Token, doc: _Doc, chain: Chain, line: int) -> Node:
    kind = tok["type"]
    physical = doc.line(line)
    col = 1 if kind == "blank_line" else _content_start(physical, line, chain, tok.get("_tail")) + 1
    attrs = _attrs(tok)
    raw = ""
    children: tuple[Node, ...] = NO_CHILDREN
    end_line = line
    eln = tok.get("_eln")
    if "text" in tok:
        text = tok["text"]
        if not isinstance(text, str):
            text = str(text)
        raw = text
        src = text.strip(_INLINE_STRIP)
        skipped = 0
        if text[:1] in _INLINE_STRIP:
            skipped = text[: len(text) - len(text.lstrip(_INLINE_STRIP))].count("\n")
        first = doc.intern(line + skipped) if skipped else line
        hint = None
        if kind == "heading" and tok.get("style") != "setext":
            hint = col - 1 + int(attrs.get("level", 1))
        numbers = _jumped_lines(tok.get("_jumps"), line, skipped, src.count("\n") + 1)
        imap = _InlineMap(doc, src, first, chain, first_hint=hint, numbers=numbers)
        children = _inline_nodes(doc.inline(src, doc.env), imap, 0)[0]
        if isinstance(eln, int):
            end_line = eln
        elif numbers:
            end_line = numbers[-1]
        else:
            end_line = first + src.count("\n")
    elif kind == "table":
        children, end_line = _convert_table(tok, doc, chain, line)
    elif "children" in tok:
        if kind == "block_quote":
            inner: Chain = (*chain, (True, 0))
        elif kind == "list_item":
            inner = (*chain, (False, line))
        else:
            inner = chain
        children = tuple(_convert(tok["children"], doc, inner, line))
        for child in children:
            if child.type != "blank_line" and child.span.end_line > end_line:
                end_line = child.span.end_line
    else:
        value = tok.get("raw", "")
        raw = value if isinstance(value, str) else ""
        if isinstance(eln, int):
            end_line = eln
    if end_line < line:
        end_line = line
    end_line = doc.clamp(end_line)
    last = doc.line(end_line)
    if kind == "blank_line":
        return make_node(kind, make_span(line, 1, end_line, len(last) + 1), children, attrs, raw)
    end_col = len(last.rstrip()) + 1
    if end_line == line and end_col < col:
        # a block of blanks only (mistune makes indented code of a document's first blank line)
        end_col = col
    return make_node(kind, make_span(line, col, end_line, end_col), children, attrs, raw)


def _jumped_lines(jumps: Any, line: int, skipped: int, count: int) -> list[int] | None:
    """Document lines of the ``count`` inline lines of a paragraph whose text jumps lines (or None)."""
    if not jumps:
        return None
    numbers: list[int] = []
    index = 0
    base_index, base_line = 0, line
    for k in range(skipped, skipped + count):
        while index < len(jumps) and jumps[index][0] <= k:
            base_index, base_line = jumps[index]
            index += 1
        numbers.append(base_line + k - base_index)
    return numbers


def _convert_table(tok: Token, doc: _Doc, chain: Chain, line: int) -> tuple[tuple[Node, ...], int]:
    out: list[Node] = []
    end_line = line
    tails = tok.get("_tails")
    if not isinstance(tails, list):
        tails = []

    def tail(index: int) -> Any:
        return tails[index] if index < len(tails) else None

    for part in tok.get("children", []):
        if part["type"] == "table_head":
            start = _content_col(doc, line, chain, tail(0)) - 1
            cells = _convert_row(part.get("children", []), doc, chain, line, start)
            out.append(Node("table_head", _row_span(doc, line, start), cells, _attrs(part)))
        elif part["type"] == "table_body":
            rows: list[Node] = []
            for index, row in enumerate(part.get("children", [])):
                number = doc.clamp(line + 2 + index)
                start = _content_col(doc, number, chain, tail(2 + index)) - 1
                cells = _convert_row(row.get("children", []), doc, chain, number, start)
                rows.append(Node("table_row", _row_span(doc, number, start), cells, _attrs(row)))
            first = rows[0].span.line if rows else line + 1
            last = rows[-1].span.end_line if rows else line + 1
            end_line = max(end_line, last)
            body_span = make_span(first, rows[0].span.column if rows else 1, last, _line_end_col(doc, last))
            out.append(Node("table_body", body_span, rows, _attrs(part)))
    return tuple(out), max(end_line, line + 1)


def _row_span(doc: _Doc, number: int, start: int) -> Span:
    return make_span(number, start + 1, number, _line_end_col(doc, number))


def _convert_row(cells: list[Token], doc: _Doc, chain: Chain, number: int, pos: int) -> list[Node]:
    """Cells of the table row on line ``number``; ``pos`` is the row's first character."""
    physical = doc.line(number)
    if physical.startswith("|", pos):
        pos += 1
    out: list[Node] = []
    for cell in cells:
        text = str(cell.get("text", ""))
        pos = _skip_blank(physical, pos)
        found = physical.find(text, pos) if text else -1
        start = found if found >= 0 else pos
        stop = start + len(text)
        imap = _InlineMap(doc, text, number, chain, fixed_anchor=start)
        children, _ = _inline_nodes(doc.inline(text, doc.env), imap, 0)
        span = make_span(number, start + 1, number, stop + 1)
        out.append(Node("table_cell", span, children, _attrs(cell), text))
        pos = _next_pipe(physical, stop)
    return out


def _next_pipe(physical: str, pos: int) -> int:
    while True:
        found = physical.find("|", pos)
        if found < 0:
            return len(physical)
        backslashes = 0
        k = found - 1
        while k >= pos and physical[k] == "\\":
            backslashes += 1
            k -= 1
        if backslashes % 2 == 0:
            return found + 1
        pos = found + 1


# ---------------------------------------------------------------------------------------------
# entry points


class _Parsers(threading.local):
    def __init__(self) -> None:
        self.cache: dict[int, tuple[PosBlockParser, PosInlineParser]] = {}


_PARSERS = _Parsers()


def _parsers(max_rule_depth: int) -> tuple[PosBlockParser, PosInlineParser]:
    cached = _PARSERS.cache.get(max_rule_depth)
    if cached is None:
        block = PosBlockParser(max_rule_depth)
        inline = PosInlineParser(max_nested_level=block.max_nested_level)
        plugins: list[Plugin] = [
            table,
            table_in_quote,
            table_in_list,
            strikethrough,
        ]
        mistune.Markdown(renderer=None, block=block, inline=inline, plugins=plugins)
        inline.install_positions()
        cached = (block, inline)
        _PARSERS.cache[max_rule_depth] = cached
    return cached


def _parse_positioned(
    text: str, line_offset: int = 0, max_rule_depth: int = _MAX_RULE_DEPTH, numbers: list[int] | None = None
) -> list[Node]:
    """The positioned parse; may raise (``parse_markdown`` never does)."""
    if not text:
        return []
    block, inline = _parsers(max_rule_depth)
    block._rule_depth = 0
    state = PosBlockState()
    state.line0 = 1 + line_offset
    state.process(text if text.endswith("\n") else text + "\n")
    block.parse(state)
    doc = _Doc(text, line_offset, inline, state.env, numbers)
    return _convert(state.tokens, doc, (), 1 + line_offset)


def _fallback(text: str, line_offset: int) -> list[Node]:
    """Last resort: one paragraph per run of non-blank lines, one text node per line."""
    nodes: list[Node] = []
    run: list[tuple[int, str]] = []

    def flush() -> None:
        if not run:
            return
        first, last = run[0][0], run[-1][0]
        children = [Node("text", make_span(n, 1, n, len(s) + 1), raw=s) for n, s in run if s.strip()]
        span = make_span(first, 1, last, len(run[-1][1].rstrip()) + 1)
        nodes.append(Node("paragraph", span, children, raw="\n".join(s for _, s in run)))
        run.clear()

    for index, physical in enumerate(text.split("\n")):
        if physical.strip():
            run.append((index + 1 + line_offset, physical))
        else:
            flush()
    flush()
    return nodes


def parse_markdown(text: str, *, line_offset: int = 0, numbers: list[int] | None = None) -> list[Node]:
    """Parse markdown into top-level block nodes with exact source spans.

    ``text`` is decoded, newline-normalised (``\\n`` only) text without a BOM.  A node on line *k* of
    ``text`` gets line ``k + line_offset`` (pass the number of front-matter lines stripped before it).

    Node types are mistune's token types (``heading``, ``paragraph``, ``block_text`` for paragraphs of
    tight lists, ``block_quote``, ``list``, ``list_item``, ``block_code``, ``block_html``,
    ``thematic_break``, ``blank_line``, ``table`` with ``table_head``/``table_body``/``table_row``/
    ``table_cell``; inline ``text``, ``emphasis``, ``strong``, ``strikethrough``, ``link``, ``image``,
    ``codespan``, ``inline_html``, ``softbreak``, ``linebreak``).  Besides mistune's attrs, headings get
    ``attrs["setext"]``, lists ``tight`` and ``bullet``, code blocks ``style`` (and ``marker``), reference
    links ``ref``/``label``, autolinks ``autolink``.  ``raw`` holds code/html/text raw text and, for
    headings, paragraphs and table cells, the block's unparsed inline source.

    ``numbers``: the caller's int object of each document line (line *n* at index ``n - 1``), which the
    spans then share (the report model's lines use the same ones).

    Never raises: on input that defeats the parser, a degraded line-based result is returned.
    """
    try:
        return _parse_positioned(text, line_offset, numbers=numbers)
    except RecursionError:
        pass
    except Exception:
        return _fallback(text, line_offset)
    try:
        return _parse_positioned(text, line_offset, _FALLBACK_RULE_DEPTH, numbers)
    except Exception:
        return _fallback(text, line_offset)
