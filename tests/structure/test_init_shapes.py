"""`report-lint init` then `report-lint check`, through the real CLI, on five template shapes of our own.

Each shape (tests/structure/shapes/<shape>/) is a blank template and a filled-in copy with planted problems.
The pack init writes must load; the blank template must give exactly one unfilled-answer finding per
question (nothing on the intro or the prompts); the filled copy exactly its planted problems, each at its
line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tooling import GIT_ENV

SHAPES = Path(__file__).parent / "shapes"

# shape -> (questions as the headings number them, planted problems: (code, text on the line, words in
# the message)); "deleted" questions are reported where they should be (at the next heading or section end)
CASES: dict[str, tuple[list[str], list[tuple[str, str, str]]]] = {
    "tasks": (
        ["1", "2.1", "2.2"],
        [
            ("RL301", "![the pipeline](figures/pipeline.png)", "does not exist"),
            ("RL201", "We load every raw file", "limit 0–30: cut"),
            ("RL401", "", "question 2.2 is missing (expected after question 2.1): restore `## Task 2.2`"),
        ],
    ),
    "exercises": (
        ["1", "2", "3b"],
        [
            ("RL101", "{{YOUR ANSWER}}", "placeholder `{{YOUR ANSWER}}` is still here"),
            ("RL201", "When it is slow.", "answer has 4 words, limit 20–60: add 16"),
        ],
    ),
    "q-heading": (
        ["1", "2", "3", "4"],
        [
            ("RL201", "They use a public set", "limit 0–30: cut"),
            ("RL202", "Each phone trains", "this question needs 1"),
        ],
    ),
    "parts": (
        ["1.1", "1.2", "2.1", "2.2"],
        [
            ("RL201", "_Write your answer here_", "question 1.1 is not answered yet"),
            ("RL202", "Most images show cats", "this question needs 1–2"),
            ("RL401", "### 2.2 Training", "question 2.1 is missing (expected before question 2.2)"),
            ("RL201", "Two hours.", "answer has 2 words, limit 10–40: add 8"),
        ],
    ),
    "checklist": (
        ["1", "2", "3"],
        [
            ("RL101", "Anna Berg, Jonas Holm, <NAME>", "placeholder `<NAME>` is still here"),
            ("RL201", "A workflow runs the tests", "limit 20–50: cut"),
            ("RL301", "![test times](figures/test-times.png)", "does not exist"),
        ],
    ),
}


def _cli(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "report_lint", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _repo(tmp_path: Path, shape: str) -> Path:
    repo = tmp_path / shape
    shutil.copytree(SHAPES / shape, repo)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q"], ["add", "-A"], ["-c", "commit.gpgsign=false", "commit", "-qm", "template"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)
    return repo


def _result(repo: Path, report: str) -> dict[str, Any]:
    proc = _cli(repo, "check", "--rules", "pack.yaml", "--repo", ".", "--format", "json", report)
    assert proc.returncode in (0, 1), proc.stderr
    (result,) = json.loads(proc.stdout)["reports"]
    assert result["pack"]["name"] == repo.name
    return dict(result)


def _check(repo: Path, report: str) -> list[dict[str, Any]]:
    diagnostics: list[dict[str, Any]] = _result(repo, report)["diagnostics"]
    return diagnostics


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    (number,) = [i for i, line in enumerate(lines, start=1) if text in line]
    return number


@pytest.fixture(scope="module")
def inited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for shape in CASES:
        repo = _repo(tmp_path_factory.mktemp("shapes"), shape)
        proc = _cli(repo, "init", "template.md", "-o", "pack.yaml")
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.startswith("wrote pack.yaml: ")
        out[shape] = repo
    return out


@pytest.mark.parametrize("shape", sorted(CASES))
def test_init_writes_a_pack_that_loads(inited: dict[str, Path], shape: str) -> None:
    repo = inited[shape]
    numbers = CASES[shape][0]
    proc = _cli(repo, "rules", "pack.yaml")
    assert proc.returncode == 0, proc.stderr
    summary = _cli(repo, "init", "template.md").stderr
    assert summary.startswith(f"{len(numbers)} questions ("), summary
    # the pack is written beside nothing but -o; stdout without -o is the same pack
    assert _cli(repo, "init", "template.md").stdout == (repo / "pack.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("shape", sorted(CASES))
def test_blank_template_gives_one_unfilled_answer_per_question(inited: dict[str, Path], shape: str) -> None:
    repo = inited[shape]
    numbers = CASES[shape][0]
    result = _result(repo, "template.md")
    diagnostics = result["diagnostics"]
    assert [d["code"] for d in diagnostics] == ["RL201"] * len(numbers), diagnostics
    said = [d["message"].split(" is not answered yet")[0] for d in diagnostics]
    assert said == [f"question {n}" for n in numbers]
    # each in its own question's section (from its heading to the next): never on the intro or elsewhere
    # every consumer of the result (JSON, summary, editor hover) gets the numbers as the template writes them
    assert [q.get("label", str(q["number"])) for q in result["questions"]] == numbers
    headings = [q["line"] for q in result["questions"]]
    assert len(headings) == len(numbers) and all(headings)
    for d, start, stop in zip(diagnostics, headings, [*headings[1:], 10**6], strict=True):
        assert start <= d["line"] < stop, (d, start, stop)


@pytest.mark.parametrize("shape", sorted(CASES))
def test_filled_copy_gives_exactly_the_planted_problems(inited: dict[str, Path], shape: str) -> None:
    repo = inited[shape]
    filled = repo / "filled.md"
    diagnostics = _check(repo, "filled.md")
    got = sorted((d["code"], d["line"]) for d in diagnostics)
    want = []
    for code, text, message in CASES[shape][1]:
        line = _line_of(filled, text) if text else _section_end(filled)
        want.append((code, line))
        (hit,) = [d for d in diagnostics if (d["code"], d["line"]) == (code, line)]
        assert message in hit["message"], hit
    assert got == sorted(want), diagnostics


def _section_end(path: Path) -> int:
    """A question deleted at the end is reported at the last line of the question before it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    heading = max(
        i for i, line in enumerate(lines, start=1) if line.startswith("#") and not line.startswith("# ")
    )
    ends = [i for i, line in enumerate(lines, start=1) if i > heading and line.startswith("# ")]
    return (ends[0] - 1) if ends else len(lines)
