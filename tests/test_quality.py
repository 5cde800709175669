"""The style card's promises, enforced: ruff, ruff format and mypy --strict stay clean.

mypy checks against every Python the project supports (``requires-python``), not only the one running
the tests: a branch taken only on the lowest supported version (``tomli`` below 3.11) is type-checked
too, which is why the test extras install ``tomli`` on every Python.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tooling import require_tool

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED = ["3.10", "3.11", "3.12", "3.13"]


def _run(command: list[str]) -> None:
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]], ids=["check", "format"])
def test_ruff_is_clean(args: list[str]) -> None:
    _run([require_tool("ruff"), *args])


@pytest.mark.parametrize("version", SUPPORTED)
def test_mypy_strict_is_clean(version: str) -> None:
    require_tool("mypy")
    _run([sys.executable, "-m", "mypy", "--python-version", version])


def test_supported_versions_match_pyproject() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["requires-python"] == f">={SUPPORTED[0]}"
    assert project["tool"]["mypy"]["python_version"] == SUPPORTED[0]
    assert f"{sys.version_info.major}.{sys.version_info.minor}" in SUPPORTED
