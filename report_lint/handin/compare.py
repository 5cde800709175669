"""Compare two structures and say where they differ.

Two renderings *agree* when their :meth:`Structure.signature` is equal: the same list tree (list kinds and
start numbers, item counts, nesting) and the same sequence of leaves (kind and key).  When they do not,
elements are paired to find each difference: first by kind, key and text hint, then by kind and key, then
by kind alone (a pair that differs only in key is a *changed* element), always in document order
(``difflib.SequenceMatcher`` on each gap the previous pass left).  What stays unpaired exists on one side
only.  Hand-in-only elements have no source line of their own (Python-Markdown keeps none): they are found
in the source by their text after the line of the element paired before them, and one that falls inside a
GitHub-only element's lines is the same difference seen from the other side (a fenced block's ``# comment``
line becomes a heading on the hand-in), so it is not reported twice.

Whenever the signatures differ at least one difference is returned; when they are equal, none.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal
from urllib.parse import unquote

from .structure import Elem, Structure, norm

Side = Literal["github", "handin", "changed"]


@dataclass(frozen=True)
class Difference:
    side: Side  # "github": only GitHub shows it; "handin": only the hand-in does; "changed": both, unlike
    kind: str
    line: int
    end_line: int
    github: Elem | None
    handin: Elem | None
    # hand-in elements this difference explains (e.g. the items a flattened nested list became)
    absorbed: tuple[Elem, ...] = ()


Key = Callable[[Elem], object]
_WINDOW = 400  # source lines searched for a hand-in-only element after its neighbour's line
_PASSES: tuple[Key, ...] = (
    lambda e: (e.kind, e.key, e.hint),
    lambda e: (e.kind, e.key),
    lambda e: e.kind,
)


def _matching_blocks(a: Sequence[object], b: Sequence[object]) -> list[tuple[int, int, int]]:
    """``SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()`` without its closing empty
    block.  When one side has a single element the answer is known without building the matcher: the
    longest match is that element's first occurrence on the other side (difflib's tie-break: lowest index
    in ``a``, then in ``b``), or none.  Most gaps the passes leave are of that shape (a list the hand-in
    split or merged, one code block that became a heading), and the matcher's set-up costs ≈ 5 µs each.
    A property test holds this to difflib."""
    if len(a) == 1:
        try:
            return [(0, list(b).index(a[0]), 1)]
        except ValueError:
            return []
    if len(b) == 1:
        try:
            return [(list(a).index(b[0]), 0, 1)]
        except ValueError:
            return []
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return [(block.a, block.b, block.size) for block in blocks if block.size]


def _pair(
    ours: Sequence[Elem], theirs: Sequence[Elem], passes: Sequence[Key] = _PASSES
) -> list[tuple[int | None, int | None]]:
    """Document-order pairing of two sequences; (i, None) / (None, j) for unpaired elements."""
    result: list[tuple[int | None, int | None]] = []

    def gap(i1: int, i2: int, j1: int, j2: int, level: int) -> None:
        if i1 == i2 or j1 == j2 or level == len(passes):
            result.extend((i, None) for i in range(i1, i2))
            result.extend((None, j) for j in range(j1, j2))
            return
        key = passes[level]
        ours_keys = [key(e) for e in ours[i1:i2]]
        theirs_keys = [key(e) for e in theirs[j1:j2]]
        if ours_keys == theirs_keys:  # the common case: nothing to search for
            result.extend((i1 + k, j1 + k) for k in range(i2 - i1))
            return
        i, j = i1, j1
        for a_at, b_at, size in _matching_blocks(ours_keys, theirs_keys):
            a, b = i1 + a_at, j1 + b_at
            gap(i, a, j, b, level + 1)
            result.extend((a + k, b + k) for k in range(size))
            i, j = a + size, b + size
        gap(i, i2, j, j2, level + 1)

    gap(0, len(ours), 0, len(theirs), 0)
    return result


class _Locator:
    """Finds a hand-in-only element's source line from its text."""

    def __init__(self, lines: Sequence[tuple[int, str]]) -> None:
        self.source = lines
        self.numbers = [number for number, _ in lines]
        self._folded: dict[int, str] = {}  # index -> norm(text), computed for the lines searched

    def _norm(self, index: int) -> str:
        folded = self._folded.get(index)
        if folded is None:
            folded = self._folded[index] = norm(self.source[index][1])
        return folded

    def find(self, elem: Elem, after: int) -> int:
        needle = elem.hint if elem.kind not in ("image", "link", "html") else elem.key
        start = bisect_left(self.numbers, after)
        window = range(start, min(start + _WINDOW, len(self.source)))  # bounded: found near its neighbour
        if needle:
            for index in window:
                number, raw = self.source[index]
                if elem.kind in ("image", "link", "html"):
                    if needle in raw or needle in _decoded(raw):
                        return number
                elif needle in self._norm(index):
                    return number
        for index in window:
            number, raw = self.source[index]
            if raw.strip():
                return number
        return after


def _decoded(raw: str) -> str:
    return unquote(raw)


class _Differ:
    def __init__(self, locator: _Locator, first_line: int) -> None:
        self.locator = locator
        self.first_line = first_line
        self.out: list[Difference] = []
        self.located: list[tuple[int, Elem]] = []  # hand-in-only elements with the line found

    def github_only(self, elem: Elem) -> None:
        self.out.append(Difference("github", elem.kind, elem.line, max(elem.end_line, elem.line), elem, None))

    def handin_only(self, elem: Elem, after: int) -> None:
        line = self.locator.find(elem, after)
        self.located.append((line, elem))

    def sequence(self, ours: Sequence[Elem], theirs: Sequence[Elem], parent_line: int) -> None:
        after = parent_line
        for i, j in _pair(ours, theirs):
            if i is not None and j is not None:
                gh, pm = ours[i], theirs[j]
                after = gh.line or after
                if gh.key != pm.key:
                    self.out.append(
                        Difference("changed", gh.kind, gh.line, max(gh.end_line, gh.line), gh, pm)
                    )
                if gh.kind in ("list", "item") and gh.signature() != pm.signature():
                    self.sequence(gh.children, pm.children, gh.line)
            elif i is not None:
                self.github_only(ours[i])
                after = ours[i].line or after
            elif j is not None:
                self.handin_only(theirs[j], after)

    def finish(self) -> list[Difference]:
        spans = [d for d in self.out if d.side == "github"]
        extra: dict[int, list[Elem]] = {}
        for line, elem in self.located:
            owner = next((k for k, d in enumerate(spans) if d.line <= line <= d.end_line), None)
            if owner is None:
                self.out.append(Difference("handin", elem.kind, line, line, None, elem))
            else:
                extra.setdefault(owner, []).append(elem)
        result = []
        # by identity: ``spans.index`` compared the frozen dataclasses field by field, once per difference
        index_of = {id(diff): index for index, diff in enumerate(spans)}
        for diff in self.out:
            if diff.side == "github":
                index = index_of[id(diff)]
                if index in extra:
                    diff = Difference(
                        diff.side, diff.kind, diff.line, diff.end_line, diff.github, None, tuple(extra[index])
                    )
            result.append(diff)
        result.sort(key=lambda d: (d.line, d.end_line, d.kind))
        return result


def differences(
    github: Structure, handin: Structure, lines: Sequence[tuple[int, str]], first_line: int
) -> list[Difference]:
    """Where ``handin`` shows ``github``'s structure differently.  ``lines`` are the (number, text) source
    lines the hand-in side was rendered from; ``first_line`` is the first of them."""
    if github.signature() == handin.signature():
        return []
    differ = _Differ(_Locator(lines), first_line)
    differ.sequence(github.lists, handin.lists, first_line)
    differ.sequence(github.leaves, handin.leaves, first_line)
    found = differ.finish()
    if not found:  # pairing is exact, so this cannot happen; never let a difference pass unreported
        found = [Difference("changed", "structure", first_line, first_line, None, None)]
    return found
