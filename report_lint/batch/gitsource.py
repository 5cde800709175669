"""Reading a repository as it was at one commit, straight from git objects.

Nothing is checked out and the work tree is never read or written: the file list comes from
``git ls-tree -r`` of the commit and contents from one long-lived ``git cat-file --batch`` process.
:class:`GitCommitSource` implements :class:`report_lint.evidence.filesource.FileSource`, so the evidence
engine's :class:`~report_lint.evidence.repo.RepoIndex` and the file checks (``CheckContext.files()``)
read the commit unchanged.

Deadlines use the **committer** date (the timestamp ``git rev-list --timestamp`` prints): the author
date is when a change was first written and survives rebases and cherry-picks, so it says nothing about
when the change reached the branch.  The walk follows ``--first-parent`` so that a feature-branch commit
made before the deadline but merged after it is not mistaken for the state of the default branch.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO

from report_lint import gitcmd
from report_lint.errors import InputError
from report_lint.evidence.filesource import FileSource


def git(git_dir: Path, *args: str, check: bool = True) -> str | None:
    """stdout of ``git <args>`` against ``git_dir``; raises InputError (or returns None) on failure."""
    done = gitcmd.run(args, git_dir=git_dir)
    if not done.ok:
        if not check:
            return None
        raise InputError(f"git {args[0]} failed: {done.why()}")
    return done.text()


def find_git_dir(path: Path) -> tuple[Path | None, bool]:
    """(git directory, is bare) of a repository at exactly ``path`` (never a parent's), or (None, False)."""
    dot = path / ".git"
    if dot.is_dir():
        return dot, False
    if dot.is_file():  # a linked work tree or submodule: ".git" holds "gitdir: <path>"
        try:
            line = dot.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return None, False
        if line.startswith("gitdir:"):
            target = Path(line[len("gitdir:") :].strip())
            target = target if target.is_absolute() else path / target
            return (target, False) if target.is_dir() else (None, False)
        return None, False
    if (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir():
        return path, True
    return None, False


def default_branch(git_dir: Path) -> str:
    """origin/HEAD's target, else main, else master, else HEAD."""
    ref = git(git_dir, "symbolic-ref", "-q", "refs/remotes/origin/HEAD", check=False)
    candidates = [ref.strip()] if ref and ref.strip() else []
    candidates += ["refs/heads/main", "refs/heads/master"]
    for name in candidates:
        if git(git_dir, "rev-parse", "-q", "--verify", f"{name}^{{commit}}", check=False):
            return name
    return "HEAD"


@dataclass(frozen=True)
class Snapshot:
    commit: str
    branch: str
    committed: str  # ISO 8601 committer date


def snapshot(git_dir: Path, at: datetime | None) -> Snapshot:
    """The default branch's tip, or its last first-parent commit with committer date <= ``at``."""
    branch = default_branch(git_dir)
    if at is None:
        out = git(git_dir, "rev-parse", "-q", "--verify", f"{branch}^{{commit}}", check=False)
        if not out:
            raise InputError("the repository has no commits")
        commit = out.strip()
    else:
        found = first_parent_at(git_dir, branch, at.timestamp())
        if found is None:
            short = branch.removeprefix("refs/heads/").removeprefix("refs/remotes/")
            raise InputError(f"no commit on {short} at or before {at.isoformat()}")
        commit = found
    return Snapshot(commit=commit, branch=branch, committed=committer_date(git_dir, commit))


def first_parent_at(git_dir: Path, branch: str, cutoff: float) -> str | None:
    """The first commit on ``branch``'s first-parent chain whose committer timestamp is <= ``cutoff``.

    The raw timestamps come from ``rev-list --timestamp`` and are compared here: git's own
    ``--before=@<seconds>`` reads fewer than nine digits as something else than seconds (any time
    before 1973-03-03 silently became "now"), and ``rev-list`` stops being read at the first match.
    """
    if cutoff < 0:
        return None  # git's timestamps are unsigned: nothing was committed before 1970
    proc = gitcmd.start(["rev-list", "--first-parent", "--timestamp", branch, "--"], git_dir=git_dir)
    found = None
    try:
        if proc.stdin is not None:
            proc.stdin.close()
        for line in proc.stdout or ():
            stamp, _, sha = line.decode("ascii", "replace").strip().partition(" ")
            if stamp.isdigit() and int(stamp) <= cutoff:
                found = sha
                break
    finally:
        proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    return found


def committer_date(git_dir: Path, commit: str) -> str:
    """The committer date of ``commit`` as ISO 8601 with its own offset (what ``%cI`` prints).

    Read from the raw commit object (``cat-file``, plumbing): ``git show``/``log`` would verify a
    signature if the repository asks them to.
    """
    raw = git(git_dir, "cat-file", "commit", commit) or ""
    for line in raw.split("\n"):
        if not line:
            break  # the headers end at the first empty line
        if line.startswith("committer "):
            return _iso_date(line)
    return ""


def _iso_date(ident: str) -> str:
    """``committer Name <mail> 1768900000 +0100`` -> ``2026-01-20T10:06:40+01:00``."""
    parts = ident.rsplit(" ", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return ""
    stamp, offset = int(parts[1]), parts[2]
    sign = -1 if offset.startswith("-") else 1
    digits = offset.lstrip("+-")
    minutes = int(digits[:-2] or 0) * 60 + int(digits[-2:]) if digits.isdigit() and len(digits) == 4 else 0
    try:
        zone = timezone(timedelta(minutes=sign * minutes))
        return datetime.fromtimestamp(stamp, zone).isoformat()
    except (OverflowError, OSError, ValueError):  # beyond year 9999: still say when, in seconds
        return f"@{stamp} {offset}"


_Names = list[str]  # ``list`` is a method name inside GitCommitSource


@dataclass(frozen=True)
class _Entry:
    mode: str
    sha: str
    size: int


class GitCommitSource(FileSource):
    """The files of one commit.  Symbolic links count only when they resolve to a file in the commit;
    the work tree is never read (so :meth:`excluded` is always None)."""

    noun = "files in the commit"
    is_git = True

    def __init__(self, root: Path, git_dir: Path, commit: str) -> None:
        self.root = Path(os.path.realpath(root))
        self.git_dir = git_dir
        self.commit = commit
        self._entries: dict[str, _Entry] | None = None
        self._listed: tuple[str, ...] | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    # ------------------------------------------------------------------ listing
    def entries(self) -> dict[str, _Entry]:
        if self._entries is None:
            out = git(self.git_dir, "ls-tree", "-r", "-z", "-l", "--full-tree", self.commit) or ""
            entries: dict[str, _Entry] = {}
            for record in out.split("\0"):
                meta, _, name = record.partition("\t")
                parts = meta.split()
                if len(parts) != 4 or parts[1] != "blob":
                    continue  # submodules ("commit") and malformed records never count
                size = int(parts[3]) if parts[3].isdigit() else 0
                entries[name] = _Entry(parts[0], parts[2], size)
            self._entries = entries
        return self._entries

    def _resolve(self, path: str, depth: int = 0) -> _Entry | None:
        entry = self.entries().get(path)
        if entry is None or entry.mode != "120000":
            return entry
        if depth > 8:
            return None
        try:
            joined = self._link_target(path)
        except (OSError, InputError, ValueError):
            return None
        if joined is None:
            return None  # a link out of the repository is never followed
        return self._resolve(joined, depth + 1)

    def list(self) -> Sequence[str]:
        if self._listed is None:
            names = []
            for name, entry in self.entries().items():
                if entry.mode == "120000" and self._resolve(name) is None:
                    continue
                names.append(name)
            self._listed = tuple(sorted(names))
        return self._listed

    def _link_target(self, path: str) -> str | None:
        """Where the link ``path`` points, joined onto its directory; None if it leaves the commit."""
        entry = self.entries().get(path)
        if entry is None or entry.mode != "120000":
            return None
        target = self.blob(entry.sha, 4096).decode("utf-8", "surrogateescape")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
        if target.startswith("/") or joined == ".." or joined.startswith("../"):
            return None
        return joined

    def escapes(self, path: str) -> bool:
        """True if ``path`` or a directory on its way is a link in the commit pointing out of it."""
        entries = self.entries()
        cut = 0
        while True:
            cut = path.find("/", cut + 1)
            prefix = path if cut < 0 else path[:cut]
            entry = entries.get(prefix)
            if entry is not None and entry.mode == "120000":
                try:
                    return self._link_target(prefix) is None
                except (OSError, InputError, ValueError):
                    return False
            if cut < 0:
                return False

    def size(self, path: str) -> int | None:
        entry = self._resolve(path)
        return None if entry is None else entry.size

    # ------------------------------------------------------------------ reading
    def read(self, path: str, limit: int) -> bytes | None:
        entry = self._resolve(path)
        if entry is None:
            return None
        try:
            return self.blob(entry.sha, limit)
        except (OSError, InputError, ValueError):
            return None

    def _batch(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = gitcmd.start(["cat-file", "--batch"], git_dir=self.git_dir)
        return self._proc

    def blob(self, sha: str, limit: int) -> bytes:
        """The first ``limit`` bytes of blob ``sha`` (InputError if it is not a readable blob)."""
        proc = self._batch()
        stdin: IO[bytes] | None = proc.stdin
        stdout: IO[bytes] | None = proc.stdout
        if stdin is None or stdout is None:
            raise InputError("git cat-file did not start")
        stdin.write(sha.encode("ascii") + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise InputError(f"git cat-file: cannot read object {sha}")
        size = int(header[2])
        data = stdout.read(min(size, limit))
        rest = size - len(data)
        while rest > 0:  # the protocol needs the whole object consumed
            chunk = stdout.read(min(rest, 1 << 20))
            if not chunk:
                raise InputError("git cat-file ended early")
            rest -= len(chunk)
        stdout.read(1)  # the newline after the contents
        return data

    def remotes(self) -> _Names:
        # --local --no-includes: the repository's own file, never a file it includes from elsewhere
        out = git(
            self.git_dir,
            "config",
            "--local",
            "--no-includes",
            "--get-regexp",
            r"^remote\..*\.url$",
            check=False,
        )
        out = out or ""
        return [url.strip() for _, _, url in (line.partition(" ") for line in out.splitlines()) if url]

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def __enter__(self) -> GitCommitSource:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
