"""No super-linear work on report text: each input that used to be quadratic is linted at N and 10N.

Through the real pipeline (``lint_file`` on a git repository in a temporary directory; the CLI adds only
its start-up).  Linear work takes about 10x as long at 10N, quadratic about 100x; the bound of 35x is
generous for a busy machine and still fails every one of these before its fix (each took from 25 s to
"never finishes" at 10N).  Each time is the best of three runs, so one slow moment does not count.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import ReportBuilder

from report_lint.diagnostic import Diagnostic
from report_lint.engine import LintOptions, Selection, lint_file

RATIO = 35.0
ONE_CHAR_PACK = """\
name: staff-one-char
description: a staff pack whose placeholder is one character
extends: dtu-mlops-31q-2026
placeholders:
  - {id: letter-q, pattern: 'q', message: "stray `{match}`"}
"""


def _repo(root: Path, text: str) -> Path:
    (root / "reports" / "figures").mkdir(parents=True)
    (root / "reports" / "README.md").write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def _best_of_three(run: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _lint(repo: Path, select: str, pack: str | None = None) -> list[Diagnostic]:
    options = LintOptions(pack=pack, selection=Selection(select=(select,)))
    return list(lint_file(repo / "reports" / "README.md", repo, "reports/README.md", options).diagnostics)


def _growth(tmp_path: Path, make: Callable[[int], str], n: int, select: str, pack: str | None = None) -> None:
    small = _repo(tmp_path / "small", make(n))
    large = _repo(tmp_path / "large", make(10 * n))
    found_small, found_large = _lint(small, select, pack), _lint(large, select, pack)  # warm, and check
    assert found_small is not None and found_large is not None
    t_small = _best_of_three(lambda: _lint(small, select, pack))
    t_large = _best_of_three(lambda: _lint(large, select, pack))
    assert t_large / t_small < RATIO, f"{t_small:.3f}s at N, {t_large:.3f}s at 10N"


def _answer(number: int, text: str) -> str:
    return ReportBuilder(fill_words=60, answers={number: text}).text()


def test_many_markers_on_one_line(tmp_path: Path) -> None:
    # overlap bookkeeping compared every match with every earlier one: TODO x 40k took 39 s
    _growth(tmp_path, lambda n: _answer(5, "TODO " * n), 2_000, "unfilled-placeholder")
    found = _lint(tmp_path / "large", "unfilled-placeholder")
    assert sum("`TODO`" in d.message for d in found if d.question == 5) == 20_000


def test_one_character_staff_placeholder_on_a_long_line(tmp_path: Path) -> None:
    pack = tmp_path / "staff.yaml"
    pack.write_text(ONE_CHAR_PACK, encoding="utf-8")
    _growth(tmp_path, lambda n: _answer(5, "q" * n), 3_000, "unfilled-placeholder", str(pack))
    found = _lint(tmp_path / "large", "unfilled-placeholder", str(pack))
    assert sum(d.message == "stray `q`" for d in found if d.question == 5) == 30_000


def test_long_word_in_the_study_numbers(tmp_path: Path) -> None:
    # the e-mail pattern retried `[\w.+-]+` from every start: 80k characters took 63 s
    _growth(tmp_path, lambda n: _answer(2, "s123456, " + "a" * n), 15_000, "group-info")
    _growth(tmp_path / "dots", lambda n: _answer(2, "s123456, " + "a." * n), 8_000, "group-info")


def test_long_run_of_spaces_in_a_question_heading(tmp_path: Path) -> None:
    # mistune's closing-# trim and our heading pattern rescanned the run from every space: 100k hung
    def make(n: int) -> str:
        return ReportBuilder(fill_words=60, heading_extra={5: "x" + " " * n + "y"}).text()

    _growth(tmp_path, make, 10_000, "template-structure")


def test_many_code_spans_holding_image_syntax_on_one_line(tmp_path: Path) -> None:
    # each checker-regex image is looked up among the line's code spans (a bisection, not a scan)
    _growth(tmp_path, lambda n: _answer(5, "`![x](figures/x.png)` " * n), 2_000, "RL")


def test_did_you_mean_in_a_large_folder(tmp_path: Path) -> None:
    # difflib over every file for every missing figure: 30 misses among 100k files took 54 s.  Here
    # both grow 10x together (work that multiplies them grows 100x)
    def repo(root: Path, files: int, misses: int) -> Path:
        answer = "\n\n".join(f"![plot](figures/training_plot_{i}.png)" for i in range(misses))
        _repo(root, _answer(5, answer))
        frames = root / "reports" / "figures" / "frames"
        frames.mkdir()
        for i in range(files):
            (frames / f"frame_{i:06d}.png").write_bytes(b"")
        return root

    small = repo(tmp_path / "small", 2_000, 3)
    large = repo(tmp_path / "large", 20_000, 30)
    found = _lint(large, "missing-figure")
    wrong = [d for d in found if "figures/training_plot_" in d.message]
    assert len(wrong) == 30 and all("did you mean figures/frames/frame_" in d.message for d in wrong)
    t_small = _best_of_three(lambda: _lint(small, "missing-figure"))
    t_large = _best_of_three(lambda: _lint(large, "missing-figure"))
    assert t_large / t_small < RATIO, f"{t_small:.3f}s at N, {t_large:.3f}s at 10N"


# found by the audit: each pattern split a run of blanks every way (or rescanned from every `<img`)
def test_long_run_of_blanks_before_a_question_s_marker(tmp_path: Path) -> None:
    def make(n: int) -> str:
        b = ReportBuilder(fill_words=60)
        return b.text().replace("### Question 5\n", "### Question 5\n\n" + " " * n + "x\n", 1)

    _growth(tmp_path, make, 20_000, "template-structure")


@pytest.mark.parametrize("line", ["- [{blanks}x", "[{blanks}x", "## Week{blanks}1 x"])
def test_long_run_of_blanks_in_the_checklist(tmp_path: Path, line: str) -> None:
    def make(n: int) -> str:
        text = ReportBuilder(fill_words=60).text()
        return text.replace("## Group information", line.format(blanks=" " * n) + "\n\n## Group information")

    _growth(tmp_path, make, 20_000, "checklist-unsupported")


@pytest.mark.parametrize("unit", ["<img ", '<img src="a', "<img src=a "])
def test_unclosed_img_tags_on_one_line(tmp_path: Path, unit: str) -> None:
    _growth(tmp_path, lambda n: _answer(5, "<div>\n" + unit * n + "\n</div>"), 4_000, "image-count")
