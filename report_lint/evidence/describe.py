"""Evidence in words: what counts as a piece of evidence, for the docs table and for messages."""

from __future__ import annotations

from collections.abc import Sequence

from report_lint.packs.plain import (
    AllEvidence,
    AnyEvidence,
    CodeEvidence,
    DependencyEvidence,
    Evidence,
    FilesEvidence,
    GitEvidence,
    StepQuery,
    TextEvidence,
    WorkflowEvidence,
    WorkflowQuery,
)


def bare(label: str) -> str:
    for article in ("a ", "an "):
        if label.startswith(article):
            return label[len(article) :]
    return label


def or_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def describe_step(step: StepQuery) -> str:
    parts = []
    if step.uses is not None:
        parts.append(f"using `{step.uses}`")
    if step.run is not None:
        parts.append(f"running `{step.run}`")
    if step.with_key is not None:
        parts.append(f"with `{step.with_key}:`")
    return "a step " + " and ".join(parts)


def describe_workflow(query: WorkflowQuery) -> str:
    parts = []
    if query.events is not None:
        parts.append("triggered by " + or_list(query.events))
    if query.paths is not None:
        parts.append(f"with trigger paths matching `{query.paths}`")
    if query.matrix is not None:
        parts.append("with a matrix over " + or_list(query.matrix))
    if query.step is not None:
        parts.append("with " + describe_step(query.step))
    return "a workflow " + " and ".join(parts)


def describe(evidence: Evidence) -> str:
    """What counts as this evidence, in words (for the docs table and messages)."""
    if evidence.label is not None and not isinstance(evidence, (AnyEvidence, AllEvidence)):
        return evidence.label
    if isinstance(evidence, FilesEvidence):
        text = or_list([f"`{g}`" for g in evidence.files])
        return f"{evidence.min_count} files matching {text}" if evidence.min_count > 1 else f"a file {text}"
    if isinstance(evidence, DependencyEvidence):
        if evidence.dependency == ["*"]:
            return "any declared dependency"
        return "dependency " + or_list([f"`{d}`" for d in evidence.dependency])
    if isinstance(evidence, (CodeEvidence, TextEvidence)):
        pattern = evidence.code if isinstance(evidence, CodeEvidence) else evidence.text
        also = f" also matching `{evidence.also}`" if evidence.also is not None else ""
        return f"`{pattern}` in " + or_list(evidence.globs) + also
    if isinstance(evidence, WorkflowEvidence):
        return describe_workflow(evidence.workflow)
    if isinstance(evidence, GitEvidence):
        if evidence.git.remote is not None:
            return f"a git remote matching `{evidence.git.remote}`"
        return "a git work tree"
    if isinstance(evidence, AnyEvidence):
        parts = [describe(e) for e in evidence.any]
        if evidence.at_least > 1:
            return f"at least {evidence.at_least} of: " + "; ".join(parts)
        return " or ".join(parts) if len(parts) <= 2 else "one of: " + "; ".join(parts)
    if isinstance(evidence, AllEvidence):
        return " and ".join(_all_part(e, last=i == len(evidence.all) - 1) for i, e in enumerate(evidence.all))
    raise TypeError(type(evidence))  # pragma: no cover


def _all_part(evidence: Evidence, *, last: bool) -> str:
    """One part of an ``all``: an alternative reads "either A, B or C" (followed by a comma unless it
    is the last part) rather than "(A or B)", whose parenthesis would hold the parts' own ones
    ("(a docker build command (tasks.py, …) or …)")."""
    if not isinstance(evidence, AnyEvidence) or evidence.at_least > 1:
        return f"({describe(evidence)})" if isinstance(evidence, AnyEvidence) else describe(evidence)
    text = "either " + or_list([describe(e) for e in evidence.any])
    return text if last else text + ","


def label_of(evidence: Evidence) -> str:
    if evidence.label is not None:
        return evidence.label
    if isinstance(evidence, FilesEvidence):
        return or_list(evidence.files)
    return describe(evidence)
