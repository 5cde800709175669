"""handin-render through the real CLI: one diagnostic per construct the hand-in shows differently, at the
construct's line; none for the near misses that render the same on both pages.

All constructs sit in one report (one question each), so a stray diagnostic in a near-miss question or a
second one for a construct fails the test.  Fixtures are ours.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import ReportBuilder

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24

# question -> (answer, [(text on the expected line, words the message must hold)]); [] is a near miss
CASES: dict[int, tuple[str, list[tuple[str, str]]]] = {
    3: (
        "We used these tools:\n- alpha tool\n- beta tool\n- gamma tool",
        [("- alpha tool", "3 items as one paragraph")],
    ),
    4: ("We used these tools:\n\n- alpha tool\n- beta tool", []),
    5: ("- outer one\n  - inner one\n  - inner two\n- outer two", [("  - inner one", "flattened")]),
    6: ("- outer one\n    - inner one\n    - inner two\n- outer two", []),
    7: ("Run it:\n\n```bash\npip install -e .\npytest -q\n```\n\nDone.", [("```bash", "fenced code block")]),
    8: ("Run it:\n\n    pip install -e .\n    pytest -q\n\nDone.", []),
    9: (
        "Setup:\n\n```bash\n# install the tools\npip install dvc\n\n# pull the data\ndvc pull\n```",
        [("```bash", "fenced")],
    ),
    10: (
        "| tool | use |\n|---|---|\n| dvc | data |\n| hydra | configs |",
        [("| tool | use |", "raw `|` text")],
    ),
    11: ("- [x] wrote the tests\n- [ ] deployed the model", [("- [x] wrote the tests", "2 task boxes")]),
    12: ("We first tried ~~pandas~~ polars for loading.", [("~~pandas~~", "with the tildes")]),
    13: (
        "Our dashboard is at https://example.org/board for everyone.",
        [("https://example.org/board", "plain text, not a link")],
    ),
    14: ("Our dashboard is at <https://example.org/board> for everyone.", []),
    15: ('The demo:\n\n<iframe src="https://example.org/demo"></iframe>', [("<iframe", "`<iframe>`")]),
    16: ("![loss curve](../figures/loss.png)", [("../figures/loss.png", "holds only the reports folder")]),
    17: ("![loss curve](figures/ok.png)", []),
    18: ("![loss curve](/figures/loss.png)", [("/figures/loss.png", "repository root on GitHub only")]),
    19: ("1) first step\n2) second step", [("1) first step", "not `1)`")]),
    20: ("#NotAHeading on GitHub", [("#NotAHeading", "as a heading")]),
    21: ("![build](figures/build history.png)", [("figures/build history.png", "cannot hold a space")]),
    22: ("We did it in steps:\n\n3. third step\n4. fourth step", [("3. third step", "start at 1, not 3")]),
    23: ("We first tried <del>pandas</del> polars for loading.", []),
    24: (
        "Plain prose with *emphasis*, `code`, a [link](https://example.org) and\na hard-wrapped second line.",
        [],
    ),
    25: ("1. first step\n2. second step\n\nAnd a closing remark.", []),
    26: (
        "Our image is on Docker Hub: (our image)[https://hub.docker.com/r/group/app] for anyone.",
        [("(our image)[https://", "write `[our image](https://hub.docker.com/r/group/app)`")],
    ),
    27: ("Our image is on Docker Hub: [our image](https://hub.docker.com/r/group/app) for anyone.", []),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportBuilder, list[dict[str, object]]]:
    repo = tmp_path_factory.mktemp("handin")
    builder = ReportBuilder(answers={n: answer for n, (answer, _) in CASES.items()}, fill_words=120)
    builder.write(repo, {"figures/ok.png": PNG})
    (repo / "figures").mkdir()
    (repo / "figures" / "loss.png").write_bytes(PNG)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "report_lint",
            "check",
            "--repo",
            str(repo),
            "--select",
            "handin-render,handin-cut",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    (report,) = json.loads(proc.stdout)["reports"]
    return builder, report["diagnostics"]


def _answer_lines(builder: ReportBuilder, number: int) -> range:
    start = builder.line_of(f"### Question {number}")
    nxt = f"### Question {number + 1}"
    end = builder.line_of(nxt) if any(nxt in line for line in builder.lines()) else len(builder.lines())
    return range(start, end)


@pytest.mark.parametrize("number", sorted(CASES))
def test_one_diagnostic_per_difference_at_its_line(
    run: tuple[ReportBuilder, list[dict[str, object]]], number: int
) -> None:
    builder, diagnostics = run
    lines = _answer_lines(builder, number)
    found = [d for d in diagnostics if d["line"] in lines]
    expected = CASES[number][1]
    assert len(found) == len(expected), found
    for diag, (needle, words) in zip(found, expected, strict=False):
        start = lines.start
        want = next(i for i in lines if needle in builder.lines()[i - 1] and i > start + 2)
        assert diag["line"] == want, (diag, want)
        assert diag["code"] == "RL601" and diag["rule"] == "handin-render"
        assert diag["severity"] == "warning"
        assert words in str(diag["message"]), diag["message"]


def test_nothing_outside_answers_and_no_cut(run: tuple[ReportBuilder, list[dict[str, object]]]) -> None:
    builder, diagnostics = run
    # the intro quotes a fenced block and the checklist is a task list: both are the template's
    first_question = builder.line_of("### Question 1")
    assert all(int(str(d["line"])) > first_question for d in diagnostics), diagnostics
    assert not [d for d in diagnostics if d["rule"] == "handin-cut"]


# what the template writes (intro, checklist, prompts) with every construct the rule reports in answers
_IN_TEMPLATE = (
    "We used these tools:\n- alpha tool\n  - nested under 2 spaces\n\n```bash\npip install -e .\n```\n\n"
    "| tool | use |\n|---|---|\n| dvc | data |\n\nSee https://example.org/board and ~~old~~ text.\n\n"
    '- [ ] a task box\n\n<iframe src="https://example.org/demo"></iframe>\n\n![x](../figures/loss.png)'
)


def test_constructs_in_the_intro_checklist_and_prompts_are_never_reported(tmp_path: Path) -> None:
    text = ReportBuilder(fill_words=120).text()
    intro = "# Exam template for 02476 Machine Learning Operations\n"
    checklist = "* [x] Create a git repository (M5)\n"
    prompt = "> **Tell us about part 5 of the project in your own words.**\n>\n"
    assert intro in text and checklist in text and prompt in text
    quoted = "\n".join("> " + line if line else ">" for line in _IN_TEMPLATE.split("\n"))
    text = text.replace(intro, intro + "\n" + _IN_TEMPLATE + "\n", 1)
    text = text.replace(checklist, checklist + "* [ ] Nested task\n  - under 2 spaces (M6)\n", 1)
    text = text.replace(prompt, prompt + quoted + "\n>\n", 1)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "README.md").write_text(text, encoding="utf-8")
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "loss.png").write_bytes(PNG)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "report_lint",
            "check",
            "--repo",
            str(tmp_path),
            "--select",
            "handin-render",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    (report,) = json.loads(proc.stdout)["reports"]
    assert report["diagnostics"] == []
    # the same constructs as an answer are reported: the test above would catch a rule that finds nothing
    answer = ReportBuilder(answers={5: _IN_TEMPLATE}, fill_words=120)
    answer.write(tmp_path / "answer")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "report_lint",
            "check",
            "--repo",
            str(tmp_path / "answer"),
            "--select",
            "handin-render",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    (report,) = json.loads(proc.stdout)["reports"]
    assert len(report["diagnostics"]) >= 6
