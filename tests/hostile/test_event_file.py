"""A hostile or broken ``--changed-lines-from`` event file (the JSON GitHub hands the action) is one
line naming that file and exit 2 -- never a traceback, never blamed on the report."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import ReportBuilder

from .conftest import git, run_cli

DEPTH = 1000


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        (
            "deep-pull-request",
            '{"pull_request": ' + '{"a": ' * DEPTH + "1" + "}" * DEPTH + "}",
            "nested too deeply",
        ),
        ("deep-array", '{"x": ' + "[" * DEPTH + "]" * DEPTH + "}", "nested too deeply"),
        ("huge-number", '{"number": ' + "9" * 5000 + "}", "not a usable event"),
        ("truncated", '{"pull_request": {"base": {"sha": "abc', "not a JSON event"),
        ("bom-then-garbage", '\ufeff{"pull_request": ', "not a JSON event"),
    ],
)
def test_bad_event_file_is_named(
    repo: Path, write_report: Callable[[str], Path], tmp_path: Path, name: str, content: str, why: str
) -> None:
    write_report(ReportBuilder(fill_words=120, answers={1: "17"}).text())
    event = tmp_path / f"{name}.json"
    event.write_text(content, encoding="utf-8")
    line = run_cli(["check", "--changed-lines-from", str(event)], repo).error_line()
    assert str(event) in line, line
    assert why in line, line
    assert "report" not in line.removeprefix("report-lint: error: ").replace(str(event), ""), line


def test_bom_event_is_read_as_json(repo: Path, write_report: Callable[[str], Path], tmp_path: Path) -> None:
    """A byte-order mark before the JSON is still an event (not a diff that changes nothing)."""
    write_report(ReportBuilder(fill_words=120, answers={1: "17", 25: "TBD"}).text())
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    head = ReportBuilder(fill_words=120, answers={1: "17", 25: "TBD", 26: "TODO"})
    write_report(head.text())
    event = tmp_path / "event.json"
    event.write_text('\ufeff{"pull_request": {"base": {"sha": "' + base + '"}}}', encoding="utf-8")
    run = run_cli(
        ["check", "--format", "github", "--only-changed-lines", "--changed-lines-from", str(event)], repo
    )
    out = run.diagnostics()
    # only the edited answer of question 26 is annotated; question 25's placeholder is not
    annotated = {int(n) for n in re.findall(r"^::(?:error|warning|notice) [^:]*\bline=(\d+)", out, re.M)}
    answer_26 = next(n for n, line in enumerate(head.lines(), start=1) if line.strip() == "TODO")
    assert annotated == {answer_26}, out
    assert "not shown (--only-changed-lines)" in out, out
