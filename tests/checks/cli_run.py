"""Run the real CLI on a scratch git repository holding one report; return its diagnostics (JSON)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tooling import GIT_ENV


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "commit.gpgsign=false", *args],
        check=True,
        capture_output=True,
        env={**os.environ, **GIT_ENV},
    )


def lint_text(
    repo: Path, text: str, files: dict[str, bytes] | None = None, *args: str
) -> list[dict[str, Any]]:
    """``text`` as ``reports/README.md`` of a new repository at ``repo`` (plus ``files``), committed and
    linted by ``python -m report_lint --format json``."""
    (repo / "reports" / "figures").mkdir(parents=True)
    (repo / "reports" / "README.md").write_bytes(text.encode("utf-8"))
    for name, data in (files or {}).items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "hand-in")
    proc = subprocess.run(
        [sys.executable, "-m", "report_lint", "--repo", str(repo), "--format", "json", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    (report,) = json.loads(proc.stdout)["reports"]
    diagnostics: list[dict[str, Any]] = report["diagnostics"]
    return diagnostics
