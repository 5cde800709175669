"""Which lines of the working tree are new or changed since a base commit, without ``git diff``.

``git diff <base>`` compares the work tree through git: it runs the clean filters and diff drivers
that ``.gitattributes`` and the repository's config name (``filter.<driver>.clean``, textconv,
``core.fsmonitor``) and refreshes -- rewrites -- ``.git/index``.  Instead, git is only asked for
listings and objects (``ls-files``, ``ls-tree``, ``cat-file``: plumbing that runs nothing and writes
nothing, see :mod:`report_lint.gitcmd`), the work-tree files are read here, and the line diff is
computed here (Myers' algorithm, as git's default diff).

Work is bounded: a file larger than :data:`MAX_BYTES`, or binary, contributes no lines; after
:data:`MAX_TOTAL_BYTES` read, the rest of the files contribute none; the lines between a file's
common prefix and suffix are diffed only while that takes at most :data:`MAX_DIFF_STEPS` steps, beyond
which they all count as changed (the changed lines only order annotations, so erring towards
"changed" loses nothing).
"""

from __future__ import annotations

from pathlib import Path

from report_lint import gitcmd
from report_lint.errors import InputError

MAX_BYTES = 4 * 1024 * 1024
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_DIFF_STEPS = 1_000_000  # also bounds the trace kept for the backtrack: O(steps) entries
FETCH_TIMEOUT = 120.0


def changed_since(repo_root: Path, base: str) -> dict[str, set[int]] | None:
    """Path (relative to ``repo_root``, '/'-separated) -> 1-based new-side lines added or changed.

    None when ``repo_root`` is not in a git work tree or ``base`` is not a commit (after one
    attempt to fetch it from ``origin``, as a shallow CI checkout lacks the base of a pull request).
    """
    from report_lint.batch.gitsource import GitCommitSource
    from report_lint.evidence.gitlisting import GitWorkTreeSource

    work = GitWorkTreeSource.open(repo_root)
    git_dir = _git_line(repo_root, "rev-parse", "--absolute-git-dir")
    prefix = _git_line(repo_root, "rev-parse", "--show-prefix")
    if work is None or git_dir is None or prefix is None:
        return None
    if not _have_commit(repo_root, base):
        _fetch(repo_root, base)
        if not _have_commit(repo_root, base):
            return None
    changed: dict[str, set[int]] = {}
    budget = MAX_TOTAL_BYTES
    with GitCommitSource(repo_root, Path(git_dir), base) as old_side:
        entries = {
            name[len(prefix) :]: entry
            for name, entry in old_side.entries().items()
            if name.startswith(prefix)
        }
        for path in work.list():
            if budget <= 0:
                break
            new = work.read(path, MAX_BYTES + 1)
            if new is None or len(new) > MAX_BYTES or b"\0" in new:
                continue
            budget -= len(new)
            entry = entries.get(path)
            old = b""  # a file the base does not have: every line is new
            if entry is not None:
                if entry.mode == "120000" or entry.size > MAX_BYTES:
                    continue  # a link in the base, or a file too large to compare
                try:
                    old = old_side.blob(entry.sha, MAX_BYTES)
                except (OSError, InputError, ValueError):
                    continue
                budget -= len(old)
                if old == new:
                    continue
            lines = new_lines(old, new)
            if lines:
                changed[path] = lines
    return changed


def new_lines(old: bytes, new: bytes) -> set[int]:
    """1-based numbers of the lines of ``new`` that are not unchanged lines of ``old``."""
    a = [line.rstrip(b"\r") for line in old.split(b"\n")]
    b = [line.rstrip(b"\r") for line in new.split(b"\n")]
    if b and b[-1] == b"":
        b.pop()  # the text after the last newline is not a line
    if a and a[-1] == b"":
        a.pop()
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    if end_b == start:
        return set()  # only deletions
    inserted = _myers_inserted(a[start:end_a], b[start:end_b])
    if inserted is None:  # too different to diff within the budget: the whole middle changed
        return set(range(start + 1, end_b + 1))
    return {start + i + 1 for i in inserted}


def _myers_inserted(a: list[bytes], b: list[bytes]) -> list[int] | None:
    """0-based indices of the lines of ``b`` a shortest edit script from ``a`` inserts (Myers'
    O((N+M)D) greedy algorithm, as git's diff uses), or None once it would take more than
    :data:`MAX_DIFF_STEPS` steps."""
    n, m = len(a), len(b)
    offset = n + m + 1
    v = [0] * (2 * offset + 1)
    trace: list[list[int]] = []  # trace[d]: v[offset-d .. offset+d] at the start of round d
    steps = 0
    for d in range(n + m + 1):
        trace.append(v[offset - d : offset + d + 1])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]  # down: a line of b inserted
            else:
                x = v[offset + k - 1] + 1  # right: a line of a deleted
            y = x - k
            snake = x
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            steps += 1 + x - snake
            v[offset + k] = x
            if x >= n and y >= m:
                return _backtrack(trace, n, m)
        if steps > MAX_DIFF_STEPS:
            return None
    return None  # pragma: no cover - d = n + m always reaches the end


def _backtrack(trace: list[list[int]], x: int, y: int) -> list[int]:
    inserted = []
    for d in range(len(trace) - 1, 0, -1):
        row = trace[d]  # row[d + k] is v[k] at the start of round d
        k = x - y
        down = k == -d or (k != d and row[d + k - 1] < row[d + k + 1])
        prev_k = k + 1 if down else k - 1
        prev_x = row[d + prev_k]
        prev_y = prev_x - prev_k
        if down:
            inserted.append(prev_y)
        x, y = prev_x, prev_y
    return inserted


def _git_line(root: Path, *args: str) -> str | None:
    try:
        done = gitcmd.run(args, cwd=root)
    except InputError:
        return None
    return done.text().rstrip("\n") if done.ok else None


def _have_commit(root: Path, sha: str) -> bool:
    try:
        return gitcmd.run(["cat-file", "-e", f"{sha}^{{commit}}"], cwd=root).ok
    except InputError:
        return False


def _fetch(root: Path, sha: str) -> None:
    """Fetch one commit from ``origin`` over https only (the protocol GitHub checkouts use).

    This is the one git command that writes into the repository (the objects of ``sha`` and
    ``.git/shallow``), and only when the base is missing, i.e. in a shallow CI checkout of the
    student's own repository.  No other protocol is allowed (a local path's upload-pack, ssh and
    remote helpers are programs the repository would name), no FETCH_HEAD, no submodules, no gc.
    """
    try:
        gitcmd.run(
            [
                *("fetch", "--quiet", "--no-tags", "--depth=1", "--no-write-fetch-head"),
                *("--no-recurse-submodules", "--no-auto-maintenance", "origin", sha),
            ],
            cwd=root,
            timeout=FETCH_TIMEOUT,
            network=True,
        )
    except InputError:
        return
