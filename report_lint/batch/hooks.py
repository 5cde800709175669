"""Stopgap seams into :func:`report_lint.engine.lint_text` until it takes them as arguments.

``lint_text`` builds its own check cache, so batch cannot yet (1) hand the evidence engine a
:class:`~report_lint.evidence.repo.FileSource` reading a commit, (2) see the built
:class:`~report_lint.model.Report`, or (3) see the checklist verdicts when the engine does not copy
them into ``ReportResult.checklist``.  :func:`capture` wraps three module attributes for the duration
of one ``lint_text`` call, in the batch worker only (single-threaded), and restores them afterwards.
Every wrap is skipped when its attribute is missing, so a refactor degrades to "no capture", never a
crash.  Delete this module once ``lint_text(..., source=...)`` exists and returns report + checklist.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from report_lint.evidence.repo import FileSource


@dataclass
class Captured:
    report: Any = None  # report_lint.model.Report
    verdicts: list[Any] = field(default_factory=list)  # evidence.checklist.ItemVerdict


@contextmanager
def capture(source: FileSource | None) -> Iterator[Captured]:
    got = Captured()
    patches: list[tuple[Any, str, Any]] = []

    def wrap(module_name: str, attr: str, make: Callable[[Any], Any]) -> None:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            return
        original = getattr(module, attr, None)
        if original is None:
            return
        patches.append((module, attr, original))
        setattr(module, attr, make(original))

    def build(original: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            got.report = original(*args, **kwargs)
            return got.report

        return wrapper

    def verdicts(original: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            out = original(*args, **kwargs)
            got.verdicts.extend(out)
            return out

        return wrapper

    def opener(original: Any) -> Any:
        def wrapper(root: Any, *args: Any, **kwargs: Any) -> Any:
            return source if source is not None else original(root, *args, **kwargs)

        return wrapper

    wrap("report_lint.engine", "build_report", build)
    wrap("report_lint.evidence.checklist", "evaluate_checklist", verdicts)
    if source is not None:
        wrap("report_lint.evidence.checklist", "open_source", opener)
    try:
        yield got
    finally:
        for module, attr, original in reversed(patches):
            setattr(module, attr, original)
