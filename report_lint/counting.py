"""Word counts of an answer as a reader sees it (``prose`` mode).

The ``official`` count is the course checker's (``official.py``); this one counts the words of the
rendered answer: no code blocks, URLs, image markup, HTML comments, tags or placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import re2

from report_lint.model import SourceLine

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# these three rescan a long line from every start on Python's `re` (a 100 KB line of `---a ` took 30 s);
# RE2 finds the same leftmost-first matches in linear time
_IMAGE = re2.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re2.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^<>\s]*>", re.I)  # no `<` inside, as CommonMark
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+", re.I)
# no `<` inside a tag: a line of unclosed `<a <a <a` must not be rescanned from every `<` (quadratic)
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_PLACEHOLDER = re2.compile(r"(?i)`*-{3,}[^\n]*?fill\s+here[^\n]*?-{3,}`*")
QUOTE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)+")
THEMATIC_BREAK = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# zero-width characters that join, never separate, words
_JOINERS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_WORD = re.compile(r"\w", re.UNICODE)


def prose_words(lines: Iterable[SourceLine]) -> int:
    """Words of the rendered answer: tokens holding at least one letter or digit."""
    kept = []
    for line in lines:
        if line.in_code:
            continue
        text = QUOTE_PREFIX.sub("", line.text)
        if THEMATIC_BREAK.match(text):
            continue
        kept.append(text)
    text = "\n".join(kept).translate(_JOINERS)
    # Each pattern needs a literal the text usually lacks: a sub is skipped (same text) when the text at
    # that step has none, which saves most of these regex passes (RE2's also encode the whole text).
    if "<!--" in text:
        text = _COMMENT.sub(" ", text)
    if "---" in text:
        text = _PLACEHOLDER.sub(" ", text)
    if "![" in text:
        text = _IMAGE.sub(" ", text)
    if "](" in text:
        text = _LINK.sub(r" \1 ", text)
    if "<" in text:
        text = _AUTOLINK.sub(" ", text)
    if "://" in text or "www." in text.lower():
        text = _URL.sub(" ", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    # a token made only of letters and digits (most) holds a word character: no regex search for it
    return sum(1 for token in text.split() if token.isalnum() or _WORD.search(token))
