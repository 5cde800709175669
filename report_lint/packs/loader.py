"""Finding, validating and merging rule packs; every error is one located line."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import stat
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from report_lint import __version__
from report_lint.errors import PackError
from report_lint.packs import semantics
from report_lint.packs.plain import Pack
from report_lint.packs.semantics import Problem, did_you_mean
from report_lint.packs.yamlnodes import Location, Path_, YamlError, load_located, printable

if TYPE_CHECKING:
    from report_lint.packs.models import PackFile

# Validation (pydantic, ``packs/models.py``) is imported only where a pack file is read and checked:
# on a warm run the built-in packs come from the plain snapshot and pydantic is never imported.

MAX_PACK_BYTES = 1024 * 1024
MAX_EXTENDS_DEPTH = 16


class _Error(PackError):
    """A :class:`PackError` whose message is one printable line: pack files are untrusted text."""

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


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
    raise _Error(unknown_pack_message(name, near))


def unknown_pack_message(name: str, near: Path | None = None) -> str:
    """``no rule pack named 'x'`` with the closest name, or the list of built-in packs."""
    names = builtin_names()
    local = sorted(p.stem for p in near.glob("*.yaml")) if near is not None and near.is_dir() else []
    hint = did_you_mean(name, [*names, *local])
    return f"no rule pack named {name!r}" + (hint or f" (built-in packs: {', '.join(names) or 'none'})")


def is_builtin(path: Path) -> bool:
    """Whether ``path`` is one of the bundled pack files (trusted: they never leave their directory)."""
    return path.resolve().parent in builtin_dirs()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _real(path: Path) -> Path | None:
    """``path`` with symlinks resolved; None for a symlink loop or an unreadable directory."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return None


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
    # (a tag can also be a real key: `evidence.files.min_count` is the `files` kind's `min_count`,
    # beside the `files:` key, so a part is skipped when only skipping it lets the next one resolve)
    key: tuple[str | int, ...] = ()
    for i, part in enumerate(loc):
        if part in ("min", "max") and (*key, part) not in positions:
            part = 0 if part == "min" else 1  # a range written as [min, max]
        if (*key, part) not in positions:
            continue
        after = loc[i + 1] if i + 1 < len(loc) else None
        if after is not None and (*key, part, after) not in positions and (*key, after) in positions:
            continue
        key = (*key, part)
    return positions.get(key, (1, 1))


def _position(loc: tuple[str | int, ...], positions: dict[Path_, Location]) -> Location:
    """Where ``loc`` is; a trailing ``"<key>"`` asks for the key rather than its value."""
    if loc and loc[-1] == "<key>":
        return positions.get(loc) or _locate(loc[:-1], positions)
    return _locate(loc, positions)


def _problem_error(path: Path, problem: Problem, positions: dict[Path_, Location] | None = None) -> _Error:
    """``file:line:col: field: message``; positions are re-read from the file when not at hand."""
    shown = _display(path)
    if positions is None:
        try:
            _, positions = load_located(path.read_bytes().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, YamlError):
            positions = {}
    line, column = _position(problem.loc, positions)
    field = _format_loc(tuple(part for part in problem.loc if part != "<key>"))
    return _Error(f"{shown}:{line}:{column}: {field}: {problem.message}")


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


def _is_name(spec: str) -> bool:
    return not (spec.endswith((".yaml", ".yml")) or "/" in spec or "\\" in spec)


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


def _may_be_inside(spec: str, base: Path | None, root: Path) -> bool:
    path = Path(spec) if Path(spec).is_absolute() or base is None else base / spec
    real = _real(path)
    top = root.resolve()
    return _inside(Path(os.path.abspath(path)), top) or (real is not None and _inside(real, top))


def _confinement(spec: str, path: Path, root: Path | None) -> Path | None:
    """The root a pack chain must stay in: the repository's, when the first pack file is in it."""
    if root is None or is_builtin(path):
        return None
    top = root.resolve()
    lexical, resolved = Path(os.path.abspath(path)), _real(path)
    inside = resolved is not None and _inside(resolved, top)
    if not (_inside(lexical, top) or inside):
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
    if confine is not None and not (_inside(written, confine) and _inside(real, confine)):
        raise fail(
            f"{value} is outside the repository root: a pack in the repository can extend only "
            "packs in it or built-in packs"
        )
    if not candidate.is_file():
        raise fail(f"pack file {value} not found (relative to {_display(path.parent) or '.'})")
    return candidate


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


# ------------------------------------------------------- the merged pack of a chain of pack files
#
# A course's own pack (``rules: course.yaml`` extending a built-in one) was validated file by file
# from the per-file cache below, whose entries are pydantic objects: every hook run in such a
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


def default_rules() -> dict[str, dict[str, str]]:
    """Each built-in rule's default code and severity (see ``semantics.DEFAULTS_PACK``)."""
    table = load_pack_file(_find(semantics.DEFAULTS_PACK, None)).rules
    out: dict[str, dict[str, str]] = {}
    for name in semantics.known_rules():
        code, severity = (table[name].code, table[name].severity) if name in table else (None, None)
        if code is not None and severity is not None:
            out[name] = {"code": code, "severity": severity}
    return out


def _merge(chain: list[tuple[Path, PackFile]]) -> Pack:
    """The chain merged into one pack, as the plain objects rules read (:mod:`report_lint.packs.plain`)."""
    from report_lint.packs import models
    from report_lint.packs.structure import build_structure, merge_structure, question_keys

    defaults = default_rules()
    rules: dict[str, dict[str, Any]] = {}
    if not any("rules" in pf.model_fields_set for _, pf in chain):
        # no pack of the chain chose its rules: every built-in rule, as documented
        for name in semantics.known_rules():
            if name not in defaults:
                raise _Error(f"built-in rule {name!r} has no default code and severity (report-lint bug)")
            rules[name] = {"options": {}, **defaults[name]}
    questions: dict[int | str, dict[str, Any]] = {}
    structure: dict[str, Any] = {}
    placeholders: dict[str, Any] = {}
    figures: dict[str, Any] = {}
    scalars: dict[str, Any] = {}
    policy_from: tuple[Path, PackFile] | None = None
    for path, pf in reversed(chain):  # parent first, child overrides
        try:
            semantics.apply_rules(rules, pf, defaults)
        except Problem as problem:
            raise _problem_error(path, problem) from None
        for q in pf.questions:
            questions.setdefault(q.number, {}).update({key: getattr(q, key) for key in q.model_fields_set})
        if pf.structure is not None:
            merge_structure(structure, pf.structure)
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
        if "suppressions" in pf.model_fields_set:
            policy_from = (path, pf)
    if policy_from is not None:
        try:
            semantics.check_forbidden(policy_from[1], [r["code"] for r in rules.values() if "code" in r])
        except Problem as problem:
            raise _problem_error(policy_from[0], problem) from None
    top_path, top = chain[0]
    resolved_rules = {}
    for name, merged_rule in rules.items():
        if "code" not in merged_rule or "severity" not in merged_rule:
            raise _Error(f"{_display(top_path)}: rule {name!r} has no code or severity in its pack chain")
        # every part was validated in its pack file: construct, do not validate again
        resolved_rules[name] = models.ResolvedRule.model_construct(
            name=name,
            code=merged_rule["code"],
            severity=merged_rule["severity"],
            enabled=merged_rule.get("enabled", True),
            suppressible=merged_rule.get("suppressible", True),
            options=merged_rule["options"],
        )
    suppressions = scalars.get("suppressions")
    allowed = True if suppressions is None or suppressions.allowed is None else suppressions.allowed
    layout = build_structure(structure)
    keyed, labels = question_keys(questions)
    count_mode = scalars.get("count_mode") or ("official" if layout.course_checker else "prose")

    merged = models.Pack.model_construct(
        name=top.name,
        description=scalars.get("description") or "",
        files=[_display(p) for p, _ in chain],
        detect=top.detect,
        question_count=scalars.get("question_count"),
        count_mode=count_mode,
        official_skip_chars=scalars.get("official_skip_chars") or 0,
        rules=resolved_rules,
        questions={n: models.QuestionSpec.model_construct(**q) for n, q in keyed},
        placeholders=list(placeholders.values()),
        template_figures=list(figures.values()),
        suppressions_allowed=allowed,
        forbidden_suppressions=list(suppressions.forbidden_rules or []) if suppressions else [],
        checklist=scalars.get("checklist"),
        handin=scalars.get("handin"),
        structure=layout,
        labels=labels,
    )
    plain: Pack = models.to_plain(merged)
    return plain


# ---------------------------------------------------------------- the snapshot of the built-in packs
#
# Validating the bundled packs (YAML + pydantic schema building) costs more than everything else a
# pre-commit run does.  The merged, validated packs are pickled once into the user's cache directory
# and reused while the key matches: report-lint's version, Python's and pydantic's versions, and the
# path, mtime, size and sha256 of every built-in pack file and of the modules defining the models.
# Anything unreadable, foreign or mismatched is ignored (the packs are then loaded from YAML).
# The packs are stored as plain objects (packs/plain.py), so reading the snapshot imports no pydantic;
# pydantic's version is read from its version file for the key, not by importing it.

SNAPSHOT_FORMAT = 2
# the pack-file cache holds files that passed these modules' checks (the registry: its rule names)
_MODEL_MODULES = (
    "packs/models.py",
    "packs/plain.py",
    "packs/loader.py",
    "packs/semantics.py",
    "packs/structure.py",
    "packs/base.py",
    "evidence/models.py",
    "checks/__init__.py",
)
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


def validator_version() -> str:
    """pydantic's version file, hashed: what validated the snapshot, known without importing pydantic."""
    spec = importlib.util.find_spec("pydantic")
    if spec is None or not spec.submodule_search_locations:
        raise OSError("pydantic is not installed")
    version_file = Path(next(iter(spec.submodule_search_locations))) / "version.py"
    return hashlib.sha256(version_file.read_bytes()).hexdigest()


def _snapshot_key(files: list[Path], stamp: tuple[tuple[str, int, int], ...]) -> tuple[Any, ...]:
    digests = tuple(hashlib.sha256(path.read_bytes()).hexdigest() for path in files)
    return (SNAPSHOT_FORMAT, __version__, tuple(sys.version_info[:3]), validator_version(), stamp, digests)


def _owned_by_us(st: os.stat_result) -> bool:
    uid = os.getuid() if hasattr(os, "getuid") else None
    return (uid is None or st.st_uid == uid) and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_pickle(path: Path, key: tuple[Any, ...]) -> Any:
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
    entries = read_pickle(path, key)
    if not isinstance(entries, dict) or not all(isinstance(e, (Pack, str)) for e in entries.values()):
        return None
    return entries


def write_pickle(path: Path, key: tuple[Any, ...], value: Any) -> None:
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


# one validated pack file per entry, for packs given by path (``rules: my-pack.yaml`` extending a
# built-in one): keyed by the file's path and sha256 and by the code that validated it
_CODE_KEY: tuple[Any, ...] | None = None


def _code_key() -> tuple[Any, ...]:
    global _CODE_KEY
    if _CODE_KEY is None:
        package = Path(__file__).resolve().parent.parent
        digests = tuple(hashlib.sha256((package / rel).read_bytes()).hexdigest() for rel in _MODEL_MODULES)
        _CODE_KEY = (SNAPSHOT_FORMAT, __version__, tuple(sys.version_info[:3]), validator_version(), digests)
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
