"""The project's declared dependencies, from every usual place, names normalised as pip does.

Sources: ``requirements*.txt``/``requirements*.in`` (following ``-r``/``--requirement`` inside the root,
cycle-safe), ``pyproject.toml`` (``[project]`` dependencies and optional dependencies,
``[dependency-groups]``, ``[tool.poetry]`` dependencies and groups, ``[tool.uv] dev-dependencies``),
``uv.lock`` and ``poetry.lock`` package names, ``Pipfile``, conda environment files (conda and pip
sections; ``environment*.yml`` by name, any other YAML file by content: top-level ``channels:`` and
``dependencies:``) and ``setup.cfg`` (``install_requires`` and ``extras_require``).  A file that cannot be
parsed (invalid, nested too deeply, over the YAML limits) is listed in ``DependencyView.unreadable`` with
the reason, never fatal.
"""

from __future__ import annotations

import configparser
import posixpath
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from report_lint.evidence.lockread import lock_names
from report_lint.evidence.repo import RepoIndex
from report_lint.evidence.yamlread import Unreadable, read_yaml
from report_lint.packs.plain import compile_pattern, normalize_name


def _toml_module() -> Any:
    """tomllib on 3.11+, else tomli when importable, else None (pyproject and lock files skipped)."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    try:  # pragma: no cover - 3.10 only
        import tomli

        return tomli
    except ImportError:  # pragma: no cover
        return None


_TOML: Any = _toml_module()

REQUIREMENTS_GLOBS = (
    "requirements*.txt",
    "*-requirements*.txt",
    "*_requirements*.txt",
    "requirements/*.txt",
    "requirements*.in",
    "requirements/*.in",
)
ENVIRONMENT_GLOBS = ("environment*.yml", "environment*.yaml", "conda*.yml", "conda*.yaml")
YAML_GLOBS = ("*.yml", "*.yaml")
# a conda environment file under any name: both keys at the top level (a Helm chart has no channels)
_CONDA_KEYS = (compile_pattern(r"^channels\s*:"), compile_pattern(r"^dependencies\s*:"))

_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EGG = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_CONDA_NAME = re.compile(r"^\s*(?:[^:\s]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass
class DependencyView:
    """Normalised package name -> the files declaring it."""

    names: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # the files read
    unreadable: dict[str, str] = field(default_factory=dict)  # file -> why it could not be parsed

    def add(self, name: str, source: str) -> None:
        norm = normalize_name(name)
        if not norm or norm == "python":
            return
        where = self.names.setdefault(norm, [])
        if source not in where:
            where.append(source)

    def find(self, patterns: Iterable[str]) -> dict[str, list[str]]:
        """Declared names matching any pattern (normalised names; ``*`` wildcards)."""
        out: dict[str, list[str]] = {}
        for pattern in patterns:
            if "*" in pattern:
                rx = re.compile("^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "$")
                for name, where in self.names.items():
                    if rx.match(name):
                        out[name] = where
            elif pattern in self.names:
                out[pattern] = self.names[pattern]
        return out


def requirement_name(spec: str) -> str | None:
    """The distribution name of a PEP 508 requirement string (or None)."""
    m = _REQ_NAME.match(spec)
    return m.group(1) if m else None


MAX_INCLUDE_DEPTH = 16  # ``-r`` chains deeper than this are a hostile file, not a project


def _parse_requirements(
    index: RepoIndex, path: str, view: DependencyView, seen: set[str], depth: int = 0
) -> None:
    if path in seen:
        return
    if depth > MAX_INCLUDE_DEPTH:
        view.unreadable.setdefault(path, "nested too deeply (`-r` includes)")
        return
    seen.add(path)
    view.unreadable.pop(path, None)  # reached again from the top level
    text = index.read_text(path)
    if text is None:
        return
    view.files.append(path)
    logical = text.replace("\\\n", " ")
    base = posixpath.dirname(path)
    for raw in logical.split("\n"):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r", "--requirement")):
            target = re.sub(r"^(-r|--requirement)\s*=?\s*", "", line).strip()
            nested = posixpath.normpath(posixpath.join(base, target))
            if not nested.startswith("../") and nested != "..":
                _parse_requirements(index, nested, view, seen, depth + 1)
            continue
        if line.startswith(("-e", "--editable")):
            m = _EGG.search(line)
            if m:
                view.add(m.group(1), path)
            continue
        if line.startswith("-"):  # -c constraints, --index-url, -f … declare nothing
            continue
        if "://" in line.split("@", 1)[0] or line.startswith((".", "/")):
            m = _EGG.search(line)
            if m:
                view.add(m.group(1), path)
            continue
        name = requirement_name(line)
        if name:
            view.add(name, path)


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _parse_pyproject(data: dict[str, Any], path: str, view: DependencyView) -> None:
    project = data.get("project")
    if isinstance(project, dict):
        for spec in _strings(project.get("dependencies")):
            if name := requirement_name(spec):
                view.add(name, path)
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for specs in optional.values():
                for spec in _strings(specs):
                    if name := requirement_name(spec):
                        view.add(name, path)
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for specs in groups.values():
            for spec in _strings(specs):  # {include-group = …} entries are tables: skipped
                if name := requirement_name(spec):
                    view.add(name, path)
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return
    poetry = tool.get("poetry")
    if isinstance(poetry, dict):
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
        poetry_groups = poetry.get("group")
        if isinstance(poetry_groups, dict):
            tables += [g.get("dependencies") for g in poetry_groups.values() if isinstance(g, dict)]
        extras = poetry.get("extras")
        if isinstance(extras, dict):
            for names in extras.values():
                for name in _strings(names):
                    view.add(name, path)
        for table in tables:
            if isinstance(table, dict):
                for name in table:
                    view.add(name, path)
    uv = tool.get("uv")
    if isinstance(uv, dict):
        for spec in _strings(uv.get("dev-dependencies")):
            if name := requirement_name(spec):
                view.add(name, path)


def _lock_names(data: dict[str, Any]) -> list[str]:
    packages = data.get("package")
    if not isinstance(packages, list):
        return []
    return [p["name"] for p in packages if isinstance(p, dict) and isinstance(p.get("name"), str)]


def _parse_environment(data: Any, path: str, view: DependencyView) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("dependencies"), list):
        return
    for entry in data["dependencies"]:
        if isinstance(entry, str):
            m = _CONDA_NAME.match(entry)
            if m:
                view.add(m.group(1), path)
        elif isinstance(entry, dict):
            for spec in _strings(entry.get("pip")):
                if spec.startswith("-"):
                    continue
                if name := requirement_name(spec):
                    view.add(name, path)


def _parse_setup_cfg(text: str, path: str, view: DependencyView) -> None:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    values: list[str] = []
    if parser.has_option("options", "install_requires"):
        values.append(parser.get("options", "install_requires"))
    if parser.has_section("options.extras_require"):
        values += [v for _, v in parser.items("options.extras_require")]
    for value in values:
        for line in value.replace(";", "\n;").split("\n"):
            line = line.strip()
            if line and not line.startswith(("#", ";")) and (name := requirement_name(line)):
                view.add(name, path)


def _parse_pipfile(data: dict[str, Any], path: str, view: DependencyView) -> None:
    for table in ("packages", "dev-packages"):
        names = data.get(table)
        if isinstance(names, dict):
            for name in names:
                view.add(name, path)


def _load_toml(index: RepoIndex, path: str, view: DependencyView) -> dict[str, Any] | None:
    if _TOML is None:
        return None
    text = index.read_text(path)
    return None if text is None else _parse_toml(text, path, view)


def _load_lock(index: RepoIndex, path: str, view: DependencyView) -> list[str] | None:
    """A lock file's package names; None when it is skipped or cannot be parsed (then in ``view``).
    The lock tools' own layout is read without tomllib (``lockread``: the same names, ≈ 4 ms less
    CPU per real-shaped lint); any other text goes to tomllib."""
    if _TOML is None:
        return None
    text = index.read_text(path)
    if text is None:
        return None
    names = lock_names(text)
    if names is not None:
        return names
    data = _parse_toml(text, path, view)
    return None if data is None else _lock_names(data)


def _parse_toml(text: str, path: str, view: DependencyView) -> dict[str, Any] | None:
    try:
        data = _TOML.loads(text)
    except RecursionError:  # tomllib recurses per nesting level: this file only, never the run
        view.unreadable[path] = "nested too deeply"
        return None
    except (ValueError, TypeError):
        view.unreadable[path] = "not valid TOML"
        return None
    return data if isinstance(data, dict) else None


def _conda_files(index: RepoIndex) -> list[str]:
    """Conda environment files: by name, then any other YAML file with top-level channels/dependencies."""
    named = index.glob(ENVIRONMENT_GLOBS)
    out = list(named)
    for path in index.glob(YAML_GLOBS, exclude=[".github/", *ENVIRONMENT_GLOBS]):
        data = index.read(path)
        if data is not None and all(rx.search(data) for rx in _CONDA_KEYS):
            out.append(path)
    return out


def dependencies(index: RepoIndex) -> DependencyView:
    """The dependency view of ``index`` (computed once per index)."""
    cached = index.cache.get("dependencies")
    if isinstance(cached, DependencyView):
        return cached
    view = DependencyView()
    seen: set[str] = set()
    for path in index.glob(REQUIREMENTS_GLOBS, exclude=["*constraint*"]):
        _parse_requirements(index, path, view, seen)
    for path in index.glob(["pyproject.toml"]):
        if (data := _load_toml(index, path, view)) is not None:
            view.files.append(path)
            _parse_pyproject(data, path, view)
    for path in index.glob(["uv.lock", "poetry.lock"]):
        if (names := _load_lock(index, path, view)) is not None:
            view.files.append(path)
            for name in names:
                view.add(name, path)
    for path in index.glob(["Pipfile"]):
        if (data := _load_toml(index, path, view)) is not None:
            view.files.append(path)
            _parse_pipfile(data, path, view)
    for path in _conda_files(index):
        try:
            env = read_yaml(index, path)
        except Unreadable as exc:
            view.unreadable[path] = exc.reason
            continue
        view.files.append(path)
        _parse_environment(env, path, view)
    for path in index.glob(["setup.cfg"]):
        if (text := index.read_text(path)) is not None:
            view.files.append(path)
            _parse_setup_cfg(text, path, view)
    index.cache["dependencies"] = view
    return view


__all__ = ["DependencyView", "dependencies", "requirement_name"]
