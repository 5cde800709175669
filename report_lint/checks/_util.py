"""Helpers shared by the report checks: locating things, resolving figure paths, reading files safely.

Everything that touches the file system goes through :func:`resolve` and :func:`lookup`: a path
that leaves the repository (``..``, absolute, ``C:\\``, ``file://``, a symlink pointing outside)
is classified as such and never opened or stat'ed beyond resolving it.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding, Severity
from report_lint.model import QuestionSection, Report
from report_lint.parsing.nodes import Span

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".pdf", ".webp", ".bmp", ".tif",
                              ".tiff", ".heic", ".avif"})
ACCEPTED_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg"})
# directories never indexed for "did you mean" suggestions
_SKIP_DIRS = frozenset({".git", "node_modules", "__pycache__", ".venv", "venv", "env", ".tox", ".nox",
                        "site-packages", ".mypy_cache", ".pytest_cache", ".ruff_cache", "wandb", ".dvc"})
_INDEX_CAP = 20_000

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_WINDOWS = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")


def finding_at(span: Span, message: str, question: int | None, *,
               severity: Severity | None = None) -> Finding:
    """A finding covering ``span`` (end column only when the span is on one line)."""
    end_column = span.end_column if span.end_line == span.line else None
    return Finding(line=span.line, column=span.column, end_line=span.end_line, message=message,
                   question=question, end_column=end_column, severity=severity)


def answer_anchor(q: QuestionSection) -> Span:
    """Where to point for "this answer …": the answer, else its marker, else its heading."""
    if q.answer is not None:
        return q.answer
    if q.marker is not None:
        return q.marker
    return q.heading


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


# --------------------------------------------------------------------------- path resolution

TargetKind = Literal["local", "remote", "outside", "placeholder", "empty", "skip"]


@dataclass(frozen=True)
class Target:
    """What a link or image URL points at, without touching the file system."""

    kind: TargetKind
    written: str  # the URL as written
    rel: str = ""  # for "local": the repository-relative POSIX path ("" is the repository root)
    reason: str = ""  # for "outside": why, in words
    repo_absolute: bool = False  # written as "/reports/figures/x.png"
    path: str = ""  # for "local": the path as written, percent-decoded, without query or fragment


def report_dir(report: Report) -> str:
    """The report's directory relative to the repository root, POSIX style ("" for the root)."""
    try:
        rel = report.file.parent.resolve().relative_to(report.repo_root.resolve())
    except (ValueError, OSError):
        try:
            rel = report.file.parent.relative_to(report.repo_root)
        except ValueError:
            return ""
    text = rel.as_posix()
    return "" if text == "." else text


def resolve(report: Report, url: str) -> Target:
    """Classify ``url`` and, for a local path, turn it into a repository-relative path."""
    written = url
    text = url.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    if not text:
        return Target("empty", written)
    if text.startswith("#"):
        return Target("skip", written)
    lowered = text.lower()
    if "<image>" in lowered or "<extension>" in lowered:
        return Target("placeholder", written)
    if _WINDOWS.match(text):
        return Target("outside", written, reason="it is a Windows path on your own computer")
    scheme = _SCHEME.match(text)
    if scheme:
        name = scheme.group(1).lower()
        if name in ("http", "https"):
            return Target("remote", written)
        if name == "file":
            return Target("outside", written, reason="a file:// URL points at your own computer")
        return Target("skip", written)  # mailto:, data:, tel:, ftp: …
    if text.startswith("//"):
        return Target("remote", written)
    for sep in ("#", "?"):
        cut = text.find(sep)
        if cut >= 0:
            text = text[:cut]
    path = unquote(text)
    if not path:
        return Target("skip", written)
    if "\x00" in path:
        return Target("outside", written, reason="the path holds a NUL character")
    repo_absolute = path.startswith("/")
    base = "" if repo_absolute else report_dir(report)
    joined = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if joined == "..." or joined == ".." or joined.startswith("../"):
        return Target("outside", written, reason="it leaves the repository")
    if joined == ".":
        joined = ""
    return Target("local", written, rel=joined, repo_absolute=repo_absolute, path=path)


@dataclass(frozen=True)
class Lookup:
    exists: bool  # exists with exactly this spelling, inside the repository
    is_dir: bool = False
    escapes: bool = False  # a symlink on the way leads out of the repository
    case_variant: str | None = None  # the repository-relative path that matches ignoring case
    real: Path | None = None  # real path of the existing file (inside the repository)


def _listdir(ctx: CheckContext, directory: Path) -> list[str] | None:
    cache: dict[str, list[str] | None] = ctx.cache.setdefault("_util.listdir", {})
    key = str(directory)
    if key not in cache:
        try:
            cache[key] = sorted(os.listdir(directory))
        except OSError:
            cache[key] = None
    return cache[key]


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def lookup(ctx: CheckContext, repo_root: Path, rel: str) -> Lookup:
    """Walk ``rel`` one component at a time, comparing names exactly (as Linux and GitHub Pages do).

    A symlink is resolved (never followed to open anything) and must stay inside the repository.
    """
    root_real = os.path.realpath(repo_root)
    current = Path(repo_root)
    parts = [p for p in rel.split("/") if p]
    exact = True
    spelled: list[str] = []
    for part in parts:
        names = _listdir(ctx, current)
        if names is None:
            return Lookup(False)
        if part in names:
            name = part
        else:
            folded = [n for n in names if n.casefold() == part.casefold()]
            if not folded:
                return Lookup(False)
            name = folded[0]
            exact = False
        spelled.append(name)
        current = current / name
        if os.path.islink(current) and not _inside(os.path.realpath(current), root_real):
            return Lookup(False, escapes=True)
    real = os.path.realpath(current)
    if not _inside(real, root_real):
        return Lookup(False, escapes=True)
    if not exact:
        return Lookup(False, case_variant="/".join(spelled))
    return Lookup(True, is_dir=os.path.isdir(real), real=Path(real))


def repo_files(ctx: CheckContext, repo_root: Path, extensions: Iterable[str] | None = None) -> list[str]:
    """Repository-relative POSIX paths of files (optionally with these extensions), capped."""
    cache: dict[str, list[str]] = ctx.cache.setdefault("_util.files", {})
    key = str(repo_root)
    if key not in cache:
        found: list[str] = []
        for dirpath, dirnames, filenames in os.walk(repo_root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
            rel_dir = os.path.relpath(dirpath, repo_root)
            for name in sorted(filenames):
                rel = name if rel_dir == "." else f"{Path(rel_dir).as_posix()}/{name}"
                found.append(rel)
            if len(found) >= _INDEX_CAP:
                break
        cache[key] = found
    files = cache[key]
    if extensions is None:
        return files
    wanted = {e.lower() for e in extensions}
    return [f for f in files if posixpath.splitext(f)[1].lower() in wanted]


def relative_to_report(report: Report, rel: str) -> str:
    """How a repository-relative path is written from the report's directory."""
    base = report_dir(report) or "."
    return posixpath.relpath(rel or ".", base)


def suggest(report: Report, rel: str, candidates: list[str]) -> str | None:
    """The existing file the author most likely meant, written relative to the report."""
    if not candidates:
        return None
    name = posixpath.basename(rel).casefold()
    same_name = [c for c in candidates if posixpath.basename(c).casefold() == name]
    if len(same_name) == 1:
        return relative_to_report(report, same_name[0])
    pool = same_name or candidates
    close = difflib.get_close_matches(rel, pool, n=1, cutoff=0.6)
    if not close:
        by_name: dict[str, str] = {}
        for c in pool:
            by_name.setdefault(posixpath.basename(c), c)
        names = difflib.get_close_matches(posixpath.basename(rel), list(by_name), n=1, cutoff=0.6)
        close = [by_name[names[0]]] if names else []
    return relative_to_report(report, close[0]) if close else None


def read_head(path: Path, size: int) -> bytes | None:
    """The first ``size`` bytes of a regular file already resolved inside the repository."""
    try:
        if not path.is_file():
            return None
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError:
        return None


def file_size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def local_figure(ctx: CheckContext, report: Report, url: str) -> Path | None:
    """The real path of an existing local figure inside the repository, else None."""
    target = resolve(report, url)
    if target.kind != "local":
        return None
    found = lookup(ctx, report.repo_root, target.rel)
    if not found.exists or found.is_dir:
        return None
    return found.real


def is_image_path(url: str) -> bool:
    path = url.split("#", 1)[0].split("?", 1)[0]
    return posixpath.splitext(path.rstrip(">"))[1].lower() in IMAGE_EXTENSIONS
