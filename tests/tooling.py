"""What the tests need from outside Python code: tools the test extras install, and ../shared.

A tool the README's install command provides (ruff, mypy, pre-commit, check-jsonschema) is looked up
beside the running interpreter first, so a venv that is not activated still finds its own tools. Under
``CI=true`` a missing requirement fails the test instead of skipping it: a green CI must mean the
thing was checked.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"

# commits in scratch repositories: a fixed identity, and no system config of the machine running the tests
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Student",
    "GIT_AUTHOR_EMAIL": "student@example.com",
    "GIT_COMMITTER_NAME": "Student",
    "GIT_COMMITTER_EMAIL": "student@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing(reason: str) -> None:
    """Skip locally; fail in CI, where everything the suite needs is installed by .ci/run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: required, not skipped)", pytrace=False)
    pytest.skip(reason)


def venv_tool(name: str) -> str | None:
    """The console script ``name`` of the running interpreter's environment, else the one on PATH."""
    bindir = Path(sys.executable).parent
    for candidate in (bindir / name, bindir / f"{name}.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def require_tool(name: str, hint: str = "pip install -e '.[test]'") -> str:
    found = venv_tool(name)
    if found is None:
        missing(f"{name} is not installed ({hint})")
        raise AssertionError("unreachable")  # pragma: no cover - missing() always raises
    return found


def shared(*parts: str) -> Path:
    """A path under ../shared (beside the project root); missing: skip locally, fail in CI."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        missing(f"{path} is not there (../shared beside the project root)")
    return path


def collect_shared(folder: str, pattern: str) -> list[Path]:
    """For parametrising at collection time: the files, or [] when ../shared is absent (an empty
    parameter set fails under CI=true: see ``tests/conftest.py``)."""
    base = SHARED / folder
    return sorted(base.glob(pattern)) if base.is_dir() else []


def shared_files(folder: str, pattern: str) -> list[Path]:
    """At test time: the files of ``../shared/<folder>`` matching ``pattern``, sorted; none: skip
    locally, fail under CI=true."""
    found = collect_shared(folder, pattern)
    if not found:
        missing(f"{SHARED / folder} holds no {pattern}: the reference material is not beside the project")
    return found


# headless Chromium for the browser tests (Debian's chromium; .ci/run installs it)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def require_chromium() -> str:
    """The Chromium binary; missing: skip locally, fail under CI=true."""
    if CHROMIUM is None:
        missing("chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)")
        raise AssertionError("unreachable")  # pragma: no cover - missing() always raises
    return CHROMIUM


def run_chromium(*args: str, timeout: float = 120) -> str:
    """One headless Chromium run with a fresh profile (``--dump-dom``, ``--screenshot``…): its stdout."""
    import subprocess
    import tempfile

    binary = require_chromium()
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout
