"""Matching a checklist item to the rule describing it: module tag plus key phrases.

The item text is folded to lowercase alphanumeric words (so case, punctuation, backticks, bold and
line wrapping do not matter).  A rule's phrase matches when all its words occur in the item, in any
order (a word ending in ``*`` is a prefix); the longest matching phrase scores, agreeing module tags add
to the score and contradicting ones subtract.  Words appended by students (names, "done") only add
words, so they never break a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from report_lint.model import ChecklistItem
from report_lint.packs.plain import ChecklistRule, ChecklistSpec, phrase_words

_TAG_RE = re.compile(r"\(\s*(M\s*\d+(?:\s*[+,/&]\s*M\s*\d+)*)\s*\)", re.IGNORECASE)
_MODULE_RE = re.compile(r"M\s*(\d+)", re.IGNORECASE)
_WORD_RE = re.compile(r"[a-z0-9]+")

MODULE_BONUS = 2

# score_rule runs items x rules x phrases times: fold each phrase once
_phrase_words = lru_cache(maxsize=8192)(phrase_words)


def item_modules(item: ChecklistItem) -> tuple[str, ...]:
    """The item's module tags, from the model or, failing that, from ``(M5)`` groups in the text."""
    if item.modules:
        return tuple(m.upper().replace(" ", "") for m in item.modules)
    found: list[str] = []
    for tag in _TAG_RE.findall(item.text):
        found += [f"M{int(n)}" for n in _MODULE_RE.findall(tag)]
    return tuple(found)


def item_words(text: str) -> frozenset[str]:
    """The folded words of an item's text, module tags removed."""
    text = _TAG_RE.sub(" ", text).lower().replace("&", " and ")
    return frozenset(_WORD_RE.findall(text))


def _phrase_matches(words: tuple[str, ...], item: frozenset[str]) -> bool:
    for word in words:
        if word in item:
            continue
        if not word.endswith("*"):
            return False
        stem = word[:-1]
        if not any(w.startswith(stem) for w in item):
            return False
    return True


@dataclass(frozen=True)
class Match:
    rule: ChecklistRule
    score: int
    phrase: str


def score_rule(rule: ChecklistRule, words: frozenset[str], modules: tuple[str, ...]) -> Match | None:
    for phrase in rule.not_phrases:
        if _phrase_matches(_phrase_words(phrase), words):
            return None
    best: tuple[int, str] | None = None
    for phrase in rule.phrases:
        pw = _phrase_words(phrase)
        if _phrase_matches(pw, words) and (best is None or len(pw) > best[0]):
            best = (len(pw), phrase)
    if best is None:
        return None
    score = best[0]
    if modules and rule.modules:
        score += MODULE_BONUS if set(modules) & set(rule.modules) else -MODULE_BONUS
    return Match(rule, score, best[1])


class _Candidates:
    """Which rules can match an item at all, from its words (an index built once per spec).

    A phrase matches only when each of its plain words is among the item's, so a phrase with a plain
    word is filed under its first one; a rule none of whose phrases can match scores None whatever
    its ``not_phrases`` say.  Rules are kept in ``spec.rules`` order (the first best one wins)."""

    def __init__(self, spec: ChecklistSpec) -> None:
        self.spec = spec  # held, so that the id keying this index is not reused while it lives
        self.by_word: dict[str, set[int]] = {}
        always: set[int] = set()
        for i, rule in enumerate(spec.rules):
            for phrase in rule.phrases:
                plain = [w for w in _phrase_words(phrase) if not w.endswith("*")]
                if plain:
                    self.by_word.setdefault(plain[0], set()).add(i)
                else:
                    always.add(i)
        self.always = frozenset(always)

    def rules(self, words: frozenset[str]) -> list[ChecklistRule]:
        found = set(self.always)
        for word in words:
            hit = self.by_word.get(word)
            if hit:
                found |= hit
        rules = self.spec.rules
        return [rules[i] for i in sorted(found)]


_INDEXES: dict[int, _Candidates] = {}


def _candidates(spec: ChecklistSpec) -> _Candidates:
    index = _INDEXES.get(id(spec))
    if index is None or index.spec is not spec:
        if len(_INDEXES) > 32:  # a long-lived process (the language server) reloading packs
            _INDEXES.clear()
        index = _INDEXES[id(spec)] = _Candidates(spec)
    return index


def match_item(item: ChecklistItem, spec: ChecklistSpec) -> Match | None:
    """The best-matching rule for ``item``, or None."""
    words = item_words(item.text)
    modules = item_modules(item)
    best: Match | None = None
    for rule in _candidates(spec).rules(words):
        m = score_rule(rule, words, modules)
        if m is None or m.score < spec.min_words:
            continue
        if best is None or m.score > best.score:
            best = m
    return best


def match_rule_id(item: ChecklistItem, spec: ChecklistSpec) -> str | None:
    m = match_item(item, spec)
    return None if m is None else m.rule.id
