"""The repository index: which files count as the repository's, and size-capped reads of them.

Inside a git work tree the files that count are the tracked files plus untracked files that are not
ignored (``git ls-files --cached --others --exclude-standard``, gitlisting.py).  Outside git, a walk
that prunes the usual junk and every directory the ``.gitignore`` files ignore (walk.py), so that
ignored data never costs anything.  Nothing from the repository is ever executed; reads stay inside the
root and symlinks leading out of it are ignored (worktree.py).

:class:`~report_lint.evidence.filesource.FileSource` is the backend seam (filesource.py): a source
plugs into :class:`RepoIndex` (the evidence engine) and ``CheckContext.files()`` (the report checks)
unchanged.  Glob matching over the listing is globmatch.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from report_lint.evidence.filesource import MAX_FILE_BYTES, MAX_TOTAL_BYTES, FileSource
from report_lint.evidence.gitlisting import GitWorkTreeSource
from report_lint.evidence.globmatch import _selector
from report_lint.evidence.walk import WalkSource


def open_source(root: Path, *, use_git: bool = True) -> FileSource:
    """The git listing when ``root`` is inside a git work tree, else the walk."""
    if use_git:
        source = GitWorkTreeSource.open(root)
        if source is not None:
            return source
    return WalkSource(root)


class RepoIndex:
    """The files that count, glob matching over them, and lazy size-capped cached reads."""

    def __init__(
        self,
        source: FileSource,
        *,
        exclude: Iterable[str] = (),
        max_file_bytes: int = MAX_FILE_BYTES,
        max_total_bytes: int = MAX_TOTAL_BYTES,
    ) -> None:
        self.source = source
        self.root = source.root
        self.max_file_bytes = max_file_bytes
        self.max_total_bytes = max_total_bytes
        self._exclude = frozenset(exclude)
        self._reads: dict[str, bytes | None] = {}
        self._bytes_read = 0
        self.budget_exhausted = False
        self.cache: dict[Any, Any] = {}  # for evaluators: parsed workflows, dependency view, results

    @classmethod
    def open(cls, root: Path, *, exclude: Iterable[str] = (), use_git: bool = True) -> RepoIndex:
        return cls(open_source(root, use_git=use_git), exclude=exclude)

    @property
    def noun(self) -> str:
        return self.source.noun

    @cached_property
    def files(self) -> tuple[str, ...]:
        return tuple(f for f in self.source.list() if f not in self._exclude)

    def __len__(self) -> int:
        return len(self.files)

    @cached_property
    def left_out(self) -> tuple[str, ...]:
        """The listed files that ``exclude`` keeps from counting (the report), in listing order."""
        return tuple(f for f in self.source.list() if f in self._exclude)

    def glob(self, globs: Sequence[str], exclude: Sequence[str] = ()) -> list[str]:
        """Listed files matching any of ``globs`` (``.gitignore`` syntax), minus ``exclude``."""
        key = ("glob", tuple(globs), tuple(exclude))
        hit = self.cache.get(key)
        if hit is None:
            out = _selector(tuple(globs))(self.files, True)
            if exclude:
                out = _selector(tuple(exclude))(out, False)
            hit = self.cache[key] = out
        return list(hit)

    def exists(self, path: str) -> bool:
        return path in self._file_set

    @cached_property
    def _file_set(self) -> frozenset[str]:
        return frozenset(self.files)

    def read(self, path: str) -> bytes | None:
        """The first ``max_file_bytes`` of a listed file (cached); None if unreadable or over budget."""
        if path in self._reads:
            return self._reads[path]
        if path not in self._file_set:
            return None
        if self._bytes_read >= self.max_total_bytes:
            self.budget_exhausted = True
            return None
        data = self.source.read(path, self.max_file_bytes)
        if data is not None:
            self._bytes_read += len(data)
        self._reads[path] = data
        return data

    def read_text(self, path: str) -> str | None:
        data = self.read(path)
        return None if data is None else data.decode("utf-8", "replace")
