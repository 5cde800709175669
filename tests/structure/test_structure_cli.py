"""`structure:` and `init` at their edges, through the real CLI: bad input is one line and exit 2, a bad
structure pattern is located in the pack file, the template's example figures are found beside it, and
another course's layout is found in linear time."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tooling import GIT_ENV

from report_lint.engine import LintOptions, Selection, lint_file

RATIO = 35.0  # linear work is ~10x at 10N, quadratic ~100x (as tests/core/test_growth_report_text.py)


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "report_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, **GIT_ENV},
    )


def _git_init(root: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)
    return root


def _exercises(n: int, *, placeholder: str = "{{YOUR ANSWER}}") -> str:
    parts = ["# Sheet\n"]
    for i in range(1, n + 1):
        parts.append(f"**Exercise {i}**\n\nExplain part {i}. (5-50 words)\n\n{placeholder}\n")
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["init", "missing.md"], "missing.md: cannot read"),
        (["init", "plain.md"], "no numbered headings found"),
        (["init", "sheet.md", "-o", "taken.yaml"], "--output taken.yaml exists: pass --force"),
        (["init", "sheet.md", "--name", "Bad Name"], "--name 'Bad Name'"),
    ],
)
def test_init_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "plain.md").write_text("# Notes\n\nNo questions here.\n", encoding="utf-8")
    (tmp_path / "sheet.md").write_text(_exercises(2), encoding="utf-8")
    (tmp_path / "taken.yaml").write_text("keep me\n", encoding="utf-8")
    done = _cli(tmp_path, *args)
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and len(done.stderr.strip().split("\n")) == 1 and message in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "taken.yaml").read_text(encoding="utf-8") == "keep me\n"


def test_a_structure_pattern_without_its_number_group_is_located(tmp_path: Path) -> None:
    root = _git_init(tmp_path)
    (root / "report.md").write_text(_exercises(1), encoding="utf-8")
    (root / "pack.yaml").write_text(
        "name: sheet\nstructure:\n  heading:\n    pattern: 'Exercise\\s*\\d+'\n", encoding="utf-8"
    )
    done = _cli(root, "check", "--rules", "pack.yaml", "report.md")
    assert done.returncode == 2
    assert "pack.yaml:4:14: structure.heading.pattern:" in done.stderr and "named `number`" in done.stderr


def test_a_structure_pattern_that_is_not_re2_is_located(tmp_path: Path) -> None:
    root = _git_init(tmp_path)
    (root / "report.md").write_text(_exercises(1), encoding="utf-8")
    (root / "pack.yaml").write_text(
        "name: sheet\nstructure:\n  answer:\n    marker: '(?<!x)Answer:'\n", encoding="utf-8"
    )
    done = _cli(root, "check", "--rules", "pack.yaml", "report.md")
    assert done.returncode == 2
    assert "pack.yaml:4:13: structure.answer.marker:" in done.stderr and "RE2" in done.stderr


def _png(seed: bytes) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + seed * 13 + b"\x00" * 4


def test_init_records_the_example_figures_and_check_reports_one_left_in(tmp_path: Path) -> None:
    root = _git_init(tmp_path)
    (root / "figures").mkdir()
    example = _png(b"e")
    (root / "figures" / "example.png").write_bytes(example)
    (root / "template.md").write_text(
        _exercises(1) + "\nA plot such as ![example](figures/example.png) fits here.\n", encoding="utf-8"
    )
    done = _cli(root, "init", "template.md", "-o", "pack.yaml")
    assert done.returncode == 0, done.stderr
    assert "1 example figures" in done.stderr
    digest = hashlib.sha256(example).hexdigest()
    assert f'{{name: "figures/example.png", sha256: {digest}}}' in (root / "pack.yaml").read_text(
        encoding="utf-8"
    )
    (root / "figures" / "mine.png").write_bytes(example)  # the example, copied under the group's name
    (root / "filled.md").write_text(
        "# Sheet\n\n**Exercise 1**\n\nExplain part 1. (5-50 words)\n\nOur plot shows the loss falling "
        "every epoch.\n\n![loss](figures/mine.png)\n",
        encoding="utf-8",
    )
    done = _cli(root, "check", "--rules", "pack.yaml", "--format", "json", "filled.md")
    (report,) = json.loads(done.stdout)["reports"]
    assert [(d["rule"], d["line"]) for d in report["diagnostics"]] == [("template-figure", 9)]


def _best_of_three(run: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


@pytest.mark.parametrize("start", ["placeholder", "blocks"])
def test_another_courses_layout_is_found_in_linear_time(tmp_path: Path, start: str) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "name: sheet\ncount_mode: prose\nstructure:\n  heading: {pattern: 'Exercise\\s*(?P<number>\\d+)', "
        f"bold: true, levels: []}}\n  answer: {{start: {start}, prompt_blocks: 1, end_level: 6}}\n"
        "  placeholders: ['\\{\\{YOUR\\s+ANSWER\\}\\}']\n",
        encoding="utf-8",
    )

    def repo(name: str, n: int) -> Path:
        root = _git_init(tmp_path / name)
        (root / "report.md").write_text(_exercises(n), encoding="utf-8")
        return root

    small, large = repo("small", 150), repo("large", 1500)
    options = LintOptions(pack=str(pack), selection=Selection(select=("answer-length",)))

    def lint(root: Path) -> int:
        return len(lint_file(root / "report.md", root, "report.md", options).diagnostics)

    assert (lint(small), lint(large)) == (150, 1500)  # one unanswered finding per exercise
    t_small, t_large = _best_of_three(lambda: lint(small)), _best_of_three(lambda: lint(large))
    assert t_large / t_small < RATIO, f"{t_small:.3f}s at N, {t_large:.3f}s at 10N"


@pytest.mark.parametrize(("kind", "group"), [("", None), (", kind: group-number", "7")])
def test_only_a_group_number_question_gives_the_group(tmp_path: Path, kind: str, group: str | None) -> None:
    # another course's question 1 is just a question: its digits are no group number (batch groups by it)
    root = _git_init(tmp_path)
    (root / "report.md").write_text("## Task 1\n\nAnswer:\n\nGroup 7, we used 3 GPUs.\n", encoding="utf-8")
    (root / "pack.yaml").write_text(
        "name: course\nstructure:\n  heading: {pattern: 'Task\\s*(?P<number>\\d+)', canonical: '## Task {number}'}\n"
        f"  answer: {{start: marker, marker: 'Answer:', marker_text: 'Answer:'}}\nquestions:\n  - {{number: 1{kind}}}\n",
        encoding="utf-8",
    )
    done = _cli(
        root, "check", "--rules", "pack.yaml", "--format", "json", "--select", "answer-length", "report.md"
    )
    assert done.returncode == 0, done.stderr
    (report,) = json.loads(done.stdout)["reports"]
    assert report["group"] == group


def test_a_checklist_rule_takes_the_courses_own_tags(tmp_path: Path) -> None:
    """`modules: [W3]` in a course whose items end in `(W3)`: the pack validates (it was refused: only
    DTU's `M` tags were allowed) and the ticked item is checked against the repository by that rule."""
    shape = Path(__file__).parent / "shapes" / "checklist"
    repo = _git_init(tmp_path / "repo")
    init = _cli(repo, "init", str(shape / "template.md"), "-o", "pack.yaml")
    assert init.returncode == 0, init.stderr
    with (repo / "pack.yaml").open("a", encoding="utf-8") as pack:
        pack.write(
            "\nchecklist:\n  rules:\n    - id: unit-tests\n      title: unit tests\n      modules: [w3]\n"
            '      phrases: ["unit tests"]\n      evidence: {files: ["tests/test_*.py"], label: "a test file"}\n'
        )
    ticked = (shape / "filled.md").read_text(encoding="utf-8")
    assert "- [x] Add unit tests" in ticked
    (repo / "reports").mkdir()
    (repo / "reports" / "README.md").write_text(ticked, encoding="utf-8")
    line = ticked.splitlines().index(next(x for x in ticked.splitlines() if "Add unit tests" in x)) + 1
    run = _cli(repo, "check", "--rules", "pack.yaml", "--format", "json")
    assert run.returncode in (0, 1), run.stderr
    found = [
        d for d in json.loads(run.stdout)["reports"][0]["diagnostics"] if d["rule"] == "checklist-unsupported"
    ]
    assert [(d["line"], d["code"]) for d in found] == [(line, "RL501")]
    assert "'unit tests'" in found[0]["message"] and "no test file" in found[0]["message"]
    (repo / "tests").mkdir()
    (repo / "tests" / "test_loader.py").write_text("def test_x() -> None: ...\n", encoding="utf-8")
    again = _cli(repo, "check", "--rules", "pack.yaml", "--format", "json")
    assert not [
        d
        for d in json.loads(again.stdout)["reports"][0]["diagnostics"]
        if d["rule"] == "checklist-unsupported"
    ]
