"""The files that count outside git: a walk that prunes the usual junk and every directory the
``.gitignore`` files ignore (pathspec's gitignore matcher), so that ignored data never costs anything."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import pathspec

from report_lint.evidence.filesource import MAX_FILE_BYTES
from report_lint.evidence.globmatch import _matchable
from report_lint.evidence.worktree import WorkTreeSource, _prefixes

# directory names never descended into by the walk (git's own listing needs no such list)
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        ".ipynb_checkpoints",
        ".cache",
        ".eggs",
        "site-packages",
        ".idea",
        ".vscode",
        ".dvc_cache",
        "wandb",
        "outputs",
        "multirun",
        "lightning_logs",
    }
)


def _rebase_gitignore_line(line: str, base: str) -> str | None:
    """A line of ``<base>/.gitignore`` rewritten as a pattern relative to the walk root."""
    line = line.rstrip("\r\n")
    if not line.strip() or line.startswith("#"):
        return None
    if not base:
        return line
    negate = line.startswith("!")
    body = line[1:] if negate else line
    stripped = body.rstrip("/")
    if body.startswith("/"):
        body = base + body
    elif "/" in stripped:  # a slash before the end anchors the pattern at its .gitignore
        body = base + "/" + body
    else:
        body = base + "/**/" + body
    return ("!" if negate else "") + body


class WalkSource(WorkTreeSource):
    """A directory walk honouring ``.gitignore`` files, pruning ignored and junk directories."""

    def __init__(self, root: Path, skip_dirs: Iterable[str] = SKIP_DIRS) -> None:
        super().__init__(root)
        self.skip_dirs = frozenset(skip_dirs)

    def _gitignore_lines(self, directory: Path, base: str) -> list[str]:
        path = directory / ".gitignore"
        data = self.read(f"{base}/.gitignore" if base else ".gitignore", MAX_FILE_BYTES)
        if data is None or not path.is_file():
            return []
        lines = []
        for raw in data.decode("utf-8", "replace").split("\n"):
            rebased = _rebase_gitignore_line(raw, base)
            if rebased is not None:
                lines.append(rebased)
        return lines

    @cached_property
    def _files(self) -> tuple[str, ...]:
        return self._walk[0]

    @cached_property
    def _escaping(self) -> frozenset[str]:
        return self._walk[1]

    @cached_property
    def _walk(self) -> tuple[tuple[str, ...], frozenset[str]]:
        """(listed files, links met on the walk whose targets leave the root)."""
        files: list[str] = []
        escaping: set[str] = set()
        # stack of (directory relative path, accumulated gitignore lines, compiled spec)
        root_lines = self._gitignore_lines(self.root, "")
        # (directory on disk, its relative path as text, accumulated gitignore lines, compiled spec):
        # the disk path stays in the file system's encoding, the text is what rules see
        stack: list[tuple[str, str, list[str], Any]] = [
            (str(self.root), "", root_lines, pathspec.GitIgnoreSpec.from_lines(root_lines))
        ]
        while stack:
            directory, base, lines, spec = stack.pop()
            try:
                entries = list(os.scandir(directory))
            except OSError:
                continue
            for entry in entries:
                # the same text for a name as git's listing gives (UTF-8, surrogateescape), whatever
                # the file system encoding
                text = entry.name
                if not text.isascii():
                    text = os.fsencode(text).decode("utf-8", "surrogateescape")
                rel = f"{base}/{text}" if base else text
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    is_link = entry.is_symlink()
                except OSError:
                    continue
                if is_dir:
                    if entry.name in self.skip_dirs or (Path(entry.path) / "pyvenv.cfg").exists():
                        continue
                    if spec.match_file(_matchable(rel) + "/"):
                        continue  # pruned: an ignored directory is never listed
                    own = self._gitignore_lines(Path(entry.path), rel)
                    if own:
                        child_lines = lines + own
                        child_spec = pathspec.GitIgnoreSpec.from_lines(child_lines)
                        stack.append((entry.path, rel, child_lines, child_spec))
                    else:
                        stack.append((entry.path, rel, lines, spec))
                    continue
                if spec.match_file(_matchable(rel)):
                    continue
                if is_link and self._safe(rel) is None:
                    if self._link_escapes(rel):
                        escaping.add(rel)
                    continue  # a link out of the root (or to a directory) is not followed
                if not is_link and not entry.is_file(follow_symlinks=False):
                    continue
                files.append(rel)
        return tuple(sorted(files)), frozenset(escaping)

    def list(self) -> Sequence[str]:
        return self._files

    def escapes(self, path: str) -> bool:
        return any(p in self._escaping for p in _prefixes(path))

    def excluded(self, path: str) -> str | None:
        if path in self.table.file_set or not self._on_disk(path):
            return None
        parts = path.split("/")
        for part in parts[:-1]:
            if part in self.skip_dirs:
                return f"it is inside `{part}/`, which is never part of the repository"
        return "a `.gitignore` file ignores it, so git would not commit it"
