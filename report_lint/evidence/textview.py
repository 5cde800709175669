"""What a pattern search sees of a file: its bytes, or for a Jupyter notebook its code cells.

A notebook is JSON whose code is split into per-line strings, next to markdown and outputs; searching the
raw JSON would miss ``^import wandb`` (the line starts with ``"``) and count a markdown cell or a printed
output as code.  The extraction is cheap and needs no full parse: every ``"cell_type"`` and ``"source"``
key is found with one linear scan and only the source values are decoded (nbformat writes
``cell_type`` before ``source`` in every cell).  A notebook cut off by the read cap keeps the cells read
in full.  Hits are reported by file and cell number, not line.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass

from report_lint.evidence.repo import RepoIndex
from report_lint.evidence.yamlread import Unreadable

_KEY = re.compile(r'"(cell_type|source)"\s*:\s*')
_DECODER = json.JSONDecoder()


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


@dataclass(frozen=True)
class Text:
    data: bytes
    # notebooks only: (offset in ``data``, 1-based cell number) of each code cell, in order
    cells: tuple[tuple[int, int], ...] | None = None

    def where(self, path: str, offset: int) -> str:
        """ "path:line" for a plain file, "path (cell N)" for a notebook."""
        if self.cells is None:
            return f"{path}:{line_of(self.data, offset)}"
        at = bisect.bisect_right([start for start, _ in self.cells], offset) - 1
        return f"{path} (cell {self.cells[max(at, 0)][1]})"


def notebook_code(raw: str) -> Text:
    """The code cells of a notebook's JSON text, one after another; raises :class:`Unreadable`."""
    parts: list[bytes] = []
    cells: list[tuple[int, int]] = []
    size = 0
    kind: object = None
    number = 0
    for m in _KEY.finditer(raw):
        try:
            value, _ = _DECODER.raw_decode(raw, m.end())
        except RecursionError:
            raise Unreadable("nested too deeply") from None
        except ValueError:
            continue  # cut off by the read cap, or not JSON here
        if m.group(1) == "cell_type":
            kind = value
            number += 1
            continue
        if kind != "code":
            continue
        kind = None  # one source per cell
        if isinstance(value, list):
            value = "".join(v for v in value if isinstance(v, str))
        if not isinstance(value, str):
            continue
        chunk = value.encode("utf-8", "replace")
        if not chunk.endswith(b"\n"):
            chunk += b"\n"  # so ``$`` and ``^`` see the end of one cell and the start of the next
        cells.append((size, number))
        parts.append(chunk)
        size += len(chunk)
    return Text(b"".join(parts), tuple(cells))


def searchable(index: RepoIndex, path: str) -> Text | None:
    """What pattern evidence searches in ``path`` (cached); None if unreadable; raises :class:`Unreadable`."""
    key = ("text", path)
    hit = index.cache.get(key)
    if hit is None:
        hit = index.cache[key] = _load(index, path)
    if isinstance(hit, Unreadable):
        raise hit
    text: Text | None = hit
    return text


def _load(index: RepoIndex, path: str) -> Text | Unreadable | None:
    data = index.read(path)
    if data is None or not path.endswith(".ipynb"):
        return None if data is None else Text(data)
    try:
        return notebook_code(data.decode("utf-8", "replace"))
    except Unreadable as exc:
        return exc
