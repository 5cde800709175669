"""What a loaded configuration is (:class:`LoadedConfig`, :class:`Source`), and the one-line error
every configuration problem is raised as; shared by the loader (config.py), its parsers
(config_yaml.py, config_toml.py), the schema (config_model.py) and ``report-lint config``
(config_describe.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from report_lint.errors import UsageError
from report_lint.packs.yamlnodes import printable

FIELDS = ("rules", "reports", "select", "ignore", "severity", "count_mode", "fail_on")


class _Error(UsageError):
    """A :class:`UsageError` whose message is one printable line: configuration is untrusted text."""

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


def is_pack_path(value: str) -> bool:
    return "/" in value or "\\" in value or value.endswith((".yaml", ".yml"))


@dataclass(frozen=True)
class Source:
    file: Path
    line: int

    def show(self, base: Path | None = None) -> str:
        return f"{_display(self.file, base)}:{self.line}"


@dataclass(frozen=True)
class LoadedConfig:
    """The discovered configuration; ``None``/empty means "not set" (the CLI or pack decides)."""

    repo_root: Path
    file: Path | None = None
    rules: str | None = None  # a pack name, or the absolute path of a pack file
    reports: tuple[Path, ...] = ()  # absolute
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    severity: Mapping[str, str] = field(default_factory=dict)
    count_mode: str | None = None
    fail_on: str | None = None
    sources: Mapping[str, Source] = field(default_factory=dict)  # field name -> where it was set
    # (field, entry) -> "file:line:col: field.N" for each select/ignore entry and severity key, so an
    # entry found unknown only once the pack is known is still reported at its place in the file
    entry_origins: Mapping[tuple[str, str], str] = field(default_factory=dict)
    searched: tuple[Path, ...] = ()  # the directories looked in, nearest first


def _display(path: Path, base: Path | None = None) -> str:
    for anchor in (base, Path.cwd()):
        if anchor is None:
            continue
        try:
            return path.resolve().relative_to(anchor.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return False
    return True


# a function from a location (keys/indices; a trailing "<key>" marks the key itself) to (line, col)
Locator = Any
