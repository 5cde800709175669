"""The effective configuration and where each value came from (``report-lint config``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from report_lint.config_types import FIELDS, LoadedConfig, _display

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
