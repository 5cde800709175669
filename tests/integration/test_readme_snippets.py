"""The README's integration snippets, extracted from README.md and run as printed.

Only ``OWNER`` is filled in (with a local clone of this project); the revision stays what the README
prints, and the README's own instruction (``pre-commit autoupdate``) turns it into a pin that exists.
A snippet that rots (a tag that does not exist, a hook id or an action input that was renamed) fails here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from action_runner import ACTION, run_action
from e2e_support import (
    PROJECT,
    commit_all,
    failing_builder,
    git,
    passing_builder,
    pre_commit,
    project_copy,
    write_report,
)
from tooling import require_tool

README = (PROJECT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
OWNER_URL = "https://github.com/OWNER/report-lint"
LOCATION = re.compile(r"^reports/README\.md:\d+:\d+: ", re.MULTILINE)


def yaml_blocks() -> list[str]:
    return [body for lang, body in FENCE.findall(README) if lang == "yaml"]


def precommit_snippet() -> str:
    found = [b for b in yaml_blocks() if b.startswith("# .pre-commit-config.yaml")]
    assert len(found) == 1, "README.md has one .pre-commit-config.yaml snippet"
    return found[0]


def workflow_snippet() -> dict[str, Any]:
    found = [yaml.safe_load(b) for b in yaml_blocks() if re.search(r"^jobs:", b, re.MULTILINE)]
    assert len(found) == 1, "README.md has one workflow snippet"
    return found[0]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tool("git", "apt-get install git")
    return project_copy(tmp_path_factory.mktemp("readme") / "report-lint")


def student_repo(root: Path, *, passing: bool) -> Path:
    root.mkdir(parents=True)
    git(root, "init", "-q")
    write_report(root, passing_builder() if passing else failing_builder())
    (root / "Dockerfile").write_text("FROM python:3.11-slim\n", encoding="utf-8")
    return root


def test_precommit_snippet_runs_as_printed(tmp_path: Path, clone: Path) -> None:
    snippet = precommit_snippet()
    assert OWNER_URL in snippet
    home = tmp_path / "pre-commit-home"
    head = git(clone, "rev-parse", "HEAD").strip()

    # 1. exactly as printed (rev included): a failing report fails the commit with located lines
    failing = student_repo(tmp_path / "failing", passing=False)
    (failing / ".pre-commit-config.yaml").write_text(snippet.replace(OWNER_URL, str(clone)), encoding="utf-8")
    commit_all(failing, "report")
    done = pre_commit(failing, home, "run", "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout and LOCATION.search(done.stdout), done.stdout

    # 2. the README's pinning instruction: autoupdate writes a revision that exists, and it runs
    passing = student_repo(tmp_path / "passing", passing=True)
    config = passing / ".pre-commit-config.yaml"
    config.write_text(snippet.replace(OWNER_URL, str(clone)), encoding="utf-8")
    updated = pre_commit(passing, home, "autoupdate")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    rev = yaml.safe_load(config.read_text(encoding="utf-8"))["repos"][0]["rev"]
    assert re.fullmatch(r"[0-9a-f]{40}", rev), rev  # no tag in the clone: main's commit SHA
    assert git(clone, "rev-parse", "--verify", f"{rev}^{{commit}}").strip() == head
    commit_all(passing, "report")
    done = pre_commit(passing, home, "run", "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_printed_rev_is_a_branch_of_the_project() -> None:
    """The printed rev (before autoupdate) must exist in the real repository too: it is the branch
    the project is developed on."""
    printed_rev = yaml.safe_load(precommit_snippet())["repos"][0]["rev"]
    step = next(
        s for s in workflow_snippet()["jobs"]["report-lint"]["steps"] if "OWNER/" in s.get("uses", "")
    )
    assert printed_rev == step["uses"].split("@", 1)[1] == "main"


def test_workflow_snippet_runs_as_printed(tmp_path: Path, clone: Path) -> None:
    workflow = workflow_snippet()
    assert set(workflow["permissions"]) == {"contents"}
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")  # the workspace below is that checkout
    ours = [s for s in steps if s.get("uses", "").startswith("OWNER/report-lint@")]
    assert len(ours) == 1
    inputs = {k: str(v) for k, v in (ours[0].get("with") or {}).items()}
    assert set(inputs) <= set(ACTION["inputs"]), "the snippet names inputs the action does not have"

    workspace = tmp_path / "workspace"
    student_repo(workspace, passing=False)
    head = commit_all(workspace, "report")
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"after": head}), encoding="utf-8")
    github = {
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "student/exam-project",
        "GITHUB_SHA": head,
    }
    run = run_action(clone, workspace, runner_temp, inputs, github)
    assert run.steps[0].returncode == 0, run.steps[0].stderr
    lint = run.step("lint")
    assert lint.returncode == 1, lint.stderr
    assert "::error file=reports/README.md,line=" in lint.stdout
    assert "| Question" in run.summary or "Question" in run.summary
