"""report-lint batch over the generated fixture: every outcome, --at, CSV == JSON, the work tree untouched."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from report_lint.batch.rows import CSV_FIELDS, RULE_COLUMNS

from .conftest import Run, run_batch
from .repos import DEADLINE, Expect


def _row(run: Run, expect: Expect) -> dict[str, Any]:
    row: dict[str, Any] = run.rows[expect.path]
    return row


def test_every_repository_is_one_row_sorted_by_path(
    worktree_run: Run, fixture_root: tuple[Path, dict[str, Expect]]
) -> None:
    expected = sorted(e.path for e in fixture_root[1].values())
    assert [r["path"] for r in worktree_run.json["repositories"]] == expected
    assert [r["path"] for r in worktree_run.csv] == expected
    assert worktree_run.code == 1  # some repositories could not be linted
    for name in ("results.csv", "results.json", "dashboard.html"):
        assert (worktree_run.out / name).is_file()


@pytest.mark.parametrize("key", ["missing", "bad_utf8", "unreadable"])
def test_broken_repositories_become_one_line_error_rows(
    worktree_run: Run, fixture_root: tuple[Path, dict[str, Expect]], key: str
) -> None:
    expect = fixture_root[1][key]
    row = _row(worktree_run, expect)
    assert expect.error and expect.error in str(row["error"])
    assert "\n" not in str(row["error"])
    assert row["result"] is None


def test_outcomes_of_the_lintable_repositories(
    worktree_run: Run, fixture_root: tuple[Path, dict[str, Expect]]
) -> None:
    fx = fixture_root[1]
    clean = _row(worktree_run, fx["clean"])
    assert (clean["errors"], clean["questions_passed"], clean["questions_total"], clean["error"]) == (
        0,
        31,
        31,
        "",
    )
    assert clean["group"] == 1 and clean["mode"] == "worktree" and clean["template"] == "dtu-mlops-31q-2026"
    failing = _row(worktree_run, fx["failing"])
    assert failing["errors"] > 0 and failing["missing_figures"] == 1
    assert failing["rules"]["missing-figure"] == 1 and failing["rules"]["answer-length"] >= 1
    unfilled = _row(worktree_run, fx["unfilled"])
    assert unfilled["unfilled_placeholders"] >= 29
    assert sum(q["state"] == "unfilled" for q in unfilled["questions"]) >= 29
    bare = _row(worktree_run, fx["bare"])
    assert bare["mode"] == "commit" and bare["commit"] == fx["bare"].commit_at
    assert (bare["errors"], bare["questions_passed"]) == (0, 31)  # figures read from the commit
    # the work tree is linted as it is now, whatever is committed: HEAD of the checked-out branch
    assert _row(worktree_run, fx["late"])["unfilled_placeholders"] > 0
    assert clean["folder_group"] == 1


def test_work_tree_result_equals_check(
    worktree_run: Run, fixture_root: tuple[Path, dict[str, Expect]]
) -> None:
    import json

    from report_lint.cli import main

    root, fx = fixture_root
    repo = root / fx["failing"].path
    out = root / "check.json"
    assert (
        main(
            [
                "check",
                "--repo",
                str(repo),
                str(repo / "reports/README.md"),
                "--format",
                "json",
                "--output",
                str(out),
            ]
        )
        == 1
    )
    assert _row(worktree_run, fx["failing"])["result"] == json.loads(out.read_text(encoding="utf-8"))


def test_csv_numbers_equal_json(worktree_run: Run, deadline_run: Run) -> None:
    for run in (worktree_run, deadline_run):
        assert list(run.csv[0]) == list(CSV_FIELDS)
        for line in run.csv:
            row = run.rows[line["path"]]
            for key in (
                "questions_passed",
                "questions_total",
                "errors",
                "warnings",
                "infos",
                "unsupported_claims",
                "unfilled_placeholders",
                "missing_figures",
            ):
                if row["error"]:  # could not be linted: unknown, not 0
                    assert (line[key], row[key]) == ("", None), (line["path"], key)
                else:
                    assert int(line[key]) == row[key], (line["path"], key)
            for rule in RULE_COLUMNS:
                if row["error"]:
                    assert line[f"rule:{rule}"] == "" and row["rules"] is None
                else:
                    assert int(line[f"rule:{rule}"]) == row["rules"].get(rule, 0)
            assert line["commit"] == row["commit"] and line["error"] == row["error"]
            assert line["group"] == ("" if row["group"] is None else str(row["group"]))
            if row["result"]:
                diags = row["result"]["reports"][0]["diagnostics"]
                assert int(line["errors"]) == sum(d["severity"] == "error" for d in diags)
        totals = run.json["batch"]["totals"]
        assert totals["errors"] == sum(int(r["errors"]) for r in run.csv if not r["error"])
        assert totals["failed"] == sum(1 for r in run.csv if r["error"])


@pytest.mark.parametrize(
    "key", ["clean", "failing", "unfilled", "bare", "late", "merged", "exact", "xss", "cloned"]
)
def test_at_picks_the_deadline_commit(
    deadline_run: Run, fixture_root: tuple[Path, dict[str, Expect]], key: str
) -> None:
    expect = fixture_root[1][key]
    row = _row(deadline_run, expect)
    assert row["mode"] == "commit" and row["error"] == ""
    assert row["commit"] == expect.commit_at


@pytest.mark.parametrize("key", ["missing", "bad_utf8", "unreadable", "not_git", "too_late"])
def test_at_error_rows(deadline_run: Run, fixture_root: tuple[Path, dict[str, Expect]], key: str) -> None:
    expect = fixture_root[1][key]
    assert expect.at_error and expect.at_error in str(_row(deadline_run, expect)["error"])


def test_at_lints_the_commit_not_the_work_tree(
    deadline_run: Run, worktree_run: Run, fixture_root: tuple[Path, dict[str, Expect]]
) -> None:
    fx = fixture_root[1]
    late_now, late_then = _row(worktree_run, fx["late"]), _row(deadline_run, fx["late"])
    assert late_now["unfilled_placeholders"] > 0 and late_then["unfilled_placeholders"] == 0
    assert late_then["errors"] == 0 and late_then["questions_passed"] == 31
    # figures: the file deleted after the deadline is still in the deadline commit
    assert late_then["missing_figures"] == 0
    # evidence: the Dockerfile committed after the deadline does not count at the deadline
    verdicts = {c["rule"]: c["verdict"] for c in late_then["result"]["reports"][0]["checklist"]}
    assert verdicts.get("docker-files") == "unclaimed"
    now = {c["rule"]: c["verdict"] for c in late_now["result"]["reports"][0]["checklist"]}
    assert now.get("docker-files") == "unclaimed-evidence"
    # the merge after the deadline does not count, although the merged commit is older than it
    assert _row(deadline_run, fx["merged"])["unfilled_placeholders"] > 0
    assert _row(deadline_run, fx["cloned"])["questions_passed"] == 31  # origin/HEAD (trunk), not local main


def test_at_never_touches_the_work_tree(fixture_root: tuple[Path, dict[str, Expect]]) -> None:
    root, fx = fixture_root
    repo = root / fx["late"].path

    def state() -> tuple[str, list[tuple[str, int]]]:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--ignored"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        files = sorted((str(p), p.stat().st_mtime_ns) for p in repo.rglob("*") if p.is_file())
        return status, files

    before = state()
    run = run_batch(root, "out-at-again", fx["late"].path, "--at", DEADLINE, "--jobs", "1")
    assert run.code == 0 and run.rows[fx["late"].path]["commit"] == fx["late"].commit_at
    assert state() == before


def test_repos_file_plain_list_and_csv(fixture_root: tuple[Path, dict[str, Expect]]) -> None:
    root, fx = fixture_root
    wanted = [fx["clean"].path, fx["bare"].path, fx["not_git"].path]
    (root / "repos.txt").write_text("# staff list\n" + "\n".join(wanted) + "\n", encoding="utf-8")
    csv_lines = ["group,path,note", f"1,{wanted[0]},ok", f'8,{wanted[1]},"bare, cloned"', f"7,{wanted[2]},"]
    (root / "repos.csv").write_text("\n".join(csv_lines) + "\n", encoding="utf-8")
    for name in ("repos.txt", "repos.csv"):
        run = run_batch(root, f"out-{name}", "--repos-file", name, "--jobs", "1")
        assert sorted(run.rows) == sorted(wanted), name
        not_git = run.rows[fx["not_git"].path]
        assert (not_git["error"], not_git["mode"], not_git["errors"]) == ("", "folder", 0), name


def test_a_single_repository_path_and_nested_discovery(fixture_root: tuple[Path, dict[str, Expect]]) -> None:
    root, fx = fixture_root
    run = run_batch(root, "out-one", fx["clean"].path)
    assert list(run.rows) == [fx["clean"].path] and run.code == 0
    run = run_batch(root, "out-group", "cloned_repos/group_10")  # group_<N>/<repo>/ below the given folder
    assert list(run.rows) == [fx["merged"].path]
    assert run.rows[fx["merged"].path]["folder_group"] == 10


def test_usage_errors_exit_2(
    fixture_root: tuple[Path, dict[str, Expect]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = fixture_root
    for args in (
        ["cloned_repos", "--at", "2026-01-23"],
        ["cloned_repos", "--at", "yesterday"],
        ["nope"],
        [],
        ["cloned_repos", "--select", "no-such-rule"],
        ["cloned_repos", "--jobs", "0"],
    ):
        assert run_batch_code(root, *args) == 2, args
        err = capsys.readouterr().err
        assert err.startswith("report-lint: error: ") and err.count("\n") == 1, err


def run_batch_code(root: Path, *args: str) -> int:
    import os

    from report_lint.batch.cli import main

    cwd = os.getcwd()
    os.chdir(root)
    try:
        return main(["--out", "out-usage", "--no-progress", *args])
    finally:
        os.chdir(cwd)
