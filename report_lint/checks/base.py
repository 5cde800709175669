"""What every check module receives, and the shape of a check module."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from report_lint.diagnostic import Finding
from report_lint.evidence.checklist import SOURCE_CACHE_KEY
from report_lint.evidence.filesource import FileSource
from report_lint.evidence.repo import open_source
from report_lint.model import Report
from report_lint.packs.plain import CountMode, Pack


@dataclass
class CheckContext:
    pack: Pack
    rule: str  # the rule name being run
    options: dict[str, Any]  # that rule's options from the pack (merged chain)
    count_mode: CountMode  # after CLI and config overrides
    repo_root: Path
    # shared across the checks of one report, e.g. evidence verdicts computed once
    cache: dict[str, Any] = field(default_factory=dict)

    def files(self) -> FileSource:
        """The repository's files as checks may see them: tracked plus untracked-not-ignored, read only
        inside the root (a git commit's tree in batch ``--at`` mode)."""
        source = self.cache.get(SOURCE_CACHE_KEY)
        if not isinstance(source, FileSource):
            source = open_source(self.repo_root)
            self.cache[SOURCE_CACHE_KEY] = source
        return source


class CheckModule(Protocol):
    NAME: str
    SUMMARY: str  # one line, used as SARIF shortDescription and in docs
    HELP: str  # a paragraph for students: what it means and how to fix it

    def check(self, ctx: CheckContext, report: Report) -> Iterator[Finding]: ...
