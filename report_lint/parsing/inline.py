"""The inline layer: mistune's inline parser and state, stamping tokens with offsets in the inline
source (see ``markdown``)."""

from __future__ import annotations

from collections.abc import Callable
from re import Match
from typing import Any

from mistune.core import InlineState
from mistune.helpers import parse_link_href
from mistune.inline_parser import InlineParser

from .blocks import Token

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
                    dest = None if "ref" in token else _destination(state.src, close + 1)
                    if dest is not None:  # where the URL is written: what a fix rewrites
                        token["_ds"], token["_de"] = base + dest[0], base + dest[1]
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


def _destination(src: str, pos: int) -> tuple[int, int] | None:
    """``[start, end)`` of an inline link's destination (``<…>`` included) when ``src[pos]`` opens its
    ``(…)``, found as mistune's own ``parse_link`` finds it (same leading blanks, same href scan)."""
    if not src.startswith("(", pos):
        return None
    start = pos + 1
    while start < len(src) and src[start] in " \t":
        start += 1
    if start < len(src) and src[start] == "\n":
        start += 1
        while start < len(src) and src[start] in " \t":
            start += 1
    href, end = parse_link_href(src, pos + 1)
    if href is None or end is None or end < start:
        return None
    return start, end
