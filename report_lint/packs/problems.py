"""A pack file's problem as one printable, located line: ``file:line:col: field: message``."""

from __future__ import annotations

from pathlib import Path

from report_lint.errors import PackError
from report_lint.packs.semantics import Problem
from report_lint.packs.yamlnodes import Location, Path_, YamlError, load_located, printable


class _Error(PackError):
    """A :class:`PackError` whose message is one printable line: pack files are untrusted text."""

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


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
