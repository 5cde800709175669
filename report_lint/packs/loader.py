"""Finding, validating and merging rule packs; every error is one located line."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
import pickle
import stat
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pydantic
from pydantic import ValidationError

from report_lint import __version__
from report_lint.errors import PackError
from report_lint.packs.models import Pack, PackFile, QuestionSpec, ResolvedRule
from report_lint.packs.yamlnodes import Location, Path_, YamlError, load_located

MAX_PACK_BYTES = 1024 * 1024
MAX_EXTENDS_DEPTH = 16


def builtin_dirs() -> list[Path]:
    """Where the bundled packs are: inside the wheel, or the source tree's ``rules/``."""
    here = Path(__file__).resolve().parent.parent
    return [d for d in (here / "packs_data", here.parent / "rules") if d.is_dir()]


def builtin_names() -> list[str]:
    names: set[str] = set()
    for directory in builtin_dirs():
        names.update(p.stem for p in directory.glob("*.yaml"))
    return sorted(names)


def _find(name: str, near: Path | None) -> Path:
    candidates = []
    if near is not None:
        candidates.append(near / f"{name}.yaml")
    candidates += [d / f"{name}.yaml" for d in builtin_dirs()]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    known = ", ".join(builtin_names()) or "none"
    raise PackError(f"no rule pack named {name!r} (built-in packs: {known})")


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _format_loc(loc: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def _locate(loc: tuple[str | int, ...], positions: dict[Path_, Location]) -> Location:
    # pydantic locations also name union branches and tagged kinds (`evidence.any.1.code.code`):
    # follow the parts that are real keys in the file, skip the others
    key: tuple[str | int, ...] = ()
    for part in loc:
        if (*key, part) in positions:
            key = (*key, part)
    return positions.get(key, (1, 1))


@lru_cache(maxsize=64)
def _load_file_cached(path: Path, mtime_ns: int, size: int) -> PackFile:
    shown = _display(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_PACK_BYTES:
        raise PackError(f"{shown}:1:1: pack file is larger than {MAX_PACK_BYTES} bytes")
    cached = _cached_pack_file(path, raw)
    if cached is not None:
        return cached
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PackError(f"{shown}:1:1: pack file is not valid UTF-8") from None
    try:
        data, positions = load_located(text)
    except YamlError as exc:
        raise PackError(f"{shown}:{exc.line}:{exc.column}: {exc.message}") from None
    if not isinstance(data, dict):
        raise PackError(f"{shown}:1:1: a pack file must be a mapping with at least a 'name'")
    try:
        validated = PackFile.model_validate(data)
        _store_pack_file(path, raw, validated)
        return validated
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key"
            loc_key: tuple[str | int, ...] = (*loc, "<key>")
            line, column = positions.get(loc_key) or _locate(loc, positions)
        else:
            line, column = _locate(loc, positions)
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise PackError(f"{shown}:{line}:{column}: {_format_loc(loc)}: {message}{more}") from None


def load_pack_file(path: Path) -> PackFile:
    try:
        st = path.stat()
    except OSError as exc:
        raise PackError(f"{_display(path)}: cannot read: {exc.strerror or exc}") from None
    return _load_file_cached(path.resolve(), st.st_mtime_ns, st.st_size)


_Stamp = tuple[tuple[str, int, int], ...]
_PACKS: dict[tuple[str, str], tuple[Pack, _Stamp]] = {}


def _stamp(files: list[Path]) -> _Stamp:
    out = []
    for path in files:
        try:
            st = path.stat()
        except OSError:
            return ()
        out.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _is_name(spec: str) -> bool:
    return not (spec.endswith((".yaml", ".yml")) or "/" in spec or "\\" in spec)


def load_pack(spec: str, *, base: Path | None = None) -> Pack:
    """Load a pack by built-in name or by path; cached while none of its files changes."""
    if _is_name(spec):
        entry = builtin_packs().get(spec)
        if isinstance(entry, Pack):
            return entry
        if isinstance(entry, str):
            raise PackError(entry)
    key = (spec, str(base))
    hit = _PACKS.get(key)
    if hit is not None and hit[1] and _stamp([Path(p) for p, _, _ in hit[1]]) == hit[1]:
        return hit[0]
    pack, files = _load_pack(spec, base=base)
    _PACKS[key] = (pack, _stamp(files))
    return pack


def _load_pack(spec: str, *, base: Path | None = None) -> tuple[Pack, list[Path]]:
    """Load a pack by built-in name or by path (``.yaml``/``.yml`` or containing a slash)."""
    if spec.endswith((".yaml", ".yml")) or "/" in spec or "\\" in spec:
        path = Path(spec)
        if not path.is_absolute() and base is not None:
            path = base / path
        if not path.is_file():
            raise PackError(f"{spec}: rule pack file not found")
    else:
        path = _find(spec, None)
    chain: list[tuple[Path, PackFile]] = []
    seen: set[Path] = set()
    while True:
        resolved = path.resolve()
        if resolved in seen:
            raise PackError(f"{_display(path)}: 'extends' loops back to {chain[0][1].name}")
        seen.add(resolved)
        pack_file = load_pack_file(path)
        chain.append((path, pack_file))
        if pack_file.extends is None:
            break
        if len(chain) > MAX_EXTENDS_DEPTH:
            raise PackError(f"{_display(path)}: 'extends' chain deeper than {MAX_EXTENDS_DEPTH}")
        path = _find(pack_file.extends, path.parent)
    if chain[0][1].abstract:
        raise PackError(f"{spec}: pack {chain[0][1].name!r} is abstract; use a pack that extends it")
    return _merge(chain), [p.resolve() for p, _ in chain]


def _merge(chain: list[tuple[Path, PackFile]]) -> Pack:
    rules: dict[str, dict[str, Any]] = {}
    questions: dict[int, dict[str, Any]] = {}
    placeholders: dict[str, Any] = {}
    figures: dict[str, Any] = {}
    scalars: dict[str, Any] = {}
    for _, pf in reversed(chain):  # parent first, child overrides
        for name, settings in pf.rules.items():
            merged = rules.setdefault(name, {"options": {}})
            # the fields as set (not model_dump: serialising would build pydantic's schemas, ~0.2 s)
            for key in settings.model_fields_set:
                value = getattr(settings, key)
                if key == "options":
                    merged["options"] = {**merged["options"], **copy.deepcopy(value)}
                else:
                    merged[key] = value
        for q in pf.questions:
            questions.setdefault(q.number, {}).update({key: getattr(q, key) for key in q.model_fields_set})
        for p in pf.placeholders:
            placeholders[p.id] = p
        for f in pf.template_figures:
            figures[f.sha256] = f
        for key in (
            "description",
            "detect",
            "question_count",
            "count_mode",
            "official_skip_chars",
            "suppressions",
            "checklist",
            "handin",
        ):
            if key in pf.model_fields_set:
                scalars[key] = getattr(pf, key)
    top_path, top = chain[0]
    resolved_rules = {}
    for name, merged_rule in rules.items():
        if "code" not in merged_rule or "severity" not in merged_rule:
            raise PackError(f"{_display(top_path)}: rule {name!r} has no code or severity in its pack chain")
        # every part was validated in its pack file: construct, do not validate again
        resolved_rules[name] = ResolvedRule.model_construct(
            name=name,
            code=merged_rule["code"],
            severity=merged_rule["severity"],
            enabled=merged_rule.get("enabled", True),
            suppressible=merged_rule.get("suppressible", True),
            options=merged_rule["options"],
        )
    suppressions = scalars.get("suppressions")
    allowed = True if suppressions is None or suppressions.allowed is None else suppressions.allowed

    return Pack.model_construct(
        name=top.name,
        description=scalars.get("description") or "",
        files=[_display(p) for p, _ in chain],
        detect=top.detect,
        question_count=scalars.get("question_count"),
        count_mode=scalars.get("count_mode") or "official",
        official_skip_chars=scalars.get("official_skip_chars") or 0,
        rules=resolved_rules,
        questions={n: QuestionSpec.model_construct(**q) for n, q in sorted(questions.items())},
        placeholders=list(placeholders.values()),
        template_figures=list(figures.values()),
        suppressions_allowed=allowed,
        forbidden_suppressions=list(suppressions.forbidden_rules or []) if suppressions else [],
        checklist=scalars.get("checklist"),
        handin=scalars.get("handin"),
    )


# ---------------------------------------------------------------- the snapshot of the built-in packs
#
# Validating the bundled packs (YAML + pydantic schema building) costs more than everything else a
# pre-commit run does.  The merged, validated packs are pickled once into the user's cache directory
# and reused while the key matches: report-lint's version, Python's and pydantic's versions, and the
# path, mtime, size and sha256 of every built-in pack file and of the modules defining the models.
# Anything unreadable, foreign or mismatched is ignored (the packs are then loaded from YAML).

SNAPSHOT_FORMAT = 1
_MODEL_MODULES = ("packs/models.py", "packs/loader.py", "evidence/models.py")
_Entry = Pack | str  # a merged pack, or the error loading it raised
_BUILTINS: tuple[tuple[tuple[str, int, int], ...], dict[str, _Entry]] | None = None


def cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/report-lint`` or ``~/.cache/report-lint``; None when caching is off."""
    if os.environ.get("REPORT_LINT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):
            return None
    return Path(base) / "report-lint"


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
    return (SNAPSHOT_FORMAT, __version__, tuple(sys.version_info[:3]), pydantic.VERSION, stamp, digests)


def _owned_by_us(st: os.stat_result) -> bool:
    uid = os.getuid() if hasattr(os, "getuid") else None
    return (uid is None or st.st_uid == uid) and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read_pickle(path: Path, key: tuple[Any, ...]) -> Any:
    """The value stored at ``path`` under ``key``; None unless the file is ours and the key matches."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or not _owned_by_us(st) or not _owned_by_us(path.parent.stat()):
                return None
            stored_key, value = pickle.load(fh)
    except Exception:  # missing, unreadable, truncated, from another version: load from YAML
        return None
    return value if stored_key == key else None


def _read_snapshot(path: Path, key: tuple[Any, ...]) -> dict[str, _Entry] | None:
    entries = _read_pickle(path, key)
    if not isinstance(entries, dict) or not all(isinstance(e, (Pack, str)) for e in entries.values()):
        return None
    return entries


def _write_pickle(path: Path, key: tuple[Any, ...], value: Any) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # read-only home, full disk: no snapshot, same results
        with contextlib.suppress(OSError):
            tmp.unlink()


def _load_builtins() -> dict[str, _Entry]:
    """Every built-in pack loaded from YAML, its ``files`` absolute (made relative when handed out)."""
    entries: dict[str, _Entry] = {}
    for name in builtin_names():
        try:
            pack, chain = _load_pack(name)
        except PackError as exc:
            entries[name] = str(exc)
            continue
        entries[name] = pack.model_copy(update={"files": [str(p) for p in chain]})
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
            _write_pickle(path, key, entries)
    local = _localise(entries)
    _BUILTINS = (stamp, local)
    return local


def _localise(entries: dict[str, _Entry]) -> dict[str, _Entry]:
    """``files`` shown as :func:`_display` shows them (relative to the working directory if inside)."""
    return {
        name: e.model_copy(update={"files": [_display(Path(f)) for f in e.files]})
        if isinstance(e, Pack)
        else e
        for name, e in entries.items()
    }


# one validated pack file per entry, for packs given by path (``rules: my-pack.yaml`` extending a
# built-in one): keyed by the file's path and sha256 and by the code that validated it
_CODE_KEY: tuple[Any, ...] | None = None


def _code_key() -> tuple[Any, ...]:
    global _CODE_KEY
    if _CODE_KEY is None:
        package = Path(__file__).resolve().parent.parent
        digests = tuple(hashlib.sha256((package / rel).read_bytes()).hexdigest() for rel in _MODEL_MODULES)
        _CODE_KEY = (SNAPSHOT_FORMAT, __version__, tuple(sys.version_info[:3]), pydantic.VERSION, digests)
    return _CODE_KEY


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
    entry = _pack_file_entry(path, raw)
    if entry is None:
        return None
    found = _read_pickle(entry[0], entry[1])
    return found if isinstance(found, PackFile) else None


def _store_pack_file(path: Path, raw: bytes, pack_file: PackFile) -> None:
    entry = _pack_file_entry(path, raw)
    if entry is not None:
        _write_pickle(entry[0], entry[1], pack_file)
