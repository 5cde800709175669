"""Reading a repository as it was at one commit, straight from git objects.

Nothing is checked out and the work tree is never read or written: the file list comes from
``git ls-tree -r`` of the commit and contents from one long-lived ``git cat-file --batch`` process.
:class:`GitCommitSource` implements :class:`report_lint.evidence.repo.FileSource`, so the evidence
engine's :class:`~report_lint.evidence.repo.RepoIndex` and the file checks (``CheckContext.files()``)
read the commit unchanged.

Deadlines use the **committer** date (``git rev-list --before`` compares committer dates): the author
date is when a change was first written and survives rebases and cherry-picks, so it says nothing about
when the change reached the branch.  The walk follows ``--first-parent`` so that a feature-branch commit
made before the deadline but merged after it is not mistaken for the state of the default branch.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from report_lint.errors import InputError
from report_lint.evidence.repo import FileSource

GIT_TIMEOUT = 60.0
_DROP_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_COMMON_DIR",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_EXTERNAL_DIFF",
    "GIT_CEILING_DIRECTORIES",
)


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV and not k.startswith("GIT_CONFIG_")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    return env


def git_argv(git_dir: Path, *args: str) -> list[str]:
    git = shutil.which("git")
    if git is None:
        raise InputError("git is not installed")
    # no hooks, no fsmonitor: a read-only command must never run repository code.  safe.directory=*:
    # staff clones are often owned by another user; the commands used here (rev-parse, rev-list, log,
    # ls-tree, cat-file without --filters, config) run no program the repository's config could name
    return [
        git,
        "-c",
        "core.fsmonitor=false",
        "-c",
        "core.hooksPath=/dev/null",
        "-c",
        "safe.directory=*",
        "--git-dir",
        str(git_dir),
        *args,
    ]


def git(git_dir: Path, *args: str, check: bool = True) -> str | None:
    """stdout of ``git <args>`` against ``git_dir``; raises InputError (or returns None) on failure."""
    try:
        proc = subprocess.run(
            git_argv(git_dir, *args),
            env=git_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(f"git {args[0]}: {exc}") from None
    if proc.returncode != 0:
        if not check:
            return None
        why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git {args[0]} failed: {why[-1] if why else f'exit {proc.returncode}'}")
    return proc.stdout.decode("utf-8", "surrogateescape")


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
    else:
        out = git(
            git_dir,
            "rev-list",
            "-1",
            "--first-parent",
            f"--before=@{int(at.timestamp())}",
            branch,
            check=False,
        )
        if not out:
            short = branch.removeprefix("refs/heads/").removeprefix("refs/remotes/")
            raise InputError(f"no commit on {short} at or before {at.isoformat()}")
    commit = out.strip()
    when = git(git_dir, "show", "-s", "--format=%cI", commit) or ""
    return Snapshot(commit=commit, branch=branch, committed=when.strip())


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
        target = self._blob(entry.sha, 4096).decode("utf-8", "surrogateescape")
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
            return self._blob(entry.sha, limit)
        except (OSError, InputError, ValueError):
            return None

    def _batch(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = subprocess.Popen(
                git_argv(self.git_dir, "cat-file", "--batch"),
                env=git_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self._proc

    def _blob(self, sha: str, limit: int) -> bytes:
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
        out = git(self.git_dir, "config", "--get-regexp", r"^remote\..*\.url$", check=False) or ""
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
