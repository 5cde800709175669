"""Pieces of batch on their own: the commit source, discovery, the runner's error isolation, escaping."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from report_lint.batch import discover as discover_module
from report_lint.batch import worker
from report_lint.batch.dashboard import embed_json, render
from report_lint.batch.discover import discover, folder_group, read_repos_file
from report_lint.batch.gitsource import GitCommitSource, default_branch, find_git_dir, snapshot
from report_lint.batch.rows import RepoRow
from report_lint.batch.runner import run_jobs
from report_lint.batch.text import clean, clean_data, shown
from report_lint.batch.worker import Job
from report_lint.batch.writers import write_csv
from report_lint.engine import LintOptions

from .repos import BEFORE, commit, git, new_repo


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    r = new_repo(tmp_path / "r")
    (r / "a").mkdir()
    (r / "a" / "data.txt").write_bytes(b"x" * 100_000)
    (r / "a" / "inside").symlink_to("data.txt")
    (r / "a" / "outside").symlink_to("/etc/passwd")
    (r / "a" / "dangling").symlink_to("nope.txt")
    (r / "line\nbreak.txt").write_text("odd name\n", encoding="utf-8")
    git(r, "remote", "add", "origin", "https://github.com/example/group-repo.git")
    commit(r, "files", BEFORE)
    (r / "a" / "data.txt").write_text("changed in the work tree\n", encoding="utf-8")
    return r


def test_commit_source_lists_and_reads_the_commit(repo: Path) -> None:
    git_dir, bare = find_git_dir(repo)
    assert git_dir == repo / ".git" and not bare
    snap = snapshot(git_dir, None)
    with GitCommitSource(repo, git_dir, snap.commit) as source:
        assert list(source.list()) == ["a/data.txt", "a/inside", "line\nbreak.txt"]
        assert source.read("a/data.txt", 10) == b"x" * 10  # the commit, not the work tree
        assert source.read("a/inside", 100_001) == b"x" * 100_000  # a link inside the commit is followed
        assert source.read("a/outside", 10) is None and source.read("a/dangling", 10) is None
        assert source.read("line\nbreak.txt", 100) == b"odd name\n"
        assert source.size("a/data.txt") == 100_000
        assert source.remotes() == ["https://github.com/example/group-repo.git"]
        assert source.is_git


def test_default_branch_falls_back_to_head(tmp_path: Path) -> None:
    r = new_repo(tmp_path / "r")
    git(r, "checkout", "-q", "-b", "develop")
    commit(r, "x", BEFORE)
    assert default_branch(r / ".git") == "HEAD"
    git(r, "branch", "master")
    assert default_branch(r / ".git") == "refs/heads/master"


def test_folder_group_and_repos_file(tmp_path: Path) -> None:
    assert folder_group(Path("/x/cloned_repos/group_42/repo")) == 42
    assert folder_group(Path("/x/cloned_repos/Group-7")) == 7
    assert folder_group(Path("/x/cloned_repos/repo")) is None
    f = tmp_path / "list.csv"
    f.write_text("\ufeffRepository;x\n", encoding="utf-8")
    assert read_repos_file(f) == ["Repository;x"]  # not a CSV with a path column: one path per line
    f.write_text("name,url\nA,b\n", encoding="utf-8")
    assert read_repos_file(f) == ["b"]  # a url column holds a URL or a path (tests/batch/test_clone.py)
    f.write_text("name,email\nA,b\n", encoding="utf-8")
    with pytest.raises(Exception, match="column named"):
        read_repos_file(f)


def test_discovery_stops_at_repositories_and_skips_junk(tmp_path: Path) -> None:
    outer = new_repo(tmp_path / "group_1" / "repo")
    new_repo(outer / "vendored" / "inner")  # inside a repository: not a second row
    new_repo(tmp_path / "node_modules" / "x")
    found = discover(["."], None, "reports/README.md", tmp_path)
    assert [t.display for t in found] == ["group_1/repo"]


def test_an_exception_in_a_worker_is_a_row(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def boom(job: Job, row: RepoRow) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(worker, "_lint", boom)
    targets = discover(["."], None, "reports/README.md", new_repo(tmp_path / "g").parent)
    rows = run_jobs(
        [Job(t, "reports/README.md", None, LintOptions()) for t in targets * 3], 2, progress=False
    )
    assert [r.error for r in rows] == ["RuntimeError: boom second line"] * 3


def _die(job: Job) -> RepoRow:
    if job.target.display.endswith("b"):
        os._exit(3)
    return RepoRow(path=job.target.display)


def test_a_worker_process_that_dies_costs_only_its_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("a", "b", "c"):
        new_repo(tmp_path / name)
    monkeypatch.setattr("report_lint.batch.runner.lint_target", _die)
    targets = discover(["."], None, "reports/README.md", tmp_path)
    rows = run_jobs([Job(t, "reports/README.md", None, LintOptions()) for t in targets], 2, progress=False)
    assert [r.path for r in rows] == ["a", "b", "c"]
    assert rows[0].error == "" and rows[2].error == ""
    assert rows[1].error.startswith("the worker process died")


def test_embedded_json_cannot_close_the_script() -> None:
    text = embed_json({"s": "</script><!-- & \u2028\u2029 >"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"s": "</script><!-- & \u2028\u2029 >"}


def test_dashboard_is_self_contained_with_a_script_hash() -> None:
    html = render([RepoRow(path="</script><script>alert(1)</script>", error="x")], {"at": None})
    assert html.count("<script") == 2 and html.count("</script>") == 2
    assert not re.search(r"\b(?:src|href)=\"?(?:https?:)?//", html)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp and "default-src 'none'" in csp.group(1) and "script-src 'sha256-" in csp.group(1)


def test_csv_cells_cannot_be_formulas(tmp_path: Path) -> None:
    write_csv([RepoRow(path='=HYPERLINK("x")', error="-1")], tmp_path / "r.csv")
    text = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and ",'-1" in text


def _hang(job: Job) -> RepoRow:
    """A job that starts a child process (as git would) and never finishes."""
    if job.target.display.endswith("slow"):
        child = subprocess.Popen(["sleep", "300"])
        (job.target.path / "child.pid").write_text(str(child.pid), encoding="utf-8")
        time.sleep(300)
    return RepoRow(path=job.target.display, errors=0)


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")  # a zombie waiting for an init that does not reap is dead too


def test_a_job_past_its_limit_is_killed_with_the_processes_it_started(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("fast", "slow"):
        new_repo(tmp_path / name)
    monkeypatch.setattr("report_lint.batch.runner.lint_target", _hang)
    targets = discover(["."], None, "reports/README.md", tmp_path)
    started = time.monotonic()
    rows = run_jobs(
        [Job(t, "reports/README.md", None, LintOptions()) for t in targets], 2, progress=False, timeout=1.5
    )
    assert time.monotonic() - started < 30
    assert [r.path for r in rows] == ["fast", "slow"]
    assert rows[0].error == "" and rows[0].errors == 0
    assert rows[1].error.startswith("took longer than the 1.5 s limit") and rows[1].errors is None
    pid = int((tmp_path / "slow" / "child.pid").read_text(encoding="utf-8"))
    deadline = time.monotonic() + 10
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(pid), "the job's own child process outlived the kill"


def test_an_unreadable_folder_in_discovery_is_its_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    new_repo(tmp_path / "group_1" / "repo")
    (tmp_path / "group_2" / "inner").mkdir(parents=True)
    (tmp_path / "group_3").mkdir()
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if Path(path).name == "group_2":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    real_find = discover_module.find_git_dir

    def find_git_dir(path: Path) -> tuple[Path | None, bool]:
        if path.name == "group_3":
            raise PermissionError(13, "Permission denied", str(path / ".git"))
        return real_find(path)

    monkeypatch.setattr(discover_module.os, "scandir", scandir)
    monkeypatch.setattr(discover_module, "find_git_dir", find_git_dir)
    found = {t.display: t.problem for t in discover(["."], None, "reports/README.md", tmp_path)}
    assert found == {
        "group_1/repo": None,
        "group_2": "cannot read this folder: Permission denied",
        "group_3": "cannot read this folder: Permission denied",
    }


def test_the_search_is_bounded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for i in range(10):
        (tmp_path / "deep" / f"d{i}").mkdir(parents=True)
    new_repo(tmp_path / "deep" / "d9" / "repo")
    monkeypatch.setattr(discover_module, "MAX_DIRS", 4)
    found = discover(["deep"], None, "reports/README.md", tmp_path)
    assert [(t.display, t.problem) for t in found] == [
        ("deep", "stopped searching after 4 folders; give the folder that holds the clones")
    ]
    monkeypatch.setattr(discover_module, "MAX_DIRS", 100_000)
    deep = tmp_path / "chain"
    path = deep
    for _ in range(discover_module.MAX_DEPTH + 2):
        path = path / "x"
    path.mkdir(parents=True)
    new_repo(path / "repo")  # below the depth limit: not searched, and the folder says it holds nothing
    found = discover(["chain"], None, "reports/README.md", tmp_path)
    assert [t.problem for t in found] == [
        "no repository: no .git and no reports/README.md in this folder or below it"
    ]


def test_clean_and_shown() -> None:
    assert clean("plain ✓") == "plain ✓"
    assert clean(os.fsdecode(b"fig-\xff.png")) == "fig-\\xff.png"
    assert clean("\ud800") == "\\ud800"
    assert clean_data({os.fsdecode(b"\xfe"): [os.fsdecode(b"\xff"), 1, None]}) == {
        "\\xfe": ["\\xff", 1, None]
    }
    assert shown("a\nb\x1b[0m\u2028") == "a\\nb\\x1b[0m<U+2028>"
    assert len(shown("x" * 1000)) == 200


def test_dashboard_markers_in_data_are_not_substituted() -> None:
    row = RepoRow(path="{{SCRIPT}}{{DATA}}{{CSS}}{{CSP}}", error="{{SCRIPT}}")
    html = render([row], {"at": None})
    data = json.loads(html.split('id="data">', 1)[1].split("</script>", 1)[0])
    assert data["repos"][0]["path"] == "{{SCRIPT}}{{DATA}}{{CSS}}{{CSP}}"
    assert data["repos"][0]["errors"] is None  # not linted: unknown, not 0
    assert html.count("<script") == 2
