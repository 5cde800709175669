"""The block layer: mistune's block parser and state, stamping every block token with its line
(see ``markdown`` for how lines and columns are found)."""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from collections.abc import Callable
from re import Match
from typing import Any

from mistune import list_parser as _mistune_lists
from mistune.block_parser import BlockParser
from mistune.core import BlockState

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
        # mistune's list-item break regex by leading width (see ``_list_break_sc``)
        self.list_break_sc: dict[int, re.Pattern[str]] = {}

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


# mistune builds the regex of the block starts that end a list item once per list item: it joins six
# block rules' patterns (~1.5 KB) and looks the result up in `re`'s cache, ~30 us an item, 5 ms of a
# real-shaped report's 26 ms parse.  The regex depends only on the parser's rules (fixed once its plugins
# are installed, before any parse) and the item's leading width, so our parsers keep each one; any
# other mistune parser in the process gets mistune's own function.
_compile_list_break_sc = _mistune_lists._compile_list_break_sc


def _list_break_sc(block: BlockParser, leading_width: int) -> re.Pattern[str]:
    if not isinstance(block, PosBlockParser):
        return _compile_list_break_sc(block, leading_width)
    known = block.list_break_sc.get(leading_width)
    if known is None:
        known = block.list_break_sc[leading_width] = _compile_list_break_sc(block, leading_width)
    return known


_mistune_lists._compile_list_break_sc = _list_break_sc
