"""The ``extends`` chain of a pack file: the file each step names, the root the chain must stay in,
and the merged pack of a chain, cached on disk while every file of it is the same."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from report_lint.packs.cache import _code_key, cache_dir, read_pickle, write_pickle
from report_lint.packs.locate import _is_name, builtin_dirs, is_builtin, unknown_pack_message
from report_lint.packs.packfile import MAX_PACK_BYTES
from report_lint.packs.plain import Pack
from report_lint.packs.problems import _display, _Error, _problem_error
from report_lint.packs.semantics import Problem

if TYPE_CHECKING:
    from report_lint.packs.models import PackFile


def _real(path: Path) -> Path | None:
    """``path`` with symlinks resolved; None for a symlink loop or an unreadable directory."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return None


def _may_be_inside(spec: str, base: Path | None, root: Path) -> bool:
    path = Path(spec) if Path(spec).is_absolute() or base is None else base / spec
    real = _real(path)
    top = root.resolve()
    return Path(os.path.abspath(path)).is_relative_to(top) or (real is not None and real.is_relative_to(top))


def _confinement(spec: str, path: Path, root: Path | None) -> Path | None:
    """The root a pack chain must stay in: the repository's, when the first pack file is in it."""
    if root is None or is_builtin(path):
        return None
    top = root.resolve()
    lexical, resolved = Path(os.path.abspath(path)), _real(path)
    inside = resolved is not None and resolved.is_relative_to(top)
    if not (lexical.is_relative_to(top) or inside):
        return None  # a staff pack outside the repository extends what it likes
    if not inside:
        raise _Error(f"{spec}: the pack file is a link that leads outside the repository root")
    return top


def _parent(path: Path, value: str, confine: Path | None) -> Path:
    """The file ``extends: value`` in ``path`` names: a sibling ``NAME.yaml``, a built-in pack, or a path."""

    def fail(message: str) -> _Error:
        return _problem_error(path, Problem(("extends",), message))

    if _is_name(value):
        candidate = path.parent / f"{value}.yaml"
        if not candidate.is_file() and not candidate.is_symlink():
            builtin = [d / f"{value}.yaml" for d in builtin_dirs() if (d / f"{value}.yaml").is_file()]
            if not builtin:
                raise fail(unknown_pack_message(value, path.parent))
            return builtin[0]
    else:
        given = Path(value)
        candidate = given if given.is_absolute() else path.parent / given
    # the written path first (no file outside is touched), then with symlinks resolved
    written = Path(os.path.abspath(candidate))
    real = _real(candidate) or written  # a symlink loop is "not found" below
    if confine is not None and not (written.is_relative_to(confine) and real.is_relative_to(confine)):
        raise fail(
            f"{value} is outside the repository root: a pack in the repository can extend only "
            "packs in it or built-in packs"
        )
    if not candidate.is_file():
        raise fail(f"pack file {value} not found (relative to {_display(path.parent) or '.'})")
    return candidate


# ------------------------------------------------------- the merged pack of a chain of pack files
#
# A course's own pack (``rules: course.yaml`` extending a built-in one) was validated file by file
# from the per-file cache (packfile.py), whose entries are pydantic objects: every hook run in such a
# repository imported pydantic and merged the chain again (+100 ms CPU, 1.35x a run with the
# built-in pack, paired).  The merged plain pack is kept per chain instead, with each file's resolved
# path, sha256 and ``extends`` value; a run walks the chain again the way the full load does
# (:func:`_parent`, the same confinement) and uses the pack only if every file is the same file with
# the same bytes.  Anything else, an error included, takes the full load, which reports as before.


def _digest(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read(MAX_PACK_BYTES + 1)).hexdigest()
    except OSError:
        return None


def _chain_entry(first: Path, confine: Path | None) -> tuple[Path, tuple[Any, ...]] | None:
    directory = cache_dir()
    if directory is None:
        return None
    try:
        key = (*_code_key(), "chain", str(first.resolve()), str(confine))
    except OSError:
        return None
    name = hashlib.sha256(repr(key).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return directory / f"chain-{name}.pickle", key


def _cached_chain(first: Path, confine: Path | None) -> tuple[Pack, list[Path]] | None:
    entry = _chain_entry(first, confine)
    stored = read_pickle(*entry) if entry is not None else None
    if not (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[1], Pack)):
        return None
    steps, pack = stored
    path, files = first, []
    try:
        for index, (resolved, digest, extends) in enumerate(steps):
            real = path.resolve()
            if str(real) != resolved or _digest(path) != digest:
                return None
            files.append(real)
            if extends is None:
                return (pack, files) if index == len(steps) - 1 else None
            path = _parent(path, extends, confine)
            if is_builtin(path):
                confine = None
    except (OSError, ValueError, TypeError, _Error):
        return None
    return None


def _store_chain(
    first: Path,
    confine: Path | None,
    chain: list[tuple[Path, PackFile]],
    digests: list[str | None],
    pack: Pack,
) -> None:
    # the bytes hashed before each file was validated, and again now: a file edited meanwhile is not stored
    if None in digests or [_digest(p) for p, _ in chain] != digests:
        return
    entry = _chain_entry(first, confine)
    if entry is not None:
        steps = [(str(p.resolve()), d, pf.extends) for (p, pf), d in zip(chain, digests, strict=True)]
        write_pickle(entry[0], entry[1], (steps, pack))
