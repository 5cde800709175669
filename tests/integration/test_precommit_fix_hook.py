"""The ``report-lint-fix`` hook, for real: ``pre-commit try-repo`` on a student repository.

A fixer hook: it rewrites the report and pre-commit fails the commit because a file was modified (as
its own fixer hooks do); run again on the fixed report, it passes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from e2e_support import ReportBuilder, commit_all, git, pre_commit, project_copy, write_report
from tooling import require_tool

PLACEHOLDER = "--- question 5 fill here ---"
HOOK = r"report-lint \(fix the report\)\.+"


@pytest.fixture(autouse=True)
def _tools() -> None:
    require_tool("pre-commit")
    require_tool("git", "apt-get install git")


@pytest.fixture(scope="module")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project_copy(tmp_path_factory.mktemp("hook-source"))


def test_fix_hook_fixes_the_report_and_fails_then_passes(tmp_path: Path, hook_source: Path) -> None:
    repo = tmp_path / "student"
    repo.mkdir()
    git(repo, "init", "-q")
    # a passing report but for the template's placeholder line left above question 5's answer
    report = write_report(repo, ReportBuilder(fill_words=120, keep_placeholder={5}))
    (repo / "Dockerfile").write_text("FROM python:3.11-slim\n", encoding="utf-8")
    (repo / "README.md").write_text("# our project\n", encoding="utf-8")
    commit_all(repo, "report")
    before = report.read_text(encoding="utf-8")
    assert before.count(PLACEHOLDER) == 1
    home = tmp_path / "pre-commit-home"

    first = pre_commit(repo, home, "try-repo", str(hook_source), "report-lint-fix", "--all-files")
    out = first.stdout + first.stderr
    assert first.returncode == 1, out
    assert re.search(HOOK + "Failed", out), out
    assert "files were modified by this hook" in out, out
    assert "Fixed 1 problem, 1 remaining." in out, out  # the info about the unchecked Dockerfile item
    assert report.read_text(encoding="utf-8") == before.replace(PLACEHOLDER + "\n\n", "", 1)
    # the student looks at the change, stages it and commits again: now the hook passes
    assert git(repo, "status", "--porcelain") == " M reports/README.md\n"
    git(repo, "add", "reports/README.md")
    second = pre_commit(repo, home, "try-repo", str(hook_source), "report-lint-fix", "--all-files")
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(HOOK + "Passed", second.stdout), second.stdout
