"""Each way a pack says where an answer starts and ends, through the real CLI: the words counted are the
answer's (never the prompt's, never what follows its end), and a limit stated in the heading is read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# (pack's structure lines, report): every answer below is exactly four words: "one two three four"
CASES = {
    "marker": (
        "  answer: {start: marker, marker: 'Answer:', marker_text: 'Answer:'}\n",
        "## Task 1\n\nA prompt of six words here.\n\nAnswer:\n\none two three four\n",
    ),
    "marker-tail": (
        "  answer: {start: marker, marker: 'Answer:', marker_text: 'Answer:'}\n",
        "## Task 1\n\nA prompt of six words here.\n\nAnswer: one two three four\n",
    ),
    "quote": (
        "  answer: {start: quote}\n",
        "## Task 1\n\n> A quoted prompt of seven words\n> on two lines.\n\none two three four\n",
    ),
    "heading": (
        "  answer: {start: heading}\n",
        "## Task 1\n\none two three four\n",
    ),
    "blocks": (
        "  answer: {start: blocks, prompt_blocks: 2}\n",
        "## Task 1\n\nA prompt of six words here.\n\nWord limit: 10\n\none two three four\n",
    ),
    "placeholder-left-above": (
        "  answer: {start: placeholder, prompt_blocks: 1}\n  placeholders: ['\\{\\{ANSWER\\}\\}']\n",
        "## Task 1\n\nA prompt of six words here.\n\none two three four\n\n{{ANSWER}}\n",
    ),
    "end-marker": (
        "  answer: {start: heading, end_marker: '^<!-- end -->'}\n",
        "## Task 1\n\none two three four\n\n<!-- end -->\n\nNotes after the end are not the answer.\n",
    ),
    "end-level": (
        "  answer: {start: heading, end_level: 2}\n",
        "## Task 1\n\none two three four\n\n## Appendix\n\nNot the answer either.\n",
    ),
    "deeper-heading-inside": (
        "  answer: {start: heading, end_level: 1}\n",
        "## Task 1\n\none\n\n### two\n\nthree four\n",
    ),
}


def _lint(tmp_path: Path, structure: str, report: str) -> dict[str, object]:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    (tmp_path / "report.md").write_text("# Report\n\n" + report, encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(
        "name: course\nquestion_count: 1\nstructure:\n"
        "  heading: {pattern: 'Task\\s*(?P<number>\\d+)', levels: [2], canonical: '## Task {number}'}\n"
        + structure
        + "  limits:\n    - {pattern: '(?i)max\\s*(?P<max>\\d+)\\s*words', where: heading}\n"
        "questions:\n  - {number: 1, words: [0, 10]}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "report_lint",
            "check",
            "--rules",
            "pack.yaml",
            "--format",
            "json",
            "report.md",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    (result,) = json.loads(done.stdout)["reports"]
    return dict(result)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_answer_is_what_the_layout_says(tmp_path: Path, case: str) -> None:
    structure, report = CASES[case]
    result = _lint(tmp_path, structure, report)
    (question,) = result["questions"]  # type: ignore[misc]
    assert question["words"] == 4, question
    # the placeholder left below a written answer is the one finding any case has
    want = [("unfilled-placeholder", 9)] if case == "placeholder-left-above" else []
    assert [(d["rule"], d["line"]) for d in result["diagnostics"]] == want  # type: ignore[index, union-attr]


def test_a_limit_stated_in_the_heading_is_compared(tmp_path: Path) -> None:
    structure = "  answer: {start: heading}\n"
    result = _lint(tmp_path, structure, "## Task 1 (max 12 words)\n\none two three four\n")
    (finding,) = result["diagnostics"]  # type: ignore[misc]
    assert finding["rule"] == "template-structure" and finding["line"] == 3 and finding["column"] == 12
    assert "0–12 words where the template says 0–10" in finding["message"]
