"""``prose_words`` skips a pattern whose literal the text lacks and a regex search for a plain
alphanumeric token; on generated answers it counts exactly what running every pattern counts."""

from __future__ import annotations

import re

import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from report_lint.counting import prose_words
from report_lint.model import SourceLine

# the reference: every pattern on every text, a regex search for every token (the rule as it was)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_IMAGE = re2.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re2.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^<>\s]*>", re.I)
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_PLACEHOLDER = re2.compile(r"(?i)`*-{3,}[^\n]*?fill\s+here[^\n]*?-{3,}`*")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_BREAK = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_JOINERS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_WORD = re.compile(r"\w", re.UNICODE)


def reference(lines: list[SourceLine]) -> int:
    kept = []
    for line in lines:
        if line.in_code:
            continue
        text = _QUOTE.sub("", line.text)
        if _BREAK.match(text):
            continue
        kept.append(text)
    text = "\n".join(kept).translate(_JOINERS)
    for pattern, repl in (
        (_COMMENT, " "),
        (_PLACEHOLDER, " "),
        (_IMAGE, " "),
        (_LINK, r" \1 "),
        (_AUTOLINK, " "),
        (_URL, " "),
        (_TAG, " "),
    ):
        text = pattern.sub(repl, text)
    return sum(1 for token in text.split() if _WORD.search(token))


PIECES = [
    "word",
    "Wörd",
    "42",
    "_",
    "__",
    "-",
    "---",
    " ",
    "\t",
    "\u00a0",
    "\u200b",
    "é",
    "日本",
    "!",
    "[",
    "]",
    "(",
    ")",
    "![a](b.png)",
    "[t](u)",
    "<!--",
    "-->",
    "<",
    ">",
    "<b>",
    "</i>",
    "<http://x.y>",
    "http://a.b/c",
    "WWW.x.org",
    "www.",
    "://",
    "fill here",
    "FILL  HERE",
    "> ",
    ">",
    "`",
    "*",
    "…",
    "x_y",
    "٣",
    "½",
    "²",
]
LINE = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(LINE, st.booleans()), max_size=6))
def test_prose_words_counts_what_every_pattern_counts(rows: list[tuple[str, bool]]) -> None:
    lines = [SourceLine(i + 1, text, 1, in_code) for i, (text, in_code) in enumerate(rows)]
    assert prose_words(lines) == reference(lines)
