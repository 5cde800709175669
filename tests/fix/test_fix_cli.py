"""``check --fix`` / ``--diff`` / ``--unsafe-fixes`` through the real CLI on real git repositories.

Each fix is checked as the whole file before -> after (so every other byte is checked too), with LF,
CRLF and a BOM; the report is the only file that ever changes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from builders import ReportBuilder, words
from fix_support import BOM, REPORT, report_bytes, run, student_repo, tree

PLACEHOLDER = "--- question 5 fill here ---"


def _builder(crlf: bool = False, **answers: str) -> ReportBuilder:
    return ReportBuilder(
        fill_words=120,
        crlf=crlf,
        answers={int(k[1:]): v for k, v in answers.items()},
        keep_placeholder={5},  # the placeholder stays above question 5's real answer
    )


# every fixable case at once, and what each one becomes (before, after) in the file's text
CASES = {
    "q7": (PLACEHOLDER.replace("5", "7"), None),  # an answer that is only the placeholder: kept
    "q19": ("[plot](figures/q19_1.png)", "![plot](figures/q19_1.png)"),
    "q20": ("![my plot](figures/my plot.png)", "![my plot](<figures/my plot.png>)"),
    "q21": ("![plot](figures/Q21_1.png)", "![plot](figures/q21_1.png)"),
}
FIGURES = ["figures/q19_1.png", "figures/my plot.png", "figures/q21_1.png", "figures/q14_1.png"]
FIGURES += ["figures/q29_1.png", "figures/architecture.png"]
NEAR_MISS = "![arch](figures/architecure.png)"  # q29: did you mean figures/architecture.png?


def _report(crlf: bool = False) -> ReportBuilder:
    answers = {k: v[0] for k, v in CASES.items()}
    answers["q29"] = words(250) + "\n\n" + NEAR_MISS
    return _builder(crlf, **answers)


def _expected(text: str, *, unsafe: bool = False, newline: str = "\n") -> str:
    """What --fix makes of the report's text: each case's edit, nothing else."""
    out = text.replace(PLACEHOLDER + newline + newline, "", 1)
    for before, after in CASES.values():
        if after is not None:
            assert out.count(before) == 1
            out = out.replace(before, after)
    if unsafe:
        out = out.replace(NEAR_MISS, "![arch](figures/architecture.png)")
    return out


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return student_repo(tmp_path / "student", report_bytes(_report()), FIGURES)


@pytest.mark.parametrize("variant", ["lf", "crlf", "bom", "crlf+bom"])
def test_fix_makes_each_safe_edit_and_keeps_every_other_byte(tmp_path: Path, variant: str) -> None:
    crlf, bom = "crlf" in variant, "bom" in variant
    builder = _report(crlf)
    before = report_bytes(builder, bom=bom)
    repo = student_repo(tmp_path / "student", before, FIGURES)
    checked = run(repo)
    assert "4 fixable with --fix · 1 more with --unsafe-fixes" in checked.stdout.splitlines()[-1]
    proc = run(repo, "--fix")
    assert proc.returncode == 1, proc.stderr  # the report still has errors (question 7 is unfilled)
    newline = "\r\n" if crlf else "\n"
    want = (BOM if bom else b"") + _expected(builder.text(), newline=newline).encode("utf-8")
    assert (repo / REPORT).read_bytes() == want
    # what --fix shows is what a check of the fixed file says, and the count it gives
    after = run(repo)
    shown = [line for line in after.stdout.splitlines() if line.startswith("reports/")]
    assert proc.stdout.splitlines()[:-1] == after.stdout.splitlines()
    assert proc.stdout.splitlines()[-1] == f"Fixed 4 problems, {len(shown)} remaining."
    assert len(shown) < len([line for line in checked.stdout.splitlines() if line.startswith("reports/")])
    assert "fill here" in proc.stdout  # question 7's placeholder is still reported, not deleted
    assert proc.stderr == ""


def test_fix_twice_is_fix_once(repo: Path) -> None:
    run(repo, "--fix")
    once = tree(repo)
    again = run(repo, "--fix")
    assert tree(repo) == once
    assert again.stdout.splitlines()[-1].startswith("Fixed 0 problems, ")
    assert "fixable" not in again.stdout.splitlines()[-2].replace("1 fixable with --unsafe-fixes", "")


def test_only_the_report_changes_and_keeps_its_mode(repo: Path) -> None:
    os.chmod(repo / REPORT, 0o640)
    before = tree(repo)
    run(repo, "--fix")
    after = tree(repo)
    assert set(after) == set(before)  # no temporary file left behind, nothing new
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {REPORT}
    assert stat.S_IMODE((repo / REPORT).stat().st_mode) == 0o640


def test_diff_prints_the_change_and_writes_nothing(repo: Path) -> None:
    before = tree(repo)
    proc = run(repo, "--diff")
    assert tree(repo) == before
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"--- a/{REPORT}\n+++ b/{REPORT}\n@@ ")
    assert f"-{PLACEHOLDER}\n" in proc.stdout
    assert "+![plot](figures/q19_1.png)\n" in proc.stdout and "-[plot](figures/q19_1.png)\n" in proc.stdout
    assert "figures/architecure.png" not in proc.stdout  # the unsafe fix is not in a safe diff
    assert proc.stderr == "Would fix 4 problems.\n"
    # the diff is exactly what --fix then writes
    text = (repo / REPORT).read_text(encoding="utf-8")
    run(repo, "--fix")
    assert (repo / REPORT).read_text(encoding="utf-8") == _expected(text)
    clean = run(repo, "--diff")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "Would fix 0 problems.\n")


def test_unsafe_fixes_only_with_unsafe_fixes(repo: Path) -> None:
    text = (repo / REPORT).read_text(encoding="utf-8")
    run(repo, "--fix")
    assert NEAR_MISS in (repo / REPORT).read_text(encoding="utf-8")
    diff = run(repo, "--diff", "--unsafe-fixes")
    assert "+![arch](figures/architecture.png)\n" in diff.stdout
    proc = run(repo, "--fix", "--unsafe-fixes")
    assert (repo / REPORT).read_text(encoding="utf-8") == _expected(text, unsafe=True)
    assert proc.stdout.splitlines()[-1].startswith("Fixed 1 problem, ")


def test_fixes_that_are_not_sure_are_not_offered(tmp_path: Path) -> None:
    """A link to a missing image gets no `!`; a path whose case matches two files is not guessed."""
    builder = _builder(q19="[plot](figures/gone.png)", q21="![plot](figures/Q21_1.png)")
    figures = ["figures/q21_1.png", "figures/Q21_1.PNG", "figures/q14_1.png", "figures/q20_1.png"]
    figures += ["figures/q29_1.png"]
    repo = student_repo(tmp_path / "student", report_bytes(builder), figures)
    text = (repo / REPORT).read_text(encoding="utf-8")
    run(repo, "--fix")
    after = (repo / REPORT).read_text(encoding="utf-8")
    assert after == text.replace(PLACEHOLDER + "\n\n", "", 1)  # only the placeholder line went


def test_fix_and_diff_exclude_each_other_and_unsafe_needs_one(repo: Path) -> None:
    for args in (["--fix", "--diff"], ["--unsafe-fixes"]):
        proc = run(repo, *args)
        assert proc.returncode == 2 and proc.stderr.startswith("report-lint: error: "), proc.stderr
        assert len(proc.stderr.splitlines()) == 1


def test_fix_with_json_keeps_stdout_json(repo: Path) -> None:
    import json

    proc = run(repo, "--fix", "--format", "json")
    data = json.loads(proc.stdout)
    assert all(
        "fix" not in d or d["fix"]["applicability"] == "unsafe" for d in data["reports"][0]["diagnostics"]
    )
    assert proc.stderr.startswith("Fixed 4 problems, ")


def test_a_run_of_placeholder_lines_goes_in_one_fix(tmp_path: Path) -> None:
    """Adjacent fixes do not overlap: 300 placeholder lines above an answer go in one pass, for good
    (were touching fixes left for the next pass, each pass would take every other line: more passes
    than --fix makes, and a second --fix would change the file again)."""
    lines = "\n".join(["--- question 6 fill here ---"] * 300)
    builder = _builder(q6=lines + "\n" + words(120, 6))
    repo = student_repo(tmp_path / "student", report_bytes(builder), FIGURES)
    text = (repo / REPORT).read_text(encoding="utf-8")
    run(repo, "--fix")
    fixed = (repo / REPORT).read_text(encoding="utf-8")
    assert "question 6 fill here" not in fixed and PLACEHOLDER not in fixed
    assert fixed == text.replace(PLACEHOLDER + "\n\n", "", 1).replace(lines + "\n", "", 1)
    again = run(repo, "--fix")
    assert (repo / REPORT).read_text(encoding="utf-8") == fixed
    assert again.stdout.splitlines()[-1].startswith("Fixed 0 problems")


def test_diff_shows_the_reports_control_characters_escaped(tmp_path: Path) -> None:
    builder = _builder(q5="We ship \x1b[31mred\x1b[0m models\u202e." + " " + words(110, 5))
    repo = student_repo(tmp_path / "student", report_bytes(builder), FIGURES)
    proc = run(repo, "--diff")
    assert proc.returncode == 1 and f"-{PLACEHOLDER}\n" in proc.stdout
    assert "\x1b" not in proc.stdout and "\u202e" not in proc.stdout
    assert " We ship \\x1b[31mred\\x1b[0m models<U+202E>." in proc.stdout  # a context line, shown safely


def test_a_case_fix_keeps_how_the_path_was_written(tmp_path: Path) -> None:
    answers = {
        "q19": "![plot](/reports/figures/Q19_1.png)",  # from the repository root
        "q20": "![plot](./figures/Q20_1.png)",
        "q21": "![plot](<figures/My Plot.png>)",
    }
    figures = ["figures/q19_1.png", "figures/q20_1.png", "figures/my plot.png", "figures/q14_1.png"]
    repo = student_repo(
        tmp_path / "student", report_bytes(_builder(**answers)), [*figures, "figures/q29_1.png"]
    )
    text = (repo / REPORT).read_text(encoding="utf-8")
    run(repo, "--fix")
    want = text.replace(PLACEHOLDER + "\n\n", "", 1)
    want = want.replace("/reports/figures/Q19_1.png", "/reports/figures/q19_1.png")
    want = want.replace("./figures/Q20_1.png", "./figures/q20_1.png")
    want = want.replace("<figures/My Plot.png>", "<figures/my plot.png>")
    assert (repo / REPORT).read_text(encoding="utf-8") == want


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"### Question 1\n\xff\xfe broken\n", "not valid UTF-8"),
        (b"\xff\xfe#\x00 \x00", "UTF-16"),
    ],
)
def test_a_report_that_cannot_be_read_is_one_error_line_and_untouched(
    tmp_path: Path, data: bytes, error: str
) -> None:
    repo = student_repo(tmp_path / "student", data, [])
    before = tree(repo)
    for flag in ("--fix", "--diff"):
        proc = run(repo, flag)
        assert proc.returncode == 2 and proc.stdout == "", proc.stdout
        assert proc.stderr.startswith("report-lint: error: reports/README.md") and error in proc.stderr
        assert len(proc.stderr.splitlines()) == 1
    assert tree(repo) == before


def test_only_selected_and_unsuppressed_problems_are_fixed(repo: Path) -> None:
    text = (repo / REPORT).read_text(encoding="utf-8")
    run(repo, "--fix", "--select", "RL202")  # the missing `!` and the raw space only
    selected = (repo / REPORT).read_text(encoding="utf-8")
    assert PLACEHOLDER in selected and "figures/Q21_1.png" in selected
    assert "![plot](figures/q19_1.png)" in selected and "<figures/my plot.png>" in selected
    # a suppressed diagnostic is no diagnostic: its fix is not applied either
    (repo / REPORT).write_text(
        text.replace(CASES["q21"][0], "<!-- report-lint: disable-next-line RL301 -->\n" + CASES["q21"][0]),
        encoding="utf-8",
    )
    run(repo, "--fix")
    assert CASES["q21"][0] in (repo / REPORT).read_text(encoding="utf-8")
