"""Where a command works: the repository root and the reports, from the command line and the current
directory.  Shared by ``check`` (``cli.py``) and ``preview`` (``handin/preview.py``), which is why it is a
module of its own: neither command's module imports the other."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from report_lint.cli_parser import DEFAULT_REPORT
from report_lint.errors import InputError


def git_toplevel(start: Path) -> Path | None:
    from report_lint import gitcmd

    try:
        done = gitcmd.run(["rev-parse", "--show-toplevel"], cwd=start, timeout=20)
    except InputError:
        return None
    out = done.text().strip()
    if not done.ok or not out:
        return None
    top = Path(out).resolve()
    # a repository's core.worktree can name any directory: only an ancestor of where we are counts
    return top if start.resolve().is_relative_to(top) else None


def repo_root(option: str | None, cwd: Path) -> Path:
    if option is not None:
        root = (cwd / option).resolve()
        if not root.exists():
            raise InputError(f"--repo {option}: no such directory")
        if not root.is_dir():
            raise InputError(f"--repo {option}: not a directory")
        return root
    return (git_toplevel(cwd) or cwd).resolve()


def report_paths(reports: Sequence[str], root: Path, cwd: Path) -> list[tuple[Path, str]]:
    """Absolute path and display path (relative to the root, '/'-separated) of each report."""
    out = []
    for given in reports or [str(root / DEFAULT_REPORT)]:
        path = Path(given) if Path(given).is_absolute() else cwd / given
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
            raise InputError(f"{given}: cannot resolve the path: {exc}") from None
        try:
            display = resolved.relative_to(root).as_posix()
        except ValueError:
            raise InputError(f"{given}: the report is outside the repository root {root}") from None
        out.append((resolved, display))
    return out
