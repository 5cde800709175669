"""The real CLI in a subprocess, in a real git repository under a temporary directory."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from hostile.conftest import TIMEOUT, clean_env, git


def run(
    args: Sequence[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m report_lint ARGS`` with pipes; the caller's colour settings removed, ``env`` added."""
    base = {k: v for k, v in clean_env().items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    return subprocess.run(
        [sys.executable, "-m", "report_lint", *args],
        cwd=cwd,
        capture_output=True,
        env={**base, **(env or {})},
        timeout=TIMEOUT,
        check=False,
        text=True,
        encoding="utf-8",
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("report-lint: error: "), proc.stderr
    return lines[0]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "reports" / "figures").mkdir(parents=True)
    git(root, "init", "-q")
    return root
