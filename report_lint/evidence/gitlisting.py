"""The files that count inside a git work tree: the tracked files plus untracked files that are not
ignored (``git ls-files --cached --others --exclude-standard``)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from report_lint import gitcmd
from report_lint.errors import InputError
from report_lint.evidence.gitconfig import local_remote_urls
from report_lint.evidence.worktree import WorkTreeSource, _prefixes

GIT_TIMEOUT = 30.0


def run_git(root: Path, *args: str, timeout: float = GIT_TIMEOUT) -> bytes | None:
    """Run ``git <args>`` in ``root`` (through :mod:`report_lint.gitcmd`); None if git is missing or fails."""
    try:
        done = gitcmd.run(args, cwd=root, timeout=timeout)
    except InputError:
        return None
    return done.stdout if done.ok else None


class GitWorkTreeSource(WorkTreeSource):
    """Tracked plus untracked-but-not-ignored files of a git work tree."""

    noun = "tracked files"
    is_git = True

    def __init__(self, root: Path, listing: bytes) -> None:
        super().__init__(root)
        self._listing = listing

    @classmethod
    def open(cls, root: Path) -> GitWorkTreeSource | None:
        """The git source for ``root``, or None when it is not in a work tree (or git is missing).

        One process: ``ls-files`` itself fails outside a work tree (no repository, a bare one, inside
        ``.git``), which is what a separate ``rev-parse --is-inside-work-tree`` used to ask first."""
        listing = run_git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        if listing is None:
            return None
        return cls(root, listing)

    @cached_property
    def _names(self) -> frozenset[str]:
        """Everything git lists, before the work-tree checks."""
        return frozenset(n.decode("utf-8", "surrogateescape") for n in self._listing.split(b"\0") if n)

    @cached_property
    def _files(self) -> tuple[str, ...]:
        # tracked files deleted from the work tree, submodules and links out of the root do not count
        return tuple(sorted(n for n in self._names if self._safe(n) is not None))

    def list(self) -> Sequence[str]:
        return self._files

    def escapes(self, path: str) -> bool:
        # git lists a link (to a file or a directory) as itself and never looks behind it
        return any(p in self._names and self._link_escapes(p) for p in _prefixes(path))

    def excluded(self, path: str) -> str | None:
        if path in self._names or not self._on_disk(path):
            return None
        for prefix in _prefixes(path):
            if prefix != path and (prefix in self._names or prefix + "/" in self._names):
                return f"it is inside `{prefix}/`, a separate git repository, which this one does not hold"
        out = run_git(self.root, "check-ignore", "-v", "--no-index", "--", path)
        if out:
            where, _, _ = out.decode("utf-8", "replace").partition("\t")
            source, _, rest = where.partition(":")
            line, _, pattern = rest.partition(":")
            if pattern and not pattern.startswith("!"):
                return f"git ignores it (`{pattern}` in {source} line {line}) and it is not committed"
        return "git does not list it (it is not committed)"

    def remotes(self) -> builtins.list[str]:
        # the repository's own config read in place when it is plain enough (gitconfig.py: git's answer,
        # one git process less per lint), else git itself
        text = local_remote_urls(self.root)
        if text is None:
            out = run_git(
                self.root, "config", "--local", "--no-includes", "--get-regexp", r"^remote\..*\.url$"
            )
            if out is None:
                return []
            text = out.decode("utf-8", "replace")
        urls = []
        for line in text.splitlines():
            _, _, url = line.partition(" ")
            if url:
                urls.append(url.strip())
        return urls
