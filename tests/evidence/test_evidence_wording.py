"""What evidence messages say about what was searched, in words a student reads without our source.

Each case builds a real git repository and evaluates a built-in rule the way a hook run does: with
the report itself left out of the files that count.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from evidence_helpers import checklist_report, cli_lint

from report_lint.evidence.builtin import load_checklist
from report_lint.evidence.describe import describe
from report_lint.evidence.evaluate import EvidenceResult, evaluate
from report_lint.evidence.repo import RepoIndex

SPEC = load_checklist()
REPORT = "reports/README.md"


def _result(rule_id: str, root: Path, *, exclude: tuple[str, ...] = (REPORT,)) -> EvidenceResult:
    rule = SPEC.rule(rule_id)
    assert rule is not None and rule.evidence is not None
    return evaluate(rule.evidence, RepoIndex.open(root, exclude=exclude))


def test_a_repository_with_only_the_report_says_so(repo: Callable[..., Path]) -> None:
    root = repo({REPORT: "# report\n"})
    assert _result("docker-files", root).missing == (
        "no Dockerfile or *.dockerfile — the repository has no tracked files besides the report"
    )  # was "… among 0 tracked files"


def test_a_repository_with_one_other_file_names_it(repo: Callable[..., Path]) -> None:
    root = repo({REPORT: "# report\n", "README.md": "# project\n"})
    assert _result("docker-files", root).missing == (
        "no Dockerfile or *.dockerfile — the repository's only tracked file besides the report is README.md"
    )  # was "… among 1 tracked file"


def test_without_a_report_left_out_nothing_is_said_about_one(repo: Callable[..., Path]) -> None:
    root = repo({"README.md": "# project\n"})
    assert _result("docker-files", root, exclude=()).missing == (
        "no Dockerfile or *.dockerfile — the repository's only tracked file is README.md"
    )
    empty = repo({})
    assert _result("docker-files", empty, exclude=()).missing == (
        "no Dockerfile or *.dockerfile — the repository has no tracked files"
    )


def test_outside_git_the_files_are_not_called_tracked(repo: Callable[..., Path]) -> None:
    root = repo({REPORT: "# report\n"}, use_git=False)
    assert _result("docker-files", root).missing == (
        "no Dockerfile or *.dockerfile — the repository has no files besides the report"
    )


def test_the_usual_case_is_unchanged(repo: Callable[..., Path]) -> None:
    root = repo({REPORT: "# report\n", "README.md": "", "src/a.py": ""})
    assert _result("docker-files", root).missing == "no Dockerfile or *.dockerfile among 2 tracked files"


def test_none_of_the_needed_parts(repo: Callable[..., Path]) -> None:
    root = repo({REPORT: "# report\n", "README.md": "", "setup.cfg": ""})
    assert _result("cookiecutter", root).missing == (
        "none of the 4 needed parts of the cookiecutter layout (src/, tests/, models/, docs/, configs/ …) "
        "among 2 tracked files"
    )  # was "only 0 of the 4 needed parts …"


def test_some_of_the_needed_parts_name_what_was_found_after_where(repo: Callable[..., Path]) -> None:
    root = repo({REPORT: "# report\n", "README.md": "", "tests/test_a.py": "", "docs/index.md": ""})
    missing = _result("cookiecutter", root).missing
    assert missing == (
        "only 2 of the 4 needed parts of the cookiecutter layout (src/, tests/, models/, docs/, configs/ …) "
        "among 3 tracked files (found tests/, docs/)"
    )  # was "… configs/ …) (found tests/, docs/) among 3 tracked files": two parentheses side by side


def test_no_files_to_search_is_a_clause_not_a_second_parenthesis(repo: Callable[..., Path]) -> None:
    root = repo({REPORT: "# report\n", "README.md": "", "setup.cfg": ""})
    assert _result("logging", root).missing == (
        "no logging, loguru or structlog — there are no Python files and notebooks among 2 tracked files"
    )  # was "… structlog (no Python files and notebooks among 2 tracked files)"
    model = _result("model-training", root).missing
    assert ") (" not in model, model  # was "no model definition (layers, …) (no *model*.py … files …)"


def test_one_searched_file_is_singular(repo: Callable[..., Path]) -> None:
    root = repo({REPORT: "# report\n", "README.md": "", "src/a.py": "x = 1\n"})
    assert _result("logging", root).missing == "no logging, loguru or structlog in 1 Python file or notebook"
    # was "in 1 Python files and notebooks"


def test_a_hook_run_on_a_report_only_repository(repo: Callable[..., Path]) -> None:
    root = repo({REPORT: checklist_report(["Construct one or multiple docker files for your code (M10)"])})
    [message] = cli_lint(root).messages()
    assert message == (
        "checked, but the repository shows no sign of 'Docker files': no Dockerfile or *.dockerfile — "
        "the repository has no tracked files besides the report; commit what shows it or uncheck the item"
    )


def test_no_workflow_files_and_no_dependency_files_are_clauses(repo: Callable[..., Path]) -> None:
    root = repo({REPORT: "# report\n", "README.md": "", "src/a.py": ""})
    assert _result("workflow-registry-trigger", root).missing == (
        "no workflow triggered by repository_dispatch (a model-registry webhook) — there are no workflow "
        "files in .github/workflows/"
    )  # was "… webhook) (no workflow files in .github/workflows/)"
    assert _result("requirements", root).missing == (
        "no declared dependencies — there is no requirements*.txt, pyproject.toml, lock file, Pipfile, "
        "conda environment file or setup.cfg"
    )  # was "no declared dependencies (no requirements*.txt, …)"


def _nested(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
            if depth > 1:
                return True
        elif ch == ")":
            depth = max(0, depth - 1)
    return False


@pytest.mark.parametrize("rule", [r for r in SPEC.rules if r.evidence is not None], ids=lambda r: r.id)
def test_what_counts_has_no_parenthesis_inside_a_parenthesis(rule: object) -> None:
    # the JSON's looked_for and docs/evidence-rules.md; a pattern in backticks may hold its own
    text = describe(rule.evidence)  # type: ignore[attr-defined]
    assert not _nested(re.sub(r"`[^`]*`", "``", text)), text


def test_an_alternative_inside_all_reads_either_or() -> None:
    rule = SPEC.rule("docker-build")
    assert rule is not None and rule.evidence is not None
    assert describe(rule.evidence) == (
        "Dockerfile or *.dockerfile and either a docker build command (tasks.py, Makefile, README, "
        "workflow …) or a file `docker-compose*.y*ml` or `compose*.y*ml`"
    )  # was "… and (a docker build command (tasks.py, …) or a file …)"


def test_a_three_way_alternative_inside_all() -> None:
    rule = SPEC.rule("ci-caching-matrix")
    assert rule is not None and rule.evidence is not None
    assert describe(rule.evidence).startswith("either a workflow with a step using `\\bactions/cache\\b`, ")
    assert describe(rule.evidence).endswith(
        "or a workflow with a step with `enable-cache:`, and a workflow matrix over os, python-version or "
        "torch version"
    )  # was "(one of: …; …; …) and a workflow matrix …"


def test_a_near_empty_repository_is_described_once_per_message(repo: Callable[..., Path]) -> None:
    root = repo({REPORT: "# report\n"})
    assert _result("docker-build", root).missing == (
        "no Dockerfile or *.dockerfile; no docker build command or compose file — the repository has no "
        "tracked files besides the report"
    )  # was "… — the repository has … report; no docker build command … — the repository has … report"
    one = repo({REPORT: "# report\n", "README.md": ""})
    assert _result("typing-docs", one).missing == (
        "no function return type annotations (`-> T`); no docstrings — the repository's only tracked file "
        "besides the report is README.md"
    )
    # different reasons are each kept
    ci = _result("ci-caching-matrix", root).missing
    assert ci.endswith("— there are no workflow files in .github/workflows/"), ci
    assert "caching in a workflow (actions/cache or a setup action's `cache:`) — the repository" in ci
