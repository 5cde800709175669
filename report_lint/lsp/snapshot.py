"""The repository as it was at the last save: one listing and cached reads, shared by every keystroke.

A lint on each change would otherwise list the repository again (``git ls-files``) and re-read every
file the checklist evidence and the figure checks look at.  The editor's buffer changes, the repository
around it does not (much) while a student types, so the server takes a snapshot when a report is first
linted and again on every save of it, and lints buffers against the snapshot in between.  A figure added
to the repository therefore shows up at the next save, as the evidence does.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from functools import cached_property

from report_lint.evidence.filesource import FileSource


class SnapshotSource(FileSource):
    """A :class:`FileSource` that asks its inner source once per question and remembers the answer."""

    def __init__(self, inner: FileSource) -> None:
        self.inner = inner
        self.root = inner.root
        self.noun = inner.noun
        self.is_git = inner.is_git
        self._reads: dict[tuple[str, int], bytes | None] = {}
        self._sizes: dict[str, int | None] = {}
        self._escapes: dict[str, bool] = {}
        self._excluded: dict[str, str | None] = {}

    @cached_property
    def _listing(self) -> tuple[str, ...]:
        return tuple(self.inner.list())

    def list(self) -> Sequence[str]:
        return self._listing

    def read(self, path: str, limit: int) -> bytes | None:
        key = (path, limit)
        if key not in self._reads:
            self._reads[key] = self.inner.read(path, limit)
        return self._reads[key]

    def size(self, path: str) -> int | None:
        if path not in self._sizes:
            self._sizes[path] = self.inner.size(path)
        return self._sizes[path]

    def escapes(self, path: str) -> bool:
        if path not in self._escapes:
            self._escapes[path] = self.inner.escapes(path)
        return self._escapes[path]

    def excluded(self, path: str) -> str | None:
        if path not in self._excluded:
            self._excluded[path] = self.inner.excluded(path)
        return self._excluded[path]

    @cached_property
    def _remotes(self) -> tuple[str, ...]:
        return tuple(self.inner.remotes())

    def remotes(self) -> builtins.list[str]:
        return list(self._remotes)
