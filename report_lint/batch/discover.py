"""Finding the repositories to lint: explicit paths, folders searched at any depth, a repos file.

A directory is a repository when it holds ``.git`` (a directory, or a ``gitdir:`` file) or is a bare
git directory (``HEAD``, ``objects/``, ``refs/``).  Git's own upward discovery is never used: a folder
of clones that itself sits inside a git checkout must not turn every broken clone into that checkout.
A directory that is not a repository but holds the report file is listed too (a downloaded ZIP: it is
linted from the files on disk, as ``report-lint check`` does).

Every place that needs staff's attention is a row, never a silent gap or the end of the run: an
explicit path or a ``group_<N>`` folder with no repository in it, a folder that cannot be read.  The
search never follows a symbolic link (an explicit path may be one, but one that resolves to ``/`` or
a system folder is refused), stops at :data:`MAX_DEPTH` levels and after :data:`MAX_DIRS` folders.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from report_lint.batch.gitsource import find_git_dir
from report_lint.batch.text import clean, shown
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
MAX_DIRS = 100_000  # folders looked at per given PATH: a mistaken PATH ends, and says so
# never searched, even when given: pseudo file systems whose walk never ends or reads device state
SYSTEM_DIRS = ("/proc", "/sys", "/dev", "/run")
_GROUP_DIR = re.compile(r"(?:^|[_\-\s])(?:group|grp|g)[_\-\s]?(\d{1,4})$", re.IGNORECASE)
# a repos file's CSV header (any case); a row uses the first location column that is not empty in it
LOCATION_COLUMNS = ("url", "clone_url", "git_url", "path", "repo", "repository", "dir", "directory")
GROUP_COLUMNS = ("group", "group_number", "group_no", "team")
BRANCH_COLUMNS = ("branch", "ref")


@dataclass(frozen=True)
class Target:
    path: Path  # absolute
    display: str  # as shown in outputs: relative to the current directory when below it, cleaned
    git_dir: Path | None
    bare: bool
    folder_group: int | None  # from a "group_<N>" folder on the way, if any
    problem: str | None = None  # why this path cannot be linted, found while discovering it


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
        return clean(path.as_posix())
    return clean(rel.as_posix()) if rel.parts else "."


def _target(path: Path, cwd: Path) -> Target:
    try:
        git_dir, bare = find_git_dir(path)
    except OSError as exc:
        return _unreadable(path, cwd, exc)
    except ValueError:  # a NUL byte in a listed path
        return _problem(path, cwd, "not a usable path (it holds a NUL character)")
    return Target(path, _display(path, cwd), git_dir, bare, folder_group(path))


def _problem(path: Path, cwd: Path, why: str) -> Target:
    return Target(path, _display(path, cwd), None, False, folder_group(path), why)


def _unreadable(path: Path, cwd: Path, exc: OSError) -> Target:
    return _problem(path, cwd, f"cannot read this folder: {exc.strerror or exc}")


def _empty(report: str) -> str:
    return f"no repository: no .git and no {shown(report)} in this folder or below it"


class _Search:
    """One given folder's search: depth-first, sorted, post-order so that empty group folders show."""

    def __init__(self, report: str, cwd: Path) -> None:
        self.report, self.cwd = report, cwd
        self.found: list[Target] = []
        self.visited = 0
        self.truncated = False

    def walk(self, directory: Path, depth: int) -> int:
        """How many rows ``directory`` produced (itself, or what was found below it)."""
        self.visited += 1
        try:
            git_dir, _ = find_git_dir(directory)
            holds_report = git_dir is None and (directory / self.report).is_file()
        except OSError as exc:  # e.g. a folder without search permission: its own row, nothing else
            self.found.append(_unreadable(directory, self.cwd, exc))
            return 1
        if git_dir is not None or holds_report:
            self.found.append(_target(directory, self.cwd))
            return 1
        if depth >= MAX_DEPTH:
            return 0
        if self.visited >= MAX_DIRS:
            self.truncated = True
            return 0
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            self.found.append(_unreadable(directory, self.cwd, exc))
            return 1
        rows = 0
        for entry in entries:
            try:  # never a link: a link to / (or anywhere else) is not part of the folder of clones
                is_dir = entry.is_dir(follow_symlinks=False)
                is_link = not is_dir and entry.is_symlink()
            except OSError:
                is_dir = is_link = False
            if is_dir and entry.name not in SKIP_DIRS:
                rows += self.walk(Path(entry.path), depth + 1)
            elif is_link:
                rows += self.link(Path(entry.path))
        if rows == 0 and depth > 0 and not self.truncated and _GROUP_DIR.search(directory.name):
            # a group folder without a repository: the group handed in nothing that can be linted
            self.found.append(_problem(directory, self.cwd, _empty(self.report)))
            return 1
        return rows

    def link(self, path: Path) -> int:
        """A symbolic link is never followed; one that looks like a group's hand-in is a row saying so."""
        if not _GROUP_DIR.search(path.name) or not os.path.isdir(path):  # one stat through it, no walk
            return 0
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        why = f"a symbolic link to {clean(target)}, not followed: give the folder it points to as a PATH"
        self.found.append(_problem(path, self.cwd, shown(why)))
        return 1


def search(folder: Path, report: str, cwd: Path) -> list[Target]:
    """Repositories (and report-holding non-repositories) below ``folder``; never inside a repository.

    An empty ``group_<N>`` folder, an unreadable folder and a search cut short are rows too; a
    ``folder`` with nothing in it at all gives no row (the caller decides)."""
    walk = _Search(report, cwd)
    walk.walk(folder, 0)
    if walk.truncated:
        walk.found.append(
            _problem(
                folder,
                cwd,
                f"stopped searching after {MAX_DIRS} folders; give the folder that holds the clones",
            )
        )
    return walk.found


def _refused(path: Path) -> str | None:
    """Why an explicit path is never searched: it resolves to the file system root or a system folder."""
    real = os.path.realpath(path)
    if Path(real).parent == Path(real):
        return f"resolves to {clean(real)}; refusing to search the whole file system"
    for system in SYSTEM_DIRS:
        if real == system or real.startswith(system + "/"):
            return f"resolves to {clean(real)}, a system folder; refusing to search it"
    return None


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except (OSError, ValueError):  # ValueError: a NUL in the line
        return False


@dataclass(frozen=True)
class Listed:
    """One row of a repos file: a local path or a URL, with the staff's group and branch if given."""

    location: str
    group: str = ""
    branch: str = ""
    line: int = 0  # 1-based line in the file (for messages)


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((header.index(c) for c in names if c in header), None)


def read_listed(file: Path) -> list[Listed]:
    """The rows of a plain list (one path or URL per line, ``#`` comments) or of a CSV whose header names
    a location column (:data:`LOCATION_COLUMNS`) and optionally :data:`GROUP_COLUMNS` and
    :data:`BRANCH_COLUMNS`; a row whose url cell is empty uses its path cell, and the other way round."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--repos-file {shown(str(file))}: cannot read: {shown(str(exc))}") from None
    numbered = [
        (n, line)
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        return []
    first = next(csv.reader([numbered[0][1]]))
    header = [cell.strip().lower() for cell in first]
    locations = [header.index(c) for c in LOCATION_COLUMNS if c in header]
    if not locations:
        if len(first) > 1 and "," in numbered[0][1] and not _exists(numbered[0][1].strip()):
            columns = ", ".join(LOCATION_COLUMNS)
            raise UsageError(f"--repos-file {shown(str(file))}: a CSV needs a column named one of {columns}")
        return [Listed(line.strip(), line=n) for n, line in numbered]
    group = _column(header, GROUP_COLUMNS)
    branch = _column(header, BRANCH_COLUMNS)
    out = []
    body = numbered[1:]
    rows = csv.reader(io.StringIO("\n".join(line for _, line in body)))
    for (n, _), row in zip(body, rows, strict=False):  # a quoted newline joins lines: rows end first

        def cell(index: int | None, cells: list[str] = row) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        location = next((cell(i) for i in locations if cell(i)), "")
        if location:
            out.append(Listed(location, cell(group), cell(branch), n))
    return out


def read_repos_file(file: Path) -> list[str]:
    """The locations (paths or URLs) of :func:`read_listed`."""
    return [row.location for row in read_listed(file)]


def listed_group(group: str) -> int | None:
    """The group number of a repos file's group cell: ``7``, ``group 7``, ``g07`` -> 7."""
    text = group.strip()
    if text.isdigit() and len(text) <= 6:
        return int(text)
    match = _GROUP_DIR.search(text)
    return int(match.group(1)) if match else None


def split_listed(repos_file: str | None, cwd: Path) -> tuple[list[Listed], list[Listed]]:
    """(local path rows, URL rows) of the repos file; paths made absolute against the file's folder."""
    if repos_file is None:
        return [], []
    from report_lint.batch.clone_url import looks_remote

    base = (cwd / repos_file).parent
    local, remote = [], []
    for row in read_listed(cwd / repos_file):
        if looks_remote(row.location):
            remote.append(row)
        else:
            path = Path(row.location)
            path = path if path.is_absolute() else base / path
            local.append(Listed(os.path.abspath(path), row.group, row.branch, row.line))
    return local, remote


def discover(
    paths: list[str], repos_file: str | None, report: str, cwd: Path, listed: list[Listed] | None = None
) -> list[Target]:
    """Every local target, each path once, sorted by display path (a repos file's URL rows are not
    here: see ``report_lint.batch.clone``).  ``listed``: the file's local rows, already read."""
    targets: dict[Path, Target] = {}
    rows = listed if listed is not None else split_listed(repos_file, cwd)[0]
    for entry in rows:
        path = Path(entry.location)
        target = _target(path, cwd)
        group = listed_group(entry.group) if entry.group else None
        if group is not None:  # staff's own registration wins over a folder name
            target = dataclasses.replace(target, folder_group=group)
        targets.setdefault(path, target)  # listed paths are repositories, broken or not
    for given in paths:
        path = Path(os.path.abspath(cwd / given))
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as exc:  # a parent without search permission: this path's row, not the run's end
            targets.setdefault(path, _problem(path, cwd, f"cannot read: {exc.strerror or exc}"))
            continue
        if not exists:
            raise UsageError(f"{shown(given)}: no such file or directory")
        if not is_dir:
            raise UsageError(f"{shown(given)}: not a directory")
        refused = _refused(path)
        if refused:
            targets.setdefault(path, _problem(path, cwd, refused))
            continue
        hits = search(path, report, cwd) or [_problem(path, cwd, _empty(report))]
        for hit in hits:
            targets.setdefault(hit.path, hit)
    return sorted(targets.values(), key=lambda t: t.display)
