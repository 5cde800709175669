"""Pydantic models of a rule pack file.

A pack file may set any subset of fields; ``extends`` names its parent.  ``loader.py`` validates
each file on its own (so errors point at that file's lines) and then merges the chain into one
:class:`Pack`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, field_validator, model_validator

from report_lint.evidence.models import ChecklistSpec
from report_lint.packs import plain
from report_lint.packs.base import StrictModel
from report_lint.packs.plain import MAX_LIMIT, MAX_QUESTIONS, CountMode, SeverityName, compile_pattern
from report_lint.packs.structure import StructureSpec

# Numbers are strict integers (YAML's `true` and `3.0` are not numbers of questions or words) with a
# ceiling, so no pack value can make a run loop over a billion questions.  The templates have 27-31
# questions and ask for at most a few hundred words and a handful of images per answer; the caps sit
# far above that while keeping every per-question loop and message trivially small.
# (MAX_QUESTIONS and MAX_LIMIT, words or images in one answer, are in packs/plain.py)
MAX_SKIP_CHARS = 1_000_000
MAX_PRIORITY = 1_000


def _question_key(value: Any) -> Any:
    # mapping keys keep their YAML source text ("3"), see yamlnodes.py: digits only, never `true`
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return value


QuestionNumber = Annotated[int, Field(strict=True, ge=1, le=MAX_QUESTIONS)]
# a number as a template writes it when it is not a whole number: `2.1`, `3b`, `1.2.4`
QuestionLabel = Annotated[str, Field(pattern=r"^[0-9]{1,4}(?:\.[0-9]{1,4}){0,3}[a-z]?$")]
QuestionKey = Annotated[int, BeforeValidator(_question_key), Field(strict=True, ge=1, le=MAX_QUESTIONS)]
Limit = Annotated[int, Field(strict=True, ge=0, le=MAX_LIMIT)]


class Range(StrictModel):
    """An inclusive range, written in YAML as ``[100, 200]``."""

    min: Limit
    max: Limit

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            if len(value) != 2:
                raise ValueError("a range is written as [min, max]")
            return {"min": value[0], "max": value[1]}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self

    def __str__(self) -> str:
        return f"{self.min}–{self.max}"

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        # packs write ranges as [min, max]; the mapping form stays valid too
        item = {"type": "integer", "minimum": 0, "maximum": MAX_LIMIT}
        pair = {"type": "array", "items": item, "minItems": 2, "maxItems": 2}
        return {"anyOf": [pair, handler(core_schema)]}


class RuleSettings(StrictModel):
    code: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2,4}[0-9]{3}$",
        description="Stable code printed with each finding; unique within the pack (default: the built-in).",
    )
    severity: SeverityName | None = Field(default=None, description="Default: the rule's built-in severity.")
    enabled: bool | None = Field(default=None, description="false turns the rule off (default: on).")
    # staff can forbid inline suppressions of a rule (e.g. in graded runs)
    suppressible: bool | None = Field(
        default=None, description="false: a `report-lint: disable` comment in the report cannot silence it."
    )
    options: dict[str, Any] = Field(
        default_factory=dict,
        description="Settings the rule declares (its module's OPTIONS); any other key is an error.",
    )


QuestionKind = Literal["free", "group-number", "study-numbers"]


class QuestionSpec(StrictModel):
    number: Annotated[
        QuestionNumber | QuestionLabel,
        BeforeValidator(_question_key),
        Field(description='The question\'s number as its heading writes it: `4`, or `"2.1"`, `"3b"`.'),
    ]
    title: str | None = Field(
        default=None, description="A label for people reading the pack; headings are not compared with it."
    )
    kind: QuestionKind | None = Field(
        default=None,
        description="`group-number` / `study-numbers`: group-info checks the answer's shape; default `free`.",
    )
    # limits the course checker enforces; null means none
    words: Range | None = Field(
        default=None, description="The words an answer must have, [min, max] (answer-length); null: none."
    )
    images: Range | None = Field(
        default=None, description="The images an answer must have, [min, max] (image-count); null: none."
    )
    # limits the template's text states, when they differ from the checker's
    stated_words: Range | None = Field(
        default=None,
        description="What the template's text says when it differs from `words` (template-structure checks).",
    )
    stated_images: Range | None = Field(
        default=None, description="What the template's text says when it differs from `images`."
    )
    prompt_blocks: int | None = Field(
        default=None,
        strict=True,
        ge=0,
        le=1000,
        description="Overrides `structure.answer.prompt_blocks` for this question.",
    )


class PlaceholderSpec(StrictModel):
    id: str = Field(
        pattern=r"^[a-z][a-z0-9-]*$", description="Names the entry; a child pack's same id replaces it."
    )
    pattern: str = Field(  # RE2 syntax, matched case-insensitively against each answer line
        description="RE2, matched case-insensitively in each answer line; a group `match` is what is shown."
    )
    message: str = Field(
        description="The finding's message; `{match}` is the text found, `{question}` the number."
    )

    @field_validator("pattern")
    @classmethod
    def _re2_syntax(cls, value: str) -> str:
        # a located pack error now, rather than a skipped rule (and RE2's log on stderr) later
        compile_pattern(value, ignore_case=True)  # raises ValueError with RE2's message
        return value

    # "all" lines of the answer, or only those outside code blocks
    in_code: bool = Field(default=True, description="false: skip code blocks and `code spans`.")
    questions: list[QuestionNumber] | None = Field(  # restrict to these questions
        default=None, description="Scan only these questions' answers (default: every answer)."
    )


class TemplateFigure(StrictModel):
    name: str = Field(description="The example figure's path as the template names it (for messages).")
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="Its bytes' SHA-256: a report figure with it is reported."
    )


class DetectSpec(StrictModel):
    """How ``packs/detect.py`` recognises a report written from this template."""

    question_count: QuestionNumber | None = Field(
        default=None, description="A report with this many questions scores 100."
    )
    # phrases whose presence (case-insensitive, whitespace-folded) raises the score
    phrases: list[str] = Field(
        default_factory=list, description="Each phrase the report holds (case and spacing folded) scores 20."
    )
    # stated limits that identify the generation, e.g. {3: [0, 200]}
    stated_words: dict[QuestionKey, Range] = Field(
        default_factory=dict, description="Each question stating this word range scores 20: {3: [0, 200]}."
    )
    priority: int = Field(
        default=0,
        strict=True,
        ge=-MAX_PRIORITY,
        le=MAX_PRIORITY,
        description="Added to the score; breaks ties.",
    )


class SuppressionPolicy(StrictModel):
    allowed: bool | None = Field(
        default=None, description="false: the report's suppression comments do nothing."
    )
    forbidden_rules: list[str] | None = Field(
        default=None, description="Rule names or codes of this pack that inline comments cannot silence."
    )


# --- the course's hand-in export (handin-render, handin-cut) ----------------------------------------
# Python-Markdown's own extensions only: an extension name is an import path, and a pack may come from
# the linted repository, which must never choose what gets imported.
HandinExtension = Literal[
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
    "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc",
    "wikilinks",
]  # fmt: skip


class HandinSpec(StrictModel):
    """How staff's hand-in page is made: ``text[skip_chars:]`` rendered by ``renderer``."""

    renderer: Literal["python-markdown"] = Field(
        default="python-markdown", description="What renders the page."
    )
    extensions: list[HandinExtension] = Field(
        default_factory=list, description="Python-Markdown's own extensions the export enables."
    )
    skip_chars: int = Field(default=0, ge=0, le=100_000, description="Characters the export drops first.")
    # the template's own first lines: the cut may eat (a prefix of) one of these without a report
    template_heads: list[str] = Field(
        default_factory=list, description="The template's first lines: the cut may drop these unreported."
    )


class PackFile(StrictModel):
    """One YAML file as written; every field optional so packs can extend each other."""

    name: str = Field(
        pattern=r"^[a-z0-9][a-z0-9.-]*$", description="The pack's name, printed in every run's summary."
    )
    description: str | None = Field(default=None, description="One line for `report-lint rules`.")
    extends: str | None = Field(
        default=None,
        description=(
            "The parent pack: a built-in pack name, or a pack file relative to this one (`base` means "
            "base.yaml). A pack inside the repository can only extend files inside the repository."
        ),
    )
    abstract: bool = Field(
        default=False, description="A shared parent only: a report is never linted with it alone."
    )
    detect: DetectSpec | None = Field(
        default=None,
        description="How a report is matched to a built-in pack; only built-in packs may set it.",
    )
    question_count: QuestionNumber | None = Field(
        default=None, description="How many questions the template has: a missing one is reported."
    )
    count_mode: CountMode | None = Field(
        default=None,
        description=(
            "`prose` counts the words a reader sees; `official` the DTU course checker's count. Default: "
            "official where `structure.course_checker` is set, else prose."
        ),
    )
    # the course checker drops this many characters before splitting (27q: the front matter)
    official_skip_chars: int | None = Field(
        default=None,
        strict=True,
        ge=0,
        le=MAX_SKIP_CHARS,
        description="DTU's checker drops this many characters of the file before slicing answers.",
    )
    rules: dict[str, RuleSettings] = Field(
        default_factory=dict,
        description=(
            "Built-in rules by name (`report-lint rules` lists them). If no pack of the extends chain sets "
            "`rules`, every built-in rule runs with its default code and severity; a pack that sets it "
            "runs the rules listed here and in its parents. An empty mapping is an error."
        ),
    )
    questions: list[QuestionSpec] = Field(
        default_factory=list, description="Each question's limits, merged into the parent's by number."
    )
    placeholders: list[PlaceholderSpec] = Field(
        default_factory=list,
        description="Patterns unfilled-placeholder reports in answers (to-do notes, examples); merged by id.",
    )
    template_figures: list[TemplateFigure] = Field(
        default_factory=list, description="The template's example figures, by hash (template-figure)."
    )
    suppressions: SuppressionPolicy | None = Field(
        default=None, description="What inline suppressions may do."
    )
    checklist: ChecklistSpec | None = Field(
        default=None, description="Checklist items matched to evidence in the repository (checklist-* rules)."
    )
    handin: HandinSpec | None = Field(  # null: no hand-in export (the handin rules do nothing)
        default=None,
        description="How staff's hand-in page is made; null: none (the handin rules do nothing).",
    )
    structure: StructureSpec | None = Field(
        default=None,
        description=(
            "How the template lays out questions and answers (headings, answer marker, limit phrases, "
            "placeholders); merged over the parent's field by field. Default: the DTU template's layout."
        ),
    )

    @field_validator("questions")
    @classmethod
    def _unique_numbers(cls, questions: list[QuestionSpec]) -> list[QuestionSpec]:
        seen: set[int | str] = set()
        for q in questions:
            if q.number in seen:
                raise ValueError(f"question {q.number} is listed twice")
            seen.add(q.number)
        return questions


class ResolvedRule(StrictModel):
    name: str
    code: str
    severity: SeverityName
    enabled: bool
    suppressible: bool
    options: dict[str, Any]


class Pack(StrictModel):
    """A pack with its ``extends`` chain merged: what checks read."""

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
    handin: HandinSpec | None = None
    # the loader always sets it; a Pack built without one (by hand, in tests) is the DTU template's
    structure: StructureSpec = Field(default_factory=lambda: StructureSpec(course_checker=True))
    # key -> number as written, for packs whose numbers are not all whole numbers (`2.1`): their
    # questions are keyed 1..n in the pack's order; empty when every key is the number itself
    labels: dict[int, str] = Field(default_factory=dict)

    def question(self, number: int) -> QuestionSpec | None:
        return self.questions.get(number)

    def label(self, number: int) -> str:
        """Question ``number`` as the template writes it (``"2.1"``; ``"4"`` for DTU's 4)."""
        return self.labels.get(number, str(number))


def to_plain(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """``value`` with every model replaced by its :mod:`report_lint.packs.plain` twin (same fields).

    Lists and dicts are copied as such; an object reached twice (the checklist several packs share)
    becomes one plain object, as pickle kept it one.
    """
    memo = {} if memo is None else memo
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, BaseModel):
        twin = getattr(plain, type(value).__name__)
        out: Any = twin(**{name: to_plain(getattr(value, name), memo) for name in type(value).model_fields})
    elif isinstance(value, list):
        out = [to_plain(item, memo) for item in value]
    elif isinstance(value, dict):
        out = {key: to_plain(item, memo) for key, item in value.items()}
    elif isinstance(value, tuple):
        out = tuple(to_plain(item, memo) for item in value)
    else:
        return value
    memo[id(value)] = out
    return out
