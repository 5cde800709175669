"""GitHub workflow files reduced to what evidence rules ask about: triggers, matrices, steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from report_lint.evidence.repo import RepoIndex


@dataclass(frozen=True)
class Step:
    uses: str
    run: str
    with_keys: frozenset[str]


@dataclass(frozen=True)
class Workflow:
    path: str
    triggers: dict[str, dict[str, Any]]  # event -> its settings ({} when none)
    matrix_keys: frozenset[str]
    steps: tuple[Step, ...]
    error: str | None = None
    trigger_paths: tuple[str, ...] = field(default=())  # every on.<event>.paths entry

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


def parse_workflow(path: str, text: str) -> Workflow:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return Workflow(path, {}, frozenset(), (), error=f"not valid YAML{where}")
    if not isinstance(data, dict):
        return Workflow(path, {}, frozenset(), (), error="not a mapping")
    # YAML 1.1 reads the bare key ``on`` as the boolean True
    raw_on = data.get("on", data.get(True))
    triggers = _triggers(raw_on)
    paths: list[str] = []
    for settings in triggers.values():
        entries = settings.get("paths")
        if isinstance(entries, list):
            paths += [str(p) for p in entries]
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
                steps.append(
                    Step(
                        uses if isinstance(uses, str) else "",
                        run if isinstance(run, str) else "",
                        frozenset(str(k) for k in with_) if isinstance(with_, dict) else frozenset(),
                    )
                )
    return Workflow(path, triggers, frozenset(matrix), tuple(steps), trigger_paths=tuple(paths))


def workflows(index: RepoIndex, globs: tuple[str, ...]) -> list[Workflow]:
    """The parsed workflow files matching ``globs`` (cached per index)."""
    key = ("workflows", globs)
    cached = index.cache.get(key)
    if cached is None:
        cached = []
        for path in index.glob(globs):
            text = index.read_text(path)
            if text is not None:
                cached.append(parse_workflow(path, text))
        index.cache[key] = cached
    return list(cached)
