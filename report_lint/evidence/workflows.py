"""GitHub workflow files reduced to what evidence rules ask about: triggers, matrices, steps.

Files are read through :mod:`report_lint.evidence.yamlread` (bounded work; a file over a limit is a
workflow with an ``error``).  Keys GitHub would reject because they sit one level off (``matrix:`` beside
``strategy:``, ``paths:`` directly under ``on:``, a setup action's ``cache:`` beside ``with:``) are kept
as :class:`Misplaced` with their line, so a verdict can say why present evidence does not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from report_lint.evidence.repo import RepoIndex
from report_lint.evidence.yamlread import Unreadable, YMap, parse_yaml, read_yaml

# the keys a step may have; any other key of a step is misplaced (most often an input of ``with:``)
STEP_KEYS = frozenset(
    {"id", "if", "name", "uses", "run", "shell", "with", "env", "continue-on-error", "timeout-minutes",
     "working-directory"}
)  # fmt: skip


@dataclass(frozen=True)
class Step:
    uses: str
    run: str
    with_keys: frozenset[str]


@dataclass(frozen=True)
class Misplaced:
    """A key GitHub would reject where it is: "`matrix:` is not under `strategy:`"."""

    key: str
    line: int
    belongs: str  # where it belongs, e.g. "`strategy:`"

    def describe(self, path: str) -> str:
        return f"`{self.key}:` is not under {self.belongs} ({path}:{self.line})"


@dataclass(frozen=True)
class Workflow:
    path: str
    triggers: dict[str, dict[str, Any]]  # event -> its settings ({} when none)
    matrix_keys: frozenset[str]
    steps: tuple[Step, ...]
    error: str | None = None
    trigger_paths: tuple[str, ...] = field(default=())  # every on.<event>.paths entry
    misplaced: tuple[Misplaced, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.error is None


def _triggers(raw: Any) -> dict[str, dict[str, Any]]:
    if isinstance(raw, str):
        return {raw: {}}
    if isinstance(raw, list):
        return {str(e): {} for e in raw if isinstance(e, str)}
    if isinstance(raw, dict):
        return {str(k): (v if isinstance(v, dict) else {}) for k, v in raw.items()}
    return {}


def _matrix_keys(matrix: Any) -> set[str]:
    keys: set[str] = set()
    if not isinstance(matrix, dict):
        return keys  # an expression such as ${{ fromJson(...) }}
    for key, value in matrix.items():
        if key in ("include", "exclude"):
            if key == "include" and isinstance(value, list):
                for entry in value:
                    if isinstance(entry, dict):
                        keys.update(str(k) for k in entry)
            continue
        keys.add(str(key))
    return keys


def _line(mapping: Any, key: str) -> int:
    return mapping.lines.get(key, 0) if isinstance(mapping, YMap) else 0


def workflow_from_data(path: str, data: Any) -> Workflow:
    if not isinstance(data, dict):
        return Workflow(path, {}, frozenset(), (), error="not a mapping")
    raw_on = data.get("on")
    triggers = _triggers(raw_on)
    misplaced: list[Misplaced] = []
    if "paths" in triggers and isinstance(raw_on, dict):
        misplaced.append(Misplaced("paths", _line(raw_on, "paths"), "an event such as `push:`"))
    paths: list[str] = []
    for settings in triggers.values():
        entries = settings.get("paths")
        if isinstance(entries, list):
            paths += [str(p) for p in entries if isinstance(p, str)]
        elif isinstance(entries, str):
            paths.append(entries)
    matrix: set[str] = set()
    steps: list[Step] = []
    jobs = data.get("jobs")
    if isinstance(jobs, dict):
        for job in jobs.values():
            if not isinstance(job, dict):
                continue
            strategy = job.get("strategy")
            if isinstance(strategy, dict):
                matrix |= _matrix_keys(strategy.get("matrix"))
            if "matrix" in job:
                misplaced.append(Misplaced("matrix", _line(job, "matrix"), "`strategy:`"))
            if isinstance(job.get("uses"), str):  # a reusable workflow call
                steps.append(Step(job["uses"], "", frozenset()))
            job_steps = job.get("steps")
            if not isinstance(job_steps, list):
                continue
            for step in job_steps:
                if not isinstance(step, dict):
                    continue
                uses = step.get("uses")
                run = step.get("run")
                with_ = step.get("with")
                if isinstance(uses, str):
                    misplaced += [
                        Misplaced(k, _line(step, k), "the step's `with:`") for k in step if k not in STEP_KEYS
                    ]
                steps.append(
                    Step(
                        uses if isinstance(uses, str) else "",
                        run if isinstance(run, str) else "",
                        frozenset(str(k) for k in with_) if isinstance(with_, dict) else frozenset(),
                    )
                )
    return Workflow(
        path,
        triggers,
        frozenset(matrix),
        tuple(steps),
        trigger_paths=tuple(paths),
        misplaced=tuple(misplaced),
    )


def parse_workflow(path: str, text: str) -> Workflow:
    """A workflow from its text (within the YAML limits)."""
    try:
        data = parse_yaml(text)
    except Unreadable as exc:
        return Workflow(path, {}, frozenset(), (), error=exc.reason)
    return workflow_from_data(path, data)


def workflows(index: RepoIndex, globs: tuple[str, ...]) -> list[Workflow]:
    """The workflow files matching ``globs`` (cached per index); unreadable ones carry their error."""
    key = ("workflows", globs)
    cached = index.cache.get(key)
    if cached is None:
        cached = []
        for path in index.glob(globs):
            try:
                data = read_yaml(index, path)
            except Unreadable as exc:
                cached.append(Workflow(path, {}, frozenset(), (), error=exc.reason))
                continue
            cached.append(workflow_from_data(path, data))
        index.cache[key] = cached
    return list(cached)
