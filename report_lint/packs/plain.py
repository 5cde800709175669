"""The packs as rules and the evidence engine read them: plain frozen objects, no pydantic.

``packs/models.py``, ``packs/structure.py`` and ``evidence/models.py`` *validate* pack files (pydantic);
what a lint reads is a validated pack turned into these classes (``models.to_plain``): same class
names, same fields, same methods, so a rule reads ``pack.structure.answer.marker`` either way.  The
built-in packs are cached in this form, so a warm run never imports pydantic (≈ 90 ms of start-up:
pydantic itself, its metaclass over ~30 models, and the first validator it builds; issue 11).

The classes are ``__slots__`` classes over one base instead of dataclasses: a dataclass compiles an
``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__`` and ``__delattr__`` per class
at import (≈ 0.5 ms each here); the base's generic methods cost nothing per class.
``tests/core/test_plain_packs.py`` holds each class to its pydantic twin (fields, defaults, methods).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, ClassVar, Literal, Union

import re2

SeverityName = Literal["error", "warning", "info"]
CountMode = Literal["official", "prose"]
QuestionKind = Literal["free", "group-number", "study-numbers"]
AnswerStart = Literal["marker", "quote", "heading", "blocks", "placeholder"]

# the caps of pack values (see packs/models.py, which validates them)
MAX_QUESTIONS = 500
MAX_LIMIT = 1_000_000  # words or images in one answer

# the DTU template's layout, as pack data (``layout.py`` runs these exact strings with the builder's
# long-standing Python regexes, so the DTU packs' output stays what it was)
DTU_HEADING = r"(?i)(?:(?:\*\*|__)\s*)?Question\s*(?P<number>\d+)\b"
DTU_MARKER = r"[*_]{0,2}Answer[*_]{0,2}[ \t]*:[*_]{0,2}"
DTU_LIMITS = (
    r"(?i)answer\s+length\s*:\s*(?P<min>\d+)\s*[-–]\s*(?P<max>\d+)\s*words?"
    r"(?:\s*\+\s*(?P<images_min>\d+)(?:\s*(?:to|-|–)\s*(?P<images_max>\d+))?\s*(?:screenshots?|images?|figures?))?"
)

# where code evidence looks by default: Python files and the code cells of Jupyter notebooks
CODE_GLOBS = ("*.py", "*.ipynb")

# RE2 memory budget for one compiled pattern (the DFA falls back to slower NFA beyond it, never hangs)
RE2_MAX_MEM = 8 << 20

_NAME_RE = re.compile(r"[-_.]+")
_WORD_RE = re.compile(r"[a-z0-9]+\*?")


@lru_cache(maxsize=1024)  # compiled patterns are immutable: share them across indexes and reports
def compile_pattern(pattern: str, *, ignore_case: bool = False) -> Any:
    """Compile ``pattern`` with RE2 for searching UTF-8 bytes, ``^``/``$`` at line boundaries.

    Raises ``ValueError`` with RE2's message when the pattern is not valid RE2 syntax.
    """
    options = re2.Options()
    options.log_errors = False
    options.max_mem = RE2_MAX_MEM
    options.case_sensitive = not ignore_case
    try:
        return re2.compile(b"(?m)" + pattern.encode("utf-8"), options)
    except re2.error as exc:
        message = exc.args[0] if exc.args else exc
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        raise ValueError(f"not a valid RE2 pattern: {message}") from None


def normalize_name(name: str) -> str:
    """A package name as pip compares it (PEP 503)."""
    return _NAME_RE.sub("-", name.strip()).lower()


def phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(_WORD_RE.findall(phrase.lower()))


class Plain:
    """Frozen, compared and hashed by class and field values, like the frozen pydantic models."""

    __slots__ = ()
    FIELDS: ClassVar[tuple[str, ...]] = ()
    # a field missing from the constructor's arguments takes this (a callable: what it returns)
    DEFAULTS: ClassVar[Mapping[str, Any]] = {}

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        parent = cls.__mro__[1]
        cls.FIELDS = getattr(parent, "FIELDS", ()) + tuple(vars(cls).get("__slots__", ()))
        cls.DEFAULTS = {**getattr(parent, "DEFAULTS", {}), **vars(cls).get("DEFAULTS", {})}

    def __init__(self, **fields: Any) -> None:
        for name in self.FIELDS:
            if name in fields:
                value = fields.pop(name)
            elif name in self.DEFAULTS:
                value = self.DEFAULTS[name]
                value = value() if callable(value) else value  # a list or an object: a factory
            else:
                raise TypeError(f"{type(self).__name__}: missing field {name!r}")
            object.__setattr__(self, name, value)
        if fields:
            raise TypeError(f"{type(self).__name__}: unknown fields {sorted(fields)}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def replace(self, **changes: Any) -> Any:
        """A copy with ``changes`` (as pydantic's ``model_copy(update=...)``: not validated)."""
        return type(self)(**{**dict(zip(self.FIELDS, self._values(), strict=True)), **changes})

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(self.FIELDS, self._values(), strict=True))
        return f"{type(self).__name__}({shown})"

    # pickling (the snapshot): slots are set through object.__setattr__, as in __init__
    def __getstate__(self) -> tuple[Any, ...]:
        return self._values()

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self.FIELDS, state, strict=True):
            object.__setattr__(self, name, value)


class Range(Plain):
    """An inclusive range, written in YAML as ``[100, 200]``."""

    __slots__ = ("max", "min")
    min: int
    max: int

    def __str__(self) -> str:
        return f"{self.min}–{self.max}"


class QuestionSpec(Plain):
    __slots__ = (
        "images",
        "kind",
        "number",
        "prompt_blocks",
        "stated_images",
        "stated_words",
        "title",
        "words",
    )
    number: int
    title: str | None
    kind: QuestionKind | None
    words: Range | None
    images: Range | None
    stated_words: Range | None
    stated_images: Range | None
    prompt_blocks: int | None


class PlaceholderSpec(Plain):
    __slots__ = ("id", "in_code", "message", "pattern", "questions")
    id: str
    pattern: str
    message: str
    in_code: bool
    questions: list[int] | None


class TemplateFigure(Plain):
    __slots__ = ("name", "sha256")
    name: str
    sha256: str


class DetectSpec(Plain):
    __slots__ = ("phrases", "priority", "question_count", "stated_words")
    question_count: int | None
    phrases: list[str]
    stated_words: dict[int, Range]
    priority: int


class HandinSpec(Plain):
    __slots__ = ("extensions", "renderer", "skip_chars", "template_heads")
    renderer: str
    extensions: list[str]
    skip_chars: int
    template_heads: list[str]


class ResolvedRule(Plain):
    __slots__ = ("code", "enabled", "name", "options", "severity", "suppressible")
    name: str
    code: str
    severity: SeverityName
    enabled: bool
    suppressible: bool
    options: dict[str, Any]


# --- the ``structure:`` section (defaults: the DTU 02476 template's layout) ---------------------------


class HeadingSpec(Plain):
    __slots__ = ("bold", "canonical", "levels", "pattern")
    DEFAULTS: ClassVar[Mapping[str, Any]] = {
        "pattern": DTU_HEADING,
        "levels": None,
        "bold": False,
        "canonical": "### Question {number}",
    }
    pattern: str
    levels: list[int] | None
    bold: bool
    canonical: str


class AnswerSpec(Plain):
    __slots__ = ("end_level", "end_marker", "marker", "marker_text", "prompt_blocks", "start")
    DEFAULTS: ClassVar[Mapping[str, Any]] = {
        "start": "marker",
        "marker": DTU_MARKER,
        "marker_text": "> Answer:",
        "prompt_blocks": 1,
        "end_level": 2,
        "end_marker": None,
    }
    start: AnswerStart
    marker: str | None
    marker_text: str
    prompt_blocks: int
    end_level: int
    end_marker: str | None


class LimitPhrase(Plain):
    __slots__ = ("pattern", "where")
    DEFAULTS: ClassVar[Mapping[str, Any]] = {"where": "prompt"}
    pattern: str
    where: Literal["prompt", "heading"]


class StructureSpec(Plain):
    __slots__ = ("answer", "checklist_tag", "course_checker", "heading", "limits", "placeholders")
    DEFAULTS: ClassVar[Mapping[str, Any]] = {
        "heading": HeadingSpec,
        "answer": AnswerSpec,
        "limits": lambda: [LimitPhrase(pattern=DTU_LIMITS)],
        "placeholders": list,
        "checklist_tag": "M",
        "course_checker": False,
    }
    heading: HeadingSpec
    answer: AnswerSpec
    limits: list[LimitPhrase]
    placeholders: list[str]
    checklist_tag: str
    course_checker: bool


# --- checklist evidence (``evidence/models.py`` validates it) ----------------------------------------


class _Kind(Plain):
    __slots__ = ("label",)
    label: str | None


class FilesEvidence(_Kind):
    __slots__ = ("exclude", "files", "min_count")
    files: list[str]
    exclude: list[str]
    min_count: int


class DependencyEvidence(_Kind):
    __slots__ = ("dependency",)
    dependency: list[str]


class CodeEvidence(_Kind):
    __slots__ = ("also", "code", "exclude", "globs", "ignore_case")
    code: str
    globs: list[str]
    exclude: list[str]
    ignore_case: bool
    also: str | None


class TextEvidence(_Kind):
    __slots__ = ("also", "exclude", "globs", "ignore_case", "text")
    text: str
    globs: list[str]
    exclude: list[str]
    ignore_case: bool
    also: str | None


class StepQuery(Plain):
    __slots__ = ("run", "uses", "with_key")
    uses: str | None
    run: str | None
    with_key: str | None


class WorkflowQuery(Plain):
    __slots__ = ("events", "matrix", "paths", "step")
    events: list[str] | None
    paths: str | None
    matrix: list[str] | None
    step: StepQuery | None


class WorkflowEvidence(_Kind):
    __slots__ = ("globs", "workflow")
    workflow: WorkflowQuery
    globs: list[str]


class GitQuery(Plain):
    __slots__ = ("remote",)
    remote: str | None


class GitEvidence(_Kind):
    __slots__ = ("git",)
    git: GitQuery


class AnyEvidence(_Kind):
    __slots__ = ("any", "at_least")
    any: list[Evidence]
    at_least: int


class AllEvidence(_Kind):
    __slots__ = ("all",)
    all: list[Evidence]


Evidence = Union[  # noqa: UP007 - a runtime alias (the X | Y form needs Python 3.10 classes to be types)
    FilesEvidence,
    DependencyEvidence,
    CodeEvidence,
    TextEvidence,
    WorkflowEvidence,
    GitEvidence,
    AnyEvidence,
    AllEvidence,
]


class ChecklistRule(Plain):
    __slots__ = (
        "evidence",
        "id",
        "modules",
        "not_phrases",
        "phrases",
        "strong",
        "title",
        "unclaimed",
        "unverifiable",
    )
    id: str
    title: str
    modules: list[str]
    phrases: list[str]
    not_phrases: list[str]
    evidence: Evidence | None
    unverifiable: str | None
    strong: Evidence | None
    unclaimed: bool

    @property
    def unclaimed_evidence(self) -> Evidence | None:
        if not self.unclaimed:
            return None
        return self.strong if self.strong is not None else self.evidence


class ChecklistSpec(Plain):
    __slots__ = ("min_words", "rules")
    rules: list[ChecklistRule]
    min_words: int

    def rule(self, rule_id: str) -> ChecklistRule | None:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        return None


# --- the merged pack ---------------------------------------------------------------------------------


class Pack(Plain):
    """A pack with its ``extends`` chain merged: what checks read."""

    __slots__ = (
        "checklist",
        "count_mode",
        "description",
        "detect",
        "files",
        "forbidden_suppressions",
        "handin",
        "labels",
        "name",
        "official_skip_chars",
        "placeholders",
        "question_count",
        "questions",
        "rules",
        "structure",
        "suppressions_allowed",
        "template_figures",
    )
    DEFAULTS: ClassVar[Mapping[str, Any]] = {
        "handin": None,
        "structure": lambda: StructureSpec(course_checker=True),
        "labels": dict,
    }
    name: str
    description: str
    files: list[str]  # the pack files merged, child first
    detect: DetectSpec | None
    question_count: int | None
    count_mode: CountMode
    official_skip_chars: int
    rules: dict[str, ResolvedRule]
    questions: dict[int, QuestionSpec]
    placeholders: list[PlaceholderSpec]
    template_figures: list[TemplateFigure]
    suppressions_allowed: bool
    forbidden_suppressions: list[str]
    checklist: ChecklistSpec | None
    handin: HandinSpec | None
    structure: StructureSpec
    # key -> number as written, for packs whose numbers are not all whole numbers (`2.1`)
    labels: dict[int, str]

    def question(self, number: int) -> QuestionSpec | None:
        return self.questions.get(number)

    def label(self, number: int) -> str:
        """Question ``number`` as the template writes it (``"2.1"``; ``"4"`` for DTU's 4)."""
        return self.labels.get(number, str(number))
