"""Reading the work tree on disk: only regular files inside the root, never through a link out of it.

Nothing from the repository is ever executed; reads stay inside the root and symlinks leading out of
it are ignored.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from report_lint.evidence.filesource import FileSource


def _prefixes(path: str) -> Iterator[str]:
    """The path's directories, outermost first, then the path itself: a, a/b, a/b/c for a/b/c."""
    cut = path.find("/")
    while cut > 0:
        yield path[:cut]
        cut = path.find("/", cut + 1)
    yield path


def _disk_name(rel: str) -> bytes:
    """The bytes on disk of a name we hold as text (see ``WorkTreeSource._safe``)."""
    return rel.encode("utf-8", "surrogateescape")


class WorkTreeSource(FileSource):
    """Reads files from the working tree on disk, never following links out of the root."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))
        self._root_bytes = os.fsencode(self.root)
        self._dirs_inside: dict[str, bool] = {}

    def _dir_inside(self, rel_dir: str) -> bool:
        hit = self._dirs_inside.get(rel_dir)
        if hit is None:
            real = os.path.realpath(os.path.join(self._root_bytes, _disk_name(rel_dir)))
            hit = Path(os.fsdecode(real)).is_relative_to(self.root)
            self._dirs_inside[rel_dir] = hit
        return hit

    def _safe(self, rel: str) -> bytes | None:
        """The resolved path of ``rel`` (as bytes) if it is a regular file inside the root."""
        # A name is bytes on disk. Git's listing is decoded as UTF-8 and a directory walk with the
        # file system encoding, both with surrogateescape, so encoding back as UTF-8 with
        # surrogateescape gives the bytes on disk either way; also when the file system encoding is
        # ASCII (LC_ALL=C), where a str path with a non-ASCII name cannot be encoded at all.
        full = os.path.join(self._root_bytes, _disk_name(rel))
        try:
            st = os.lstat(full)
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode):
            real = os.path.realpath(full)
            if not Path(os.fsdecode(real)).is_relative_to(self.root):
                return None
            try:
                st = os.stat(real)
            except OSError:
                return None
            full = real
        elif not self._dir_inside(rel.rpartition("/")[0]):
            return None  # a symlinked directory on the way leads outside
        if not stat.S_ISREG(st.st_mode):
            return None
        return full

    def read(self, path: str, limit: int) -> bytes | None:
        full = self._safe(path)
        if full is None:
            return None
        try:
            with open(full, "rb") as fh:
                return fh.read(limit)
        except OSError:
            return None

    def size(self, path: str) -> int | None:
        full = self._safe(path)
        if full is None:
            return None
        try:
            return os.stat(full).st_size
        except OSError:
            return None

    def _link_escapes(self, rel: str) -> bool:
        """True if ``rel`` is a symbolic link whose target lies outside the root."""
        full = os.path.join(self._root_bytes, _disk_name(rel))
        if not os.path.islink(full):
            return False
        return not Path(os.fsdecode(os.path.realpath(full))).is_relative_to(self.root)

    def _on_disk(self, path: str) -> bool:
        """True if ``path`` is a file or directory in the work tree, spelled exactly so (also on a
        case-insensitive file system), reached without leaving the root.  Never opens anything."""
        if not path or "\0" in path:
            return False
        current = self._root_bytes
        for part in path.split("/"):
            if part in ("", ".", ".."):
                return False
            try:
                names = os.listdir(current)
            except OSError:
                return False
            name = _disk_name(part)
            if name not in names:
                return False
            current = os.path.join(current, name)
            if os.path.islink(current):
                return False  # links are listed (or not) on their own; never explained here
        return Path(os.fsdecode(os.path.realpath(current))).is_relative_to(self.root)
