"""Helpers shared by the report checks: locating things, resolving figure paths, reading files safely.

Checks see the repository only through ``ctx.files()``
(a :class:`~report_lint.evidence.filesource.FileSource`: tracked plus untracked-not-ignored files of
the work tree, or a commit's tree in batch ``--at`` mode).
:func:`resolve` classifies a URL without touching anything; a path that leaves the repository
(``..``, absolute, ``C:\\``, ``file://``) is never looked up, and :func:`lookup` answers from the
listing, reporting a symlink pointing outside as such.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

from report_lint.checks.base import CheckContext
from report_lint.diagnostic import Finding, Fix, Severity
from report_lint.model import QuestionSection, Report
from report_lint.parsing.nodes import Span

IMAGE_EXTENSIONS = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".svg", ".pdf", ".webp", ".bmp", ".tif", ".tiff", ".heic", ".avif"}
)
ACCEPTED_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg"})
# directories never indexed for "did you mean" suggestions
_SKIP_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        "env",
        ".tox",
        ".nox",
        "site-packages",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "wandb",
        ".dvc",
    }
)
_INDEX_CAP = 20_000

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_WINDOWS = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")


def finding_at(
    span: Span,
    message: str,
    question: int | None,
    *,
    severity: Severity | None = None,
    fix: Fix | None = None,
) -> Finding:
    """A finding covering ``span`` (end column only when the span is on one line)."""
    end_column = span.end_column if span.end_line == span.line else None
    return Finding(
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        message=message,
        question=question,
        end_column=end_column,
        severity=severity,
        fix=fix,
    )


def answer_anchor(q: QuestionSection) -> Span:
    """Where to point for "this answer …": the answer, else its marker, else its heading."""
    if q.answer is not None:
        return q.answer
    if q.marker is not None:
        return q.marker
    return q.heading


def unanswered(ctx: CheckContext, q: QuestionSection) -> bool:
    """Left as the blank template has it, in a pack without DTU's course checker: no words of the
    student's (placeholders do not count) and no image.  answer-length reports it, once; the other
    rules leave it alone (an empty answer is not also missing its figure or its placeholder's fix)."""
    return not ctx.pack.structure.course_checker and q.prose_words == 0 and not q.images


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
    return _report_dir(report.file, report.repo_root)


@lru_cache(maxsize=256)  # asked for every link and image: resolve the two paths once per report
def _report_dir(file: Path, repo_root: Path) -> str:
    try:
        rel = file.parent.resolve().relative_to(repo_root.resolve())
    except (ValueError, OSError):
        try:
            rel = file.parent.relative_to(repo_root)
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
    if _WINDOWS.match(text) or _WINDOWS.match(unquote(text)):  # the parser writes `\` as %5C
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
    exists: bool  # a listed file, or a directory holding one, with exactly this spelling
    is_dir: bool = False
    escapes: bool = False  # a symlink on the way leads out of the repository
    case_variant: str | None = None  # the repository-relative path that matches ignoring case
    excluded: str | None = None  # in the work tree but not in the repository: why ("git ignores it …")


def lookup(ctx: CheckContext, rel: str) -> Lookup:
    """Look the repository-relative ``rel`` up in ``ctx.files()``, comparing names exactly (as Linux
    and GitHub Pages do).  Only the listing is consulted: nothing is opened, and a symlink leading out
    of the repository is reported as such, never followed."""
    files = ctx.files()
    table = files.table
    if table.is_file(rel):
        return Lookup(True)
    if table.is_dir(rel):
        return Lookup(True, is_dir=True)
    if files.escapes(rel):
        return Lookup(False, escapes=True)
    excluded = files.excluded(rel)
    if excluded is not None:
        return Lookup(False, excluded=excluded)
    return Lookup(False, case_variant=table.case_variant(rel))


def case_variants(ctx: CheckContext, rel: str) -> list[str]:
    """Every listed file spelled like ``rel`` up to case (an index built once per run)."""
    index: dict[str, list[str]] | None = ctx.cache.get("_util.casefolded")
    if index is None:
        index = {}
        for name in ctx.files().table.files:
            index.setdefault(name.casefold(), []).append(name)
        ctx.cache["_util.casefolded"] = index
    return index.get(rel.casefold(), [])


def _indexed(rel: str) -> bool:
    """False for files inside junk or hidden directories, which are never suggested."""
    parts = rel.split("/")[:-1]
    return not any(p in _SKIP_DIRS or p.startswith(".") for p in parts)


def repo_files(ctx: CheckContext, extensions: Iterable[str] | None = None) -> list[str]:
    """Repository-relative POSIX paths of the listed files (optionally with these extensions) that may
    be suggested, capped; computed once per run for each set of extensions."""
    files: list[str] | None = ctx.cache.get("_util.files")
    if files is None:
        files = [f for f in ctx.files().list() if _indexed(f)][:_INDEX_CAP]
        ctx.cache["_util.files"] = files
    if extensions is None:
        return files
    wanted = frozenset(e.lower() for e in extensions)
    key = "_util.files:" + ",".join(sorted(wanted))
    chosen: list[str] | None = ctx.cache.get(key)
    if chosen is None:
        chosen = [f for f in files if posixpath.splitext(f)[1].lower() in wanted]
        ctx.cache[key] = chosen
    return chosen


def relative_to_report(report: Report, rel: str) -> str:
    """How a repository-relative path is written from the report's directory."""
    base = report_dir(report) or "."
    return posixpath.relpath(rel or ".", base)


# "did you mean" in a folder of 20k near-identical names ran difflib over all of them (2 s per missing
# figure).  Up to _POOL_CAP candidates the answer is exactly difflib's; beyond, only the _POOL_CAP names
# nearest in sort order (those sharing the longest prefix with the wrong path) are compared, and at
# most _RATIO_BUDGET full ratios are computed.
_POOL_CAP = 1000
_RATIO_BUDGET = 200
_CUTOFF = 0.6


def _near(word: str, candidates: list[str]) -> list[str]:
    if len(candidates) <= _POOL_CAP:
        return candidates
    ordered = sorted(candidates)
    at = bisect_left(ordered, word)
    low = max(0, min(at - _POOL_CAP // 2, len(ordered) - _POOL_CAP))
    return ordered[low : low + _POOL_CAP]


def closest(word: str, candidates: list[str]) -> str | None:
    """``difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)``, bounded (see ``_POOL_CAP``).

    The same answer (best ratio, ties to the greater string) found by branch and bound: candidates are
    visited by their cheap upper bound (``quick_ratio``), and the search stops once no remaining bound
    can reach the best ratio found."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    bounded: list[tuple[float, str]] = []
    for candidate in _near(word, candidates):
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= _CUTOFF:
            bound = matcher.quick_ratio()
            if bound >= _CUTOFF:
                bounded.append((bound, candidate))
    bounded.sort(reverse=True)
    best: tuple[float, str] | None = None
    for bound, candidate in bounded[:_RATIO_BUDGET]:
        if best is not None and bound < best[0]:
            break  # ratio <= quick_ratio: nothing left can beat (or tie) the best
        matcher.set_seq1(candidate)
        score = matcher.ratio()
        if score >= _CUTOFF and (best is None or (score, candidate) > best):
            best = (score, candidate)
    return best[1] if best else None


@dataclass(frozen=True)
class _Names:
    """A candidate list indexed by file name, built once per run."""

    by_casefold: dict[str, list[str]]  # casefolded file name -> paths, in listing order
    first_by_name: dict[str, str]  # file name -> its first path


def _names(candidates: list[str]) -> _Names:
    by_casefold: dict[str, list[str]] = {}
    first_by_name: dict[str, str] = {}
    for c in candidates:
        name = posixpath.basename(c)
        by_casefold.setdefault(name.casefold(), []).append(c)
        first_by_name.setdefault(name, c)
    return _Names(by_casefold, first_by_name)


def suggest(report: Report, rel: str, candidates: list[str], ctx: CheckContext | None = None) -> str | None:
    """The existing file the author most likely meant, written relative to the report.  With ``ctx``,
    the candidates' index and each answer are kept for the run (reports repeat the same wrong path)."""
    if not candidates:
        return None
    cache: dict[object, object] = ctx.cache.setdefault("_util.suggest", {}) if ctx is not None else {}
    key = (report.path, rel, id(candidates))  # the candidate lists themselves live in ctx.cache
    if key in cache:
        return cache[key]  # type: ignore[return-value]
    names = cache.get(("names", id(candidates)))
    if not isinstance(names, _Names):
        names = cache[("names", id(candidates))] = _names(candidates)
    same_name = names.by_casefold.get(posixpath.basename(rel).casefold(), [])
    guess: str | None = None
    if len(same_name) == 1:
        guess = relative_to_report(report, same_name[0])
    else:
        pool = same_name or candidates
        close = closest(rel, pool)
        if close is None:
            by_name = _names(pool).first_by_name if same_name else names.first_by_name
            name = closest(posixpath.basename(rel), list(by_name))
            close = by_name[name] if name is not None else None
        guess = relative_to_report(report, close) if close is not None else None
    cache[key] = guess
    return guess


def read_head(ctx: CheckContext, rel: str, size: int) -> bytes | None:
    """The first ``size`` bytes of a listed file; None if it cannot be read."""
    return ctx.files().read(rel, size)


def file_size(ctx: CheckContext, rel: str) -> int | None:
    """The size of a listed file; None if it is not one."""
    return ctx.files().size(rel)


def local_figure(ctx: CheckContext, report: Report, url: str) -> str | None:
    """The repository-relative path of an existing local figure (a listed file), else None."""
    target = resolve(report, url)
    if target.kind != "local":
        return None
    found = lookup(ctx, target.rel)
    if not found.exists or found.is_dir:
        return None
    return target.rel


def is_image_path(url: str) -> bool:
    path = url.split("#", 1)[0].split("?", 1)[0]
    return posixpath.splitext(path.rstrip(">"))[1].lower() in IMAGE_EXTENSIONS
