"""A ``.report-lint.yaml`` read: its settings, and positions from the composed node tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from report_lint.config_types import Locator, _display, _Error
from report_lint.packs.yamlnodes import BoundedSafeLoader, YamlError


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
