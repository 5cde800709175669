"""Scratch student repositories for the ``--fix`` tests, and the real CLI run in them."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from builders import ReportBuilder
from tooling import GIT_ENV

REPORT = "reports/README.md"
BOM = b"\xef\xbb\xbf"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32  # enough of a PNG for the figure checks' signature test


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        check=True,
        capture_output=True,
        env={**os.environ, **GIT_ENV},
    )


def student_repo(root: Path, data: bytes, figures: list[str]) -> Path:
    """A committed git repository holding ``reports/README.md`` (exactly ``data``) and the figures."""
    (root / "reports" / "figures").mkdir(parents=True)
    (root / REPORT).write_bytes(data)
    for name in figures:
        (root / "reports" / name).write_bytes(PNG)
    (root / "Dockerfile").write_text("FROM python:3.11-slim\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "hand-in")
    return root


def report_bytes(builder: ReportBuilder, *, bom: bool = False) -> bytes:
    return (BOM if bom else b"") + builder.text().encode("utf-8")


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m report_lint check ARGS`` in ``repo`` (text output, no colour)."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "GITHUB_ACTIONS")}
    return subprocess.run(
        [sys.executable, "-m", "report_lint", "check", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**env, "NO_COLOR": "1"},
        timeout=120,
        check=False,
    )


def tree(repo: Path) -> dict[str, str]:
    """Every file and directory under ``repo`` (.git included) with its content hash and mode."""
    out = {}
    for path in sorted(repo.rglob("*")):
        rel = path.relative_to(repo).as_posix()
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            out[rel] = f"{digest} {oct(path.stat().st_mode)}"
        else:
            out[rel] = "dir"
    return out
