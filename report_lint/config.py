"""Configuration discovery: ``.report-lint.yaml`` / ``.report-lint.yml`` or ``[tool.report-lint]``.

The search starts in the report's directory and goes up to the repository root, never above it; the
first directory holding a configuration wins (files are not merged).  Two configurations in one
directory are an error.  Keys (kebab-case; snake_case is accepted too)::

    rules: dtu-mlops-31q-2026          # a pack name, or a pack file relative to this file
    reports: [reports/README.md]       # relative to this file
    select: [answer-length, RL301]     # rule names or codes
    ignore: [broken-link]
    severity: {figure-format: error}
    count-mode: official               # or prose
    fail-on: error                     # or warning, info

Errors are one line, ``file:line:col: field: message``, raised as :class:`UsageError`.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from report_lint.config_toml import _load_toml, _tool_table
from report_lint.config_types import (
    FIELDS,
    LoadedConfig,
    Locator,
    Source,
    _display,
    _Error,
    _inside,
    is_pack_path,
)
from report_lint.config_yaml import _load_yaml

YAML_NAMES = (".report-lint.yaml", ".report-lint.yml")
PYPROJECT = "pyproject.toml"
MAX_CONFIG_BYTES = 1024 * 1024  # as for pack files; the largest real pyproject.toml is tens of KiB


# ---------------------------------------------------------------------------------------------
# discovery


def find(start_dir: Path, repo_root: Path) -> tuple[Path | None, tuple[Path, ...]]:
    """The configuration file nearest to ``start_dir`` (up to ``repo_root``), and the dirs searched."""
    root = repo_root.resolve()
    here = start_dir.resolve()
    if not _inside(here, root):
        here = root
    searched: list[Path] = []
    while True:
        searched.append(here)
        found = _config_in(here, root)
        if found is not None:
            return found, tuple(searched)
        if here == root or here.parent == here:
            return None, tuple(searched)
        here = here.parent


def _config_in(directory: Path, root: Path) -> Path | None:
    paths = [directory / name for name in (*YAML_NAMES, PYPROJECT)]
    for path in paths:
        # a configuration that is a link out of the repository is never read
        if path.is_symlink() and not _inside(path, root):
            shown = (Path(_display(directory)) / path.name).as_posix()
            raise _Error(f"{shown}: the configuration is a link that leads outside the repository root")
    candidates = [path for path in paths[: len(YAML_NAMES)] if path.is_file()]
    pyproject = paths[-1]
    if pyproject.is_file() and _pyproject_has_section(pyproject):
        candidates.append(pyproject)
    if len(candidates) > 1:
        names = " and ".join(_display(c) for c in candidates)
        raise _Error(f"{_display(directory)}: both {names} configure report-lint; keep one")
    return candidates[0] if candidates else None


def _pyproject_has_section(path: Path) -> bool:
    text = _read(path)
    if "report-lint" not in text:
        return False
    return _tool_table(path, text) is not None


def discover(start_dir: Path, repo_root: Path) -> LoadedConfig:
    """Find and load the configuration for a report in ``start_dir``; defaults when there is none."""
    found, searched = find(start_dir, repo_root)
    if found is None:
        return LoadedConfig(repo_root=repo_root.resolve(), searched=searched)
    loaded = load(found, repo_root)
    return LoadedConfig(**{**loaded.__dict__, "searched": searched})


def load(path: Path, repo_root: Path) -> LoadedConfig:
    """Load one configuration file (``.report-lint.y[a]ml`` or a ``pyproject.toml``)."""
    path = path.resolve()
    text = _read(path)
    if path.name == PYPROJECT or path.suffix == ".toml":
        raw, locate = _load_toml(path, text)
    else:
        raw, locate = _load_yaml(path, text)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        line, col = locate(())
        raise _Error(f"{_display(path)}:{line}:{col}: (top): expected a mapping of settings")
    return _validate(path, repo_root.resolve(), raw, locate, text)


def _read(path: Path) -> str:
    try:
        with path.open("rb") as handle:  # capped: a configuration is a few lines, never gigabytes
            raw = handle.read(MAX_CONFIG_BYTES + 1)
        if len(raw) > MAX_CONFIG_BYTES:
            raise _Error(f"{_display(path)}:1:1: configuration file is larger than {MAX_CONFIG_BYTES} bytes")
        return raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _Error(f"{_display(path)}: cannot read configuration: {exc}") from exc


def _validate(path: Path, root: Path, raw: dict[str, Any], locate: Locator, text: str) -> LoadedConfig:
    shown = _display(path)
    canonical: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for key, value in raw.items():
        name = str(key).replace("-", "_")
        if name in canonical:
            line, col = locate((key, "<key>"))
            raise _Error(f"{shown}:{line}:{col}: {key}: set twice (as {spelled[name]!r} and {key!r})")
        canonical[name] = value
        spelled[name] = str(key)
    # settings that passed before: no pydantic (see _values_entry); the settings are what the text
    # parses to, as its file name says it is parsed
    read_as = f"{path.name}\0{text}"
    values = _cached_values(read_as)
    if values is None:
        values = _checked_values(shown, canonical, spelled, locate)
        _store_values(read_as, values)
    model = SimpleNamespace(**values)

    base = path.parent
    sources = {
        name: Source(path, locate((spelled[name],))[0]) for name in FIELDS if getattr(model, name) is not None
    }

    def fail(name: str, message: str, index: int | None = None) -> _Error:
        loc: tuple[Any, ...] = (spelled[name],) if index is None else (spelled[name], index)
        line, col = locate(loc)
        dotted = spelled[name] + ("" if index is None else f".{index}")
        return _Error(f"{shown}:{line}:{col}: {dotted}: {message}")

    rules = model.rules
    if rules is not None and not is_pack_path(rules):
        from report_lint.packs.loader import builtin_packs
        from report_lint.packs.locate import builtin_names, unknown_pack_message

        if rules in builtin_names() and isinstance(builtin_packs().get(rules), str):
            raise fail("rules", f"{rules} is a shared fragment (abstract): name a pack that extends it")
        if rules not in builtin_names():
            raise fail(
                "rules", unknown_pack_message(rules) + "; a pack file is named by its path ending in .yaml"
            )
    if rules is not None and is_pack_path(rules):
        pack = (base / rules).resolve()
        if not _inside(pack, root):
            raise fail("rules", f"{rules} is outside the repository root")
        if not pack.is_file():
            raise fail("rules", f"pack file {rules} not found (relative to {shown})")
        rules = str(pack)
    origins: dict[tuple[str, str], str] = {}
    for name in ("select", "ignore"):
        for i, entry in enumerate(getattr(model, name) or []):
            line, col = locate((spelled[name], i))
            origins[(name, entry)] = f"{shown}:{line}:{col}: {spelled[name]}.{i}"
    for key in model.severity or {}:
        line, col = locate((spelled["severity"], key, "<key>"))
        origins[("severity", key)] = f"{shown}:{line}:{col}: {spelled['severity']}.{key}"
    reports: list[Path] = []
    for i, entry in enumerate(model.reports or []):
        report = (base / entry).resolve()
        if not _inside(report, root):
            raise fail("reports", f"{entry} is outside the repository root", i)
        reports.append(report)
    return LoadedConfig(
        repo_root=root,
        file=path,
        rules=rules,
        reports=tuple(reports),
        select=None if model.select is None else tuple(model.select),
        ignore=None if model.ignore is None else tuple(model.ignore),
        severity=dict(model.severity or {}),
        count_mode=model.count_mode,
        fail_on=model.fail_on,
        sources=sources,
        entry_origins=origins,
    )


def _checked_values(
    shown: str, canonical: dict[str, Any], spelled: dict[str, str], locate: Locator
) -> dict[str, Any]:
    """The settings as ``config_model.ConfigModel`` (pydantic) validates them, as plain values."""
    from pydantic import ValidationError

    from report_lint.config_model import ConfigModel

    try:
        model = ConfigModel.model_validate(canonical)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        on_key = err["type"] == "extra_forbidden" or (bool(loc) and loc[-1] == "[key]")
        loc = tuple(p for p in loc if p != "[key]")
        original = (spelled.get(str(loc[0]), str(loc[0])), *loc[1:]) if loc else ()
        target = (*original, "<key>") if on_key else original
        line, col = locate(target)
        field_name = ".".join(str(p) for p in original) or "(top)"
        message = str(err["msg"])
        if err["type"] == "extra_forbidden":
            message = "unknown setting (allowed: " + ", ".join(f.replace("_", "-") for f in FIELDS) + ")"
        elif message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        raise _Error(f"{shown}:{line}:{col}: {field_name}: {message}") from None
    return {name: getattr(model, name) for name in FIELDS}


# Validated settings are cached like the packs (``packs.cache.cache_dir``): a run in a repository with
# a configuration file then imports no pydantic (≈ 90 ms).  The key is the file's name and text (never
# the parsed value: a YAML alias bomb is refused by validation, not expanded by a repr), the code that
# validates them (this module, config_model.py, the plain pack types and the checks registry, whose
# rule names it accepts; the parsers and types split out of this module, whose code decides the
# settings as before), and report-lint's, Python's and pydantic's versions.  Only settings that
# passed are stored: an error is found, located and worded by the validation every time.
_VALIDATING_MODULES = (
    "config.py",
    "config_types.py",
    "config_yaml.py",
    "config_toml.py",
    "config_model.py",
    "packs/plain.py",
    "checks/__init__.py",
)


def _values_entry(read_as: str) -> tuple[Path, tuple[Any, ...]] | None:
    from report_lint import __version__
    from report_lint.packs import cache

    directory = cache.cache_dir()
    if directory is None:
        return None
    package = Path(__file__).resolve().parent
    try:
        code = tuple(hashlib.sha256((package / rel).read_bytes()).hexdigest() for rel in _VALIDATING_MODULES)
        validator = cache.validator_version()
    except OSError:
        return None
    settings = hashlib.sha256(read_as.encode("utf-8", "surrogateescape")).hexdigest()
    key = (cache.SNAPSHOT_FORMAT, __version__, tuple(sys.version_info[:3]), validator, code, settings)
    name = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    return directory / f"config-{name}.pickle", key


def _cached_values(read_as: str) -> dict[str, Any] | None:
    from report_lint.packs import cache

    entry = _values_entry(read_as)
    found = None if entry is None else cache.read_pickle(entry[0], entry[1])
    return found if isinstance(found, dict) and sorted(found) == sorted(FIELDS) else None


def _store_values(read_as: str, values: dict[str, Any]) -> None:
    from report_lint.packs import cache

    entry = _values_entry(read_as)
    if entry is not None:
        cache.write_pickle(entry[0], entry[1], values)
