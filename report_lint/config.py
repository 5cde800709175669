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
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

from report_lint.errors import UsageError
from report_lint.packs.yamlnodes import MAX_DEPTH, BoundedSafeLoader, YamlError, printable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

YAML_NAMES = (".report-lint.yaml", ".report-lint.yml")
PYPROJECT = "pyproject.toml"
MAX_CONFIG_BYTES = 1024 * 1024  # as for pack files; the largest real pyproject.toml is tens of KiB
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


# a function from a location (keys/indices; a trailing "<key>" marks the key itself) to (line, col)
Locator = Any


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
# rule names it accepts), and report-lint's, Python's and pydantic's versions.  Only settings that
# passed are stored: an error is found, located and worded by the validation every time.
_VALIDATING_MODULES = ("config.py", "config_model.py", "packs/plain.py", "checks/__init__.py")


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


# ---------------------------------------------------------------------------------------------
# YAML: positions from the composed node tree


def _load_yaml(path: Path, text: str) -> tuple[Any, Locator]:
    shown = _display(path)
    try:
        # bounded nesting: a 1000-level file is this file's error, not a stack overflow elsewhere
        node = yaml.compose(text, Loader=BoundedSafeLoader)
        data = yaml.load(text, Loader=BoundedSafeLoader)  # a SafeLoader subclass
    except YamlError as exc:
        raise _Error(f"{shown}:{exc.line}:{exc.column}: (yaml): {exc.message}") from None
    except RecursionError:
        raise _Error(f"{shown}:1:1: (yaml): nested too deeply to parse") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise _Error(f"{shown}:{line}:{col}: (yaml): {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise _Error(f"{shown}:1:1: (yaml): {exc}") from None
    if node is not None:
        _check_duplicates(shown, node)

    def locate(loc: tuple[Any, ...]) -> tuple[int, int]:
        want_key = bool(loc) and loc[-1] == "<key>"
        parts = loc[:-1] if want_key else loc
        current = node
        best = (1, 1) if node is None else _mark(node)
        for i, part in enumerate(parts):
            nxt: yaml.Node | None = None
            if isinstance(current, yaml.MappingNode):
                for k, v in current.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                        if want_key and i == len(parts) - 1:
                            return _mark(k)
                        nxt = v
                        break
            elif (
                isinstance(current, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(current.value)
            ):
                nxt = current.value[part]
            if nxt is None:
                break
            current = nxt
            best = _mark(nxt)
        return best

    return data, locate


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _check_duplicates(shown: str, node: yaml.Node, done: set[int] | None = None) -> None:
    # an alias is the same node object again: check each node once, or an alias bomb takes forever
    done = set() if done is None else done
    if id(node) in done:
        return
    done.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                if k.value in seen:
                    line, col = k.start_mark.line + 1, k.start_mark.column + 1
                    raise _Error(f"{shown}:{line}:{col}: {k.value}: set twice")
                seen.add(k.value)
            _check_duplicates(shown, v, done)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(shown, item, done)


# ---------------------------------------------------------------------------------------------
# TOML: the section, and key lines found by scanning (tomllib keeps no positions)

_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_TOML_ERROR_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def _table_name(header: str) -> tuple[str, ...]:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", header)
    return tuple(part.strip().strip("\"'") for part in parts)


def _toml_nesting(text: str, limit: int = MAX_DEPTH) -> tuple[int, int] | None:
    """Where arrays/inline tables first nest deeper than ``limit`` (strings and comments skipped).

    ``tomllib`` recurses once per level and has no limit of its own; checking first keeps a deep
    file this file's one-line error.
    """
    depth, line, line_start, i, n = 0, 1, 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j) and (len(quote) == 3 or text[j] != "\n"):
                j += 2 if c == '"' and text[j] == "\\" else 1
            end = min(j + len(quote), n)
            line += text.count("\n", i, end)
            if "\n" in text[i:end]:
                line_start = text.rindex("\n", i, end) + 1
            i = end
            continue
        if c == "\n":
            line, line_start = line + 1, i + 1
        elif c in "[{":
            depth += 1
            if depth > limit:
                return line, i - line_start + 1
        elif c in "]}":
            depth = max(depth - 1, 0)
        i += 1
    return None


def _tool_table(path: Path, text: str) -> dict[str, Any] | None:
    deep = _toml_nesting(text)
    if deep is not None:
        raise _Error(
            f"{_display(path)}:{deep[0]}:{deep[1]}: (toml): nested more than {MAX_DEPTH} levels deep"
        )
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise _Error(f"{_display(path)}:1:1: (toml): nested too deeply to parse") from None
    except tomllib.TOMLDecodeError as exc:
        pos = _TOML_ERROR_POS.search(str(exc))
        line, col = (pos.group(1), pos.group(2)) if pos else ("1", "1")
        message = _TOML_ERROR_POS.sub("", str(exc)).strip()
        raise _Error(f"{_display(path)}:{line}:{col}: (toml): {message}") from None
    tool = data.get("tool")
    if not isinstance(tool, dict) or "report-lint" not in tool:
        return None
    section = tool["report-lint"]
    return section if isinstance(section, dict) else {"": section}


def _load_toml(path: Path, text: str) -> tuple[Any, Locator]:
    section = _tool_table(path, text)
    lines = text.splitlines()
    # (table path, first line index) for each table header
    headers: list[tuple[tuple[str, ...], int]] = []
    for i, line in enumerate(lines):
        match = _TABLE_HEADER.match(line)
        if match and not line.lstrip().startswith("[["):
            headers.append((_table_name(match.group(1)), i))

    def table_lines(name: tuple[str, ...]) -> range | None:
        for n, (header, start) in enumerate(headers):
            if header == name:
                end = headers[n + 1][1] if n + 1 < len(headers) else len(lines)
                return range(start + 1, end)
        return None

    def key_line(rows: range, key: str) -> tuple[int, int] | None:
        k = re.escape(key)
        pattern = re.compile(rf"^(\s*)(?:\"{k}\"|'{k}'|{k})\s*=")
        for i in rows:
            match = pattern.match(lines[i])
            if match:
                return i + 1, len(match.group(1)) + 1
        return None

    base = ("tool", "report-lint")

    def locate(loc: tuple[Any, ...]) -> tuple[int, int]:
        parts = [p for p in loc if p != "<key>"]
        rows = table_lines(base)
        if rows is None:
            return 1, 1
        best = (rows.start, 1)  # the header line (1-based: rows.start is the header index + 1)
        if not parts:
            return best
        found = key_line(rows, str(parts[0]))
        if found is not None:
            best = found
            if len(parts) > 1 and isinstance(parts[1], str):
                # severity = { rule = "..." } is on the key's line; a sub-table has its own lines
                sub = table_lines((*base, str(parts[0])))
                if sub is not None:
                    inner = key_line(sub, parts[1])
                    best = inner or (sub.start, 1)
            return best
        sub = table_lines((*base, str(parts[0])))
        if sub is not None:
            best = (sub.start, 1)
            if len(parts) > 1 and isinstance(parts[1], str):
                best = key_line(sub, parts[1]) or best
        return best

    return (section if section is not None else {}), locate


# ---------------------------------------------------------------------------------------------
# report-lint config


DEFAULTS: dict[str, str] = {
    "rules": "auto-detect from the report",
    "reports": "reports/README.md",
    "select": "all rules of the pack",
    "ignore": "none",
    "severity": "the pack's",
    "count_mode": "the pack's",
    "fail_on": "error",
}


def _show_value(name: str, value: Any, root: Path) -> str:
    if name == "rules" and isinstance(value, str) and os.path.isabs(value):
        return _display(Path(value), root)
    if isinstance(value, (list, tuple)):
        items = [_display(v, root) if isinstance(v, Path) else str(v) for v in value]
        return ", ".join(items) if items else "(none)"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items()) if value else "(none)"
    return str(value)


def describe(cfg: LoadedConfig, cli_overrides: Mapping[str, Any] | None = None) -> str:
    """The effective configuration and where each value came from (``report-lint config``).

    ``cli_overrides`` maps field names (``count_mode``…) to values given on the command line;
    ``None`` values are ignored.
    """
    cli = {k: v for k, v in (cli_overrides or {}).items() if v is not None and v != () and v != []}
    root = cfg.repo_root
    out = [f"repository root: {root}"]
    if cfg.file is not None:
        out.append(f"configuration file: {_display(cfg.file, root)}")
    else:
        where = ", ".join(_display(d, root) or "." for d in cfg.searched) or "."
        out.append(f"configuration file: none (searched {where})")
    rows: list[tuple[str, str, str]] = []
    for name in FIELDS:
        key = name.replace("_", "-")
        if name in cli:
            rows.append((key, _show_value(name, cli[name], root), "command line"))
            continue
        value = getattr(cfg, name)
        source = cfg.sources.get(name)
        if source is not None:
            rows.append((key, _show_value(name, value, root), source.show(root)))
        else:
            rows.append((key, DEFAULTS[name], "default"))
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    out.extend(f"{k.ljust(width)} = {v.ljust(vwidth)}  # {s}" for k, v, s in rows)
    return "\n".join(out) + "\n"
