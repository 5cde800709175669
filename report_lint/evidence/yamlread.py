"""Bounded reads of the repository's YAML files (workflows, conda environments) for evidence.

A repository's YAML is untrusted input, so the work spent on one file is capped, not just its bytes:
the file is refused above ``MAX_YAML_BYTES``, and the document is built from the parser's event stream
with an explicit stack (no recursion, so no depth can overflow Python's stack), stopping after
``MAX_NODES`` nodes (aliases count their anchor's full size, so a "billion laughs" file stops too) or
beyond ``MAX_DEPTH`` levels.  All limits count input, never time, so the same file always gives the same
answer.  A file over a limit raises :class:`Unreadable` with a short reason for "could not read FILE
(reason)".

The result is plain data: mappings are :class:`YMap` (a dict remembering each key's 1-based line, so a
message can point at a misplaced key), sequences are lists, scalars are strings (``None`` for an empty
or null plain scalar).  Keys stay strings: GitHub reads a bare ``on`` as the key "on", not YAML 1.1's
``True``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from report_lint.evidence.repo import RepoIndex

MAX_YAML_BYTES = 256 * 1024  # a real workflow or environment file is a few KiB
MAX_NODES = 50_000  # per file
MAX_DEPTH = 64  # GitHub's own workflows never come close
# per index: with every file at its cap, a repository of many YAML files still costs bounded work
MAX_TOTAL_NODES = 400_000

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class Unreadable(Exception):
    """A file that is not read for evidence; ``reason`` ends "could not read FILE (reason)"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class YMap(dict[str, Any]):
    """A YAML mapping: ``lines[key]`` is the 1-based line of the key."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, int] = {}


@dataclass
class _Frame:
    container: YMap | list[Any]
    anchor: str | None
    nodes_at_start: int
    key: str | None = None
    key_line: int = 0
    has_key: bool = False
    merges: list[Any] = field(default_factory=list)


class _Builder:
    def __init__(self, max_nodes: int) -> None:
        self.max_nodes = max_nodes
        self.nodes = 0
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.root: Any = None
        self.done = False

    def count(self, n: int) -> None:
        self.nodes += n
        if self.nodes > self.max_nodes:
            raise Unreadable(f"more than {self.max_nodes} YAML nodes")

    def value(self, value: Any, line: int, *, plain_key: bool = False) -> None:
        if not self.stack:
            self.root = value
            self.done = True
            return
        top = self.stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
            return
        if not top.has_key:
            top.has_key = True
            top.key = value if isinstance(value, str) else None  # a collection as key: dropped
            top.key_line = line
            if plain_key and value == "<<":
                top.key = "\0merge"
            return
        top.has_key = False
        if top.key == "\0merge":
            top.merges.extend(value if isinstance(value, list) else [value])
        elif top.key is not None:
            top.container[top.key] = value
            top.container.lines[top.key] = top.key_line

    def start(self, container: YMap | list[Any], anchor: str | None) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise Unreadable("nested too deeply")
        self.count(1)
        self.stack.append(_Frame(container, anchor, self.nodes))

    def end(self, line: int) -> None:
        frame = self.stack.pop()
        container = frame.container
        if isinstance(container, YMap):
            for merged in frame.merges:  # ``<<: *base``: keys the mapping does not set itself
                if isinstance(merged, YMap):
                    for key, item in merged.items():
                        if key not in container:
                            container[key] = item
                            container.lines[key] = merged.lines.get(key, line)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (container, self.nodes - frame.nodes_at_start + 1)
        self.value(container, line)


def parse_yaml(text: str, *, max_nodes: int = MAX_NODES) -> Any:
    """The first document of ``text`` as plain data; raises :class:`Unreadable`."""
    return _parse(text, max_nodes)[0]


def _parse(text: str, max_nodes: int) -> tuple[Any, int]:
    """(the first document, the nodes it counted).

    libyaml rejects a few documents PyYAML's own parser reads (and yaml.safe_load, which read these files
    before, is PyYAML's own): a syntax error from libyaml is retried once with it, under the same limits.
    """
    try:
        return _parse_with(_LOADER, text, max_nodes)
    except Unreadable as exc:
        if _LOADER is yaml.SafeLoader or not exc.reason.startswith("not valid YAML"):
            raise
    return _parse_with(yaml.SafeLoader, text, max_nodes)


def _parse_with(loader_class: Any, text: str, max_nodes: int) -> tuple[Any, int]:
    builder = _Builder(max_nodes)
    loader = loader_class(text)
    try:
        while not builder.done and loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1 if event.start_mark is not None else 0
            if isinstance(event, yaml.ScalarEvent):
                builder.count(1)
                plain = not event.style and event.implicit[0]
                value = None if plain and event.value in _NULLS else event.value
                if event.anchor is not None:
                    builder.anchors[event.anchor] = (value, 1)
                builder.value(value, line, plain_key=plain)
            elif isinstance(event, yaml.AliasEvent):
                hit = builder.anchors.get(event.anchor or "")
                if hit is None:
                    raise Unreadable(f"not valid YAML at line {line} (unknown alias *{event.anchor})")
                builder.count(hit[1])
                builder.value(hit[0], line)
            elif isinstance(event, yaml.MappingStartEvent):
                builder.start(YMap(), event.anchor)
            elif isinstance(event, yaml.SequenceStartEvent):
                builder.start([], event.anchor)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                builder.end(line)
            elif isinstance(event, yaml.DocumentEndEvent):
                break
    except yaml.YAMLError as exc:
        if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own limit, met scanning ahead
            raise Unreadable("nested too deeply") from None
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise Unreadable(f"not valid YAML{where}") from None
    finally:
        loader.dispose()
    return builder.root, builder.nodes


def read_yaml(index: RepoIndex, path: str) -> Any:
    """``path`` parsed within the limits (cached per index); raises :class:`Unreadable`."""
    key = ("yaml", path)
    hit = index.cache.get(key)
    if hit is None:
        hit = index.cache[key] = _read(index, path)
    if isinstance(hit, Unreadable):
        raise hit
    return hit[0]


def _read(index: RepoIndex, path: str) -> tuple[Any] | Unreadable:
    size = index.source.size(path)
    if size is not None and size > MAX_YAML_BYTES:
        return Unreadable(f"larger than {MAX_YAML_BYTES // 1024} KiB of YAML")
    text = index.read_text(path)
    if text is None:
        return Unreadable("read budget exhausted" if index.budget_exhausted else "it cannot be opened")
    spent: int = index.cache.get("yaml_nodes", 0)
    left = MAX_TOTAL_NODES - spent
    if left <= 0:
        return Unreadable("the repository's YAML budget is spent")
    try:
        data, nodes = _parse(text, min(MAX_NODES, left))
    except Unreadable as exc:
        # a refused file still cost up to its cap
        index.cache["yaml_nodes"] = spent + min(MAX_NODES, left)
        if left < MAX_NODES and exc.reason.startswith("more than"):
            return Unreadable("the repository's YAML budget is spent")
        return exc
    index.cache["yaml_nodes"] = spent + nodes
    return (data,)


__all__ = ["MAX_DEPTH", "MAX_NODES", "MAX_YAML_BYTES", "Unreadable", "YMap", "parse_yaml", "read_yaml"]
