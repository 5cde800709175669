"""A work tree's remote URLs read from ``.git/config`` itself, when that file is plain enough.

``git config --local --no-includes --get-regexp '^remote\\..*\\.url$'`` is one git process per lint
(≈ 1.9 ms CPU, a third of the git processes of a hook run) to read a few lines of one file.
:func:`local_remote_urls` answers the same from the file, read-only: it never follows an include
(``--no-includes`` does not either), never runs anything, and reads only ``ROOT/.git/config`` (a
directory ``.git``, not a link, with no ``commondir``: the repository at the root, no worktree
indirection).  It accepts only a strict subset of git's syntax: blank and comment lines,
``[section]`` and ``[section "sub"]`` headers alone on their line, and ``key = value`` or a bare
``key`` whose value has no quote, backslash, comment character or inner whitespace; no
``extensions.*``, no ``core.repositoryformatversion`` other than 0 or 1 and no ``core.bare`` that is
not a boolean (git reads those while finding the repository and may stop on them).
Anything else -- old ``[a.b]`` headers, quoting, escapes, continuation lines, ``\\r``, non-ASCII, a key
before any section -- returns None and the caller asks git, so the answer is always git's.
The output is made as git prints it (``key value`` lines) for the caller's own line splitting.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

MAX_CONFIG_BYTES = 64 * 1024  # a larger config is left to git

_HEADER = re.compile(r'\[([A-Za-z0-9-]+)(?: "([^"\\\x00-\x1f\x7f]*)")?\][ \t]*')
_ENTRY = re.compile(r"[ \t]*([A-Za-z][A-Za-z0-9-]*)(?:[ \t]*=[ \t]*([!$-:<-\[\]-~]*))?[ \t]*")
_COMMENT = re.compile(r"[ \t]*(?:[#;].*)?")
# a HEAD git recognises: a symbolic ref under refs/, or an object name (SHA-1 or SHA-256)
_HEAD = re.compile(rb"ref: refs/[^\x00-\x20]+\n?|[0-9a-f]{40}\n?|[0-9a-f]{64}\n?")
_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")  # anything but tab and newline, \r included
# core.bare is parsed as a boolean while git finds the repository (a bad one stops git): the spellings
# git accepts, lower-cased; any other value is left to git
_BOOLEANS = frozenset({"", "true", "false", "yes", "no", "on", "off", "1", "0"})
_URL_KEY = re.compile(r"^remote\..*\.url$", re.DOTALL)  # the caller's --get-regexp, as git matches it


def _plain_git_dir(root: Path) -> Path | None:
    """``root/.git`` when it is a real directory git would take for the repository; else None."""
    git_dir = root / ".git"
    try:
        # lstat throughout: a link (out of the root, or to a FIFO) is left to git, never opened here
        if not all(
            check(os.lstat(git_dir / name).st_mode)
            for name, check in (("", stat.S_ISDIR), ("objects", stat.S_ISDIR), ("refs", stat.S_ISDIR))
        ):
            return None
        if os.path.lexists(git_dir / "commondir"):
            return None  # a linked worktree's administrative directory: git's rules, not ours
        if not stat.S_ISREG(os.lstat(git_dir / "HEAD").st_mode):
            return None
        with open(git_dir / "HEAD", "rb") as fh:
            head = fh.read(200)
    except OSError:
        return None
    return git_dir if _HEAD.fullmatch(head) else None


def _read_config(git_dir: Path) -> str | None:
    config = git_dir / "config"
    try:
        st = os.lstat(config)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CONFIG_BYTES:
            return None
        with open(config, "rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_CONFIG_BYTES or not data.isascii() or _CONTROL.search(data):
        return None
    return data.decode("ascii")


def local_remote_urls(root: Path) -> str | None:
    """What ``git config --local --no-includes --get-regexp '^remote\\..*\\.url$'`` prints in
    ``root`` (an empty string when nothing matches), or None when git must be asked."""
    git_dir = _plain_git_dir(root)
    text = None if git_dir is None else _read_config(git_dir)
    if text is None:
        return None
    section: str | None = None
    out: list[str] = []
    for line in text.split("\n"):
        if _COMMENT.fullmatch(line):
            continue
        header = _HEADER.fullmatch(line)
        if header is not None:
            name, sub = header.group(1).lower(), header.group(2)
            section = name if sub is None else f"{name}.{sub}"
            continue
        entry = _ENTRY.fullmatch(line)
        if entry is None or section is None:
            return None
        key, value = f"{section}.{entry.group(1).lower()}", entry.group(2)
        if key.startswith("extensions."):
            return None
        if key == "core.repositoryformatversion" and value not in ("0", "1"):
            return None
        if key == "core.bare" and value is not None and value.lower() not in _BOOLEANS:
            return None
        if _URL_KEY.match(key):
            out.append(key if value is None else f"{key} {value}")
    return "".join(line + "\n" for line in out)
