"""Package names of a lock file as lock tools write it, without a general TOML parser.

``tomllib`` spends ≈ 4 ms CPU of a real-shaped lint on a 40 KB ``uv.lock`` (≈ 10,000 key/value pairs
through its character-level Python parser); the dependency view needs only whether the file is valid
TOML and the ``name`` of each ``[[package]]``.  :func:`lock_names` recognises a strict line-by-line
subset of TOML, the shape uv (and, mostly, Poetry) writes: bare keys, basic strings without escapes,
decimal integers, booleans, flat inline tables, arrays of those on one line or one element per line,
``[[package]]``, ``[package.X]``, ``[package.X.Y]`` and other ``[X]`` headers.  Every rule that makes a
document of that subset invalid TOML (a key or a table defined twice, a table clashing with a key) is
checked, so a text it accepts is valid TOML and the names are the ones ``tomllib`` gives (held to it by
``tests/evidence/test_lock_read.py`` on lock files and on thousands of mutated ones).  Anything else
— a comment, an escape, ``\\r``, a dotted or quoted key, an unexpected space, a truncated file — returns
None and the caller parses with ``tomllib``, so the answers never differ.
"""

from __future__ import annotations

import re

_KEY = r"[A-Za-z0-9_-]+"
# a basic string without escapes and without the control characters TOML forbids in one (tab is allowed)
_STR = r'"[^"\\\x00-\x08\x0a-\x1f\x7f]*"'
_SCALAR = rf"(?:{_STR}|0|[1-9][0-9]*|true|false)"
_PAIR = rf"{_KEY}[ \t]*=[ \t]*{_SCALAR}"
_INLINE = rf"\{{[ \t]*{_PAIR}(?:[ \t]*,[ \t]*{_PAIR})*[ \t]*\}}"
_ELEM = rf"(?:{_SCALAR}|{_INLINE})"
_VALUE = rf"(?:{_ELEM}|\[\]|\[{_ELEM}(?:, {_ELEM})*\])"

_KEY_VALUE = re.compile(rf"({_KEY}) = ({_VALUE}|\[)")
_HEADER = re.compile(rf"\[({_KEY})(?:\.({_KEY}))?(?:\.({_KEY}))?\]")
_ARRAY_ITEM = re.compile(rf"[ \t]+({_ELEM})(,?)")
# the keys of a flat inline table, found left to right (strings are matched whole, so a ``k = v`` inside
# a string is never taken for a key)
_PAIR_KEY = re.compile(rf"({_KEY})[ \t]*=[ \t]*{_SCALAR}")


class _Table:
    """The keys of one table and its explicitly defined sub-tables."""

    __slots__ = ("keys", "subs")

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.subs: dict[str, _Table] = {}

    def claims(self, name: str) -> bool:
        return name in self.keys or name in self.subs


def _flat_tables_ok(value: str) -> bool:
    """No inline table in ``value`` defines a key twice."""
    start = value.find("{")
    while start != -1:
        end = _inline_end(value, start)
        keys = [m.group(1) for m in _PAIR_KEY.finditer(value, start + 1, end)]
        if len(keys) != len(set(keys)):
            return False
        start = value.find("{", end)
    return True


def _inline_end(value: str, start: int) -> int:
    """The index of the ``}`` closing the inline table opened at ``start`` (strings skipped)."""
    i = start + 1
    while True:
        quote, close = value.find('"', i), value.find("}", i)
        if quote == -1 or close < quote:
            return close
        i = value.find('"', quote + 1) + 1


def lock_names(text: str) -> list[str] | None:
    """The ``name`` strings of the ``[[package]]`` tables of ``text``, in order; None when ``text`` is
    outside the subset this reads (the caller then parses it with ``tomllib``)."""
    if "\r" in text:
        return None
    root = _Table()
    current = root
    packages: list[_Table] = []
    names: list[str | None] = []
    in_array = False  # inside a multi-line array
    need_close = False  # its last element had no comma: only ``]`` may follow
    for line in text.split("\n"):
        if in_array:
            if line == "]":
                in_array = need_close = False
                continue
            m = _ARRAY_ITEM.fullmatch(line)
            if m is None or need_close or not _flat_tables_ok(m.group(1)):
                return None
            need_close = not m.group(2)
            continue
        if not line:
            continue
        if line.startswith("["):
            current_or_none = _header(line, root, packages, names)
            if current_or_none is None:
                return None
            current = current_or_none
            continue
        m = _KEY_VALUE.fullmatch(line)
        if m is None:
            return None
        key, value = m.group(1), m.group(2)
        if current.claims(key) or (current is root and key == "package"):
            return None
        current.keys.add(key)
        if value == "[":
            in_array = True
            continue
        if not _flat_tables_ok(value):
            return None
        if key == "name" and packages and current is packages[-1] and value.startswith('"'):
            names[-1] = value[1:-1]
    if in_array:
        return None  # cut off inside an array (e.g. by the read cap): not valid TOML
    return [n for n in names if n is not None]


def _header(line: str, root: _Table, packages: list[_Table], names: list[str | None]) -> _Table | None:
    """The table a header line opens, after checking it defines nothing twice; None when it is
    outside the subset or would make the document invalid."""
    if line == "[[package]]":
        if "package" in root.subs or "package" in root.keys:
            return None
        packages.append(_Table())
        names.append(None)
        return packages[-1]
    m = _HEADER.fullmatch(line)
    if m is None:
        return None
    first, second, third = m.groups()
    if first == "package":
        if not packages or second is None:
            return None  # [package] itself, or a sub-table before any [[package]]
        parent = packages[-1]
        if third is not None:  # [package.X.Y]: only under an explicit [package.X]
            sub = parent.subs.get(second)
            if sub is None:
                return None
            parent, second = sub, third
        if parent.claims(second):
            return None
        table = parent.subs[second] = _Table()
        return table
    if second is not None or root.claims(first):
        return None  # dotted top-level headers are left to tomllib
    table = root.subs[first] = _Table()
    return table
