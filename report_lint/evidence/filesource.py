"""Where the repository's files come from: the :class:`FileSource` seam, and lookups over a listing.

:class:`FileSource` is the backend seam: a source implements ``list()``, ``read()`` and ``size()`` and
plugs into :class:`~report_lint.evidence.repo.RepoIndex` (the evidence engine) and
``CheckContext.files()`` (the report checks) unchanged; the work tree's sources are
:class:`~report_lint.evidence.gitlisting.GitWorkTreeSource` and
:class:`~report_lint.evidence.walk.WalkSource`, and :class:`report_lint.batch.gitsource.GitCommitSource`
reads one commit's git objects.  The lookups the checks need (exact, directory, case-insensitive) are
answered from the listing alone by :class:`PathTable`, built once per source.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path

MAX_FILE_BYTES = 512 * 1024  # read at most this much of any one file
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # and at most this much per index


class PathTable:
    """Exact, directory and case-insensitive lookups over one listing, built lazily and once."""

    def __init__(self, files: Iterable[str]) -> None:
        self.files = tuple(files)
        self.file_set = frozenset(self.files)

    @cached_property
    def dirs(self) -> frozenset[str]:
        """Every directory holding a listed file, derived from the paths ("" is the root)."""
        out: set[str] = set()
        for name in self.files:
            cut = name.rfind("/")
            while cut > 0:
                parent = name[:cut]
                if parent in out:
                    break  # and so are all of its parents
                out.add(parent)
                cut = name.rfind("/", 0, cut)
        return frozenset(out)

    @cached_property
    def folded(self) -> dict[str, str]:
        """casefold(path) -> the listed spelling (files before directories, first in sorted order)."""
        out: dict[str, str] = {}
        for name in (*sorted(self.files), *sorted(self.dirs)):
            out.setdefault(name.casefold(), name)
        return out

    def is_file(self, path: str) -> bool:
        return path in self.file_set

    def is_dir(self, path: str) -> bool:
        return path == "" or path in self.dirs

    def exists(self, path: str) -> bool:
        return self.is_file(path) or self.is_dir(path)

    def case_variant(self, path: str) -> str | None:
        """The listed file or directory spelled like ``path`` up to case, if ``path`` itself is not."""
        hit = self.folded.get(path.casefold())
        return hit if hit is not None and hit != path else None


class FileSource(ABC):
    """Where the repository's files come from.

    Paths are root-relative and '/'-separated.  Only listed files may be read; nothing outside the
    root is ever opened.
    """

    root: Path
    # how listings are described to users: "tracked files" for git, "files" otherwise
    noun: str = "files"
    is_git: bool = False

    @abstractmethod
    def list(self) -> Sequence[str]:
        """Root-relative '/'-separated paths of the files that count, sorted."""

    @abstractmethod
    def read(self, path: str, limit: int) -> bytes | None:
        """At most ``limit`` bytes of a listed file; None if it cannot be read."""

    @abstractmethod
    def size(self, path: str) -> int | None:
        """The size in bytes of a listed file; None if it is not one."""

    @cached_property
    def table(self) -> PathTable:
        """Lookups over :meth:`list`, built on first use."""
        return PathTable(self.list())

    def escapes(self, path: str) -> bool:
        """True if ``path``, or a directory on its way, is a symbolic link leading out of the root.

        Such paths are never listed nor read; this only says why a path is missing.
        """
        return False

    def excluded(self, path: str) -> str | None:
        """Why ``path``, present in the work tree but not listed, does not count (e.g. "git ignores it
        (`*.png` in .gitignore line 3) and it is not committed"); None if it is not such a file."""
        return None

    def remotes(self) -> builtins.list[str]:
        """Remote URLs (git sources only)."""
        return []
