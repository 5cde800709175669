"""Reading a report file: bytes -> newline-normalised text, with one-line errors."""

from __future__ import annotations

import os
import stat
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from report_lint.errors import InputError

# a report larger than this is not a report; refuse rather than burn memory
MAX_REPORT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class SourceText:
    text: str  # BOM removed, "\r\n" and lone "\r" turned into "\n"
    had_bom: bool

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.text.split("\n"))


def normalise_newlines(text: str) -> str:
    # never str.splitlines(): it also breaks on \v, \f, \x1c-\x1e, \x85, U+2028/9
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, display: str) -> SourceText:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{display}: the file is UTF-16 encoded; save it as UTF-8")
    had_bom = data.startswith(b"\xef\xbb\xbf")
    if had_bom:
        data = data[3:]
    if data.count(b"\x00") > max(8, len(data) // 100):
        raise InputError(f"{display}: looks like a binary file, not a markdown report")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{display}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None
    return SourceText(text=normalise_newlines(text).replace("\x00", "\ufffd"), had_bom=had_bom)


def read_report(path: Path, display: str) -> SourceText:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{display}: no such file") from None
    except OSError as exc:
        raise InputError(f"{display}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{display}: is a directory, not a report file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{display}: is not a regular file")
    if st.st_size > MAX_REPORT_BYTES:
        raise InputError(f"{display}: {st.st_size} bytes is larger than the {MAX_REPORT_BYTES} byte limit")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_REPORT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{display}: cannot read: {exc.strerror or exc}") from None
    return decode(data, display)


class LineIndex:
    """Maps character offsets of a text to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        pos = text.find("\n")
        while pos != -1:
            self._starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def line(self, offset: int) -> int:
        return bisect_right(self._starts, offset)

    def offset(self, line: int) -> int:
        return self._starts[line - 1]
