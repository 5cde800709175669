"""The repository index: which files count as the repository's, and size-capped reads of them.

Inside a git work tree the files that count are the tracked files plus untracked files that are not
ignored (``git ls-files --cached --others --exclude-standard``).  Outside git, a walk that prunes the
usual junk and every directory the ``.gitignore`` files ignore (pathspec's gitignore matcher), so that
ignored data never costs anything.  Nothing from the repository is ever executed; reads stay inside the
root and symlinks leading out of it are ignored.

:class:`FileSource` is the backend seam: a source implements ``list()``, ``read()`` and ``size()`` and
plugs into :class:`RepoIndex` (the evidence engine) and ``CheckContext.files()`` (the report checks)
unchanged; :class:`report_lint.batch.gitsource.GitCommitSource` reads one commit's git objects.  The
lookups the checks need (exact, directory, case-insensitive) are answered from the listing alone by
:class:`PathTable`, built once per source.
"""

from __future__ import annotations

import builtins
import os
import re
import stat
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import pathspec

from report_lint import gitcmd
from report_lint.errors import InputError
from report_lint.evidence.gitconfig import local_remote_urls

MAX_FILE_BYTES = 512 * 1024  # read at most this much of any one file
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # and at most this much per index
GIT_TIMEOUT = 30.0

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


def run_git(root: Path, *args: str, timeout: float = GIT_TIMEOUT) -> bytes | None:
    """Run ``git <args>`` in ``root`` (through :mod:`report_lint.gitcmd`); None if git is missing or fails."""
    try:
        done = gitcmd.run(args, cwd=root, timeout=timeout)
    except InputError:
        return None
    return done.stdout if done.ok else None


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


def _prefixes(path: str) -> Iterator[str]:
    """The path's directories, outermost first, then the path itself: a, a/b, a/b/c for a/b/c."""
    cut = path.find("/")
    while cut > 0:
        yield path[:cut]
        cut = path.find("/", cut + 1)
    yield path


def _disk_name(rel: str) -> bytes:
    """The bytes on disk of a name we hold as text (see ``WorkTreeSource._safe``)."""
    return rel.encode("utf-8", "surrogateescape")


def _matchable(rel: str) -> str:
    """``rel`` as pathspec can match it: a name that is not UTF-8 on disk holds lone surrogates,
    which its re2 backend cannot encode, so those bytes are matched as U+FFFD."""
    if rel.isascii():
        return rel
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def inside(root: Path, path: Path) -> bool:
    """True if ``path`` (resolved) lies inside ``root`` (resolved)."""
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


class WorkTreeSource(FileSource):
    """Reads files from the working tree on disk, never following links out of the root."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))
        self._root_bytes = os.fsencode(self.root)
        self._dirs_inside: dict[str, bool] = {}

    def _dir_inside(self, rel_dir: str) -> bool:
        hit = self._dirs_inside.get(rel_dir)
        if hit is None:
            real = os.path.realpath(os.path.join(self._root_bytes, _disk_name(rel_dir)))
            hit = inside(self.root, Path(os.fsdecode(real)))
            self._dirs_inside[rel_dir] = hit
        return hit

    def _safe(self, rel: str) -> bytes | None:
        """The resolved path of ``rel`` (as bytes) if it is a regular file inside the root."""
        # A name is bytes on disk. Git's listing is decoded as UTF-8 and a directory walk with the
        # file system encoding, both with surrogateescape, so encoding back as UTF-8 with
        # surrogateescape gives the bytes on disk either way; also when the file system encoding is
        # ASCII (LC_ALL=C), where a str path with a non-ASCII name cannot be encoded at all.
        full = os.path.join(self._root_bytes, _disk_name(rel))
        try:
            st = os.lstat(full)
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode):
            real = os.path.realpath(full)
            if not inside(self.root, Path(os.fsdecode(real))):
                return None
            try:
                st = os.stat(real)
            except OSError:
                return None
            full = real
        elif not self._dir_inside(rel.rpartition("/")[0]):
            return None  # a symlinked directory on the way leads outside
        if not stat.S_ISREG(st.st_mode):
            return None
        return full

    def read(self, path: str, limit: int) -> bytes | None:
        full = self._safe(path)
        if full is None:
            return None
        try:
            with open(full, "rb") as fh:
                return fh.read(limit)
        except OSError:
            return None

    def size(self, path: str) -> int | None:
        full = self._safe(path)
        if full is None:
            return None
        try:
            return os.stat(full).st_size
        except OSError:
            return None

    def _link_escapes(self, rel: str) -> bool:
        """True if ``rel`` is a symbolic link whose target lies outside the root."""
        full = os.path.join(self._root_bytes, _disk_name(rel))
        return os.path.islink(full) and not inside(self.root, Path(os.fsdecode(os.path.realpath(full))))

    def _on_disk(self, path: str) -> bool:
        """True if ``path`` is a file or directory in the work tree, spelled exactly so (also on a
        case-insensitive file system), reached without leaving the root.  Never opens anything."""
        if not path or "\0" in path:
            return False
        current = self._root_bytes
        for part in path.split("/"):
            if part in ("", ".", ".."):
                return False
            try:
                names = os.listdir(current)
            except OSError:
                return False
            name = _disk_name(part)
            if name not in names:
                return False
            current = os.path.join(current, name)
            if os.path.islink(current):
                return False  # links are listed (or not) on their own; never explained here
        return inside(self.root, Path(os.fsdecode(os.path.realpath(current))))


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


def open_source(root: Path, *, use_git: bool = True) -> FileSource:
    """The git listing when ``root`` is inside a git work tree, else the walk."""
    if use_git:
        source = GitWorkTreeSource.open(root)
        if source is not None:
            return source
    return WalkSource(root)


MATCH_MEMO = 2048  # paths remembered per glob set (≈ 200 KB each; cleared when full)


@lru_cache(maxsize=512)
def _selector(globs: tuple[str, ...]) -> Callable[[Iterable[str], bool], list[str]]:
    """``select(paths, keep)``: the paths that match ``globs`` (``keep``) or do not, in order; the
    answers of :func:`_compiled_matcher`, remembered per path string.

    Whether a path matches a glob set depends on nothing but the two strings, and a batch's hand-ins
    share most of their paths (``pyproject.toml``, ``tests/test_model.py``, ``.github/workflows/…``:
    90 % of the listed paths of 20 real-shaped hand-ins occur in more than one), so a worker answers
    most of its ≈ 9,000 path x glob-set questions per repository with a dict lookup instead of a regex
    match: glob matching over 60 real-shaped hand-ins in a row, 6.5 → 1.5 ms CPU per repository (a
    single lint, the hook's case, ≈ 0.5 ms more: 2.4 → 2.9 ms).  Only the answer for a name is kept,
    nothing a repository holds; every rule still runs on the listing.
    """
    test = _compiled_matcher(globs)
    memo: dict[str, bool] = {}

    def select(paths: Iterable[str], keep: bool) -> list[str]:
        if len(memo) >= MATCH_MEMO:
            memo.clear()
        get = memo.get
        out = []
        for path in paths:
            hit = get(path)
            if hit is None:
                hit = memo[path] = test(path)
            if hit is keep:
                out.append(path)
        return out

    return select


@lru_cache(maxsize=512)
def _compiled_matcher(globs: tuple[str, ...]) -> Callable[[str], bool]:
    """A predicate: does a listed path (relative, '/'-separated) match ``globs`` (``.gitignore`` syntax)?

    Without negated patterns the last matching pattern is always an including one, so "any pattern's
    regex matches" is the same answer as pathspec's, without its per-call normalisation and backend.
    The patterns' regexes (pathspec's own translation) are joined into one and compiled once: one
    scan per listed path, and no compile per pattern (a hook run compiles ~60 glob sets).
    """
    sources = _regex_sources(globs)
    if sources is None:  # a negated pattern: pathspec decides
        negated = pathspec.GitIgnoreSpec.from_lines(list(globs))
        return lambda path: bool(negated.match_file(_matchable(path)))
    if not sources:
        return lambda path: False
    combined = _alternation(sources)
    if combined is None:
        spec = pathspec.GitIgnoreSpec.from_lines(list(globs))
        matchers = [p.regex.match for p in spec.patterns if p.include and p.regex is not None]
        return lambda path: any(m(path) is not None for m in matchers)
    match = combined.match
    return lambda path: match(path) is not None


def _pattern_class() -> Any:
    """The pattern class ``GitIgnoreSpec`` builds its patterns with (whatever pathspec calls it)."""
    return type(pathspec.GitIgnoreSpec.from_lines(["x"]).patterns[0])


_PATTERN_CLASS: Any = None


def _regex_sources(globs: tuple[str, ...]) -> list[str] | None:
    """Each including pattern's regex source, as pathspec translates it; None if one is negated."""
    global _PATTERN_CLASS
    if _PATTERN_CLASS is None:
        _PATTERN_CLASS = _pattern_class()
    to_regex = getattr(_PATTERN_CLASS, "pattern_to_regex", None)
    sources = []
    for glob in globs:
        if to_regex is None:
            return None
        regex, include = to_regex(glob)
        if include is None:  # a blank line or a comment
            continue
        if include is not True or not isinstance(regex, str):
            return None
        sources.append(regex)
    return sources


def _alternation(sources: Sequence[str]) -> re.Pattern[str] | None:
    """The patterns as one ``(?:a)|(?:b)|...`` (the same answer as "any of them matches" with
    ``match``); their named groups (pathspec's ``ps_d``, never read here) become plain groups.
    None when that is not a plain rewrite (a back-reference) or does not compile."""
    if any("(?P=" in p for p in sources):
        return None
    body = "|".join(f"(?:{_NAMED_GROUP.sub('(?:', p)})" for p in sources)
    try:
        return re.compile(body)
    except re.error:
        return None


_NAMED_GROUP = re.compile(r"(?<!\\)\(\?P<[A-Za-z_][A-Za-z0-9_]*>")


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
