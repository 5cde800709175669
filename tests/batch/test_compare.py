"""``batch --compare OLD/results.json``: movement per group and for the class, through the real CLI on
two hand-ins of a generated class; a bad OLD file is one line and exit 2; the dashboard shows it all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from report_lint.batch.compare import OldRow, match
from report_lint.batch.rows import RepoRow

from .browser import Browser, require_chromium
from .classroom import make_class
from .conftest import Run, run_batch

OLD_DATE = "2026-01-20T10:00:00+01:00"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Run, dict[str, str]]:
    from .classroom import improve

    root = tmp_path_factory.mktemp("compare")
    paths = make_class(root)
    first = run_batch(root, "first", "class", "--jobs", "2")
    data = json.loads((first.out / "results.json").read_text(encoding="utf-8"))
    data["batch"]["generated"] = OLD_DATE  # as if it ran on that day
    (first.out / "results.json").write_text(json.dumps(data), encoding="utf-8")
    improve(root, paths)
    second = run_batch(root, "second", "class", "--jobs", "2", "--compare", "first/results.json")
    return first, second, paths


def _row(run: Run, path: str) -> dict[str, Any]:
    return dict(run.rows[path])


def test_each_group_moves_as_it_changed(runs: tuple[Run, Run, dict[str, str]]) -> None:
    first, second, paths = runs
    fixed = _row(second, paths["failing"])["movement"]
    before = _row(first, paths["failing"])
    assert fixed["status"] == "improved"
    assert fixed["errors_before"] == before["errors"] > 0
    assert fixed["errors_change"] == -before["errors"]
    assert fixed["newly_passing"] == [5, 6] and fixed["newly_failing"] == []
    broke = _row(second, paths["clean"])["movement"]
    assert broke["status"] == "worse" and broke["errors_change"] > 0 and broke["newly_failing"] == [9]
    renamed = _row(second, paths["old_template"])["movement"]  # its folder was renamed: matched by number
    assert renamed["status"] == "unchanged" and renamed["matched_by"] == "group"
    assert renamed["old_path"] == "class/group_03/old"
    # group 4 was claimed twice in the first run: its number matches nothing, its path does
    assert _row(second, paths["dup_a"])["movement"]["matched_by"] == "path"
    assert _row(second, paths["late"])["movement"]["status"] == "new"
    assert _row(second, paths["broken"])["movement"]["status"] == "still not linted"
    compare = second.json["batch"]["compare"]
    assert compare["gone"] == [{"path": "class/group_04b/second", "group": 4}]
    assert compare["since"] == "2026-01-20"
    assert compare["summary"] == "1 group improved since 2026-01-20, 1 worse, 1 new, 1 gone"
    # without --compare nothing claims a movement
    assert all(r["movement"] is None for r in first.json["repositories"])


def test_the_csv_carries_the_movement(runs: tuple[Run, Run, dict[str, str]]) -> None:
    first, second, paths = runs
    rows = {r["path"]: r for r in second.csv}
    fixed = rows[paths["failing"]]
    assert fixed["movement"] == "improved"
    assert int(fixed["errors_change"]) == -int(first.rows[paths["failing"]]["errors"])
    assert fixed["newly_passing"] == "5 6" and fixed["newly_failing"] == ""
    assert rows[paths["clean"]]["newly_failing"] == "9"
    assert rows[paths["late"]]["movement"] == "new" and rows[paths["late"]]["errors_change"] == ""
    assert all(r["movement"] == "" and r["errors_change"] == "" for r in first.csv)


def test_the_dashboard_shows_badges_and_the_class_line(runs: tuple[Run, Run, dict[str, str]]) -> None:
    require_chromium()
    _, second, paths = runs
    ids = {r["path"]: i for i, r in enumerate(second.json["repositories"])}
    js = """[...document.querySelectorAll('#groups tbody tr')].map(tr => {
      const keys = [...document.querySelectorAll('#groups thead th')].map(th => th.dataset.key);
      const badge = tr.children[keys.indexOf('movement')].querySelector('.move');
      return [Number(tr.dataset.repo), badge.className, badge.textContent];
    })"""
    with Browser() as page:
        page.open((second.out / "dashboard.html").as_uri())
        line = page.eval("document.getElementById('compare').textContent")
        head = page.eval("[...document.querySelectorAll('#groups thead th')].map(th => th.textContent)")
        badges = {index: (cls, text) for index, cls, text in page.eval(js)}
        gone = page.eval("document.getElementById('gone').textContent")
        page.open("about:blank")
        page.open((second.out / "dashboard.html").as_uri() + f"#repo={ids[paths['failing']]}")
        detail = page.eval("document.querySelector('#detail .moved').textContent")
    errors = second.json["batch"]["compare"]
    assert line == f"{errors['summary']} (compared with first/results.json)"
    assert "Since 2026-01-20" in head
    before = _row(runs[0], paths["failing"])["errors"]
    assert badges[ids[paths["failing"]]] == (
        "move move-improved",
        f"errors \u2212{before} \u00b7 Q5 Q6 now pass",
    )
    cls, text = badges[ids[paths["clean"]]]
    assert cls == "move move-worse" and text.startswith("errors +") and text.endswith("Q9 now fail")
    assert badges[ids[paths["late"]]] == ("move move-new", "new")
    assert badges[ids[paths["dup_a"]]] == ("move move-unchanged", "errors 0")
    assert gone == "Gone since 2026-01-20: group 4 · class/group_04b/second"
    assert detail == f"Since 2026-01-20: errors \u2212{before} \u00b7 Q5 Q6 now pass"


def _batch(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "report_lint", "batch", "--no-progress", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "cannot read it"),
        (b"\xff\xfe not json", "not JSON"),
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not a results.json"),
        (
            b'{"version": 2, "batch": {}, "repositories": []}',
            "results version 2; this report-lint reads version 1",
        ),
        (b'{"batch": {}, "repositories": []}', "results version None"),
        (b'{"version": 1, "batch": {}, "repositories": {}}', "repositories is not a list"),
        (b'{"version": 1, "batch": {}, "repositories": [{"nopath": 1}]}', "repositories[0] is not"),
        (b'{"version": 1, "batch": {}, "repositories": [{"path": "x"}]}', "no questions list"),
        (
            b'{"version": 1, "batch": {}, "repositories": [{"path": "x", "questions": [{"number": "1"}]}]}',
            "a question without a number",
        ),
        (b"[" * 100_000, "not JSON"),
    ],
)
def test_a_bad_old_file_is_one_line_and_exit_2(tmp_path: Path, content: bytes | None, says: str) -> None:
    repo = tmp_path / "class"
    repo.mkdir()
    old = tmp_path / "old.json"
    if content is not None:
        old.write_bytes(content)
    done = _batch(tmp_path, "class", "--out", "out", "--compare", "old.json")
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("report-lint: error: --compare old.json: ") and says in done.stderr
    assert not (tmp_path / "out").exists()  # refused before anything ran or was written


def test_untrusted_old_paths_stay_text(tmp_path: Path) -> None:
    """A path in the old file is data: shown as text in the "gone" line, never markup, never a crash
    (a lone surrogate in its JSON cannot be written as UTF-8)."""
    require_chromium()
    paths = make_class(tmp_path)
    old = {
        "version": 1,
        "batch": {"generated": OLD_DATE},
        "repositories": [
            {"path": '<img src=x onerror="document.title=1">\ud800', "group": 99, "questions": []}
        ],
    }
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    run = run_batch(tmp_path, "out", "class", "--compare", "old.json")
    assert run.json["batch"]["compare"]["gone"][0]["path"].endswith("\\ud800")
    with Browser() as page:
        page.open((run.out / "dashboard.html").as_uri())
        assert page.eval("document.querySelectorAll('img').length") == 0
        assert '<img src=x onerror="document.title=1">' in page.eval(
            "document.getElementById('gone').textContent"
        )
    assert len(paths) == len(run.json["repositories"])


def test_matching_prefers_a_unique_group_number_then_the_path() -> None:
    def make(path: str, group: int | None) -> OldRow:
        return OldRow(path=path, group=group, error="", errors=0, passing=frozenset(), failing=frozenset())

    rows = [
        RepoRow(path="a", group=1),
        RepoRow(path="b", group=2),
        RepoRow(path="c", group=2),
        RepoRow(path="d"),
    ]
    old = [make("x", 1), make("b", 2), make("c", 3), make("d", None), make("e", 5)]
    matched, gone = match(rows, old)
    assert {i: (o.path, how) for i, (o, how) in matched.items()} == {
        0: ("x", "group"),
        1: ("b", "path"),  # group 2 is claimed twice in this run: by path
        2: ("c", "path"),
        3: ("d", "path"),
    }
    assert [o.path for o in gone] == ["e"]


def test_compare_with_the_file_this_run_overwrites(tmp_path: Path) -> None:
    """``--out out --compare out/results.json``: the old file is read before the run writes the new one;
    the command prints the class-wide line after its summary."""
    make_class(tmp_path)
    first = _batch(tmp_path, "class", "--out", "out")
    assert first.returncode == 1, first.stderr  # the class has one repository that cannot be linted
    again = _batch(tmp_path, "class", "--out", "out", "--compare", "out/results.json")
    assert again.returncode == 1, again.stderr
    data = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    compare = data["batch"]["compare"]
    assert compare["statuses"] == {"still not linted": 1, "unchanged": 8}
    assert compare["gone"] == [] and compare["improved"] == 0
    assert (
        again.stdout.splitlines()[-1] == compare["summary"] == f"0 groups improved since {compare['since']}"
    )
