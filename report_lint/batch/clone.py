"""A repos file's URL rows as lint targets: parse, pick the cache folder, clone or fetch, one row each.

The cache (``--clone-dir``) defaults to ``$XDG_CACHE_HOME/report-lint/clones`` (``~/.cache/...``): it
outlives a run so that the next one only fetches what changed, and it is never inside a repository
being linted (the tool never writes into a linted repository).  Each clone is bare and is linted the
way ``batch`` lints every bare repository: from git objects, at the fetched branch's tip or at
``--at``.  See :mod:`report_lint.batch.fetch` for what is downloaded.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from report_lint.batch.clone_auth import Auth
from report_lint.batch.clone_url import BadURL, cache_key, display, parse
from report_lint.batch.discover import Listed, Target, listed_group
from report_lint.batch.fetch import Remote, sync_all
from report_lint.batch.text import shown
from report_lint.errors import UsageError

# what git accepts as a branch name, minus what could be read as an option or a revision expression
_BRANCH = re.compile(r"^(?!-)(?!.*\.\.)(?!.*//)(?!.*@\{)[A-Za-z0-9._/+-]{1,200}(?<![./])$", re.ASCII)


def default_clone_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(cache) if cache and Path(cache).is_absolute() else Path.home() / ".cache"
    return base / "report-lint" / "clones"


def check_clone_dir(clone_dir: Path, linted: list[Target], option: str) -> None:
    """UsageError if the cache would be inside (or be) a repository or folder being linted."""
    real = Path(os.path.realpath(clone_dir))
    for target in linted:
        root = Path(os.path.realpath(target.path))
        if real == root or real.is_relative_to(root):  # a work tree, a bare repository or a ZIP folder
            raise UsageError(
                f"{option} {shown(str(clone_dir))}: inside the linted repository {target.display}; "
                "the tool never writes into a repository it lints"
            )


@dataclass
class Fetched:
    target: Target
    notes: list[str] = field(default_factory=list)
    branch: str = ""
    cloned: bool = False
    changed: bool = False
    commit: str = ""  # the commit the lint will read (its files are all in the clone)


def remote_targets(
    rows: list[Listed],
    clone_dir: Path,
    *,
    at: datetime | None,
    timeout: float,
    auth: Auth,
    jobs: int,
    progress: bool | None,
) -> list[Fetched]:
    """One :class:`Fetched` per distinct (URL, branch) of ``rows``, in the file's order."""
    seen: dict[str, int] = {}
    out: list[Fetched] = []
    todo: list[tuple[int, Remote]] = []
    for row in rows:
        branch = row.branch or None
        group = listed_group(row.group) if row.group else None
        try:
            url = parse(row.location)
        except BadURL as exc:
            out.append(_problem(exc.shown, group, exc.why))
            continue
        shown_as = display(url, branch)
        if shown_as in seen:
            continue
        seen[shown_as] = len(out)
        if branch is not None and not _BRANCH.match(branch):
            out.append(_problem(shown_as, group, f"'{shown(branch)}' is not a branch name git accepts"))
            continue
        key = cache_key(url, branch)
        path = clone_dir / key
        out.append(Fetched(Target(path, shown_as, path, True, group)))
        todo.append((len(out) - 1, Remote(url, branch, key)))
    results = sync_all(
        [r for _, r in todo], clone_dir, at=at, timeout=timeout, auth=auth, jobs=jobs, progress=progress
    )
    for (index, _), result in zip(todo, results, strict=True):
        fetched = out[index]
        fetched.notes, fetched.branch = result.notes, result.branch
        fetched.cloned, fetched.changed, fetched.commit = result.cloned, result.changed, result.commit
        if result.error:
            fetched.target = Target(
                fetched.target.path,
                fetched.target.display,
                None,
                False,
                fetched.target.folder_group,
                result.error,
            )
    return out


def _problem(shown_as: str, group: int | None, why: str) -> Fetched:
    return Fetched(Target(Path(os.devnull), shown_as, None, False, group, why))
