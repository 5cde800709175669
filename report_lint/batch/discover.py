"""Finding the repositories to lint: explicit paths, folders searched at any depth, a repos file.

A directory is a repository when it holds ``.git`` (a directory, or a ``gitdir:`` file) or is a bare
git directory (``HEAD``, ``objects/``, ``refs/``).  Git's own upward discovery is never used: a folder
of clones that itself sits inside a git checkout must not turn every broken clone into that checkout.
A directory that is not a repository but holds the report file is listed too (it becomes a
"not a git repository" row), as is an explicit path that holds no repository at all.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from report_lint.batch.gitsource import find_git_dir
from report_lint.errors import UsageError

# never descended into while searching a folder for repositories
SKIP_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "site-packages",
        ".cache",
        ".dvc",
    }
)
MAX_DEPTH = 8
_GROUP_DIR = re.compile(r"(?:^|[_\-\s])(?:group|grp|g)[_\-\s]?(\d{1,4})$", re.IGNORECASE)
_PATH_COLUMNS = ("path", "repo", "repository", "dir", "directory")


@dataclass(frozen=True)
class Target:
    path: Path  # absolute
    display: str  # as shown in outputs: relative to the current directory when below it
    git_dir: Path | None
    bare: bool
    folder_group: int | None  # from a "group_<N>" folder on the way, if any


def folder_group(path: Path) -> int | None:
    for part in reversed(path.parts):
        m = _GROUP_DIR.search(part)
        if m:
            return int(m.group(1))
    return None


def _display(path: Path, cwd: Path) -> str:
    try:
        rel = path.relative_to(cwd)
    except ValueError:
        return path.as_posix()
    return rel.as_posix() if rel.parts else "."


def _target(path: Path, cwd: Path) -> Target:
    git_dir, bare = find_git_dir(path)
    return Target(path, _display(path, cwd), git_dir, bare, folder_group(path))


def search(folder: Path, report: str, cwd: Path) -> list[Target]:
    """Repositories (and report-holding non-repositories) below ``folder``; never inside a repository."""
    found: list[Target] = []
    stack: list[tuple[Path, int]] = [(folder, 0)]
    while stack:
        directory, depth = stack.pop()
        git_dir, _ = find_git_dir(directory)
        if git_dir is not None or (directory / report).is_file():
            found.append(_target(directory, cwd))
            continue
        if depth >= MAX_DEPTH:
            continue
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name in SKIP_DIRS or not entry.is_dir(follow_symlinks=False):
                continue
            stack.append((Path(entry.path), depth + 1))
    return found


def read_repos_file(file: Path) -> list[str]:
    """Paths from a plain list (one per line, ``#`` comments) or a CSV with a path column."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--repos-file {file}: cannot read: {exc}") from None
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return []
    first = next(csv.reader([lines[0]]))
    header = [cell.strip().lower() for cell in first]
    column = next((header.index(c) for c in _PATH_COLUMNS if c in header), None)
    if column is None:
        if len(first) > 1 and "," in lines[0] and not Path(lines[0].strip()).exists():
            raise UsageError(
                f"--repos-file {file}: a CSV needs a column named one of {', '.join(_PATH_COLUMNS)}"
            )
        return [line.strip() for line in lines]
    out = []
    for row in csv.reader(io.StringIO("\n".join(lines[1:]))):
        if column < len(row) and row[column].strip():
            out.append(row[column].strip())
    return out


def discover(paths: list[str], repos_file: str | None, report: str, cwd: Path) -> list[Target]:
    """Every target, each path once, sorted by display path."""
    targets: dict[Path, Target] = {}
    listed: list[Path] = []
    if repos_file is not None:
        base = (cwd / repos_file).parent
        listed = [
            (base / p) if not Path(p).is_absolute() else Path(p) for p in read_repos_file(cwd / repos_file)
        ]
    for entry in listed:
        path = Path(os.path.abspath(entry))
        targets.setdefault(path, _target(path, cwd))  # listed paths are repositories, broken or not
    for given in paths:
        path = Path(os.path.abspath(cwd / given))
        if not path.exists():
            raise UsageError(f"{given}: no such file or directory")
        if not path.is_dir():
            raise UsageError(f"{given}: not a directory")
        hits = search(path, report, cwd)
        for hit in hits or [_target(path, cwd)]:
            targets.setdefault(hit.path, hit)
    return sorted(targets.values(), key=lambda t: t.display)
