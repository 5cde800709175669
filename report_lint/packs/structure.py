"""The ``structure:`` section of a pack: how a template lays out its questions and answers.

Everything the report builder needs to find a question, its prompt, its answer and its stated limits is
data here.  The defaults are the DTU 02476 template's layout (``### Question N``, the quoted prompt,
``> Answer:``); ``rules/dtu-common.yaml`` spells them out, and ``report-lint init`` writes another
course's.  Patterns are RE2 (linear time: a pack may come from the linted repository), case-sensitive
unless they start with ``(?i)``; ``report_lint/layout.py`` compiles them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from report_lint.packs.base import StrictModel

# the DTU template's layout (DTU_*) is defined with the plain classes and re-exported here
from report_lint.packs.plain import DTU_HEADING, DTU_LIMITS, DTU_MARKER, AnswerStart, compile_pattern

_GROUPS = ("min", "max", "images_min", "images_max")


def _re2(value: str | None, *, groups: tuple[str, ...] = (), need: tuple[str, ...] = ()) -> str | None:
    """A located pack error now (not a skipped question later) for a bad pattern or a missing group."""
    if value is None:
        return None
    compiled = compile_pattern(value)  # raises ValueError with RE2's message
    names = {n.decode() if isinstance(n, bytes) else n for n in compiled.groupindex}
    for name in need:
        if name not in names:
            raise ValueError(f"the pattern needs a group named `{name}`: (?P<{name}>…)")
    if groups and not names & set(groups):
        raise ValueError("the pattern needs at least one named group of: " + ", ".join(groups))
    return value


class HeadingSpec(StrictModel):
    """Which headings start a question."""

    pattern: str = Field(
        default=DTU_HEADING,
        description=(
            "RE2 pattern matched at the start of a heading's text (after blanks; `(?i)` ignores case). "
            "Its group `number` is the question's number as written (`4`, `2.1`, `3b`); the text after the "
            "match (past `:`, `.`, `)`, `-` and blanks) is the heading's free text. Examples: "
            r"`Task\s+(?P<number>\d+(?:\.\d+)*)`, `Q(?P<number>\d+)`, `Exercise\s+(?P<number>\d+[a-z]?)`."
        ),
    )
    levels: list[Literal[1, 2, 3, 4, 5, 6]] | None = Field(
        default=None,
        description="Heading levels (`#` count) a question heading may have; null: any level.",
    )
    bold: bool = Field(
        default=False,
        description="A paragraph that is one bold line (`**Exercise 3**`) also starts a question.",
    )
    canonical: str = Field(
        default="### Question {number}",
        max_length=200,
        description=(
            "The heading as the template writes it, `{number}` standing for the number: messages quote it, "
            "and template-structure reports a heading that no longer starts with it (a renamed question)."
        ),
    )

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        _re2(value, need=("number",))
        return value


class AnswerSpec(StrictModel):
    """Where a question's answer starts and ends."""

    start: AnswerStart = Field(
        default="marker",
        description=(
            "`marker`: after the line matching `marker` (without one, after the quoted prompt); `quote`: "
            "after the block quote that follows the heading; `heading`: right after the heading; `blocks`: "
            "after the question's first `prompt_blocks` blocks; `placeholder`: at the first line matching "
            "a structure placeholder (once it is replaced, after `prompt_blocks` blocks)."
        ),
    )
    marker: str | None = Field(
        default=DTU_MARKER,
        description=(
            "RE2 pattern of the marker line (`start: marker`), matched after the line's `>` quote prefix "
            "and blanks; text after it on the same line is answer. Examples: `Answer:`, "
            r"`<!--\s*answer below\s*-->`."
        ),
    )
    marker_text: str = Field(
        default="> Answer:",
        max_length=200,
        description="The marker line as the template writes it, quoted in messages.",
    )
    prompt_blocks: int = Field(
        default=1,
        strict=True,
        ge=0,
        le=1000,
        description=(
            "`blocks`/`placeholder`: how many blocks (paragraphs, quotes, lists) after the heading are the "
            "prompt; a question's own `prompt_blocks` overrides it."
        ),
    )
    end_level: int = Field(
        default=2,
        strict=True,
        ge=0,
        le=6,
        description=(
            "A heading of this level or higher (fewer `#`) that is not a question heading ends the answer; "
            "0: only the next question heading does."
        ),
    )
    end_marker: str | None = Field(
        default=None,
        description="RE2 pattern of a line that ends the answer (the line itself is not answer), or null.",
    )

    @field_validator("marker", "end_marker")
    @classmethod
    def _pattern(cls, value: str | None) -> str | None:
        return _re2(value)


class LimitPhrase(StrictModel):
    """One way the template states a limit."""

    pattern: str = Field(
        description=(
            "RE2 pattern with named groups `min`, `max` (words) and `images_min`, `images_max` (figures); "
            "a phrase with `min` and no `max` means at least, `max` alone means at most (from 0), "
            "`images_min` alone an exact count."
        )
    )
    where: Literal["prompt", "heading"] = Field(
        default="prompt", description="Search the prompt's lines or the heading's text."
    )

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        _re2(value, groups=_GROUPS)
        return value


class StructureSpec(StrictModel):
    """How the template lays out its questions (defaults: the DTU 02476 template)."""

    heading: HeadingSpec = Field(default_factory=HeadingSpec, description="Which headings start a question.")
    answer: AnswerSpec = Field(default_factory=AnswerSpec, description="Where an answer starts and ends.")
    limits: list[LimitPhrase] = Field(
        default_factory=lambda: [LimitPhrase(pattern=DTU_LIMITS)],
        max_length=50,
        description=(
            "How the template states limits; the first phrase that gives words and the first that gives "
            "figures are the question's stated limits (template-structure reports an edited one)."
        ),
    )
    placeholders: list[str] = Field(
        default_factory=list,
        max_length=200,
        description=(
            "RE2 patterns of what the template puts where an answer goes (`{{YOUR ANSWER}}`, "
            "`_Write your answer here_`): not counted as words; unfilled-answer reports an answer that "
            "holds nothing else, or one left in a written answer."
        ),
    )
    checklist_tag: str = Field(
        default="M",
        pattern=r"^[A-Za-z]{1,10}$",
        description=(
            "Letters before the number of a checklist item's trailing tag: `M` for `(M5)`, `W` for `(W3)`."
        ),
    )
    course_checker: bool = Field(
        default=False,
        description=(
            "The course has DTU's `report.py check` (answers sliced at `Answer:`): its count becomes the "
            "default count mode and template-structure reports what would make it stop or miscount."
        ),
    )

    @field_validator("placeholders")
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            _re2(pattern)
        return value


_SECTIONS: dict[str, type[StrictModel]] = {"heading": HeadingSpec, "answer": AnswerSpec}


def merge_structure(merged: dict[str, Any], spec: StructureSpec) -> None:
    """Merge one pack file's ``structure`` over ``merged`` (a child sets only what differs).

    ``heading`` and ``answer`` merge field by field; the other fields (lists too) replace the parent's.
    """
    for key in spec.model_fields_set:
        value = getattr(spec, key)
        if key in _SECTIONS:
            section = merged.setdefault(key, {})
            section.update({field: getattr(value, field) for field in value.model_fields_set})
        else:
            merged[key] = value


def build_structure(merged: dict[str, Any]) -> StructureSpec:
    """The merged structure, every part validated in its own file (constructed, not re-validated)."""
    fields: dict[str, Any] = {}
    for key, value in merged.items():
        if key in _SECTIONS:
            model = _SECTIONS[key]
            defaults = {
                name: info.get_default(call_default_factory=True) for name, info in model.model_fields.items()
            }
            fields[key] = model.model_construct(**{**defaults, **value})
        else:
            fields[key] = value
    defaults = {
        name: info.get_default(call_default_factory=True) for name, info in StructureSpec.model_fields.items()
    }
    return StructureSpec.model_construct(**{**defaults, **fields})


def question_keys(
    questions: dict[Any, dict[str, Any]],
) -> tuple[list[tuple[int, dict[str, Any]]], dict[int, str]]:
    """Each merged question's key, and the labels of a pack whose numbers are not all whole numbers.

    Whole numbers are their own keys (DTU's questions 1-31).  A pack with a `2.1` keys its questions
    1..n in the order the pack lists them, so rules, formatters and batch columns keep whole-number keys;
    ``Pack.label`` gives the number as written.
    """
    if all(isinstance(number, int) for number in questions):
        return sorted(questions.items()), {}
    keyed = []
    labels: dict[int, str] = {}
    for key, (number, fields) in enumerate(questions.items(), start=1):
        labels[key] = str(number)
        keyed.append((key, {**fields, "number": key}))
    return keyed, labels
