"""The parsed report: built once from the text, read by every check.

Checks never look at raw text beyond what is here; everything carries a 1-based
:class:`~report_lint.parsing.nodes.Span` in document lines (see ``parsing.nodes``).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from report_lint.parsing.nodes import Node, Span

CheckState = Literal["checked", "unchecked", "partial"]
ImageSyntax = Literal["markdown", "html", "unrendered"]


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A physical line (or the tail of one) of the report.

    ``start_column`` is the 1-based column of ``text[0]`` in the physical line, so a match at
    ``text[i]`` sits at column ``start_column + i``.
    """

    number: int
    text: str
    start_column: int = 1
    in_code: bool = False


@dataclass(frozen=True)
class FrontMatter:
    span: Span
    text: str


@dataclass(frozen=True)
class ChecklistItem:
    state: CheckState
    mark: str  # the box or emoji as written: "[x]", "[X]", "[ ]", "[✅]", "❌", "[~]" …
    text: str  # plain item text, markup stripped, wrapped lines joined with one space
    module_tag: str | None  # "M5", "M2+M6" as written in the trailing parenthesis
    modules: tuple[str, ...]  # ("M2", "M6")
    span: Span
    section: str | None  # the heading above it, e.g. "Week 1"

    @property
    def checked(self) -> bool:
        return self.state == "checked"


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    span: Span
    # "unrendered": looks like an image to the course checker's regex but CommonMark does not
    # render it (e.g. a raw space in the path)
    syntax: ImageSyntax
    question: int | None
    in_prompt: bool
    # where the path is written (inside the parentheses, ``<…>`` included): what a fix rewrites;
    # None for HTML images and reference-style images
    dest: Span | None = None


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    span: Span
    question: int | None
    in_prompt: bool
    dest: Span | None = None  # where the URL is written, as for :class:`Image`


@dataclass(frozen=True)
class StatedLimits:
    """What the prompt says: "Recommended answer length: 200-300 words + 1 to 3 screenshots"."""

    text: str
    span: Span
    min_words: int | None = None
    max_words: int | None = None
    min_images: int | None = None
    max_images: int | None = None


@dataclass(frozen=True)
class OfficialAnswer:
    """One answer exactly as the course checker slices it (see ``official.py``)."""

    index: int  # 0-based position in the checker's answer list
    text: str
    words: int
    images: int
    line: int  # document line where the slice starts (the line holding "Answer:")
    end_line: int


@dataclass(frozen=True)
class QuestionSection:
    number: int
    heading: Span
    heading_text: str  # the whole heading text, e.g. "Question 4 [✔] Johan"
    heading_extra: str  # what follows "Question N", stripped: "[✔] Johan"
    heading_level: int
    prompt: Span | None  # the quoted question up to the marker
    prompt_text: str
    stated_limits: StatedLimits | None
    marker: Span | None  # the "Answer:" marker itself
    answer: Span | None  # first to last non-blank line of the answer; None if empty
    answer_lines: tuple[SourceLine, ...]  # answer source, marker-line tail first; blank lines kept
    answer_blocks: tuple[Node, ...]  # top-level blocks after the marker (not the marker's quote)
    prose_words: int
    official: OfficialAnswer | None
    images: tuple[Image, ...]  # images in the answer (never the prompt's)
    links: tuple[Link, ...]  # links in the answer
    end_line: int  # last line of the section (before the next question or level-1/2 heading)
    label: str = ""  # the number as the heading writes it ("2.1"); see ``name``
    # the template's answer placeholders left in the answer (pack ``structure.placeholders``), as written
    placeholders: tuple[tuple[Span, str], ...] = ()

    @property
    def name(self) -> str:
        """The question's number as the template writes it: ``"2.1"``, ``"4"``."""
        return self.label or str(self.number)


@dataclass(frozen=True)
class Report:
    path: str  # as displayed in diagnostics (relative to the repository root where possible)
    file: Path  # absolute path of the report file
    repo_root: Path  # absolute path of the repository root (checks never read outside it)
    text: str  # decoded, newline-normalised text (front matter included)
    lines: tuple[str, ...]  # lines[n - 1] is document line n
    front_matter: FrontMatter | None
    blocks: tuple[Node, ...]  # all top-level blocks with positions
    checklist: tuple[ChecklistItem, ...]
    questions: tuple[QuestionSection, ...]
    images: tuple[Image, ...]  # every image in the report, prompts included (see ``in_prompt``)
    links: tuple[Link, ...]
    html_comments: tuple[tuple[Span, str], ...]
    official_answers: tuple[OfficialAnswer, ...]
    official_error: str | None  # what the course checker would raise, e.g. answer count mismatch
    first_question_line: int | None = None
    # inline `code spans`, in document order: text in them is code, never an image, link or placeholder
    code_spans: tuple[Span, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)
    # the file began with a UTF-8 byte-order mark (``text`` has it removed); readers that keep it, as the
    # course's hand-in export does, count it as a character
    had_bom: bool = False

    def question(self, number: int) -> QuestionSection | None:
        """The first section with this number (a dict built once: checks ask for every question)."""
        return self._by_number.get(number)

    def code_columns(self, line: int) -> tuple[tuple[int, int | None], ...]:
        """The column ranges ``[start, end)`` of ``line`` inside inline code (``None``: to the line's end)."""
        return self._code_columns.get(line, ())

    @cached_property
    def _code_columns(self) -> dict[int, tuple[tuple[int, int | None], ...]]:
        return code_columns(self.code_spans)

    @cached_property
    def _by_number(self) -> dict[int, QuestionSection]:
        out: dict[int, QuestionSection] = {}
        for q in self.questions:
            out.setdefault(q.number, q)
        return out


def code_columns(spans: tuple[Span, ...] | list[Span]) -> dict[int, tuple[tuple[int, int | None], ...]]:
    """Per line, the column ranges the code ``spans`` cover (a span may run over several lines).

    Code spans never overlap, so the work is linear in the lines they cover."""
    out: dict[int, list[tuple[int, int | None]]] = {}
    for span in spans:
        if span.end_line == span.line:
            out.setdefault(span.line, []).append((span.column, span.end_column))
            continue
        out.setdefault(span.line, []).append((span.column, None))
        for number in range(span.line + 1, span.end_line):
            out.setdefault(number, []).append((1, None))
        out.setdefault(span.end_line, []).append((1, span.end_column))
    return {number: tuple(sorted(ranges, key=_range_start)) for number, ranges in out.items()}


def in_ranges(column: int, ranges: tuple[tuple[int, int | None], ...]) -> bool:
    """Whether ``column`` falls inside one of ``ranges`` (as :meth:`Report.code_columns` gives them:
    disjoint, in column order, so only the last range starting at or before ``column`` can hold it)."""
    at = bisect_right(ranges, column, key=_range_start) - 1
    if at < 0:
        return False
    end = ranges[at][1]
    return end is None or column < end


def _range_start(cols: tuple[int, int | None]) -> int:
    return cols[0]
