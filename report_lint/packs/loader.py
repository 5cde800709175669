"""Loading a rule pack by built-in name or by path: the built-in packs from their snapshot, any other
through its ``extends`` chain (chain.py), each file validated (packfile.py) and the chain merged
(merge.py); every error is one located line (problems.py)."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from report_lint import __version__
from report_lint.errors import PackError
from report_lint.packs.cache import (
    _MODEL_MODULES,
    SNAPSHOT_FORMAT,
    cache_dir,
    read_pickle,
    validator_version,
    write_pickle,
)
from report_lint.packs.chain import (
    _cached_chain,
    _confinement,
    _digest,
    _may_be_inside,
    _parent,
    _store_chain,
)
from report_lint.packs.locate import _find, _is_name, builtin_dirs, builtin_names, is_builtin
from report_lint.packs.merge import _merge
from report_lint.packs.packfile import load_pack_file
from report_lint.packs.plain import Pack
from report_lint.packs.problems import _display, _Error

if TYPE_CHECKING:
    from report_lint.packs.models import PackFile

MAX_EXTENDS_DEPTH = 16


_Stamp = tuple[tuple[str, int, int], ...]
_PACKS: dict[tuple[str, str, str], tuple[Pack, _Stamp]] = {}


def _stamp(files: list[Path]) -> _Stamp:
    out = []
    for path in files:
        try:
            st = path.stat()
        except OSError:
            return ()
        out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(out)


def load_pack(spec: str, *, base: Path | None = None, root: Path | None = None) -> Pack:
    """Load a pack by built-in name or by path; cached while none of its files changes.

    ``root`` is the repository root: a pack file inside it may only extend files inside it (and
    built-in packs), symlinks resolved.
    """
    if _is_name(spec):
        entry = builtin_packs().get(spec)
        if isinstance(entry, Pack):
            return entry
        if isinstance(entry, str):
            raise _Error(entry)
    if root is not None and not _may_be_inside(spec, base, root):
        root = None  # a pack outside the repository (batch: one staff pack, many repositories)
    key = (spec, str(base), str(root))
    hit = _PACKS.get(key)
    if hit is not None and hit[1] and _stamp([Path(p) for p, _, _ in hit[1]]) == hit[1]:
        return hit[0]
    pack, files = _load_pack(spec, base=base, root=root)
    _PACKS[key] = (pack, _stamp(files))
    return pack


def _load_pack(spec: str, *, base: Path | None = None, root: Path | None = None) -> tuple[Pack, list[Path]]:
    """Load a pack by built-in name or by path (``.yaml``/``.yml`` or containing a slash)."""
    if spec.endswith((".yaml", ".yml")) or "/" in spec or "\\" in spec:
        path = Path(spec)
        if not path.is_absolute() and base is not None:
            path = base / path
        if not path.is_file():
            raise _Error(f"{spec}: rule pack file not found")
    else:
        path = _find(spec, None)
    confine = _confinement(spec, path, root)
    first, first_confine = path, confine
    cached = _cached_chain(first, first_confine)
    if cached is not None:
        return cached
    chain: list[tuple[Path, PackFile]] = []
    digests: list[str | None] = []
    seen: set[Path] = set()
    while True:
        resolved = path.resolve()
        if resolved in seen:
            raise _Error(f"{_display(path)}: 'extends' loops back to {chain[0][1].name}")
        seen.add(resolved)
        digests.append(_digest(path))
        pack_file = load_pack_file(path)
        chain.append((path, pack_file))
        if pack_file.extends is None:
            break
        if len(chain) > MAX_EXTENDS_DEPTH:
            raise _Error(f"{_display(path)}: 'extends' chain deeper than {MAX_EXTENDS_DEPTH}")
        path = _parent(path, pack_file.extends, confine)
        if is_builtin(path):
            confine = None  # built-in packs extend built-in packs only
    if chain[0][1].abstract:
        raise _Error(f"{spec}: pack {chain[0][1].name!r} is abstract; use a pack that extends it")
    pack = _merge(chain)
    _store_chain(first, first_confine, chain, digests, pack)
    return pack, [p.resolve() for p, _ in chain]


# ---------------------------------------------------------------- the snapshot of the built-in packs
#
# Validating the bundled packs (YAML + pydantic schema building) costs more than everything else a
# pre-commit run does.  The merged, validated packs are pickled once into the user's cache directory
# and reused while the key matches: report-lint's version, Python's and pydantic's versions, and the
# path, mtime, size and sha256 of every built-in pack file and of the modules defining the models.
# Anything unreadable, foreign or mismatched is ignored (the packs are then loaded from YAML).
# The packs are stored as plain objects (packs/plain.py), so reading the snapshot imports no pydantic;
# pydantic's version is read from its version file for the key, not by importing it.

_Entry = Pack | str  # a merged pack, or the error loading it raised
_BUILTINS: tuple[tuple[tuple[str, int, int], ...], dict[str, _Entry]] | None = None


def _stamp_of(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in paths:
        st = path.stat()
        out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _key_files() -> list[Path]:
    package = Path(__file__).resolve().parent.parent
    packs = sorted(p for d in builtin_dirs() for p in d.glob("*.yaml"))  # the dirs are resolved
    return packs + [package / rel for rel in _MODEL_MODULES]


def _snapshot_key(files: list[Path], stamp: tuple[tuple[str, int, int], ...]) -> tuple[Any, ...]:
    digests = tuple(hashlib.sha256(path.read_bytes()).hexdigest() for path in files)
    return (SNAPSHOT_FORMAT, __version__, tuple(sys.version_info[:3]), validator_version(), stamp, digests)


def _read_snapshot(path: Path, key: tuple[Any, ...]) -> dict[str, _Entry] | None:
    entries = read_pickle(path, key)
    if not isinstance(entries, dict) or not all(isinstance(e, (Pack, str)) for e in entries.values()):
        return None
    return entries


def _load_builtins() -> dict[str, _Entry]:
    """Every built-in pack loaded from YAML, its ``files`` absolute (made relative when handed out)."""
    entries: dict[str, _Entry] = {}
    for name in builtin_names():
        try:
            pack, chain = _load_pack(name)
        except PackError as exc:
            entries[name] = str(exc)
            continue
        entries[name] = pack.replace(files=[str(p) for p in chain])
    return entries


def builtin_packs() -> dict[str, _Entry]:
    """Every built-in pack, merged and validated (or the error loading it), by name.

    From memory while the files are unchanged, else from the snapshot in :func:`cache_dir` when its
    key matches, else loaded from YAML (and the snapshot rewritten).
    """
    global _BUILTINS
    try:
        files = _key_files()
        stamp = _stamp_of(files)
    except OSError:
        return _localise(_load_builtins())
    if _BUILTINS is not None and _BUILTINS[0] == stamp:
        return _BUILTINS[1]
    try:
        key = _snapshot_key(files, stamp)
    except OSError:
        return _localise(_load_builtins())
    directory = cache_dir()
    path = None if directory is None else directory / "builtin-packs.pickle"
    entries = None if path is None else _read_snapshot(path, key)
    if entries is None:
        entries = _load_builtins()
        if path is not None:
            write_pickle(path, key, entries)
    local = _localise(entries)
    _BUILTINS = (stamp, local)
    return local


def _localise(entries: dict[str, _Entry]) -> dict[str, _Entry]:
    """``files`` shown as :func:`_display` shows them (relative to the working directory if inside)."""
    return {
        name: e.replace(files=[_display(Path(f)) for f in e.files]) if isinstance(e, Pack) else e
        for name, e in entries.items()
    }
