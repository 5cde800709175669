"""Helpers for the evidence tests: real temporary git repositories and hand-built checklist items."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

from report_lint.model import ChecklistItem, CheckState
from report_lint.parsing.nodes import Span

Files = Mapping[str, "str | bytes"]

_TAG = re.compile(r"\((M\d+(?:\+M\d+)*)\)\s*$")


def git(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(root),
        GIT_AUTHOR_DATE="2024-01-01T00:00:00",
        GIT_COMMITTER_DATE="2024-01-01T00:00:00",
    )
    proc = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )
    return proc.stdout.decode()


def write(root: Path, files: Files) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def make_repo(
    root: Path, files: Files, *, use_git: bool = True, commit: bool = True, untracked: Files | None = None
) -> Path:
    """A directory with ``files``; as a git repository with them committed unless told otherwise.

    ``untracked`` files are written after the commit (and never added).
    """
    root.mkdir(parents=True, exist_ok=True)
    write(root, files)
    if use_git:
        git(root, "init", "-q")
        if commit:
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "-m", "init")
    if untracked:
        write(root, untracked)
    return root


def item(text: str, state: CheckState = "checked", mark: str = "[x]", line: int = 10) -> ChecklistItem:
    """A ChecklistItem as the parser would build it (module tag taken from a trailing parenthesis)."""
    m = _TAG.search(text)
    tag = m.group(1) if m else None
    modules = tuple(tag.split("+")) if tag else ()
    return ChecklistItem(
        state=state,
        mark=mark,
        text=text,
        module_tag=tag,
        modules=modules,
        span=Span(line, 1, line, len(text) + 7),
        section="Week 1",
    )
