"""The composite action, run without GitHub: a harness reads action.yml and runs its steps with bash.

It does what the runner does for a composite action: evaluates the ``${{ }}`` expressions of each
step's ``env:`` (``github.action_path``, ``inputs.*``, ``steps.<id>.outputs.*``, ``runner.temp``),
runs ``run:`` with ``bash --noprofile --norc -eo pipefail``, gives each step fresh
``GITHUB_OUTPUT``/``GITHUB_STEP_SUMMARY`` files, and maps the action's outputs.  The workspace is a
git repository with a pull request (base and head commits) and a ``pull_request`` event payload.
The install step really pip-installs the project (PyPI must be reachable); the venv is shared by
the tests of this module through one ``RUNNER_TEMP``.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from action_runner import ACTION, EXPR, ActionRun, run_action
from e2e_support import (
    ReportBuilder,
    cli_lacks,
    commit_all,
    failing_builder,
    git,
    passing_builder,
    project_copy,
    runner_commands,
    write_report,
)

FLAGS = ("--summary", "--sarif", "--github-output", "--changed-lines-from", "--only-changed-lines")
LOCATION = re.compile(r"^reports/README\.md:(\d+):(\d+): ")

needs_cli = pytest.mark.skipif(
    bool(cli_lacks(*FLAGS)),
    reason=f"the CLI lacks {', '.join(cli_lacks(*FLAGS))} (issue 4 wiring not applied yet)",
)


# ---------------------------------------------------------------------------------------------
# static properties of action.yml


def test_inputs_reach_scripts_only_through_env() -> None:
    for step in ACTION["runs"]["steps"]:
        assert step.get("shell") == "bash"
        assert "${{" not in step["run"], "expressions in run: are script injection"
    used = {
        m
        for step in ACTION["runs"]["steps"]
        for v in (step.get("env") or {}).values()
        for m in EXPR.findall(str(v))
    }
    assert {f"inputs.{name}" for name in ACTION["inputs"]} <= used


def test_outputs_come_from_the_lint_step() -> None:
    assert set(ACTION["outputs"]) == {"errors", "warnings", "infos", "questions-passed", "questions-total"}
    for name, spec in ACTION["outputs"].items():
        assert spec["value"] == f"${{{{ steps.lint.outputs.{name} }}}}"


def test_venv_under_runner_temp_installed_from_action_path() -> None:
    install = ACTION["runs"]["steps"][0]
    assert "RUNNER_TEMP" in install["run"]
    assert install["env"]["RL_ACTION_PATH"] == "${{ github.action_path }}"


# ---------------------------------------------------------------------------------------------
# running it


@pytest.fixture(scope="module")
def action_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return project_copy(tmp_path_factory.mktemp("action") / "report-lint")


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("runner-temp")


@dataclass
class PullRequest:
    workspace: Path
    base: str
    head: str
    changed: set[int]
    event: Path


def make_pull_request(
    root: Path, *, subdir: str = "", head_builder: ReportBuilder | None = None
) -> PullRequest:
    workspace = root / "workspace"
    repo = workspace / subdir if subdir else workspace
    repo.mkdir(parents=True)
    git(workspace, "init", "-q")
    base_builder = failing_builder()
    write_report(repo, base_builder)
    base = commit_all(workspace, "base")
    # the pull request edits the placeholder lines of questions 25 and 26
    edited = head_builder is None
    head_builder = head_builder or ReportBuilder(
        answers={25: "--- question 25 fill here --- TODO", 26: "TBD"}
    )
    write_report(repo, head_builder)
    head = commit_all(workspace, "head")
    changed = set()
    if edited:
        changed = {head_builder.line_of("--- question 25 fill here --- TODO"), head_builder.line_of("TBD")}
    event = root / "event.json"
    event.write_text(
        json.dumps(
            {
                "action": "synchronize",
                "number": 7,
                "pull_request": {"number": 7, "base": {"sha": base, "ref": "main"}, "head": {"sha": head}},
            }
        ),
        encoding="utf-8",
    )
    return PullRequest(workspace, base, head, changed, event)


def github_env(pr: PullRequest, event_name: str = "pull_request") -> dict[str, str]:
    return {
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(pr.event),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "student/exam-project",
        "GITHUB_SHA": pr.head,
    }


def annotations_of(run: ActionRun) -> list[Any]:
    return [c for c in runner_commands(run.step("lint").stdout) if c.name in ("error", "warning", "notice")]


@needs_cli
def test_pull_request_run(tmp_path: Path, action_path: Path, runner_temp: Path) -> None:
    pr = make_pull_request(tmp_path)
    run = run_action(
        action_path, pr.workspace, runner_temp, {"sarif": "out/report-lint.sarif"}, github_env(pr)
    )
    assert run.steps[0].returncode == 0, run.steps[0].stderr
    lint = run.step("lint")
    assert lint.returncode == 1, lint.stderr  # errors, fail-on: error

    found = annotations_of(run)
    by_kind = {k: [c for c in found if c.name == k] for k in ("error", "warning", "notice")}
    assert all(len(v) <= 10 for v in by_kind.values())
    assert len(by_kind["error"]) == 10
    # the lines the pull request touched come first
    lines = [int(c.props["line"]) for c in by_kind["error"]]
    first = list(itertools.takewhile(lambda n: n in pr.changed, lines))
    assert set(first) == pr.changed, lines
    assert not set(lines[len(first) :]) & pr.changed
    for c in found[:-1]:
        assert c.props["file"] == "reports/README.md"
        assert LOCATION.match(c.data), c.data
    assert "more diagnostics were not annotated" in by_kind["notice"][-1].data

    errors = int(run.outputs["errors"])
    total = errors + int(run.outputs["warnings"]) + int(run.outputs["infos"])
    assert errors > 10
    assert run.outputs["questions-total"] == "31"
    assert int(run.outputs["questions-passed"]) == 0

    summary = run.summary
    assert summary.startswith("## report-lint")
    assert "| Question | Words | Word limit | Images | Image limit | Status |" in summary
    assert summary.count("\n- ❌ ") == errors
    assert len(re.findall(r"^- ", summary, re.MULTILINE)) == total
    assert f"https://github.com/student/exam-project/blob/{pr.head}/reports/README.md?plain=1#L" in summary
    assert "*(changed in this pull request)*" in summary

    sarif = json.loads((pr.workspace / "out" / "report-lint.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == total


@needs_cli
def test_only_changed_lines(tmp_path: Path, action_path: Path, runner_temp: Path) -> None:
    pr = make_pull_request(tmp_path)
    run = run_action(action_path, pr.workspace, runner_temp, {"only-changed-lines": "true"}, github_env(pr))
    lint = run.step("lint")
    assert lint.returncode == 1, lint.stderr
    found = annotations_of(run)
    assert found and {int(c.props["line"]) for c in found} <= pr.changed
    assert "not shown (--only-changed-lines)" in lint.stdout
    # the summary still lists everything
    assert len(re.findall(r"^- ", run.summary, re.MULTILINE)) > len(found)


@needs_cli
def test_passing_report_on_push(tmp_path: Path, action_path: Path, runner_temp: Path) -> None:
    pr = make_pull_request(tmp_path, head_builder=passing_builder())
    run = run_action(action_path, pr.workspace, runner_temp, {}, github_env(pr, event_name="push"))
    assert not run.failed, run.step("lint").stderr
    assert annotations_of(run) == []
    assert run.outputs["errors"] == "0"
    assert run.outputs["questions-passed"] == run.outputs["questions-total"] == "31"
    assert "No problems found." in run.summary


@needs_cli
def test_repository_root_in_a_subdirectory(tmp_path: Path, action_path: Path, runner_temp: Path) -> None:
    pr = make_pull_request(tmp_path, subdir="examples/demo")
    run = run_action(
        action_path, pr.workspace, runner_temp, {"repository-root": "examples/demo"}, github_env(pr)
    )
    found = annotations_of(run)
    assert found[0].props["file"] == "examples/demo/reports/README.md"
    assert found[0].data.startswith("examples/demo/reports/README.md:")
    lines = [int(c.props["line"]) for c in found if c.name == "error"]
    assert set(itertools.takewhile(lambda n: n in pr.changed, lines)) == pr.changed
