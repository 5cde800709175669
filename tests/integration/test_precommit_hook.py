"""The pre-commit hooks, for real: ``pre-commit try-repo`` on a student repository.

try-repo clones the hook repository and pip-installs it into a fresh environment (PyPI must be
reachable); the environments are cached for the session under one PRE_COMMIT_HOME.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from e2e_support import (
    commit_all,
    failing_builder,
    git,
    passing_builder,
    pre_commit,
    project_copy,
    write_report,
)
from tooling import require_tool


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_tool("pre-commit")
    require_tool("git", "apt-get install git")


LOCATION = re.compile(r"^reports/README\.md:\d+:\d+: ", re.MULTILINE)


@pytest.fixture(scope="module")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project_copy(tmp_path_factory.mktemp("hook-source"))


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def student_repo(root: Path, *, passing: bool) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    write_report(root, passing_builder() if passing else failing_builder())
    (root / "Dockerfile").write_text("FROM python:3.11-slim\n", encoding="utf-8")
    (root / "README.md").write_text("# our project\n", encoding="utf-8")
    commit_all(root, "report")
    return root


def try_repo(
    repo: Path, source: Path, home: Path, hook: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    return pre_commit(repo, home, "try-repo", str(source), hook, *extra)


def test_failing_report_fails_the_hook(tmp_path: Path, hook_source: Path, pre_commit_home: Path) -> None:
    repo = student_repo(tmp_path / "student", passing=False)
    done = try_repo(repo, hook_source, pre_commit_home, "report-lint", "--all-files")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert re.search(r"report-lint \(report and repository evidence\)\.+Failed", out), out
    assert LOCATION.search(out), out
    assert "fill here" in out


def test_passing_report_passes(tmp_path: Path, hook_source: Path, pre_commit_home: Path) -> None:
    repo = student_repo(tmp_path / "student", passing=True)
    done = try_repo(repo, hook_source, pre_commit_home, "report-lint", "--all-files")
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert re.search(r"report-lint \(report and repository evidence\)\.+Passed", out), out
    assert not LOCATION.search(out)


def test_deletion_only_commit_still_runs_the_full_hook(
    tmp_path: Path, hook_source: Path, pre_commit_home: Path
) -> None:
    repo = student_repo(tmp_path / "student", passing=True)
    git(repo, "rm", "-q", "Dockerfile")  # staged: a commit that only deletes evidence
    full = try_repo(repo, hook_source, pre_commit_home, "report-lint")
    assert re.search(r"report-lint \(report and repository evidence\)\.+(Passed|Failed)", full.stdout), (
        full.stdout
    )
    light = try_repo(repo, hook_source, pre_commit_home, "report-lint-report")
    assert re.search(r"report-lint \(report only\)\.+\(no files to check\)Skipped", light.stdout), (
        light.stdout
    )


def test_report_only_hook_runs_when_the_report_changes(
    tmp_path: Path, hook_source: Path, pre_commit_home: Path
) -> None:
    repo = student_repo(tmp_path / "student", passing=True)
    write_report(repo, failing_builder())
    git(repo, "add", "reports/README.md")
    done = try_repo(repo, hook_source, pre_commit_home, "report-lint-report")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert re.search(r"report-lint \(report only\)\.+Failed", out), out
    assert LOCATION.search(out), out
