"""Where rule packs are: the bundled ones, found by name, and whether a spec is a name or a path."""

from __future__ import annotations

from pathlib import Path

from report_lint.packs.problems import _Error
from report_lint.packs.semantics import did_you_mean


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


def _is_name(spec: str) -> bool:
    return not (spec.endswith((".yaml", ".yml")) or "/" in spec or "\\" in spec)
