"""Untrusted text on its way out of batch: file names that are not UTF-8, values echoed in errors.

File names come from the file system as ``str`` with undecodable bytes kept as lone surrogates
(``surrogateescape``).  They cannot be written as UTF-8, so every string that leaves a worker is
:func:`clean`: a byte ``0xff`` of a name is shown as the four characters ``\\xff``.
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SHOWN_CHARS = 200


def clean(text: str) -> str:
    """``text`` with every lone surrogate shown as an escape; unchanged when it is valid Unicode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:  # bytes of a name decoded with surrogateescape: show the original byte
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # another lone surrogate: show its code point
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def clean_data(value: Any) -> Any:
    """:func:`clean` applied to every string (keys too) of a JSON-shaped value."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_data(v) for v in value]
    return value


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(value: str, limit: int | None = SHOWN_CHARS) -> str:
    """A value from the command line or a file, safe to echo in a one-line error: controls (newlines,
    terminal escapes) made visible, undecodable bytes escaped, cut to ``limit`` characters."""
    text = _CONTROL.sub(_escape, clean(value))
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"
