"""Finding, validating and merging rule packs; every error is one located line."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

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
        return PackFile.model_validate(data)
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


def load_pack(spec: str, *, base: Path | None = None) -> Pack:
    """Load a pack by built-in name or by path; cached while none of its files changes."""
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
            for key, value in settings.model_dump(exclude_unset=True).items():
                if key == "options":
                    merged["options"] = {**merged["options"], **value}
                else:
                    merged[key] = value
        for q in pf.questions:
            questions.setdefault(q.number, {}).update(q.model_dump(exclude_unset=True))
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
        ):
            if key in pf.model_fields_set:
                scalars[key] = getattr(pf, key)
    top_path, top = chain[0]
    resolved_rules = {}
    for name, merged_rule in rules.items():
        if "code" not in merged_rule or "severity" not in merged_rule:
            raise PackError(f"{_display(top_path)}: rule {name!r} has no code or severity in its pack chain")
        resolved_rules[name] = ResolvedRule(
            name=name,
            code=merged_rule["code"],
            severity=merged_rule["severity"],
            enabled=merged_rule.get("enabled", True),
            suppressible=merged_rule.get("suppressible", True),
            options=merged_rule["options"],
        )
    suppressions = scalars.get("suppressions")
    allowed = True if suppressions is None or suppressions.allowed is None else suppressions.allowed

    return Pack(
        name=top.name,
        description=scalars.get("description") or "",
        files=[_display(p) for p, _ in chain],
        detect=top.detect,
        question_count=scalars.get("question_count"),
        count_mode=scalars.get("count_mode") or "official",
        official_skip_chars=scalars.get("official_skip_chars") or 0,
        rules=resolved_rules,
        questions={n: QuestionSpec.model_validate(q) for n, q in sorted(questions.items())},
        placeholders=list(placeholders.values()),
        template_figures=list(figures.values()),
        suppressions_allowed=allowed,
        forbidden_suppressions=list(suppressions.forbidden_rules or []) if suppressions else [],
        checklist=scalars.get("checklist"),
    )
