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
"""

from __future__ import annotations

import re
import string
import threading
from bisect import bisect_right
from collections.abc import Callable
from re import Match
from typing import Any

import mistune
from mistune.block_parser import BlockParser
from mistune.core import BlockState, InlineState
from mistune.inline_parser import InlineParser
from mistune.plugins import Plugin
from mistune.plugins.formatting import strikethrough
from mistune.plugins.table import table, table_in_list, table_in_quote

from .nodes import Node, Span, make_span

__all__ = ["parse_markdown"]

Token = dict[str, Any]

# Nested rule calls (containers inside containers, and block starts that interrupt a list item or a
# block quote on the same state) are limited so that mistune cannot exhaust the Python stack on
# adversarial input such as thousands of alternating ``- a`` / ``> b`` lines.
_MAX_RULE_DEPTH = 60
_FALLBACK_RULE_DEPTH = 12

_LIST_MARKER = re.compile(r"[*+-]|\d{1,9}[.)]")
_MARKER_LINE = re.compile(r"[ \t]*(?:[*+-]|\d{1,9}[.)])(.*)")
_HAS_TEXT = re.compile(r"\s*\S")
_INLINE_STRIP = " \r\n\t\f"
_CONTAINERS = frozenset({"block_quote", "list", "list_item"})


# ---------------------------------------------------------------------------------------------
# block layer


class _RuleCall:
    """One running block rule on a state (a stack of them is kept per state)."""

    __slots__ = ("item_lines", "item_tails", "next_marker", "rule", "start")

    def __init__(self, rule: str, start: int) -> None:
        self.rule = rule
        self.start = start
        # list rule only: offset of the next item's marker line, and the item marker lines so far
        self.next_marker = start
        self.item_lines: list[int] = []
        self.item_tails: list[int | None] = []


class PosBlockState(BlockState):
    """A mistune block state that knows the document line of its own first line."""

    def __init__(self, parent: Any | None = None) -> None:
        super().__init__(parent)
        self.line0 = 1
        self.calls: list[_RuleCall] = []
        self._newlines: list[int] | None = None

    def process(self, src: str) -> None:
        super().process(src)
        self._newlines = None

    def line_of(self, pos: int) -> int:
        """Document line of offset ``pos`` of this state's text."""
        newlines = self._newlines
        if newlines is None:
            newlines = [m.start() for m in re.finditer("\n", self.src)]
            self._newlines = newlines
        # number of newlines strictly before pos
        return self.line0 + bisect_right(newlines, pos - 1)

    def child_state(self, src: str, lazy_line_starts: set[int] | None = None) -> BlockState:
        child = super().child_state(src, lazy_line_starts)
        if not isinstance(child, PosBlockState):  # pragma: no cover - always true
            return child
        call = self.calls[-1] if self.calls else None
        if call is None:
            child.line0 = self.line_of(self.cursor)
        elif call.rule == "list":
            marker = call.next_marker
            # if another item follows, the cursor now stands just below its marker line
            call.next_marker = max(min(self.cursor, len(self.src)) - 1, 0)
            line = self.line_of(marker)
            call.item_lines.append(line)
            call.item_tails.append(_tail_at(self.src, marker))
            child.line0 = line if self._marker_line_has_text(marker) else line + 1
        else:
            child.line0 = self.line_of(call.start)
        return child

    def _marker_line_has_text(self, pos: int) -> bool:
        start = self.src.rfind("\n", 0, pos) + 1
        end = self.src.find("\n", pos)
        if end < 0:
            end = len(self.src)
        m = _MARKER_LINE.match(self.src, start, end)
        return bool(m and _HAS_TEXT.match(m.group(1)))

    def add_paragraph(self, text: str) -> None:
        last = self.last_token()
        cursor = self.cursor
        if last and last["type"] == "paragraph":
            self._continue_paragraph(last, cursor, len(text))
            last["text"] += text
        else:
            self.tokens.append(
                {
                    "type": "paragraph",
                    "text": text,
                    "_ln": self.line_of(cursor),
                    "_tail": _tail_at(self.src, cursor),
                    "_end": cursor + len(text),
                }
            )

    def append_paragraph(self) -> int | None:
        last = self.last_token()
        if last and last["type"] == "paragraph":
            cursor = self.cursor
            self._continue_paragraph(last, cursor, self.find_line_end_at(cursor) - cursor)
        return super().append_paragraph()

    def _continue_paragraph(self, tok: Token, pos: int, size: int) -> None:
        """Note where text added to paragraph ``tok`` comes from.

        The text usually follows the paragraph's last line, but a block that interrupts the paragraph
        may hand a later line back to it (``a\n> b\n2) c``: ``2) c`` cannot start a list there, so it
        joins ``a``, below the quote): then record ``(text line index, document line)``.
        """
        end = tok.get("_end")
        if end != pos and "_ln" in tok:
            jumps = tok.setdefault("_jumps", [])
            jumps.append((str(tok["text"]).count("\n"), self.line_of(pos)))
        tok["_end"] = pos + size


def trim_atx_closing(text: str) -> str:
    """What mistune's ``re.sub(r"(\\s+|^)#+\\s*$", "", text)`` makes of a heading's text: the closing
    ``#`` run and the whitespace before it removed.  The regex retries ``\\s+`` from every character of
    a whitespace run (quadratic: a heading holding 100k spaces hung); this walks back from the end once.
    """
    end = len(text)
    while end and text[end - 1].isspace():  # the trailing `\s*` (Python's `\s` is `str.isspace`)
        end -= 1
    hashes = end
    while hashes and text[hashes - 1] == "#":
        hashes -= 1
    if hashes == end:  # no closing `#` run
        return text
    if hashes == 0:  # `^#+\s*$`: the whole text goes
        return ""
    if not text[hashes - 1].isspace():  # `a##`: the run is part of the text
        return text
    start = hashes
    while start and text[start - 1].isspace():
        start -= 1
    return text[:start]


class PosBlockParser(BlockParser):
    state_cls = PosBlockState

    def __init__(self, max_rule_depth: int = _MAX_RULE_DEPTH) -> None:
        super().__init__()
        self.max_rule_depth = max_rule_depth
        self._rule_depth = 0

    def parse_atx_heading(self, m: Match[str], state: BlockState) -> int:
        """mistune's, with its closing-``#`` trim done in linear time (see :func:`trim_atx_closing`)."""
        level = len(m.group("atx_1"))
        text = m.group("atx_2").strip(string.whitespace)
        if text:
            text = trim_atx_closing(text)
        state.append_token({"type": "heading", "text": text, "attrs": {"level": level}, "style": "atx"})
        return m.end() + 1

    def parse_method(self, m: Match[str], state: BlockState) -> int | None:
        if not isinstance(state, PosBlockState):  # pragma: no cover - foreign state
            return super().parse_method(m, state)
        if self._rule_depth >= self.max_rule_depth:
            # refuse: mistune treats the line as paragraph text / lazy continuation
            return None
        tokens = state.tokens
        count = len(tokens)
        last = tokens[-1] if tokens else None
        start = m.start()
        call = _RuleCall(m.lastgroup or "", start)
        state.calls.append(call)
        self._rule_depth += 1
        try:
            end = super().parse_method(m, state)
        finally:
            self._rule_depth -= 1
            state.calls.pop()
        if len(tokens) > count:
            # a block quote that an interrupting block ended is prepended before that block's token,
            # which may put it just before the tokens that existed when the rule started
            for tok in tokens[count - 1 if count else 0 :]:
                if "_ln" not in tok:
                    _stamp_block(tok, state, call, end)
        if (
            call.rule == "setex_heading"
            and last is not None
            and tokens
            and tokens[-1] is last
            and last.get("style") == "setext"
            and "_eln" not in last
        ):
            last["_eln"] = state.line_of(start)
        return end

    def _parse_indent_code_fast(self, state: BlockState) -> int | None:
        # mistune's fast path for indented code does not go through parse_method; an indented code
        # line starts with a space or a tab, so most lines are rejected here without a call
        if state.src[state.cursor : state.cursor + 1] not in (" ", "\t"):
            return None
        return _stamp_direct(super()._parse_indent_code_fast, state, "indent_code")


def _stamp_direct(parser: Callable[[BlockState], int | None], state: BlockState, rule: str) -> int | None:
    """Run a block step that bypasses ``parse_method`` and stamp what it added."""
    count = len(state.tokens)
    start = state.cursor
    end = parser(state)
    if isinstance(state, PosBlockState) and len(state.tokens) > count:
        call = _RuleCall(rule, start)
        for tok in state.tokens[count:]:
            if "_ln" not in tok:
                _stamp_block(tok, state, call, end)
    return end


def _tail_at(src: str, pos: int) -> int | None:
    """Length of the rest of ``pos``'s line from its first non-blank character (None if blank).

    Container rewriting (``>`` and indentation stripped, leading tabs expanded) only ever changes the
    leading blanks of a line: the rest of every line of every state is a verbatim suffix of its
    physical line, so the block's column is ``len(physical) - tail + 1`` however deep it is nested.
    """
    start = src.rfind("\n", 0, pos) + 1
    end = src.find("\n", pos)
    if end < 0:
        end = len(src)
    size = end
    while start < size and src[start] in " \t":
        start += 1
    return end - start if start < end else None


def _stamp_block(tok: Token, state: PosBlockState, call: _RuleCall, end: int | None) -> None:
    src = state.src
    start = call.start
    tok["_ln"] = state.line_of(start)
    tok["_tail"] = _tail_at(src, start)
    kind = tok["type"]
    if kind == "list":
        for item, line, tail in zip(tok.get("children", ()), call.item_lines, call.item_tails, strict=False):
            item["_ln"] = line
            item["_tail"] = tail
        return
    if kind in _CONTAINERS:
        return
    region_end = len(src) if end is None else min(end, len(src))
    if region_end <= start:
        region_end = state.find_line_end_at(start)
    if kind == "blank_line":
        tok["_eln"] = state.line_of(max(start, region_end - 1))
        return
    if kind == "table":
        tails: list[int | None] = []
        pos = start
        while pos < region_end:
            tails.append(_tail_at(src, pos))
            pos = state.find_line_end_at(pos)
        tok["_tails"] = tails
    k = region_end - 1
    while k > start and src[k].isspace():
        k -= 1
    if kind == "block_code" and tok.get("style") == "fenced" and not _fence_closed(tok, src, start, k):
        # unclosed fence: runs to the end of its container
        tok["_eln"] = state.line_of(max(start, region_end - 1))
        return
    tok["_eln"] = state.line_of(k)


def _fence_closed(tok: Token, src: str, start: int, last: int) -> bool:
    marker = str(tok.get("marker") or "```")
    line_start = src.rfind("\n", 0, last) + 1
    if line_start <= start:
        return False
    fence = src[line_start : last + 1].strip()
    return len(fence) >= len(marker) and fence == marker[0] * len(fence)


# ---------------------------------------------------------------------------------------------
# inline layer


class PosInlineState(InlineState):
    """An inline state that knows its offset in the block's inline source."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        self.base = 0
        self.child_base = 0

    def copy(self) -> InlineState:
        state = super().copy()
        if isinstance(state, PosInlineState):
            # copies are made for the inside of a rule's match (strikethrough): it starts at m.end()
            state.base = self.child_base
        return state


InlineRule = Callable[[Match[str], InlineState], int | None]

# rules whose tokens are only ever text (text positions are recomputed after emphasis processing)
_TEXT_ONLY_RULES = frozenset({"escape", "emphasis", "link"})


class PosInlineParser(InlineParser):
    """Inline parser whose rules stamp tokens with offsets (``_s``/``_e``) in the inline source.

    Rules are wrapped in ``_methods`` (not in ``parse_method``) so that the many text-only matches
    (emphasis delimiters, escapes, link openers) cost nothing extra.
    """

    state_cls = PosInlineState

    def install_positions(self) -> None:
        """Wrap the registered rules; call after all plugins are registered."""
        for name, func in list(self._methods.items()):
            if name in _TEXT_ONLY_RULES:
                continue
            self._methods[name] = _link_close_rule(func) if name == "link_close" else _stamping_rule(func)


def _stamping_rule(func: InlineRule) -> InlineRule:
    def run(m: Match[str], state: InlineState) -> int | None:
        if not isinstance(state, PosInlineState):  # pragma: no cover - foreign state
            return func(m, state)
        base = state.base
        state.child_base = base + m.end()
        tokens = state.tokens
        count = len(tokens)
        end = func(m, state)
        if len(tokens) > count:
            start = base + m.start()
            stop = None if end is None else base + end
            for tok in tokens[count:]:
                if "_s" not in tok:
                    tok["_s"] = start
                    tok["_e"] = stop
                    if "_autolink" in tok:
                        # mistune drops "_autolink" when it cleans tokens up
                        tok["_auto"] = True
        return end

    return run


def _link_close_rule(func: InlineRule) -> InlineRule:
    def run(m: Match[str], state: InlineState) -> int | None:
        if not isinstance(state, PosInlineState):  # pragma: no cover - foreign state
            return func(m, state)
        base = state.base
        # Each ']' of the run closes (or discards) the innermost open bracket; a link or image token
        # is appended right after its opener was popped, so the opener is the bracket at the
        # position that is now the length of the bracket stack.
        closing = m.end() - m.start()
        brackets = state.brackets
        opened = brackets[-closing:]
        first_index = len(brackets) - len(opened)
        created: list[Token] = []

        def append_token(token: Token) -> None:
            if token["type"] in ("link", "image") and "_s" not in token:
                index = len(state.brackets) - first_index
                if 0 <= index < len(opened):
                    bracket = opened[index]
                    token["_s"] = base + bracket.start - (2 if bracket.image else 1)
                    close = m.start() + (len(opened) - 1 - index)
                    token["_e"] = base + close + 1
                    created.append(token)
            InlineState.append_token(state, token)

        setattr(state, "append_token", append_token)  # noqa: B010 - instance override for this call
        try:
            end = func(m, state)
        finally:
            delattr(state, "append_token")
        if created and end is not None and end > m.end():
            # the last link took a destination or a reference label after its ']'
            created[-1]["_e"] = base + end
        return end

    return run


# ---------------------------------------------------------------------------------------------
# positions: physical lines, container prefixes, inline offsets


class _Doc:
    """The document's physical lines plus the parsers' environment."""

    def __init__(self, text: str, line_offset: int, inline: PosInlineParser, env: Any) -> None:
        self.lines = text.split("\n")
        self.line_offset = line_offset
        self.inline = inline
        self.env = env

    def line(self, number: int) -> str:
        index = number - 1 - self.line_offset
        if index >= 0:
            try:
                return self.lines[index]
            except IndexError:
                pass
        return ""

    def clamp(self, number: int) -> int:
        first = 1 + self.line_offset
        last = self.line_offset + len(self.lines)
        return min(max(number, first), last)


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
        return self.first_line + k

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


def _inline_nodes(tokens: list[Token], imap: _InlineMap, cursor: int) -> tuple[list[Node], int]:
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
            append(Node("text", span(cursor, end), [], {}, raw))
            cursor = end
            continue
        children: list[Node] = []
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
        append(Node(kind, span(start, end), children, _attrs(tok), raw))
        if end > cursor:
            cursor = end
    return nodes, cursor


def _attrs(tok: Token) -> dict[str, Any]:
    kind = tok["type"]
    attrs = tok.get("attrs")
    attrs = dict(attrs) if attrs else {}
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
    return attrs


# ---------------------------------------------------------------------------------------------
# block tokens -> nodes


def _convert(tokens: list[Token], doc: _Doc, chain: Chain, default_line: int) -> list[Node]:
    nodes: list[Node] = []
    line = default_line
    for tok in tokens:
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
    children: list[Node] = []
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
        first = line + skipped
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
        children = _convert(tok["children"], doc, inner, line)
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
        return Node(kind, make_span(line, 1, end_line, len(last) + 1), children, attrs, raw)
    end_col = len(last.rstrip()) + 1
    if end_line == line and end_col < col:
        # a block of blanks only (mistune makes indented code of a document's first blank line)
        end_col = col
    return Node(kind, make_span(line, col, end_line, end_col), children, attrs, raw)


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


def _convert_table(tok: Token, doc: _Doc, chain: Chain, line: int) -> tuple[list[Node], int]:
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
    return out, max(end_line, line + 1)


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


def _parse_positioned(text: str, line_offset: int = 0, max_rule_depth: int = _MAX_RULE_DEPTH) -> list[Node]:
    """The positioned parse; may raise (``parse_markdown`` never does)."""
    if not text:
        return []
    block, inline = _parsers(max_rule_depth)
    block._rule_depth = 0
    state = PosBlockState()
    state.line0 = 1 + line_offset
    state.process(text if text.endswith("\n") else text + "\n")
    block.parse(state)
    doc = _Doc(text, line_offset, inline, state.env)
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


def parse_markdown(text: str, *, line_offset: int = 0) -> list[Node]:
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

    Never raises: on input that defeats the parser, a degraded line-based result is returned.
    """
    try:
        return _parse_positioned(text, line_offset)
    except RecursionError:
        pass
    except Exception:
        return _fallback(text, line_offset)
    try:
        return _parse_positioned(text, line_offset, _FALLBACK_RULE_DEPTH)
    except Exception:
        return _fallback(text, line_offset)
