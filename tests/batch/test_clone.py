"""``batch --repos-file`` with URLs, against a real git server on 127.0.0.1 (tests/batch/gitserver.py:
``git http-backend`` behind ``http.server``, with and without Basic auth), through the real CLI in a
subprocess: first run clones, a push in one group, the second run fetches only that group, ``--at``
picks the deadline commit, and every failure is one row with a one-line error.  The credential test
plants a token and looks for it everywhere it must not be, including the arguments of every process
running while the batch runs (sampled from ``/proc/<pid>/cmdline``)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .gitserver import GitDaemon, GitServer, serve_dir
from .repos import (
    AFTER,
    BEFORE,
    DEADLINE,
    FIGURES,
    ReportBuilder,
    clean_text,
    commit,
    git,
    new_repo,
    write_report,
)

PROJECT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 120.0
TOKEN = "rl-planted-7Qx9-token-4242"

pytestmark = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc (Linux)")


def cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "GITHUB_TOKEN"}
    base["PYTHONPATH"] = str(PROJECT)
    base.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "report_lint", "batch", "--no-progress", *args],
        cwd=cwd,
        env=base,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def rows(out: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return {r["path"]: r for r in data["repositories"]}


def write_csv(path: Path, header: list[str], lines: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(lines)
    return path


class Groups:
    """Three group repositories served over HTTP, each with commits around the deadline."""

    def __init__(self, root: Path) -> None:
        self.root, self.served = root, root / "served"
        self.served.mkdir(parents=True)
        self.work: dict[str, Path] = {}
        self.sha: dict[str, str] = {}
        for n in (1, 2, 3):
            name = f"g{n}"
            repo = new_repo(root / "work" / name)
            write_report(repo, clean_text(n), FIGURES)
            self.sha[f"{name}-before"] = commit(repo, "report", BEFORE)
            if n == 1:  # broken after the deadline: --at must lint the commit before
                write_report(repo, ReportBuilder(answers={1: "1"}).text())
                self.sha["g1-after"] = commit(repo, "after the deadline", AFTER)
            self.work[name] = repo
            serve_dir(self.served, f"{name}.git", repo)

    def push(self, name: str) -> str:
        repo = self.work[name]
        write_report(
            repo, ReportBuilder(fill_words=120, answers={1: name[1:], 5: "too short now"}).text(), FIGURES
        )
        sha = commit(repo, "more", AFTER)
        git(repo, "push", "-q", str(self.served / f"{name}.git"), "main")
        return sha


@pytest.fixture(scope="module")
def groups(tmp_path_factory: pytest.TempPathFactory) -> Groups:
    return Groups(tmp_path_factory.mktemp("served"))


@pytest.fixture
def server(groups: Groups) -> Iterator[GitServer]:
    with GitServer(groups.served) as srv:
        yield srv


def test_first_run_clones_a_push_is_the_only_fetch_and_at_picks_the_deadline(
    groups: Groups, server: GitServer, tmp_path: Path
) -> None:
    urls = {name: server.url(f"{name}.git") for name in ("g1", "g2", "g3")}
    listed = write_csv(tmp_path / "groups.csv", ["group", "url"], [[n[1:], u] for n, u in urls.items()])
    cache = tmp_path / "cache"
    code, out, err = cli(tmp_path, "--repos-file", str(listed), "--clone-dir", str(cache), "--out", "first")
    assert (code, err) == (0, ""), out + err
    assert "fetched 3/3 repositories" in out
    first = rows(tmp_path / "first")
    assert sorted(first) == sorted(urls.values())
    assert first[urls["g1"]]["commit"] == groups.sha["g1-after"]
    assert [first[urls[n]]["mode"] for n in ("g1", "g2", "g3")] == ["commit"] * 3
    assert [first[urls[n]]["folder_group"] for n in ("g1", "g2", "g3")] == [1, 2, 3]
    assert all(server.commands(f"{n}.git").count("fetch") >= 1 for n in ("g1", "g2", "g3"))
    clones = sorted(p.name for p in cache.glob("*/*.git"))
    assert len(clones) == 3
    for clone in cache.glob("*/*.git"):  # a partial clone: git's own promisor setup, filter blob:none
        config = subprocess.run(
            ["git", "--git-dir", str(clone), "config", "-l"], capture_output=True, text=True
        )
        assert "remote.origin.partialclonefilter=blob:none" in config.stdout

    pushed = groups.push("g2")
    mark = server.mark()
    code, out, err = cli(tmp_path, "--repos-file", str(listed), "--clone-dir", str(cache), "--out", "second")
    assert code == 0, out + err
    second = rows(tmp_path / "second")
    assert second[urls["g2"]]["commit"] == pushed
    assert second[urls["g2"]]["questions_passed"] < first[urls["g2"]]["questions_passed"]
    # the unchanged groups: one reference advertisement each (no git process: fetch_refs), no pack;
    # the pushed one: fetched
    assert server.commands("g1.git", mark) == server.commands("g3.git", mark) == ["advertise"]
    assert "fetch" in server.commands("g2.git", mark)
    # and their rows are the first run's, reused (same commit, same options), not linted again
    meta = json.loads((tmp_path / "second" / "results.json").read_text(encoding="utf-8"))["batch"]
    assert (meta["fetch"]["reused"], meta["fetch"]["changed"], meta["fetch"]["cloned"]) == (2, 1, 0)
    assert second[urls["g1"]] == first[urls["g1"]] and second[urls["g3"]] == first[urls["g3"]]
    code, out, err = cli(
        tmp_path,
        "--repos-file",
        str(listed),
        "--clone-dir",
        str(cache),
        "--out",
        "opts",
        "--no-inline-config",
    )
    meta = json.loads((tmp_path / "opts" / "results.json").read_text(encoding="utf-8"))["batch"]
    assert code == 0 and meta["fetch"]["reused"] == 0  # other options: every row linted afresh
    assert sorted(p.name for p in cache.glob("*/*.git")) == clones

    code, out, err = cli(
        tmp_path, "--repos-file", str(listed), "--clone-dir", str(cache), "--out", "at", "--at", DEADLINE
    )
    assert code == 0, out + err
    at = rows(tmp_path / "at")
    assert [at[urls[n]]["commit"] for n in ("g1", "g2", "g3")] == [
        groups.sha["g1-before"],
        groups.sha["g2-before"],
        groups.sha["g3-before"],
    ]
    assert at[urls["g1"]]["questions_passed"] > second[urls["g1"]]["questions_passed"]
    meta = json.loads((tmp_path / "at" / "results.json").read_text(encoding="utf-8"))["batch"]
    # g2's deadline commit was its tip in the first run, g3's is its tip: both linted before; g1's not
    assert meta["fetch"]["reused"] == 2
    assert at[urls["g2"]] == first[urls["g2"]]


def test_every_failure_is_one_row_with_a_one_line_error(groups: Groups, tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    base = groups.work["g3"]
    for name in ("gone.git", "branchy.git"):
        serve_dir(served, name, base)
    git(base, "branch", "-f", "feature", "main")
    git(base, "push", "-q", str(served / "branchy.git"), "feature")
    subprocess.run(["git", "init", "-q", "--bare", str(served / "empty.git")], check=True)
    # the default branch is trunk (a main branch exists too, with another report): trunk is linted
    trunk = new_repo(tmp_path / "work-trunk")
    git(trunk, "symbolic-ref", "HEAD", "refs/heads/trunk")
    write_report(trunk, clean_text(14), FIGURES)
    trunk_sha = commit(trunk, "trunk", BEFORE)
    git(trunk, "branch", "main")
    serve_dir(served, "trunk.git", trunk)
    with GitServer(served, redirects={"old-name.git": "trunk.git"}) as srv:
        table = [
            ["1", srv.url("gone.git"), ""],
            ["2", srv.url("branchy.git"), "feature"],
            ["3", srv.url("empty.git"), ""],
            ["4", srv.url("no-such.git"), ""],
            ["5", srv.url("trunk.git"), "nope"],
            ["6", srv.url("trunk.git"), ""],
            ["7", srv.url("old-name.git"), ""],
            ["8", f"ext::sh -c touch% {tmp_path / 'pwned'}", ""],
            ["9", "https://student:hunter2@example.com/x.git", ""],
            ["10", "http://127.0.0.1:9/closed.git", ""],
        ]
        listed = write_csv(tmp_path / "groups.csv", ["group", "url", "branch"], table)
        cache = tmp_path / "cache"
        args = ("--repos-file", str(listed), "--clone-dir", str(cache), "--jobs", "4")
        code, out, err = cli(tmp_path, *args, "--out", "first")
        assert code == 1 and err == "", out + err
        first = rows(tmp_path / "first")
        assert len(first) == len(table)
        errors = {r["folder_group"]: r["error"] for r in first.values()}
        assert errors[1] == errors[2] == errors[6] == errors[7] == ""
        assert errors[3] == "the repository is empty: nothing has been pushed to it"
        assert errors[4] == "no repository at this URL (deleted, renamed or private?)"
        assert errors[5] == "branch 'nope' not found on the remote (check the repos file's branch column)"
        assert errors[8].startswith("the 'ext::' transport is never used")
        assert errors[9].startswith("the URL holds a password")
        assert errors[10].startswith("cannot reach the server")
        by_group = {r["folder_group"]: r for r in first.values()}
        assert (by_group[6]["branch"], by_group[6]["commit"]) == ("refs/heads/trunk", trunk_sha)
        assert by_group[7]["commit"] == trunk_sha
        assert any("redirected to" in n and "trunk.git" in n for n in by_group[7]["notes"])
        assert "hunter2" not in json.dumps(first) and "hunter2" not in out
        assert not (tmp_path / "pwned").exists()
        for row in first.values():
            assert "\n" not in row["error"]

        shutil.rmtree(served / "gone.git")  # the repository goes away
        git(base, "push", "-q", str(served / "branchy.git"), ":feature")  # the branch is deleted
        code, out, err = cli(tmp_path, *args, "--out", "second")
        assert code == 1, out + err
        second = {r["folder_group"]: r["error"] for r in rows(tmp_path / "second").values()}
        assert second[1] == "no repository at this URL (deleted, renamed or private?)"
        assert second[2] == "branch 'feature' no longer exists on the remote (deleted or renamed?)"
        assert second[6] == ""


def test_a_slow_server_is_stopped_at_the_timeout(groups: Groups, tmp_path: Path) -> None:
    with GitServer(groups.served, slow={"g1.git": 20.0}) as srv:
        listed = write_csv(tmp_path / "g.csv", ["url"], [[srv.url("g1.git")], [srv.url("g3.git")]])
        args = ("--repos-file", str(listed), "--clone-dir", str(tmp_path / "c"), "--timeout", "3")
        code, out, err = cli(tmp_path, *args, "--out", "o")
        found = rows(tmp_path / "o")
    assert code == 1, out + err
    assert found[srv.url("g1.git")]["error"] == (
        "fetching took longer than the 3 s limit (--timeout) and was stopped"
    )
    assert found[srv.url("g3.git")]["error"] == ""
    assert not list((tmp_path / "c").glob("*/.*tmp*"))  # the half-clone is gone


class ArgvSampler:
    """Every process's command line, read from /proc while the batch runs (a `ps` that never sleeps)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for entry in os.scandir("/proc"):
                if entry.name.isdigit():
                    try:
                        with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                            raw = handle.read()
                    except OSError:
                        continue
                    if b"git" in raw:
                        self.seen.add(raw.replace(b"\0", b" ").decode("utf-8", "replace"))

    def __enter__(self) -> ArgvSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(10)


def test_a_planted_token_reaches_the_server_and_nothing_else(groups: Groups, tmp_path: Path) -> None:
    # slow requests, so that each git process lives long enough to be sampled
    with GitServer(groups.served, password=TOKEN, delay=0.3) as srv:
        other = f"localhost:{srv.port}"  # the same server under a name that is not a --token-host
        table = [["1", srv.url("g1.git")], ["2", srv.url("g2.git", host=other)]]
        listed = write_csv(tmp_path / "groups.csv", ["group", "url"], table)
        cache = tmp_path / "cache"
        args = ["--repos-file", str(listed), "--clone-dir", str(cache), "--token-host", srv.host]
        with ArgvSampler() as sampler:
            code, out, err = cli(tmp_path, *args, "--out", "out", env={"GIT_TOKEN": TOKEN})
        found = {r["folder_group"]: r for r in rows(tmp_path / "out").values()}
        assert code == 1, out + err
        assert found[1]["error"] == "" and found[1]["commit"]
        assert found[2]["error"].startswith("authentication failed or needed")
        # the token did arrive where it belongs, and only there
        assert any(r.password == TOKEN and r.command == "fetch" for r in srv.requests if r.repo == "g1.git")
        assert all(r.password is None for r in srv.requests if r.repo == "g2.git")

        # a wrong token: an error row, and the wrong token is not shown either
        wrong = TOKEN[::-1]
        code2, out2, err2 = cli(
            tmp_path,
            *args,
            "--clone-dir",
            str(tmp_path / "cache2"),
            "--out",
            "wrong",
            env={"GITHUB_TOKEN": wrong},
        )
        wrong_rows = {r["folder_group"]: r for r in rows(tmp_path / "wrong").values()}
        assert code2 == 1, out2 + err2
        assert wrong_rows[1]["error"].startswith("authentication failed or needed")

    ours = [argv for argv in sampler.seen if srv.host in argv or "credential." in argv]
    assert any(" clone " in argv and srv.host in argv for argv in ours), sampler.seen  # sampling worked
    assert any(f"credential.http://{srv.host}.helper" in argv for argv in ours)
    assert not [argv for argv in sampler.seen if TOKEN in argv or wrong in argv]
    texts = [out, err, out2, err2]
    for folder in (tmp_path / "out", tmp_path / "wrong"):
        # csv, json, dashboard.html and the hand-in pages
        texts += [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file()]
    assert {"results.csv", "results.json", "dashboard.html"} <= {p.name for p in (tmp_path / "out").iterdir()}
    assert not [t for t in texts if TOKEN in t or wrong in t]
    for clone_file in [*cache.rglob("*"), *(tmp_path / "cache2").rglob("*")]:
        if clone_file.is_file():
            data = clone_file.read_bytes()
            assert TOKEN.encode() not in data and wrong.encode() not in data, clone_file


def test_clone_dir_never_inside_a_linted_repository_and_defaults_to_the_cache(
    groups: Groups, tmp_path: Path
) -> None:
    local = new_repo(tmp_path / "local")
    write_report(local, clean_text(4), FIGURES)
    commit(local, "r", BEFORE)
    url = f"file://{groups.served / 'g3.git'}"
    listed = write_csv(tmp_path / "g.csv", ["group", "url"], [["4", "local"], ["3", url]])
    code, out, err = cli(tmp_path, "--repos-file", str(listed), "--clone-dir", "local/cache", "--out", "o")
    assert code == 2 and err.count("\n") == 1 and "inside the linted repository local" in err, err
    assert not (local / "cache").exists()
    xdg = tmp_path / "xdg"
    code, out, err = cli(
        tmp_path, "--repos-file", str(listed), "--out", "o", env={"XDG_CACHE_HOME": str(xdg)}
    )
    assert code == 0, out + err
    found = rows(tmp_path / "o")
    assert found["local"]["folder_group"] == 4 and found["local"]["mode"] == "worktree"
    assert found[url]["commit"] == groups.sha["g3-before"] and found[url]["error"] == ""
    assert len(list((xdg / "report-lint" / "clones" / "local").glob("g3-*.git"))) == 1


def test_git_protocol_through_git_daemon(groups: Groups, tmp_path: Path) -> None:
    with GitDaemon(groups.served) as daemon:
        listed = write_csv(tmp_path / "g.csv", ["group", "url"], [["1", daemon.url("g3.git")]])
        code, out, err = cli(
            tmp_path, "--repos-file", str(listed), "--clone-dir", str(tmp_path / "c"), "--out", "o"
        )
    assert code == 0, out + err
    (row,) = rows(tmp_path / "o").values()
    assert (row["error"], row["commit"], row["mode"]) == ("", groups.sha["g3-before"], "commit")


def test_jobs_fetch_in_parallel_with_a_progress_bar_on_a_terminal(groups: Groups, tmp_path: Path) -> None:
    import pty

    with GitServer(groups.served, delay=0.4) as srv:
        table = [[str(n), srv.url(f"g{n}.git")] for n in (1, 2, 3)]
        listed = write_csv(tmp_path / "g.csv", ["group", "url"], table)
        leader, follower = pty.openpty()
        base = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        args = ["--repos-file", str(listed), "--clone-dir", str(tmp_path / "c"), "--out", "o", "--jobs", "3"]
        done = subprocess.run(
            [sys.executable, "-m", "report_lint", "batch", *args],
            cwd=tmp_path,
            env={**base, "PYTHONPATH": str(PROJECT)},
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        os.close(leader)
        assert done.returncode == 0, done.stdout
        assert srv.max_inflight >= 2  # three clones at once, not one after the other
    assert b"3/3" in shown and b"[####" in shown  # the fetch bar (and the lint bar) on the terminal
