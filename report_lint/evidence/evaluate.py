"""Evaluating evidence nodes against a repository index.

Every evaluation says whether the evidence was found, what was found ("found .pre-commit-config.yaml")
and, when it was not, what was searched ("no Dockerfile or *.dockerfile among 93 tracked files").
Patterns are RE2 over at most ``RepoIndex.max_file_bytes`` of each file: linear time, no blow-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from report_lint.evidence.deps import dependencies
from report_lint.evidence.describe import bare, describe, label_of, or_list
from report_lint.evidence.repo import RepoIndex
from report_lint.evidence.textview import line_of, searchable
from report_lint.evidence.workflows import Step, Workflow, workflows
from report_lint.evidence.yamlread import Unreadable
from report_lint.packs.plain import (
    CODE_GLOBS,
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
    compile_pattern,
)

MAX_SHOWN = 3


@dataclass(frozen=True)
class EvidenceResult:
    found: bool
    found_items: tuple[str, ...]  # e.g. ("Dockerfile", "`import wandb` in src/track.py:1")
    what: str  # what was looked for, e.g. "Dockerfile or *.dockerfile"
    where: str  # where, e.g. "among 93 tracked files", "in 12 Python files"
    detail: str = ""  # a full "no …" sentence overriding the default (combinators)
    # why present evidence did not count: "could not read FILE (reason)", "`matrix:` is not under …"
    notes: tuple[str, ...] = ()

    @property
    def sentence(self) -> str:
        """What was searched, without the notes: "no Dockerfile or *.dockerfile among 93 tracked files"."""
        return self.detail or f"no {bare(self.what)} {self.where}".rstrip()

    @property
    def missing(self) -> str:
        """:attr:`sentence` and then the notes saying why present evidence did not count."""
        return "; ".join((self.sentence, *self.notes))

    @property
    def found_text(self) -> str:
        return "found " + ", ".join(self.found_items) if self.found_items else ""

    @property
    def summary(self) -> str:
        return self.found_text if self.found else self.missing


def _some(items: Sequence[str]) -> str:
    shown = ", ".join(items[:MAX_SHOWN])
    if len(items) > MAX_SHOWN:
        shown += f" and {len(items) - MAX_SHOWN} more"
    return shown


def _singular(noun: str) -> str:
    """ "tracked files" -> "tracked file", "Python files and notebooks" -> "Python file or notebook"."""
    return noun.replace("files and notebooks", "file or notebook").replace("files", "file", 1)


def _plural(n: int, noun: str) -> str:
    return f"{n} {_singular(noun) if n == 1 else noun}"


def _only(n: int, of: str) -> str:
    """ "only 2 of the 4 …", and "none of the 4 …" rather than "only 0 of the 4 …"."""
    return f"only {n} of {of}" if n else f"none of {of}"


# ---------------------------------------------------------------- evaluation


def _few_files(index: RepoIndex) -> str | None:
    """What the repository holds, said outright when it is at most one file (a report-only repository
    would otherwise read "among 0 tracked files"); None otherwise."""
    n = len(index)
    if n > 1:
        return None
    besides = " besides the report" if index.left_out else ""
    if n == 0:
        return f"the repository has no {index.noun}{besides}"
    return f"the repository's only {_singular(index.noun)}{besides} is {index.files[0]}"


def _among(index: RepoIndex) -> str:
    """Where a search looked, after "no X": "among 93 tracked files", or a clause for 0 or 1 files."""
    few = _few_files(index)
    return f"among {_plural(len(index), index.noun)}" if few is None else f"— {few}"


def _files(ev: FilesEvidence, index: RepoIndex) -> EvidenceResult:
    matches = index.glob(ev.files, ev.exclude)
    label = label_of(ev)
    if len(matches) >= ev.min_count:
        return EvidenceResult(True, tuple(matches[:MAX_SHOWN]) + _more(matches), label, _among(index))
    if matches:
        return EvidenceResult(
            False,
            (),
            label,
            _among(index),
            f"{_only(len(matches), f'the {ev.min_count} {bare(label)} needed')} {_among(index)}",
        )
    return EvidenceResult(False, (), label, _among(index))


def _more(items: Sequence[str]) -> tuple[str, ...]:
    return (f"{len(items) - MAX_SHOWN} more",) if len(items) > MAX_SHOWN else ()


NO_DEPENDENCY_FILES = (
    "— there is no requirements*.txt, pyproject.toml, lock file, Pipfile, conda environment file or setup.cfg"
)


def _dependency(ev: DependencyEvidence, index: RepoIndex) -> EvidenceResult:
    view = dependencies(index)
    label = label_of(ev)
    notes = tuple(could_not_read(path, reason) for path, reason in view.unreadable.items())
    if not view.files:
        where = "" if notes else NO_DEPENDENCY_FILES
    else:
        where = f"among {len(view.names)} dependencies declared in {_some(view.files)}"
    if ev.dependency == ["*"]:
        if view.names:
            return EvidenceResult(
                True, (f"{len(view.names)} dependencies declared in {_some(view.files)}",), label, where
            )
        return EvidenceResult(False, (), "declared dependencies", where, notes=notes)
    found = view.find(ev.dependency)
    if found:
        items = tuple(f"{name} in {_some(where_)}" for name, where_ in sorted(found.items()))
        return EvidenceResult(True, items[:MAX_SHOWN] + _more(items), label, where)
    return EvidenceResult(False, (), label, where, notes=notes)


def _globs_noun(globs: Sequence[str]) -> str:
    if tuple(globs) == CODE_GLOBS:
        return "Python files and notebooks"
    if list(globs) == ["*.py"]:
        return "Python files"
    return or_list([g.lstrip("/") for g in globs]) + " files"


def _snippet(raw: bytes, limit: int = 60) -> str:
    text = " ".join(raw.decode("utf-8", "replace").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def could_not_read(path: str, reason: str) -> str:
    return f"could not read {path} ({reason})"


def _search(
    index: RepoIndex,
    ev: CodeEvidence | TextEvidence,
    pattern: str,
    globs: Sequence[str],
    exclude: Sequence[str],
) -> tuple[list[str], list[str], list[str]]:
    """(matches as "`text` in path:line", files searched, could-not-read notes)."""
    rx = _compiled(index, pattern, ev.ignore_case)
    also = None if ev.also is None else _compiled(index, ev.also, ev.ignore_case)
    searched = index.glob(globs, exclude)
    hits: list[str] = []
    notes: list[str] = []
    for path in searched:
        try:
            text = searchable(index, path)
        except Unreadable as exc:
            notes.append(could_not_read(path, exc.reason))
            continue
        if text is None:
            continue
        m = rx.search(text.data)
        if m is None:
            continue
        hit = f"`{_snippet(m.group(0))}` in {text.where(path, m.start())}"
        if also is not None:
            m2 = also.search(text.data)
            if m2 is None:
                continue
            where = f"line {line_of(text.data, m2.start())}" if text.cells is None else "the same notebook"
            hit += f" with `{_snippet(m2.group(0))}` ({where})"
        hits.append(hit)
        if len(hits) >= MAX_SHOWN:
            break
    return hits, searched, notes


def _compiled(index: RepoIndex, pattern: str, ignore_case: bool) -> Any:
    key = ("rx", pattern, ignore_case)
    rx = index.cache.get(key)
    if rx is None:
        rx = index.cache[key] = compile_pattern(pattern, ignore_case=ignore_case)
    return rx


def _pattern(ev: CodeEvidence | TextEvidence, index: RepoIndex) -> EvidenceResult:
    pattern = ev.code if isinstance(ev, CodeEvidence) else ev.text
    hits, searched, notes = _search(index, ev, pattern, ev.globs, ev.exclude)
    label = ev.label if ev.label is not None else f"`{pattern}`"
    noun = _globs_noun(ev.globs)
    if not searched:
        # a clause, not a parenthesis: the label often ends in one ("a model definition (layers, …)")
        few = _few_files(index)
        where = f"— {few}" if few is not None else f"— there are no {noun} {_among(index)}"
    else:
        where = f"in {_plural(len(searched), noun)}"
        if index.budget_exhausted:
            where += " (read budget exhausted)"
    return EvidenceResult(
        bool(hits), tuple(hits), label, where, notes=tuple(notes[:MAX_SHOWN]) + _more(notes)
    )


def _step_detail(index: RepoIndex, query: StepQuery, step: Step) -> str | None:
    if query.uses is not None and not _compiled(index, query.uses, False).search(step.uses.encode()):
        return None
    if query.run is not None and not _compiled(index, query.run, False).search(step.run.encode()):
        return None
    if query.with_key is not None and query.with_key not in step.with_keys:
        return None
    if step.uses and (query.uses is not None or query.run is None):
        detail = f"uses: {step.uses}"
        return detail + f" with {query.with_key}:" if query.with_key else detail
    lines = [ln.strip() for ln in step.run.split("\n") if ln.strip()]
    if query.run is not None:
        rx = _compiled(index, query.run, False)
        lines = [ln for ln in lines if rx.search(ln.encode())] or lines
    return "run: " + _snippet((lines[0] if lines else "").encode())


def workflow_detail(index: RepoIndex, query: WorkflowQuery, wf: Workflow) -> str | None:
    """A short description of what matched ``query`` in ``wf``, or None if it does not match."""
    if not wf.ok:
        return None
    details: list[str] = []
    if query.events is not None:
        events = [e for e in query.events if e in wf.triggers]
        if not events:
            return None
        details.append("on: " + ", ".join(events))
    if query.paths is not None:
        rx = _compiled(index, query.paths, False)
        paths = [p for p in wf.trigger_paths if rx.search(p.encode())]
        if not paths:
            return None
        details.append("paths: " + ", ".join(paths[:MAX_SHOWN]))
    if query.matrix is not None:
        keys = [k for k in query.matrix if k in wf.matrix_keys]
        if not keys:
            return None
        details.append("matrix: " + ", ".join(keys))
    if query.step is not None:
        for step in wf.steps:
            detail = _step_detail(index, query.step, step)
            if detail is not None:
                details.append(detail)
                break
        else:
            return None
    return "; ".join(details)


def workflow_matches(index: RepoIndex, query: WorkflowQuery, wf: Workflow) -> bool:
    return workflow_detail(index, query, wf) is not None


def _workflow(ev: WorkflowEvidence, index: RepoIndex) -> EvidenceResult:
    found = workflows(index, tuple(ev.globs))
    label = label_of(ev)
    hits = []
    for wf in found:
        detail = workflow_detail(index, ev.workflow, wf)
        if detail is not None:
            hits.append(f"`{detail}` in {wf.path}")
    if not found:
        return EvidenceResult(False, (), label, "— there are no workflow files in .github/workflows/")
    where = f"in {_plural(len(found), 'workflow files')}"
    notes = [could_not_read(wf.path, wf.error) for wf in found if wf.error is not None]
    notes += [m.describe(wf.path) for wf in found for m in wf.misplaced if m.key in _asked_keys(ev.workflow)]
    return EvidenceResult(
        bool(hits), tuple(hits[:MAX_SHOWN]), label, where, notes=tuple(notes[:MAX_SHOWN]) + _more(notes)
    )


def _asked_keys(query: WorkflowQuery) -> frozenset[str]:
    """The workflow keys ``query`` reads, whose misplacement explains a miss."""
    keys = set()
    if query.matrix is not None:
        keys.add("matrix")
    if query.paths is not None:
        keys.add("paths")
    if query.step is not None and query.step.with_key is not None:
        keys.add(query.step.with_key)
    return frozenset(keys)


def _git(ev: GitEvidence, index: RepoIndex) -> EvidenceResult:
    label = label_of(ev)
    if not index.source.is_git:
        return EvidenceResult(False, (), label, "", "not a git work tree")
    if ev.git.remote is None:
        return EvidenceResult(True, ("a git work tree",), label, "")
    remotes = index.cache.get("remotes")
    if remotes is None:
        remotes = index.cache["remotes"] = index.source.remotes()
    rx = _compiled(index, ev.git.remote, True)
    hits = [r for r in remotes if rx.search(r.encode())]
    where = f"(remotes: {_some(remotes) or 'none'})"
    return EvidenceResult(bool(hits), tuple(f"remote {r}" for r in hits[:MAX_SHOWN]), label, where)


def _notes(results: Sequence[EvidenceResult]) -> tuple[str, ...]:
    """The children's notes, each once, in order."""
    return tuple(dict.fromkeys(n for r in results for n in r.notes))


def _any(ev: AnyEvidence, index: RepoIndex) -> EvidenceResult:
    results = [evaluate(child, index) for child in ev.any]
    hits = [r for r in results if r.found]
    what = ev.label if ev.label is not None else or_list([bare(r.what) for r in results])
    if len(hits) >= ev.at_least:
        return EvidenceResult(True, tuple(i for r in hits for i in r.found_items), what, _among(index))
    notes = _notes([r for r in results if not r.found])
    if ev.at_least > 1:
        # what was found goes last: a label often ends in its own parenthesis ("the layout (src/, …)")
        found = f" (found {', '.join(bare(r.what) for r in hits)})" if hits else ""
        parts = _only(len(hits), f"the {ev.at_least} needed parts of {bare(what)}")
        detail = f"{parts} {_among(index)}{found}"
        return EvidenceResult(False, (), what, _among(index), detail, notes)
    return EvidenceResult(False, (), what, _among(index), notes=notes)


def _all(ev: AllEvidence, index: RepoIndex) -> EvidenceResult:
    results = [evaluate(child, index) for child in ev.all]
    what = ev.label if ev.label is not None else " and ".join(bare(r.what) for r in results)
    if all(r.found for r in results):
        return EvidenceResult(True, tuple(i for r in results for i in r.found_items), what, _among(index))
    failed = [r for r in results if not r.found]
    sentences = [r.sentence for r in failed]
    few = _few_files(index)
    tail = f" — {few}" if few is not None else ""
    if tail and len(sentences) > 1 and all(s.endswith(tail) for s in sentences):
        # said once: "no A; no B — the repository has no tracked files besides the report"
        sentences = [s[: -len(tail)] for s in sentences[:-1]] + sentences[-1:]
    return EvidenceResult(False, (), what, _among(index), "; ".join(sentences), _notes(failed))


def evaluate(evidence: Evidence, index: RepoIndex) -> EvidenceResult:
    """Evaluate ``evidence`` against ``index`` (results cached on the index)."""
    key = ("result", id(evidence))
    hit = index.cache.get(key)
    if hit is not None and hit[0] is evidence:
        result: EvidenceResult = hit[1]
        return result
    if isinstance(evidence, FilesEvidence):
        result = _files(evidence, index)
    elif isinstance(evidence, DependencyEvidence):
        result = _dependency(evidence, index)
    elif isinstance(evidence, (CodeEvidence, TextEvidence)):
        result = _pattern(evidence, index)
    elif isinstance(evidence, WorkflowEvidence):
        result = _workflow(evidence, index)
    elif isinstance(evidence, GitEvidence):
        result = _git(evidence, index)
    elif isinstance(evidence, AnyEvidence):
        result = _any(evidence, index)
    elif isinstance(evidence, AllEvidence):
        result = _all(evidence, index)
    else:  # pragma: no cover
        raise TypeError(type(evidence))
    index.cache[key] = (evidence, result)
    return result


# ``describe`` moved to report_lint.evidence.describe; still importable from here
__all__ = ["EvidenceResult", "describe", "evaluate", "workflow_detail", "workflow_matches"]
