"""Where a blank template puts each answer, what it leaves there, and the limits its prompts state.

A line every question's section has (quote markers and blanks aside) is the answer's marker
(``Answer:``, ``<!-- answer below -->``), or its placeholder when it reads like one (``{{YOUR ANSWER}}``,
``_Write your answer here_``, ``<NAME>``).  With neither, a section's blocks are all prompt and the answer
goes after them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from report_lint.init.scan import Section
from report_lint.layout import Limits, compile_re2, phrase_finder
from report_lint.sections import plain_text

_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)*")
_ANGLE_TOKEN = r"<[A-Z][A-Z0-9 _-]*>"
# a line that is only a placeholder: {{…}}, <NAME>[, <NAME>…], […], _…_ / *…*, --- … ---
_PLACEHOLDER_LINE = re.compile(
    r"^(?:\{\{.*\}\}|"
    + _ANGLE_TOKEN
    + r"(?:\s*,\s*"
    + _ANGLE_TOKEN
    + r")*|\[[^\]]*\]|[_*]+[^_*]+[_*]+|-{3,}.*-{3,})$"
)
_PLACEHOLDER_WORDS = re.compile(r"answer|write|fill|here|todo|name|your", re.I)
_ANGLE = re.compile(r"<[A-Z][A-Z0-9_]*(?: [A-Z0-9_]+)*>")
_BRACES = re.compile(r"\{\{[^{}\n]{1,60}\}\}")

# how templates state limits (RE2; the ones a template uses go into its pack's `structure.limits`)
PHRASES: tuple[tuple[str, str], ...] = (
    ("word range", r"(?i)(?P<min>\d+)\s*(?:-|–|—|to)\s*(?P<max>\d+)\s*words?"),
    ("word maximum", r"(?i)(?:max(?:imum)?\.?|at\s+most|up\s+to|no\s+more\s+than)\s*(?P<max>\d+)\s*words?"),
    ("word limit", r"(?i)word\s+limit\s*:?\s*(?P<max>\d+)"),
    ("word minimum", r"(?i)(?:min(?:imum)?\.?|at\s+least)\s*(?P<min>\d+)\s*words?"),
    (
        "figure range",
        r"(?i)(?P<images_min>\d+)\s*(?:-|–|—|to)\s*(?P<images_max>\d+)\s*(?:figures?|screenshots?|images?|plots?)",
    ),
    (
        "figure maximum",
        r"(?i)(?:at\s+most|up\s+to|max(?:imum)?\.?)\s*(?P<images_max>\d+)\s*(?:figures?|screenshots?|images?|plots?)",
    ),
    ("figure count", r"(?i)\b(?P<images_min>\d+)\s*(?:figures?|screenshots?|images?|plots?)\b"),
    (
        "figure in words",
        r"(?i)\b(?P<images_min>one|two|three|four|five|an?)\s+(?:figures?|screenshots?|images?|plots?)\b",
    ),
)
_FINDERS = [(name, pattern, phrase_finder(compile_re2(pattern))) for name, pattern in PHRASES]


def normalise(line: str) -> str:
    return " ".join(_QUOTE.sub("", line).split())


def re2_literal(text: str) -> str:
    """An RE2 pattern matching ``text`` as written, any run of blanks as one or more."""
    out = []
    for part in re.split(r"(\s+)", text):
        if part.isspace():
            out.append(r"\s+")
        else:
            out.append(re.sub(r"([\\.^$*+?{}\[\]|()])", r"\\\1", part))
    return "".join(out)


def placeholder_like(line: str) -> bool:
    return bool(_PLACEHOLDER_LINE.match(line)) and (
        bool(_PLACEHOLDER_WORDS.search(line)) or line.startswith(("{{", "<"))
    )


@dataclass
class Answers:
    start: str  # the structure's answer.start
    marker: str | None = None  # the marker line as written (normalised)
    marker_raw: str | None = None  # as the template writes it (for messages)
    placeholders: list[str] = field(default_factory=list)  # literal placeholder texts
    prompt_blocks: dict[int, int] = field(default_factory=dict)  # section index -> blocks before the answer
    notes: list[str] = field(default_factory=list)  # what to `# check:`


def _line_sets(section: Section, lines: list[str]) -> list[str]:
    return [
        normalise(lines[n - 1]) for n in range(section.first, section.last + 1) if normalise(lines[n - 1])
    ]


def find_answers(sections: list[Section], lines: list[str]) -> Answers:
    per_section = [_line_sets(s, lines) for s in sections]
    common = set(per_section[0]) if per_section else set()
    for found in per_section[1:]:
        common &= set(found)
    # in order of the first section's lines, the last common line is the likeliest marker
    ordered = [line for line in per_section[0] if line in common] if per_section else []
    placeholders = [line for line in ordered if placeholder_like(line)]
    markers = [line for line in ordered if not placeholder_like(line)]
    angle = sorted({m.group(0) for found in per_section for line in found for m in _ANGLE.finditer(line)})
    braces = sorted({m.group(0) for found in per_section for line in found for m in _BRACES.finditer(line)})
    if markers and len(sections) > 1:
        marker = markers[-1]
        raw = next(
            lines[n - 1].strip()
            for n in range(sections[0].first, sections[0].last + 1)
            if normalise(lines[n - 1]) == marker
        )
        return Answers("marker", marker, raw, _tokens(placeholders, angle, braces))
    if placeholders or angle or braces:
        blocks = {}
        for i, section in enumerate(sections):
            blocks[i] = _blocks_before_placeholder(section, lines)
        answers = Answers(
            "placeholder", placeholders=_tokens(placeholders, angle, braces), prompt_blocks=blocks
        )
        return answers
    answers = Answers("blocks", prompt_blocks={i: len(s.blocks) for i, s in enumerate(sections)})
    answers.notes.append(
        "no marker or placeholder line was found: the answer starts after each question's "
        "`prompt_blocks` blocks (all of the blank template's text)"
    )
    return answers


def _tokens(lines: list[str], angle: list[str], braces: list[str]) -> list[str]:
    """Whole placeholder lines, then the `<NAME>` and `{{…}}` tokens not already inside one of them."""
    out = list(dict.fromkeys(lines))
    for token in [*braces, *angle]:
        if not any(token in line for line in out):
            out.append(token)
    return out


def _blocks_before_placeholder(section: Section, lines: list[str]) -> int:
    """Blocks of the section before its first line holding a placeholder."""
    for count, block in enumerate(section.blocks):
        for n in range(block.span.line, block.span.end_line + 1):
            text = normalise(lines[n - 1])
            if placeholder_like(text) or _ANGLE.search(text) or _BRACES.search(text):
                return count
    return len(section.blocks)


@dataclass(frozen=True)
class Stated:
    words: tuple[int, int | None] | None  # (min, max); max None: at least
    images: tuple[int, int] | None
    phrases: tuple[tuple[str, str], ...]  # (phrase name, where) that found them


def stated(section: Section, lines: list[str]) -> Stated:
    """The limits a section's heading and prompt state (first words phrase, first figures phrase)."""
    texts = [("heading", plain_text(section.heading.node))]
    texts += [("prompt", lines[n - 1]) for n in range(section.first, section.last + 1)]
    words: tuple[int, int | None] | None = None
    images: tuple[int, int] | None = None
    used: list[tuple[str, str]] = []
    for where, text in texts:
        for name, _, finder in _FINDERS:
            lim: Limits | None = finder(text)
            if lim is None:
                continue
            if words is None and (lim.min_words is not None or lim.max_words is not None):
                words = (lim.min_words or 0, lim.max_words)
                used.append((name, where))
            if images is None and lim.min_images is not None:
                images = (lim.min_images, lim.max_images if lim.max_images is not None else lim.min_images)
                used.append((name, where))
            elif images is None and lim.max_images is not None:
                images = (0, lim.max_images)
                used.append((name, where))
    return Stated(words, images, tuple(used))


def phrase_pattern(name: str) -> str:
    return next(pattern for n, pattern, _ in _FINDERS if n == name)
