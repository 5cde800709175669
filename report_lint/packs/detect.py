"""Which template a report was written from: question count, wording, stated limits."""

from __future__ import annotations

import re

from report_lint.packs.loader import builtin_packs
from report_lint.packs.plain import Pack

_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*(?:\*\*)?Question[ \t]*(\d+)", re.I | re.M)
_LIMITS = re.compile(r"answer\s+length\s*:\s*(\d+)\s*[-–]\s*(\d+)", re.I)
_SPACE = re.compile(r"\s+")
# a winning score at or below this is a poor match (e.g. a file that is no report: no questions)
POOR_SCORE = 0


def _question_limits(text: str) -> dict[int, tuple[int, int]]:
    found: dict[int, tuple[int, int]] = {}
    matches = list(_HEADING.finditer(text))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        limit = _LIMITS.search(text, match.end(), end)
        if limit:
            found.setdefault(int(match.group(1)), (int(limit.group(1)), int(limit.group(2))))
    return found


def score(pack: Pack, text: str, folded: str, numbers: set[int], limits: dict[int, tuple[int, int]]) -> int:
    spec = pack.detect
    if spec is None:
        return -(10**6)
    points = spec.priority
    if spec.question_count is not None:
        top = max(numbers, default=0)
        if top == spec.question_count or len(numbers) == spec.question_count:
            points += 100
        else:
            points -= 10 * min(abs(top - spec.question_count), abs(len(numbers) - spec.question_count))
    for phrase in spec.phrases:
        if _SPACE.sub(" ", phrase.lower()) in folded:
            points += 20
    for number, rng in spec.stated_words.items():
        if limits.get(number) == (rng.min, rng.max):
            points += 20
    return points


def detect_pack(text: str) -> Pack:
    """The best-scoring built-in pack; ties go to the higher priority, then the name."""
    return detect_scored(text)[0]


def detect_scored(text: str) -> tuple[Pack, int]:
    """:func:`detect_pack` and the winner's score: at or below :data:`POOR_SCORE` nothing fit well
    (the question count is off and no template phrase or stated limit made up for it)."""
    numbers = {int(n) for n in _HEADING.findall(text)}
    folded = _SPACE.sub(" ", text.lower())
    limits = _question_limits(text)
    best: tuple[int, str] | None = None
    best_pack: Pack | None = None
    packs = builtin_packs()  # validated once, then from memory or the cache (see loader.py)
    for name in sorted(packs):
        pack = packs[name]
        if not isinstance(pack, Pack):  # abstract packs and fragments are not candidates
            continue
        key = (score(pack, text, folded, numbers, limits), name)
        if best is None or key[0] > best[0]:
            best, best_pack = key, pack
    if best is None or best_pack is None:
        raise LookupError("no built-in rule pack could be loaded")
    return best_pack, best[0]
