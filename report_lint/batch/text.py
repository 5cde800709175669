"""Untrusted text on its way out of batch: file names that are not UTF-8, values echoed in errors.

File names come from the file system as ``str`` with undecodable bytes kept as lone surrogates
(``surrogateescape``).  They cannot be written as UTF-8, so every string that leaves a worker is
:func:`clean`: a byte ``0xff`` of a name is shown as the four characters ``\\xff``.
"""

from __future__ import annotations

from typing import Any

from report_lint.safe_text import visible

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


def shown(value: str, limit: int | None = SHOWN_CHARS) -> str:
    """A value from the command line or a file, safe to echo in a one-line error: controls (newlines,
    terminal escapes) made visible, undecodable bytes escaped, cut to ``limit`` characters."""
    text = visible(value)  # the terminal layer's escapes: controls, bidi, undecodable bytes
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"
