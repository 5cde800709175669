"""The dashboard rendered by headless Chromium: the DOM matches the CSV, planted markup never runs."""

from __future__ import annotations

import re
from pathlib import Path

from builders import ReportBuilder
from tooling import run_chromium

from .conftest import Run, run_batch
from .repos import BEFORE, Expect, commit, new_repo, write_report

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts"


def chromium(*args: str) -> str:
    return run_chromium(*args)


def _table(dom: str, table_id: str) -> str:
    match = re.search(rf'<table id="{table_id}"[^>]*>(.*?)</table>', dom, re.S)
    assert match, table_id
    return match.group(1)


def _total(dom: str, key: str) -> str:
    match = re.search(rf'id="total-{key}"><b>([^<]*)</b>', dom)
    assert match, key
    return match.group(1)


def test_dashboard_renders_the_csv_numbers(worktree_run: Run) -> None:
    page = (worktree_run.out / "dashboard.html").as_uri()
    dom = chromium("--dump-dom", page)
    assert 'data-ready="1"' in dom  # the script ran to the end
    csv_rows = worktree_run.csv
    linted = [r for r in csv_rows if not r["error"]]
    assert len(re.findall(r"<tr [^>]*data-repo=", _table(dom, "groups"))) == len(csv_rows)
    assert len(re.findall(r"<tr [^>]*data-repo=", _table(dom, "heatmap"))) == len(csv_rows)
    assert _total(dom, "repositories") == str(len(csv_rows))
    assert _total(dom, "failed") == str(len(csv_rows) - len(linted))
    for key in (
        "errors",
        "warnings",
        "infos",
        "unsupported_claims",
        "unfilled_placeholders",
        "missing_figures",
    ):
        assert _total(dom, key) == str(sum(int(r[key]) for r in linted)), key
    passed = sum(int(r["questions_passed"]) for r in linted)
    assert _total(dom, "questions") == f"{passed}/{sum(int(r['questions_total']) for r in linted)}"
    heat = _table(dom, "heatmap")
    assert heat.count('class="cell fail"') == sum(
        q["state"] == "fail" for r in worktree_run.json["repositories"] for q in r["questions"]
    )
    assert "git-repository" in _table(dom, "checklist")  # the checklist view has the verdicts
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "dashboard.png"
    chromium("--window-size=1400,2400", f"--screenshot={shot}", page)
    assert shot.stat().st_size > 10_000


def test_planted_markup_is_text_and_never_runs(
    worktree_run: Run, fixture_root: tuple[Path, dict[str, Expect]]
) -> None:
    paths = [r["path"] for r in worktree_run.json["repositories"]]
    planted = paths.index(fixture_root[1]["xss"].path)
    dom = chromium("--dump-dom", (worktree_run.out / "dashboard.html").as_uri() + f"#repo={planted}")
    assert 'data-ready="1"' in dom
    assert "<title>report-lint batch dashboard</title>" in dom  # the planted script did not set it
    assert "data-pwned" not in re.sub(r"&[^;]+;|'data-pwned'", "", dom.split('id="data"')[0])
    assert "<img" not in dom.split('id="data"')[0]  # no element was made from report text
    detail = re.search(r'<section id="detail">(.*?)</section>', dom, re.S)
    assert detail, "the group's detail did not open from the URL"
    assert 'document.title="pwned"' in detail.group(1).replace("&quot;", '"')
    assert "&lt;/script&gt;&lt;script&gt;" in detail.group(1)
    assert re.search(r'<td class="num">\d+:\d+</td>', detail.group(1))  # line:column of each diagnostic


def test_markers_in_data_and_unknown_counts_render(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "clones" / "group_05" / "{{SCRIPT}}")
    write_report(
        repo, ReportBuilder(fill_words=120, answers={1: "5", 4: "{{SCRIPT}} {{DATA}} {{CSS}}"}).text()
    )
    commit(repo, "markers", BEFORE)
    broken = new_repo(tmp_path / "clones" / "group_06" / "{{DATA}}")
    (broken / "README.md").write_text("no report\n", encoding="utf-8")
    commit(broken, "init", BEFORE)
    run = run_batch(tmp_path, "out", "clones", "--jobs", "1")
    dom = chromium("--dump-dom", (run.out / "dashboard.html").as_uri())
    assert 'data-ready="1"' in dom  # the script ran: the page is not blank
    groups = _table(dom, "groups")
    assert len(re.findall(r"<tr [^>]*data-repo=", groups)) == 2
    assert "{{SCRIPT}}" in groups and "{{DATA}}" in groups
    # the broken row's counts are unknown, not 0: the seven counts and its hand-in differences
    assert groups.count(">unknown</td>") == 8
