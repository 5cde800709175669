"""Pack models for checklist evidence: the ``checklist:`` section of a rule pack.

An evidence node is a one-key mapping naming its kind (``files``, ``dependency``, ``code``, ``text``,
``workflow``, ``git``, ``any``, ``all``) plus optional modifiers.  Patterns are RE2 (linear time, no
backtracking); a pattern RE2 cannot compile is a validation error of the pack.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

# the pattern and name helpers live with the plain pack classes (no pydantic), re-exported here
from report_lint.packs.plain import (  # noqa: F401
    CODE_GLOBS,
    RE2_MAX_MEM,
    compile_pattern,
    normalize_name,
    phrase_words,
)


def _check_pattern(value: str | None) -> str | None:
    if value is not None:
        compile_pattern(value)
    return value


def _check_globs(globs: list[str]) -> list[str]:
    for glob in globs:
        if not glob.strip() or glob.startswith("#"):
            raise ValueError(f"empty or comment glob {glob!r}")
    return globs


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _Kind(StrictModel):
    label: str | None = Field(
        default=None,
        description='How a message names this evidence ("a Dockerfile"); made from the fields when unset.',
    )


class FilesEvidence(_Kind):
    """At least ``min_count`` listed files match one of the globs (``.gitignore`` syntax)."""

    files: list[str] = Field(
        min_length=1, description="Globs (`.gitignore` syntax) of the listed files that show the item."
    )
    exclude: list[str] = Field(default_factory=list, description="Globs of files that never count.")
    min_count: int = Field(
        default=1, ge=1, le=1_000_000, strict=True, description="How many files must match (default one)."
    )

    v_globs = field_validator("files", "exclude")(_check_globs)


class DependencyEvidence(_Kind):
    """One of these packages is declared (names PEP 503-normalised; ``*`` wildcards; ``"*"`` = any)."""

    dependency: list[str] = Field(
        min_length=1,
        description=(
            "Package names, any one of which declared (pyproject, requirements, lock files…) shows the item; "
            '`*` is a wildcard and `"*"` any package.'
        ),
    )

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

    code: str = Field(description="RE2 pattern searched in the code.")
    globs: list[str] = Field(
        default_factory=lambda: list(CODE_GLOBS),
        min_length=1,
        description="Files searched (default Python files and notebooks' code cells).",
    )
    exclude: list[str] = Field(default_factory=list, description="Globs of files never searched.")
    ignore_case: bool = Field(default=False, description="Match without regard to case.")
    also: str | None = Field(
        default=None,
        description="RE2 pattern the same file must also match (an API that also imports a drift library).",
    )

    v_pattern = field_validator("code", "also")(_check_pattern)
    v_globs = field_validator("globs", "exclude")(_check_globs)


class TextEvidence(_Kind):
    """An RE2 pattern found in the files matching ``globs`` (case-insensitive by default)."""

    text: str = Field(description="RE2 pattern searched line by line in the files.")
    globs: list[str] = Field(min_length=1, description="Files searched (`.gitignore` syntax).")
    exclude: list[str] = Field(default_factory=list, description="Globs of files never searched.")
    ignore_case: bool = Field(default=True, description="Match without regard to case (default true).")
    also: str | None = Field(default=None, description="RE2 pattern the same file must also match.")

    v_pattern = field_validator("text", "also")(_check_pattern)
    v_globs = field_validator("globs", "exclude")(_check_globs)


class StepQuery(StrictModel):
    """A step of some job; every given field must hold for the same step."""

    uses: str | None = Field(default=None, description="RE2 pattern searched in the step's `uses:`.")
    run: str | None = Field(default=None, description="RE2 pattern searched in the step's `run:`.")
    with_key: str | None = Field(
        default=None, description="A key the step's `with:` has (setup-python's `cache`)."
    )

    v_pattern = field_validator("uses", "run")(_check_pattern)

    @model_validator(mode="after")
    def _not_empty(self) -> StepQuery:
        if self.uses is None and self.run is None and self.with_key is None:
            raise ValueError("a step query needs uses, run or with_key")
        return self


class WorkflowQuery(StrictModel):
    """A GitHub workflow in which every given condition holds."""

    # named events, not ``on``: YAML 1.1 reads a bare ``on`` key as true
    events: list[str] | None = Field(
        default=None, description="Any of these trigger events (`push`, `pull_request`, `schedule`…)."
    )
    paths: str | None = Field(
        default=None, description="RE2 pattern matched against each `on.<event>.paths` entry."
    )
    matrix: list[str] | None = Field(
        default=None, description="Any of these keys in some job's `strategy.matrix`."
    )
    step: StepQuery | None = Field(default=None, description="A step of some job that matches this query.")

    v_pattern = field_validator("paths")(_check_pattern)

    @model_validator(mode="after")
    def _not_empty(self) -> WorkflowQuery:
        if self.events is None and self.paths is None and self.matrix is None and self.step is None:
            raise ValueError("a workflow query needs events, paths, matrix or step")
        return self


class WorkflowEvidence(_Kind):
    workflow: WorkflowQuery = Field(description="What a workflow must hold, every given condition.")
    globs: list[str] = Field(
        default_factory=lambda: [".github/workflows/*.yml", ".github/workflows/*.yaml"],
        description="The workflow files (default GitHub's `.github/workflows/`).",
    )

    v_globs = field_validator("globs")(_check_globs)


class GitQuery(StrictModel):
    remote: str | None = Field(default=None, description="RE2 pattern matched against the remotes' URLs.")

    v_pattern = field_validator("remote")(_check_pattern)


class GitEvidence(_Kind):
    """The repository is a git work tree (with a remote matching ``remote``)."""

    git: GitQuery = Field(description="What the repository's git data must show.")


class AnyEvidence(_Kind):
    """At least ``at_least`` of the children hold (default one)."""

    any: list[Evidence] = Field(min_length=1, description="The alternatives.")
    at_least: int = Field(
        default=1, ge=1, le=1_000, strict=True, description="How many of them must hold (default one)."
    )

    @model_validator(mode="after")
    def _reachable(self) -> AnyEvidence:
        if self.at_least > len(self.any):
            raise ValueError(f"at_least {self.at_least} is more than the {len(self.any)} alternatives")
        return self


class AllEvidence(_Kind):
    all: list[Evidence] = Field(min_length=1, description="Evidence that must all hold.")


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

# DTU's `M10`, another course's `W3` (the letters its `structure.checklist_tag` names)
_MODULE_RE = re.compile(r"^[A-Za-z]{1,10}[0-9]{1,3}$")


class ChecklistRule(StrictModel):
    """One checklist item, across template generations."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="The rule's id (lower case, `-`).")
    title: str = Field(description='Short name for docs and messages ("Docker files").')
    modules: list[str] = Field(
        default_factory=list,
        description=(
            "The item's tags (`M10`, or `W3` for a course whose `structure.checklist_tag` is `W`): an "
            "item with the same tag scores 2 more, one with another tag 2 less; empty for untagged items."
        ),
    )
    phrases: list[str] = Field(
        min_length=1,
        description=(
            "Each phrase is words that must all occur in the item, in any order (a word ending in `*` is a "
            "prefix); the longest matching phrase scores."
        ),
    )
    not_phrases: list[str] = Field(
        default_factory=list,
        description='Phrases that rule this rule out for an item ("trigger" for the local docker build).',
    )
    evidence: Evidence | None = Field(
        default=None, description="What in the repository shows the item done (or give `unverifiable`)."
    )
    unverifiable: str | None = Field(
        default=None, description="Why a repository cannot show this item (instead of `evidence`)."
    )
    strong: Evidence | None = Field(
        default=None,
        description="Evidence for checklist-unclaimed (an unticked item that looks done), if not `evidence`.",
    )
    unclaimed: bool = Field(
        default=True,
        description="False: the evidence is too weak or too common to suggest an unticked item was done.",
    )

    @field_validator("modules")
    @classmethod
    def _modules(cls, modules: list[str]) -> list[str]:
        for m in modules:
            if not _MODULE_RE.match(m):
                raise ValueError(f"module tags look like M10 (letters, then a number), not {m!r}")
        return [m.upper() for m in modules]  # as items' tags are compared

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


class ChecklistSpec(StrictModel):
    """The ``checklist:`` section: one rule per checklist item."""

    rules: list[ChecklistRule] = Field(default_factory=list, description="One rule per checklist item.")
    min_words: int = Field(
        default=1,
        ge=1,
        le=1_000_000,
        strict=True,
        description=(
            "An item matches a rule when its score (the phrase's words, 2 more if the tags agree, 2 less "
            "if they contradict) reaches this."
        ),
    )

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
