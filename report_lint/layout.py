"""A pack's ``structure:`` compiled for the report builder (see ``packs/structure.py``).

The DTU template's layout is the default, and its exact pattern strings run on the builder's
long-standing Python regexes (Unicode ``\\s``/``\\d``, the marker's linear prefix walk, the inline
``Answer:`` a formatter joined onto a prompt line), so DTU output stays what it was; any other pattern
runs on RE2 (a pack may come from the linted repository: linear time whatever it says).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import re2

from report_lint.packs.plain import DTU_HEADING, DTU_LIMITS, DTU_MARKER, MAX_QUESTIONS, Pack, StructureSpec


class Match(Protocol):
    def start(self, group: int | str = 0, /) -> int: ...
    def end(self, group: int | str = 0, /) -> int: ...
    def group(self, group: int | str = 0, /) -> Any: ...


# group 2 is stripped by its users: a lazy `(.*?)\s*$` rescans trailing spaces at every step (quadratic
# on a heading holding a long run of spaces), and two optional `\s*` in a row split a run every way
_DTU_QUESTION = re.compile(r"^\s*(?:(?:\*\*|__)\s*)?Question\s*(\d+)\b[\s:.)\]-]*(.*)$", re.I)
_DTU_MARKER = re.compile(DTU_MARKER)
_DTU_INLINE_MARKER = re.compile(r"(?<![\w-])[*_]{0,2}Answer[*_]{0,2}:[*_]{0,2}")
_DTU_LIMITS = re.compile(
    r"answer\s+length\s*:\s*(\d+)\s*[-–]\s*(\d+)\s*words?"
    r"(?:\s*\+\s*(\d+)(?:\s*(?:to|-|–)\s*(\d+))?\s*(?:screenshots?|images?|figures?))?",
    re.I,
)
_SEPARATORS = " \t\n\r\f\v:.)]-"


@dataclass(frozen=True)
class Limits:
    """What one stated-limit phrase gives: words and figures (None: not stated), and where it is."""

    text: str
    start: int
    end: int
    min_words: int | None = None
    max_words: int | None = None
    min_images: int | None = None
    max_images: int | None = None


# a limit phrase's group may hold a number word: "Upload one image", "Include a figure"
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _int(value: str | None) -> int | None:
    if not value:
        return None
    word = _NUMBER_WORDS.get(value.lower())
    return word if word is not None else int(value)


def _dtu_limits(text: str) -> Limits | None:
    match = _DTU_LIMITS.search(text)
    if match is None:
        return None
    lo_img = int(match.group(3)) if match.group(3) else None
    hi_img = int(match.group(4)) if match.group(4) else lo_img
    return Limits(
        match.group(0), match.start(), match.end(), int(match.group(1)), int(match.group(2)), lo_img, hi_img
    )


def phrase_finder(pattern: Any) -> Callable[[str], Limits | None]:
    names = set(pattern.groupindex)

    def get(match: Match, name: str) -> str | None:
        return match.group(name) if name in names else None

    def find(text: str) -> Limits | None:
        for match in pattern.finditer(text):
            lo, hi = _int(get(match, "min")), _int(get(match, "max"))
            if hi is not None and lo is None:
                lo = 0  # "max 150 words"
            lo_img, hi_img = _int(get(match, "images_min")), _int(get(match, "images_max"))
            if lo_img is not None and hi_img is None:
                hi_img = lo_img  # "1 figure"
            elif hi_img is not None and lo_img is None:
                lo_img = 0  # "at most 2 figures"
            if lo is None and hi is None and lo_img is None:
                continue
            return Limits(match.group(0), match.start(), match.end(), lo, hi, lo_img, hi_img)
        return None

    return find


def quote_prefix_end(line: str) -> int:
    """Where a marker may start in ``line``: after ``^[ \t]*(?:>[ \t]?)*[ \t]*``, walked greedily.

    As a regex that prefix splits a run of blanks between its first and last ``[ \t]*`` every way
    before failing (a line of 20k spaces took 17 s). A marker starts with none of `` \t>``, so the
    prefix is the whole run of those characters, and the greedy walk accepts what the regex accepts."""
    size = len(line)
    at = 0
    while at < size and line[at] in " \t":
        at += 1
    while at < size and line[at] == ">":
        at += 1
        if at < size and line[at] in " \t":
            at += 1
    while at < size and line[at] in " \t":
        at += 1
    return at


@dataclass
class Layout:
    """How to find one template's questions and answers."""

    spec: StructureSpec
    dtu_heading: bool
    heading_re: Any
    marker_re: Any  # None: no marker line
    inline_marker: bool
    end_marker: Any
    limit_finders: list[tuple[str, Callable[[str], Limits | None]]]
    placeholder_res: list[Any]
    keys: dict[str, int]  # label as written -> question key (packs with dotted numbers)
    prompt_blocks: dict[int, int]
    unknown: dict[str, int] = field(default_factory=dict)

    @property
    def start(self) -> str:
        return self.spec.answer.start

    def heading(self, text: str) -> tuple[str, str] | None:
        """(number as written, free text after it) when ``text`` is a question heading's text."""
        if self.dtu_heading:
            match = _DTU_QUESTION.match(text)
            return (match.group(1), match.group(2).strip()) if match else None
        stripped = text.lstrip()
        found = self.heading_re.match(stripped)
        if found is None or not found.group("number"):
            return None
        return found.group("number"), stripped[found.end() :].lstrip(_SEPARATORS).strip()

    def key(self, label: str) -> int:
        """The question key of a number as written: itself when whole, its pack position when dotted."""
        if not self.keys and label.isdigit():
            return int(label)
        if label in self.keys:
            return self.keys[label]
        # a number the pack does not list: a key past every listed one, stable within the report
        return self.unknown.setdefault(label, MAX_QUESTIONS + 1 + len(self.unknown))

    def marker_at(self, line: str) -> Match | None:
        """The marker opening ``line`` after its quote prefix and blanks (see ``build.marker_at``)."""
        if self.marker_re is None:
            return None
        found: Match | None = self.marker_re.match(line, quote_prefix_end(line))
        return found

    def inline_markers(self, line: str) -> list[re.Match[str]]:
        return list(_DTU_INLINE_MARKER.finditer(line)) if self.inline_marker else []

    def ends(self, line: str) -> bool:
        return self.end_marker is not None and self.end_marker.search(line) is not None

    def limits(self, where: str, text: str) -> list[Limits]:
        """Each phrase's first statement in ``text`` (phrases searching ``where``)."""
        out = []
        for place, finder in self.limit_finders:
            if place == where:
                found = finder(text)
                if found is not None:
                    out.append(found)
        return out

    def placeholders(self, text: str) -> list[tuple[int, int]]:
        """Where the template's answer placeholders are in ``text``, in order, not overlapping."""
        spans: list[tuple[int, int]] = []
        for pattern in self.placeholder_res:
            spans.extend(m.span() for m in pattern.finditer(text) if m.end() > m.start())
        spans.sort()
        out: list[tuple[int, int]] = []
        for start, end in spans:
            if not out or start >= out[-1][1]:
                out.append((start, end))
        return out


def compile_re2(pattern: str) -> Any:
    options = re2.Options()
    options.log_errors = False
    return re2.compile(pattern, options)


def compile_layout(spec: StructureSpec, *, keys: dict[str, int], prompt_blocks: dict[int, int]) -> Layout:
    marker = spec.answer.marker
    dtu_marker = marker == DTU_MARKER
    finders: list[tuple[str, Callable[[str], Limits | None]]] = [
        (
            phrase.where,
            _dtu_limits if phrase.pattern == DTU_LIMITS else phrase_finder(compile_re2(phrase.pattern)),
        )
        for phrase in spec.limits
    ]
    return Layout(
        spec=spec,
        dtu_heading=spec.heading.pattern == DTU_HEADING,
        heading_re=compile_re2(spec.heading.pattern),
        marker_re=None if marker is None else (_DTU_MARKER if dtu_marker else compile_re2(marker)),
        inline_marker=dtu_marker,
        end_marker=compile_re2(spec.answer.end_marker) if spec.answer.end_marker else None,
        limit_finders=finders,
        placeholder_res=[compile_re2(p) for p in spec.placeholders],
        keys=keys,
        prompt_blocks=prompt_blocks,
    )


_CACHE: dict[int, tuple[Pack, Layout]] = {}


def layout_of(pack: Pack | None) -> Layout:
    """The layout of ``pack``, the DTU template's without one.

    Compiled once per pack; the numbers a pack does not list get their keys per report."""
    if pack is None:
        return compile_layout(StructureSpec(course_checker=True), keys={}, prompt_blocks={})
    cached = _CACHE.get(id(pack))
    if cached is None or cached[0] is not pack:
        keys = {label: key for key, label in pack.labels.items()}
        blocks = {n: q.prompt_blocks for n, q in pack.questions.items() if q.prompt_blocks is not None}
        if len(_CACHE) > 32:
            _CACHE.clear()
        cached = (pack, compile_layout(pack.structure, keys=keys, prompt_blocks=blocks))
        _CACHE[id(pack)] = cached
    return replace(cached[1], unknown={})
