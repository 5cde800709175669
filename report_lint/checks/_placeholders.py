"""The pack's placeholder patterns, matched on an answer line the way a reader sees it.

Shared by ``unfilled-placeholder`` (which reports the matches) and ``group-info`` (which ignores them).

- Invisible format characters (Unicode category Cf: zero-width space and joiner, soft hyphen, word
  joiner, BOM …) are removed before matching, so ``fill<U+200B>here`` is still ``fill here``; every match
  is mapped back to its exact columns in the original line.
- A pattern may name the part to report ``(?P<match>…)``: the rest only gives context, e.g. the
  underscores of ``__XXX__`` where RE2's ASCII ``\\b`` finds no word boundary (``_`` is a word character).
- Patterns are RE2 (linear time); everything around them here is linear in the line's length too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import re2

from report_lint.checks.base import CheckContext
from report_lint.model import Report, SourceLine
from report_lint.packs.plain import PlaceholderSpec

_FORMAT = re2.compile(r"\p{Cf}")
_CACHE_KEY = "_placeholders.compiled"
MATCH_GROUP = "match"


@dataclass(frozen=True)
class Pattern:
    spec: PlaceholderSpec
    rx: Any  # a compiled RE2 pattern (case-insensitive)
    group: int  # the ``(?P<match>…)`` group to report, 0 for the whole match


def compiled(ctx: CheckContext) -> list[Pattern]:
    """The pack's placeholder patterns, compiled once per run."""
    cached: list[Pattern] | None = ctx.cache.get(_CACHE_KEY)
    if cached is None:
        cached = []
        for spec in ctx.pack.placeholders:
            try:
                rx = re2.compile("(?i)" + spec.pattern)
            except re2.error:  # the pack loader validates patterns; never crash a run on one
                continue
            cached.append(Pattern(spec, rx, int(rx.groupindex.get(MATCH_GROUP, 0))))
        ctx.cache[_CACHE_KEY] = cached
    return cached


_PREFILTER_KEY = "_placeholders.prefilter"
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def prefilter(cache: dict[str, Any], patterns: list[Pattern]) -> Any | None:
    """One RE2 pattern that matches somewhere in a text iff one of ``patterns`` does (None if it cannot
    be built; ``cache`` is the run's check cache): a line it does not match is skipped with one search
    instead of one per pattern (a real-shaped report's answer lines hold no placeholder; 5 RE2 calls a
    line were ~35 % of the rule).

    Each pattern keeps its own ``(?i)`` inside its own group; named groups (RE2 refuses a name twice)
    become plain groups, which changes captures only, never whether a pattern matches.
    """
    built: dict[tuple[int, ...], Any] = cache.setdefault(_PREFILTER_KEY, {})
    key = tuple(id(p) for p in patterns)
    if key in built:
        return built[key]
    combined = None
    parts: list[str] = []
    for p in patterns:
        text = p.spec.pattern
        # a "(?P<" after a backslash may be a literal parenthesis: leave such a pattern set unfiltered
        if any(text[m.start() - 1 : m.start()] == "\\" for m in _NAMED_GROUP.finditer(text)):
            parts = []
            break
        parts.append("(?:(?i)(?:" + _NAMED_GROUP.sub("(?:", text) + "))")
    if parts:
        try:
            combined = re2.compile("|".join(parts))
        except re2.error:
            combined = None
    built[key] = combined
    return combined


class VisibleText:
    """``text`` without its format characters, and the way back to ``text``'s indices."""

    __slots__ = ("_origin", "original", "text")

    def __init__(self, text: str) -> None:
        self.original = text
        cuts = [m.start() for m in _FORMAT.finditer(text)] if not text.isascii() else []
        if not cuts:
            self.text = text
            self._origin: list[int] | None = None
            return
        cut = set(cuts)
        self._origin = [i for i in range(len(text)) if i not in cut]
        self.text = "".join(text[i] for i in self._origin)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original indices of the visible ``text[start:end]`` (``end > start``)."""
        if self._origin is None:
            return start, end
        return self._origin[start], self._origin[end - 1] + 1


def visible(text: str) -> str:
    """``text`` as a reader sees it: format characters removed."""
    return _FORMAT.sub("", text) if not text.isascii() else text


def find(pattern: Pattern, view: VisibleText) -> Iterator[tuple[int, int]]:
    """Original ``(start, end)`` of each non-empty match of ``pattern`` in ``view``, in order."""
    for match in pattern.rx.finditer(view.text):
        start, end = match.span(pattern.group)
        if start < 0:  # the named group did not take part: report the whole match
            start, end = match.span()
        if end > start:
            yield view.span(start, end)


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each of the (ordered, disjoint) ``spans`` replaced by spaces; columns kept."""
    if not spans:
        return text
    pieces = []
    at = 0
    for start, end in spans:
        start = max(start, at)
        if end <= start:
            continue
        pieces.append(text[at:start])
        pieces.append(" " * (end - start))
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


class Taken:
    """Which characters of a line a reported placeholder already covers (a later pattern's overlapping
    match is not reported twice).  Checking and marking cost the match's length: linear per pattern,
    as each pattern's matches do not overlap one another."""

    __slots__ = ("_used",)

    def __init__(self, length: int) -> None:
        self._used = bytearray(length + 1)

    def claim(self, start: int, end: int) -> bool:
        """Mark ``[start, end)`` taken unless any of it already is; whether it was free."""
        if self._used.find(1, start, end) >= 0:
            return False
        self._used[start:end] = b"\x01" * (end - start)
        return True


def mask_code(report: Report, line: SourceLine) -> str:
    """``line.text`` with the report's inline code spans replaced by spaces (columns kept)."""
    ranges = report.code_columns(line.number)
    if not ranges:
        return line.text
    spans = []
    size = len(line.text)
    for first, after in ranges:
        start = max(first - line.start_column, 0)
        end = size if after is None else min(after - line.start_column, size)
        if end > start:
            spans.append((start, end))
    return blank(line.text, spans)
