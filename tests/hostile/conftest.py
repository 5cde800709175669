"""Helpers for the hostile-input suite: the real CLI as a subprocess in a real temporary git repository.

Every case asserts one of two outcomes and nothing else:

* a clear diagnostic (exit 0 or 1, output on stdout, nothing alarming on stderr), or
* exactly one stderr line ``report-lint: error: ...`` and exit 2;

never a traceback, never a hang (every run has a timeout, so a hang fails the test instead of CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

TIMEOUT = 60.0  # seconds; any case that needs this long has already failed its purpose
# what strace records: every syscall that takes a file name, plus the open family explicitly
STRACE = shutil.which("strace")
SETPRIV = shutil.which("setpriv")


def without_dac_override() -> list[str] | None:
    """A command prefix under which even root gets EACCES from permission bits (None: unavailable).

    Root reads any file because of CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH; dropping both from the
    bounding set before exec leaves the new process without them.
    """
    if os.geteuid() != 0:
        return []
    if SETPRIV is None:
        return None
    return [SETPRIV, "--bounding-set", "-dac_override,-dac_read_search"]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    trace: str = ""  # strace output when traced

    def error_line(self) -> str:
        """The one ``report-lint: error:`` line (asserts the run ended that way)."""
        assert self.returncode == 2, (
            f"exit {self.returncode}\nstdout: {self.stdout[:2000]}\nstderr: {self.stderr}"
        )
        assert "Traceback" not in self.stderr, self.stderr
        lines = self.stderr.splitlines()
        assert len(lines) == 1, self.stderr
        assert lines[0].startswith("report-lint: error: "), self.stderr
        return lines[0]

    def diagnostics(self) -> str:
        """stdout of a run that linted (exit 0 or 1, stderr quiet)."""
        assert self.returncode in (0, 1), f"exit {self.returncode}\nstderr: {self.stderr}"
        assert "Traceback" not in self.stderr, self.stderr
        assert self.stderr == "", self.stderr
        return self.stdout


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "RUNNER_", "REPORT_LINT_")) and k not in ("CI", "PYTHONWARNINGS")
    }
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra or {})
    return env


def run_cli(
    args: Sequence[str],
    cwd: Path,
    *,
    env: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
    strace: Path | None = None,
    prefix: Sequence[str] = (),
) -> Run:
    """``python -m report_lint ARGS`` in ``cwd``; with ``strace`` (a log path) under ``strace -f``."""
    argv = [*prefix, sys.executable, "-m", "report_lint", *args]
    if strace is not None:
        assert STRACE is not None
        argv = [STRACE, "-f", "-qq", "-s", "4096", "-e", "trace=%file,open,openat", "-o", str(strace), *argv]
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            argv,
            cwd=cwd,
            capture_output=True,
            env=clean_env(env),
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"report-lint {' '.join(args)} did not finish within {timeout}s (a hang)")
    seconds = time.perf_counter() - start
    trace = strace.read_text(encoding="utf-8", errors="replace") if strace is not None else ""
    return Run(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        seconds,
        trace,
    )


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={
            **clean_env(),
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@e",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@e",
        },
        timeout=60,
    )


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """An empty git work tree with ``reports/`` (tmp_path/repo, so tmp_path itself is outside it)."""
    root = tmp_path / "repo"
    (root / "reports" / "figures").mkdir(parents=True)
    git(root, "init", "-q")
    return root


@pytest.fixture()
def write_report(repo: Path) -> Callable[[str | bytes], Path]:
    def write(content: str | bytes) -> Path:
        path = repo / "reports" / "README.md"
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write
