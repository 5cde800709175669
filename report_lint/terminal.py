"""Writing to stdout/stderr: every human-facing line goes through :func:`write` or :func:`error`.

:func:`write` fits the text to the stream's own encoding (see :func:`report_lint.safe_text.fit`), so a
``cp1252`` console or an ``ascii`` pipe gets ``FAIL`` and ``<U+1F642>`` instead of an internal error.
Neutralising untrusted text is the caller's job (the formatters know which parts are untrusted);
:func:`error` does it for the one-line error messages, whose text may quote a configuration key.

Colour is decided here and only here (:func:`colour_wanted`): never with ``NO_COLOR``, always with
``FORCE_COLOR``, else only on a terminal.  :class:`Style` adds SGR codes *after* the untrusted parts
were neutralised, so the only escape sequences that reach the terminal are ours.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from report_lint.safe_text import fit, one_line

RESET = "\x1b[0m"
SEVERITY_SGR = {"error": "1;31", "warning": "1;33", "info": "1;36"}


class Stream(Protocol):
    """What we write to: ``sys.stdout``, ``sys.stderr`` or a test's stand-in.

    ``encoding``, ``flush`` and ``isatty`` are used when the stream has them.
    """

    def write(self, text: str, /) -> object: ...


class StreamClosed(Exception):
    """The reader of a stream went away (``report-lint check | head -1``)."""


def write(stream: Stream, text: str) -> None:
    """``text`` on ``stream``, with whatever the stream's encoding lacks replaced visibly.

    Raises :class:`StreamClosed` when the reader is gone (only our own writes: a broken pipe to a
    subprocess stays a real error).
    """
    try:
        stream.write(fit(text, getattr(stream, "encoding", None)))
        flush = getattr(stream, "flush", None)
        if flush is not None:
            flush()
    except BrokenPipeError:
        raise StreamClosed from None


def unicode_stream(stream: Stream) -> bool:
    """Whether ``stream`` can encode every character (a UTF encoding): else JSON is written as ASCII."""
    try:
        name = codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
    except LookupError:
        return False
    return name.startswith("utf")


def colour_wanted(stream: Stream, env: Mapping[str, str] | None = None) -> bool:
    """``NO_COLOR`` (set, non-empty) wins; then ``FORCE_COLOR`` (non-empty, not ``0``); then a TTY."""
    env = os.environ if env is None else env
    if env.get("NO_COLOR"):
        return False
    force = env.get("FORCE_COLOR")
    if force:
        return force not in ("0", "false")
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except ValueError:  # a closed stream
        return False


@dataclass(frozen=True)
class Style:
    """SGR colour codes, or nothing; apply only to text that is already neutralised."""

    enabled: bool = False

    def paint(self, text: str, sgr: str) -> str:
        return f"\x1b[{sgr}m{text}{RESET}" if self.enabled and text else text

    def bold(self, text: str) -> str:
        return self.paint(text, "1")

    def severity(self, text: str, severity: str) -> str:
        return self.paint(text, SEVERITY_SGR.get(severity, "1"))

    @classmethod
    def for_stream(cls, stream: Stream, env: Mapping[str, str] | None = None) -> Style:
        return cls(colour_wanted(stream, env))


def error(
    stream: Stream, message: str, *, prefix: str = "report-lint: error:", style: Style | None = None
) -> None:
    """``prefix message`` as one line: the message neutralised and folded, the prefix coloured
    (``style``: the caller's colour choice, e.g. ``--color``; default :func:`colour_wanted`)."""
    style = style or Style.for_stream(stream)
    write(stream, f"{style.severity(prefix, 'error')} {one_line(message)}\n")
