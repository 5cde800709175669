"""A ``pyproject.toml``'s ``[tool.report-lint]`` section read, and key lines found by scanning
(tomllib keeps no positions)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from report_lint.config_types import Locator, _display, _Error
from report_lint.packs.yamlnodes import MAX_DEPTH

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

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
