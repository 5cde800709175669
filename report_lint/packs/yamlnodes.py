"""YAML -> plain data with every value's source position kept, safely.

``yaml.compose`` builds the node graph without constructing objects, so tags such as
``!!python/object`` are never executed; we convert only the core schema ourselves, refuse
duplicate keys, and bound the work so alias bombs ("billion laughs") cannot blow up and deep nesting
cannot exhaust Python's stack (``BoundedSafeLoader``, also used for configuration files).
"""

from __future__ import annotations

from typing import Any

import yaml

from report_lint.safe_text import escape_char

Location = tuple[int, int]  # 1-based line, column
Path_ = tuple[str | int, ...]

MAX_NODES = 50_000
# The deepest built-in pack nests 7 levels (checklist evidence: any/all lists of mappings).  Composing,
# converting, validating, copying and pickling all recurse once or twice per level, so a 1000-level
# file would hit Python's recursion limit somewhere far from the file; 64 is roomy and safe.
MAX_DEPTH = 64
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class YamlError(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


class BoundedSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses documents nested deeper than :data:`MAX_DEPTH`."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise YamlError(mark.line + 1, mark.column + 1, f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def printable(text: str) -> str:
    """``text`` on one line with control, format and separator characters escaped (``\\n``,
    ``\\x1b``, ``\\u202e``): file text in an error can never start a new line such as a GitHub
    workflow command, move the cursor or reorder what the terminal shows."""
    if text.isprintable():
        return text
    # the escapes are the terminal layer's (``\\x1b``, ``<U+202E>``), so one character reads the same
    # in every message whichever layer escaped it
    return "".join(c if c.isprintable() else escape_char(c) for c in text)


def _mark(node: yaml.Node) -> Location:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_located(text: str) -> tuple[Any, dict[Path_, Location]]:
    """Parse one YAML document; return its data and a map from data path to position."""
    try:
        root = yaml.compose(text, Loader=BoundedSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlError(line, column, f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, 1, f"invalid YAML: {exc}") from None
    positions: dict[Path_, Location] = {}
    if root is None:
        return None, positions
    budget = [MAX_NODES]
    constructor = yaml.SafeLoader("")
    data = _convert(root, (), positions, budget, constructor)
    return data, positions


def _convert(
    node: yaml.Node,
    path: Path_,
    positions: dict[Path_, Location],
    budget: list[int],
    constructor: yaml.SafeLoader,
) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        line, column = _mark(node)
        raise YamlError(line, column, f"the file expands to more than {MAX_NODES} values (alias bomb?)")
    positions.setdefault(path, _mark(node))
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise YamlError(*_mark(node), f"unsupported YAML tag {node.tag}")
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(*_mark(key_node), "merge keys (<<) are not supported in pack files")
            # keys keep their source text: YAML 1.1 would turn `on:` (a workflow trigger) into True
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag in _SCALAR_TAGS:
                key = key_node.value
            else:
                key = _convert(key_node, (*path, "<key>"), {}, budget, constructor)
            if isinstance(key, (dict, list)):
                raise YamlError(*_mark(key_node), "a mapping key must be a plain value")
            if key in out:
                raise YamlError(*_mark(key_node), f"duplicate key {key!r}")
            out[key] = _convert(value_node, (*path, str(key)), positions, budget, constructor)
            key_path: Path_ = (*path, str(key), "<key>")
            positions[key_path] = _mark(key_node)
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise YamlError(*_mark(node), f"unsupported YAML tag {node.tag}")
        return [
            _convert(child, (*path, i), positions, budget, constructor) for i, child in enumerate(node.value)
        ]
    if node.tag not in _SCALAR_TAGS:
        raise YamlError(*_mark(node), f"unsupported YAML tag {node.tag}")
    return constructor.construct_object(node, deep=True)
