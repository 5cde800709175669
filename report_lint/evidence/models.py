"""Pack models for checklist evidence: the ``checklist:`` section of a rule pack.

An evidence node is a one-key mapping naming its kind (``files``, ``dependency``, ``code``, ``text``,
``workflow``, ``git``, ``any``, ``all``) plus optional modifiers.  Patterns are RE2 (linear time, no
backtracking); a pattern RE2 cannot compile is a validation error of the pack.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any, Union

import re2
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

# RE2 memory budget for one compiled pattern (the DFA falls back to slower NFA beyond it, never hangs)
RE2_MAX_MEM = 8 << 20

_NAME_RE = re.compile(r"[-_.]+")


def normalize_name(name: str) -> str:
    """A package name as pip compares it (PEP 503)."""
    return _NAME_RE.sub("-", name.strip()).lower()


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


def _check_pattern(value: str | None) -> str | None:
    if value is not None:
        compile_pattern(value)
    return value


def _check_globs(globs: list[str]) -> list[str]:
    for glob in globs:
        if not glob.strip() or glob.startswith("#"):
            raise ValueError(f"empty or comment glob {glob!r}")
    return globs


# where code evidence looks by default: Python files and the code cells of Jupyter notebooks
CODE_GLOBS = ("*.py", "*.ipynb")


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _Kind(StrictModel):
    # how a diagnostic names this evidence, e.g. "a Dockerfile"; generated from the fields if unset
    label: str | None = None


class FilesEvidence(_Kind):
    """At least ``min_count`` listed files match one of the globs (``.gitignore`` syntax)."""

    files: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)
    min_count: int = Field(default=1, ge=1, le=1_000_000, strict=True)

    v_globs = field_validator("files", "exclude")(_check_globs)


class DependencyEvidence(_Kind):
    """One of these packages is declared (names PEP 503-normalised; ``*`` wildcards; ``"*"`` = any)."""

    dependency: list[str] = Field(min_length=1)

    @field_validator("dependency")
    @classmethod
    def _normalise(cls, names: list[str]) -> list[str]:
        out = []
        for name in names:
            if not re.fullmatch(r"[A-Za-z0-9*][A-Za-z0-9._*-]*", name):
                raise ValueError(f"not a package name: {name!r}")
            out.append(normalize_name(name))
        return out


class CodeEvidence(_Kind):
    """An RE2 pattern found in Python sources and notebooks' code cells (or in ``globs``)."""

    code: str
    globs: list[str] = Field(default_factory=lambda: list(CODE_GLOBS), min_length=1)
    exclude: list[str] = Field(default_factory=list)
    ignore_case: bool = False
    # RE2 that the same file must also match (e.g. an API that also imports a drift library)
    also: str | None = None

    v_pattern = field_validator("code", "also")(_check_pattern)
    v_globs = field_validator("globs", "exclude")(_check_globs)


class TextEvidence(_Kind):
    """An RE2 pattern found in the files matching ``globs`` (case-insensitive by default)."""

    text: str
    globs: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)
    ignore_case: bool = True
    also: str | None = None  # RE2 that the same file must also match

    v_pattern = field_validator("text", "also")(_check_pattern)
    v_globs = field_validator("globs", "exclude")(_check_globs)


class StepQuery(StrictModel):
    """A step of some job; every given field must hold for the same step."""

    uses: str | None = None  # RE2, searched in ``uses:``
    run: str | None = None  # RE2, searched in ``run:``
    with_key: str | None = None  # the step's ``with:`` has this key (e.g. setup-python's ``cache``)

    v_pattern = field_validator("uses", "run")(_check_pattern)

    @model_validator(mode="after")
    def _not_empty(self) -> StepQuery:
        if self.uses is None and self.run is None and self.with_key is None:
            raise ValueError("a step query needs uses, run or with_key")
        return self


class WorkflowQuery(StrictModel):
    """A GitHub workflow in which every given condition holds."""

    # any of these trigger events (not ``on``: YAML 1.1 reads a bare ``on`` key as true)
    events: list[str] | None = None
    paths: str | None = None  # RE2 matched against each ``on.<event>.paths`` entry
    matrix: list[str] | None = None  # any of these keys in some job's ``strategy.matrix``
    step: StepQuery | None = None

    v_pattern = field_validator("paths")(_check_pattern)

    @model_validator(mode="after")
    def _not_empty(self) -> WorkflowQuery:
        if self.events is None and self.paths is None and self.matrix is None and self.step is None:
            raise ValueError("a workflow query needs events, paths, matrix or step")
        return self


class WorkflowEvidence(_Kind):
    workflow: WorkflowQuery
    globs: list[str] = Field(default_factory=lambda: [".github/workflows/*.yml", ".github/workflows/*.yaml"])

    v_globs = field_validator("globs")(_check_globs)


class GitQuery(StrictModel):
    remote: str | None = None  # RE2 matched against the remotes' URLs

    v_pattern = field_validator("remote")(_check_pattern)


class GitEvidence(_Kind):
    """The repository is a git work tree (with a remote matching ``remote``)."""

    git: GitQuery


class AnyEvidence(_Kind):
    """At least ``at_least`` of the children hold (default one)."""

    any: list[Evidence] = Field(min_length=1)
    at_least: int = Field(default=1, ge=1, le=1_000, strict=True)

    @model_validator(mode="after")
    def _reachable(self) -> AnyEvidence:
        if self.at_least > len(self.any):
            raise ValueError(f"at_least {self.at_least} is more than the {len(self.any)} alternatives")
        return self


class AllEvidence(_Kind):
    all: list[Evidence] = Field(min_length=1)


KINDS = ("files", "dependency", "code", "text", "workflow", "git", "any", "all")


def _kind_of(value: Any) -> str | None:
    if isinstance(value, dict):
        keys = [k for k in KINDS if k in value]
        return keys[0] if len(keys) == 1 else None
    if isinstance(value, BaseModel):
        for kind in KINDS:
            if kind in type(value).model_fields:
                return kind
    return None


Evidence = Annotated[
    Union[  # noqa: UP007 - Tag needs the explicit Union form
        Annotated[FilesEvidence, Tag("files")],
        Annotated[DependencyEvidence, Tag("dependency")],
        Annotated[CodeEvidence, Tag("code")],
        Annotated[TextEvidence, Tag("text")],
        Annotated[WorkflowEvidence, Tag("workflow")],
        Annotated[GitEvidence, Tag("git")],
        Annotated[AnyEvidence, Tag("any")],
        Annotated[AllEvidence, Tag("all")],
    ],
    Discriminator(
        _kind_of,
        custom_error_type="evidence_kind",
        custom_error_message="evidence needs exactly one of the keys " + ", ".join(KINDS),
    ),
]

# no eager ``model_rebuild()``: it would build both schemas at import (~45 ms of every run); the
# forward references to ``Evidence`` resolve from this module when a pack is first validated

_MODULE_RE = re.compile(r"^M[0-9]{1,3}$")


class ChecklistRule(StrictModel):
    """One checklist item, across template generations."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str  # short name for docs and messages, e.g. "Docker files"
    modules: list[str] = Field(default_factory=list)  # ["M10"]; empty for untagged items
    # each phrase is a set of words that must all occur in the item (any order); a word ending in
    # "*" is a prefix.  The longest matching phrase scores.
    phrases: list[str] = Field(min_length=1)
    # phrases that rule this rule out for an item (e.g. "trigger" for the local docker build)
    not_phrases: list[str] = Field(default_factory=list)
    evidence: Evidence | None = None
    unverifiable: str | None = None  # why a repository cannot show it
    # evidence for checklist-unclaimed when it differs from ``evidence``
    strong: Evidence | None = None
    # False: evidence too weak or too common to suggest an unchecked item was done
    unclaimed: bool = True

    @field_validator("modules")
    @classmethod
    def _modules(cls, modules: list[str]) -> list[str]:
        for m in modules:
            if not _MODULE_RE.match(m):
                raise ValueError(f"module tags look like M10, not {m!r}")
        return modules

    @field_validator("phrases", "not_phrases")
    @classmethod
    def _phrases(cls, phrases: list[str]) -> list[str]:
        for phrase in phrases:
            if not phrase_words(phrase):
                raise ValueError(f"phrase {phrase!r} has no words")
        return phrases

    @model_validator(mode="after")
    def _one_of(self) -> ChecklistRule:
        if (self.evidence is None) == (self.unverifiable is None):
            raise ValueError("give exactly one of evidence and unverifiable")
        if self.unverifiable is not None and self.strong is not None:
            raise ValueError("an unverifiable item cannot have strong evidence")
        return self

    @property
    def unclaimed_evidence(self) -> Evidence | None:
        if not self.unclaimed:
            return None
        return self.strong if self.strong is not None else self.evidence


_WORD_RE = re.compile(r"[a-z0-9]+\*?")


def phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(_WORD_RE.findall(phrase.lower()))


class ChecklistSpec(StrictModel):
    """The ``checklist:`` section: one rule per checklist item."""

    rules: list[ChecklistRule] = Field(default_factory=list)
    # an item matches a rule when its score (phrase words, +2 if module tags agree, -2 if they
    # contradict) reaches this
    min_words: int = Field(default=1, ge=1, le=1_000_000, strict=True)

    @field_validator("rules")
    @classmethod
    def _unique(cls, rules: list[ChecklistRule]) -> list[ChecklistRule]:
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                raise ValueError(f"checklist rule {rule.id!r} is listed twice")
            seen.add(rule.id)
        return rules

    def rule(self, rule_id: str) -> ChecklistRule | None:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        return None
