"""Getting the repositories of a repos file's URL rows into the clone cache, in parallel.

Each URL is one bare, partial clone below ``--clone-dir`` (:func:`report_lint.batch.clone_url.cache_key`):
``git clone --bare --single-branch --no-tags --filter=blob:none``, i.e. the one branch's commits and
trees and no file contents.  Then only the blobs of the one commit the lint reads (the branch tip, or
the ``--at`` commit) are fetched, the way git's own lazy fetch asks for them (``fetch --stdin`` of
their ids, no negotiation): every other version of every file -- a group's history of data files and
model checkpoints -- is never downloaded.  A later run fetches the branch (only new commits and trees
travel; an unchanged repository costs one reference listing and no pack) and again only the missing
blobs of the commit to lint.

Every URL ends as a :class:`Synced` with a git directory or a one-line ``error`` (unreachable,
authentication, no repository there, empty, unknown or deleted branch, over ``--timeout``); a
redirect (a renamed repository) is a note.  Git's messages are scrubbed of the token and of URL
passwords.  A clone is made in a temporary folder and renamed into place, so an interrupted run never
leaves a half-clone that a later run would take for the real one; a lock file per clone keeps two
runs sharing the cache from writing the same clone at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from report_lint import gitcmd
from report_lint.batch.clone_auth import Auth
from report_lint.batch.clone_url import RemoteURL
from report_lint.batch.fetch_errors import explain
from report_lint.batch.fetch_refs import advertised
from report_lint.batch.gitsource import first_parent_at
from report_lint.batch.text import shown
from report_lint.errors import InputError

# file contents are fetched for the one commit linted; the rest of the history stays commits and trees
FILTER = "blob:none"
# in each clone, our own small file (never in a linted repository): the branch, its tip after the last
# fetch, the commits whose files are all there and the --at picks per tip, so that an unchanged
# repository costs one `git fetch` and no other process
STATE = "report-lint-state.json"
MARKED = 20


def _load(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(folder: Path, state: dict[str, Any]) -> None:
    tmp = folder / f"{STATE}.tmp"
    tmp.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
    os.replace(tmp, folder / STATE)


@dataclass(frozen=True)
class Remote:
    url: RemoteURL
    branch: str | None  # the repos file's branch column; None: the remote's default branch
    key: str  # the clone's folder below the cache


@dataclass
class Synced:
    git_dir: Path | None = None
    branch: str = ""  # refs/heads/<name> that was fetched
    commit: str = ""  # the commit whose files were fetched
    error: str = ""
    notes: list[str] = field(default_factory=list)
    cloned: bool = False  # a new clone (not a fetch into an existing one)
    changed: bool = False  # the branch moved (or was new)
    blobs: int = 0  # file contents fetched for the linted commit


class _Failed(Exception):
    """One URL's one-line reason, already scrubbed."""


class _Sync:
    def __init__(self, remote: Remote, cache: Path, at: datetime | None, timeout: float, auth: Auth) -> None:
        self.remote, self.cache, self.at, self.timeout, self.auth = remote, cache, at, timeout, auth
        self.deadline = time.monotonic() + timeout
        self.result = Synced()
        self.config, self.env = auth.for_remote(remote.url)
        self.branch_name = remote.branch  # for messages: the branch being fetched

    def left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Failed(self.too_slow())
        return left

    def too_slow(self) -> str:
        return f"fetching took longer than the {self.timeout:g} s limit (--timeout) and was stopped"

    def remote_git(
        self, args: list[str], git_dir: Path | None, stdin: bytes | None = None
    ) -> gitcmd.GitResult:
        try:
            done = gitcmd.remote(
                args,
                scheme=self.remote.url.scheme,
                git_dir=git_dir,
                timeout=self.left(),
                config=self.config,
                env=self.env,
                stdin=stdin,
            )
        except gitcmd.GitUnavailable as exc:
            why = self.too_slow() if "did not finish" in str(exc) else self.auth.scrub(str(exc))
            raise _Failed(why) from None
        stderr = self.auth.scrub(done.stderr.decode("utf-8", "replace"))
        for line in stderr.splitlines():
            if line.startswith("warning: redirecting to "):
                where = shown(line.removeprefix("warning: redirecting to ").strip())
                note = f"the server redirected to {where} (renamed or moved?): update the repos file"
                if note not in self.result.notes:
                    self.result.notes.append(note)
        if not done.ok:
            raise _Failed(explain(stderr, self.branch_name))
        return done

    def local_git(self, git_dir: Path, *args: str) -> str | None:
        done = gitcmd.run(args, git_dir=git_dir, timeout=self.left())
        return done.text() if done.ok else None

    def run(self) -> Synced:
        folder = self.cache / self.remote.key
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            with self.locked(folder):
                if (folder / "HEAD").is_file() and (folder / "objects").is_dir():
                    branch = self.fetch(folder)
                else:
                    branch = self.clone(folder)
                self.result.git_dir = folder
                self.hydrate(folder, branch)
        except _Failed as exc:
            self.result.error = str(exc)
        except (OSError, InputError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.result.error = shown(self.auth.scrub(f"the clone cache: {why}"))
        if self.result.error:
            self.result.git_dir = None
        return self.result

    @contextlib.contextmanager
    def locked(self, folder: Path) -> Iterator[None]:
        with open(folder.parent / f"{folder.name}.lock", "a+b") as lock:
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if self.deadline - time.monotonic() <= 0:
                        raise _Failed("another report-lint run is updating this clone") from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def state(self, folder: Path, ref: str) -> tuple[str, str]:
        """(the full branch name ``ref`` stands for, its commit or ""), from one local git process."""
        out = self.local_git(folder, "rev-parse", ref, "--symbolic-full-name", ref)
        lines = (out or "").split()
        if len(lines) == 2:
            return lines[1], lines[0]
        head = self.local_git(folder, "symbolic-ref", "-q", ref) if ref == "HEAD" else ref
        return (head or "").strip(), ""

    def clone(self, folder: Path) -> str:
        tmp = folder.parent / f".{folder.name}.tmp-{os.getpid()}-{threading.get_ident()}"
        shutil.rmtree(tmp, ignore_errors=True)
        args = ["clone", "--bare", "--no-tags", "--single-branch", f"--filter={FILTER}"]
        args += ["--template=", "--no-recurse-submodules"]
        if self.remote.branch:
            args += ["--branch", self.remote.branch]
        try:
            self.remote_git([*args, "--", self.remote.url.url, str(tmp)], None)
            branch, commit = self.state(tmp, "HEAD")
            if not branch.startswith("refs/heads/") or not commit:
                # nothing to keep: the next run clones again (an empty clone is a few bytes)
                raise _Failed("the repository is empty: nothing has been pushed to it")
            os.replace(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self.result.cloned = self.result.changed = True
        self.result.commit = commit
        return branch

    def fetch(self, folder: Path) -> str:
        saved = _load(folder)
        if self.remote.branch:
            branch = f"refs/heads/{self.remote.branch}"
        else:
            branch = saved.get("branch") or self.state(folder, "HEAD")[0]
        if not isinstance(branch, str) or not branch.startswith("refs/heads/"):
            raise _Failed("the clone in the cache has no branch: delete it from --clone-dir")
        self.branch_name = branch.removeprefix("refs/heads/")
        tip = saved.get("tip")
        if saved.get("branch") == branch and isinstance(tip, str) and tip:
            refs = advertised(self.remote.url, self.auth, self.left())
            if refs is not None and refs.get(branch) == tip:  # unchanged: no git process at all
                self.result.commit = tip
                return branch
        done = self.remote_git(
            [
                *("fetch", "--no-tags", "--no-write-fetch-head", "--no-recurse-submodules"),
                *("--no-auto-maintenance", "origin", f"+{branch}:{branch}"),
            ],
            folder,
        )
        # fetch prints "old..new  main -> main" for every reference it changed, and nothing for one
        # that was up to date: then the tip is the one recorded, and no local git process is needed
        if b"->" in done.stderr or saved.get("branch") != branch or not isinstance(tip, str):
            tip = self.state(folder, branch)[1]
            self.result.changed = tip != saved.get("tip")
        self.result.commit = tip
        return branch

    def hydrate(self, folder: Path, branch: str) -> None:
        """Fetch the file contents of the commit the lint will read, and only those."""
        self.result.branch = branch
        saved = _load(folder)
        tip = self.result.commit
        complete = [c for c in saved.get("complete", []) if isinstance(c, str)]
        picks = saved.get("at") if isinstance(saved.get("at"), dict) else {}
        assert isinstance(picks, dict)
        commit = tip
        if self.at is not None:  # the lint's own choice (gitsource.snapshot), remembered per tip
            when = f"{self.at.timestamp():.6f}@{tip}"
            found = picks.get(when)
            if not isinstance(found, str):
                found = first_parent_at(folder, branch, self.at.timestamp()) or ""
                picks = {when: found, **{k: v for k, v in list(picks.items())[: MARKED - 1]}}
            commit = found
        if commit and commit not in complete:
            missing = self.missing(folder, commit)
            if missing:
                self.fetch_blobs(folder, commit, missing)
            complete = [commit, *complete][:MARKED]
        state = {"branch": branch, "tip": tip, "complete": complete, "at": picks}
        if state != saved:
            _save(folder, state)
        self.result.commit = commit  # "" under --at with no commit that early: the lint says so

    def fetch_blobs(self, folder: Path, commit: str, missing: list[str]) -> None:
        self.remote_git(
            [
                *("-c", "fetch.negotiationAlgorithm=noop", "fetch", "--quiet", "--no-tags"),
                *("--no-write-fetch-head", "--no-recurse-submodules", "--no-auto-maintenance"),
                *(f"--filter={FILTER}", "--stdin", "origin"),
            ],
            folder,
            stdin="".join(f"{oid}\n" for oid in missing).encode("ascii"),
        )
        self.result.blobs = len(missing)
        if self.missing(folder, commit):
            raise _Failed(f"the server did not send the files of commit {commit[:10]}")

    def missing(self, folder: Path, commit: str) -> list[str]:
        out = self.local_git(folder, "rev-list", "--objects", "--no-walk", "--missing=print", commit)
        if out is None:
            raise _Failed(f"cannot list the files of commit {commit[:10]} in the clone")
        return [line[1:].strip() for line in out.splitlines() if line.startswith("?")]


def sync(remote: Remote, cache: Path, at: datetime | None, timeout: float, auth: Auth) -> Synced:
    """Clone or fetch ``remote``; never raises (its failure is the result's ``error``)."""
    try:
        return _Sync(remote, cache, at, timeout, auth).run()
    except Exception as exc:  # one URL's failure is its row, never the end of the run
        return Synced(error=shown(auth.scrub(f"{type(exc).__name__}: {exc}")))


def sync_all(
    remotes: list[Remote],
    cache: Path,
    *,
    at: datetime | None,
    timeout: float,
    auth: Auth,
    jobs: int,
    progress: bool | None = None,
) -> list[Synced]:
    """One result per remote, in order; ``jobs`` at a time (threads: the work is git's, not Python's)."""
    from report_lint.batch.runner import Progress

    show = sys.stderr.isatty() if progress is None else progress
    bar = Progress(len(remotes), sys.stderr) if show and remotes else None
    results: list[Synced] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for result in pool.map(lambda r: sync(r, cache, at, timeout, auth), remotes):
            results.append(result)
            if bar:
                bar.tick()
    if bar:
        bar.close()
    return results
