"""One pack file read and validated, cached in memory while unchanged and on disk by its bytes."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from report_lint.packs import semantics
from report_lint.packs.cache import _code_key, cache_dir, read_pickle, write_pickle
from report_lint.packs.locate import is_builtin
from report_lint.packs.problems import _display, _Error, _format_loc, _position, _problem_error
from report_lint.packs.semantics import Problem
from report_lint.packs.yamlnodes import YamlError, load_located

if TYPE_CHECKING:
    from report_lint.packs.models import PackFile

# Validation (pydantic, ``packs/models.py``) is imported only where a pack file is read and checked:
# on a warm run the built-in packs come from the plain snapshot and pydantic is never imported.

MAX_PACK_BYTES = 1024 * 1024


@lru_cache(maxsize=64)
def _load_file_cached(path: Path, mtime_ns: int, size: int) -> PackFile:
    from pydantic import ValidationError

    from report_lint.packs.models import PackFile

    shown = _display(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _Error(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_PACK_BYTES:
        raise _Error(f"{shown}:1:1: pack file is larger than {MAX_PACK_BYTES} bytes")
    cached = _cached_pack_file(path, raw)
    if cached is not None:
        return cached
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Error(f"{shown}:1:1: pack file is not valid UTF-8") from None
    try:
        data, positions = load_located(text)
    except YamlError as exc:
        raise _Error(f"{shown}:{exc.line}:{exc.column}: {exc.message}") from None
    except RecursionError:  # bounded by MAX_DEPTH; kept so no path blames the report instead
        raise _Error(f"{shown}:1:1: nested too deeply to parse") from None
    if not isinstance(data, dict):
        raise _Error(f"{shown}:1:1: a pack file must be a mapping with at least a 'name'")
    try:
        validated = PackFile.model_validate(data)
        semantics.check_file(validated, builtin=is_builtin(path))
        _store_pack_file(path, raw, validated)
        return validated
    except Problem as problem:
        raise _problem_error(path, problem, positions) from None
    except ValidationError as exc:
        error = exc.errors()[0]
        on_key = error["type"] == "extra_forbidden" or error["loc"][-1:] == ("[key]",)
        loc = tuple(part for part in error["loc"] if isinstance(part, (str, int)) and part != "[key]")
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        if error["type"] == "int_type":  # strict: say why `true`, `3.0` or `1e30` is refused
            given = error.get("input")
            shown_value = str(given).lower() if isinstance(given, bool) else repr(given)
            message = f"{shown_value} is not an integer; write a whole number such as 3"
        line, column = _position((*loc, "<key>") if on_key else loc, positions)
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise _Error(f"{shown}:{line}:{column}: {_format_loc(loc)}: {message}{more}") from None


def load_pack_file(path: Path) -> PackFile:
    try:
        st = path.stat()
    except OSError as exc:
        raise _Error(f"{_display(path)}: cannot read: {exc.strerror or exc}") from None
    return _load_file_cached(path.resolve(), st.st_mtime_ns, st.st_size)


# one validated pack file per entry, for packs given by path (``rules: my-pack.yaml`` extending a
# built-in one): keyed by the file's path and sha256 and by the code that validated it


def _pack_file_entry(path: Path, raw: bytes) -> tuple[Path, tuple[Any, ...]] | None:
    directory = cache_dir()
    if directory is None:
        return None
    try:
        key = (*_code_key(), str(path), hashlib.sha256(raw).hexdigest())
    except OSError:
        return None
    name = hashlib.sha256(repr(key).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return directory / f"packfile-{name}.pickle", key


def _cached_pack_file(path: Path, raw: bytes) -> PackFile | None:
    from report_lint.packs.models import PackFile

    entry = _pack_file_entry(path, raw)
    if entry is None:
        return None
    found = read_pickle(entry[0], entry[1])
    return found if isinstance(found, PackFile) else None


def _store_pack_file(path: Path, raw: bytes, pack_file: PackFile) -> None:
    entry = _pack_file_entry(path, raw)
    if entry is not None:
        write_pickle(entry[0], entry[1], pack_file)
