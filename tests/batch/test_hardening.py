"""Real hand-ins through the real ``report-lint batch`` (a subprocess): one repository never costs the
others, and the rows tell the truth (issue 9).  Every run's three outputs are checked complete."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from builders import ReportBuilder

from .repos import BEFORE, DEADLINE, FIGURES, clean_text, commit, new_repo, write_report

TIMEOUT = 300  # a hang fails the test instead of the suite
CHECK = (sys.executable, "-m", "report_lint", "check")
REPORT = "reports/README.md"


@dataclass
class Batch:
    code: int
    stdout: str
    stderr: str
    seconds: float
    out: Path

    def outputs(self) -> tuple[dict[str, Any], list[dict[str, str]], dict[str, Any]]:
        """results.json, results.csv and the dashboard's embedded data; all three must agree."""
        data = json.loads((self.out / "results.json").read_text(encoding="utf-8"))
        with open(self.out / "results.csv", encoding="utf-8", newline="") as handle:
            table = list(csv.DictReader(handle))
        page = (self.out / "dashboard.html").read_text(encoding="utf-8")
        embedded = dashboard_data(page)
        paths = [r["path"] for r in data["repositories"]]
        assert [r["path"] for r in table] == paths
        assert [r["path"] for r in embedded["repos"]] == paths
        assert embedded["totals"] == data["batch"]["totals"]
        return data, table, embedded

    def rows(self) -> dict[str, dict[str, Any]]:
        return {r["path"]: r for r in self.outputs()[0]["repositories"]}


def dashboard_data(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    assert match, "no data element in the dashboard"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def env() -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "REPORT_LINT_"))}
    return {**keep, "PYTHONIOENCODING": "utf-8"}


def batch(cwd: Path, *args: str, prefix: tuple[str, ...] = (), out: str = "out") -> Batch:
    argv = [*prefix, sys.executable, "-m", "report_lint", "batch", "--no-progress", "--out", out, *args]
    started = time.perf_counter()
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, env=env(), timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"report-lint batch {' '.join(args)} did not finish within {TIMEOUT}s")
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    return Batch(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        stderr,
        time.perf_counter() - started,
        cwd / out,
    )


def clean_repo(path: Path, group: int, figures: bool = True) -> Path:
    repo = new_repo(path)
    write_report(repo, clean_text(group), FIGURES if figures else None)
    commit(repo, "report", BEFORE)
    return repo


# ---------------------------------------------------------------------- 1. a wall-clock limit


def test_a_repository_over_the_time_limit_is_stopped_and_becomes_its_row(tmp_path: Path) -> None:
    clean_repo(tmp_path / "clones" / "group_01" / "small", 1)
    big = new_repo(tmp_path / "clones" / "group_02" / "big")
    filler = "We trained the model again and wrote down what changed, with figures/q1_1.png.\n\n" * 200_000
    write_report(big, clean_text(2) + filler, FIGURES)  # ~17 MB: linting it takes far longer than 3 s
    commit(big, "a very long report", BEFORE)
    run = batch(tmp_path, "clones", "--timeout", "3", "--jobs", "2")
    rows = run.rows()
    slow = rows["clones/group_02/big"]
    assert "took longer than the 3 s limit (--timeout)" in slow["error"], slow["error"]
    assert slow["errors"] is None and slow["result"] is None
    assert rows["clones/group_01/small"]["error"] == "" and rows["clones/group_01/small"]["errors"] == 0
    assert run.code == 1 and "linted 1/2 repositories (1 could not be linted)" in run.stdout
    # the worker was killed at the limit, not left to finish (linting it takes over 15 s unhindered)
    assert run.seconds < 12, run.seconds
    assert run.outputs()[0]["batch"]["timeout"] == 3


def test_a_terminated_run_leaves_no_worker_behind(tmp_path: Path) -> None:
    big = new_repo(tmp_path / "clones" / "group_02" / "big")
    filler = "We trained the model again and wrote down what changed, with figures/q1_1.png.\n\n" * 200_000
    write_report(big, clean_text(2) + filler, FIGURES)
    argv = [sys.executable, "-m", "report_lint", "batch", "clones", "--no-progress", "--timeout", "600"]
    proc = subprocess.Popen(argv, cwd=tmp_path, env=env(), stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    workers: list[str] = []
    while not workers and time.monotonic() < deadline:  # until the worker is busy with the big report
        time.sleep(0.2)
        ps = subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True)
        workers = ps.stdout.split()
    assert workers, "no worker process started"
    proc.terminate()
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2 and stderr == "report-lint: interrupted\n", stderr
    time.sleep(0.5)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "a worker outlived the run"


def test_timeout_must_be_a_positive_number(tmp_path: Path) -> None:
    clean_repo(tmp_path / "r", 1)
    for value in ("0", "-1", "soon", "inf", "nan"):
        run = batch(tmp_path, "r", "--timeout", value)
        assert run.code == 2 and run.stderr.count("\n") == 1 and "--timeout" in run.stderr, run.stderr


# ---------------------------------------------------------------------- 2. names that are not UTF-8


def test_file_and_folder_names_that_are_not_utf8_are_linted_and_shown_escaped(tmp_path: Path) -> None:
    odd = new_repo(Path(os.fsdecode(bytes(tmp_path) + b"/clones/class-\xfe/group_03/odd")))
    write_report(odd, clean_text(3))  # its figures are missing: the message suggests the odd name
    (odd / "reports" / "figures").mkdir()
    (odd / "reports" / "figures" / os.fsdecode(b"\xff.png")).write_bytes(FIGURES["figures/q3_1.png"])
    (odd / os.fsdecode(b"notes-\xe9.txt")).write_text("a name in latin-1\n", encoding="utf-8")
    commit(odd, "odd names", BEFORE)
    clean_repo(tmp_path / "clones" / "group_01" / "fine", 1)
    for args in ((), ("--at", DEADLINE)):
        run = batch(tmp_path, "clones", *args, out=f"out{len(args)}")
        assert run.code == 0, run.stderr
        data, table, _ = run.outputs()
        paths = [r["path"] for r in data["repositories"]]
        assert paths == ["clones/class-\\xfe/group_03/odd", "clones/group_01/fine"]
        row = data["repositories"][0]
        assert row["error"] == "" and row["errors"] > 0 and row["group"] == 3
        messages = [d["message"] for d in row["result"]["reports"][0]["diagnostics"]]
        assert any("figures/\\xff.png" in m for m in messages), messages
        assert "\udcff" not in json.dumps(data)  # no lone surrogate anywhere
        assert table[0]["path"] == "clones/class-\\xfe/group_03/odd"


# ---------------------------------------------------------------------- 3. an unreadable folder


def _unprivileged() -> tuple[str, ...] | None:
    """A prefix that runs a command without the power to read a mode-000 folder, or None."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search", "--")
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
    return prefix if probe.returncode == 0 else None


def test_an_unreadable_folder_is_one_row(tmp_path: Path) -> None:
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("cannot run without read permission bypass here (no setpriv)")
    clean_repo(tmp_path / "clones" / "group_01" / "fine", 1)
    locked = tmp_path / "clones" / "group_02"
    clean_repo(locked / "hidden", 2)
    locked.chmod(0)
    try:
        run = batch(tmp_path, "clones", prefix=prefix)
    finally:
        locked.chmod(0o755)
    rows = run.rows()
    assert sorted(rows) == ["clones/group_01/fine", "clones/group_02"]
    assert rows["clones/group_02"]["error"] == "cannot read this folder: Permission denied"
    assert rows["clones/group_02"]["folder_group"] == 2 and rows["clones/group_02"]["errors"] is None
    assert rows["clones/group_01/fine"]["errors"] == 0
    assert run.code == 1


# ---------------------------------------------------------------------- 4. symbolic links


def test_a_path_that_links_to_the_root_is_refused_and_links_are_never_followed(tmp_path: Path) -> None:
    clean_repo(tmp_path / "clones" / "group_01" / "fine", 1)
    (tmp_path / "clones" / "group_02").symlink_to("/")
    (tmp_path / "clones" / "everything").symlink_to("/")
    (tmp_path / "root").symlink_to("/")
    run = batch(tmp_path, "clones", "root")
    rows = run.rows()
    assert sorted(rows) == ["clones/group_01/fine", "clones/group_02", "root"]
    assert "refusing to search the whole file system" in rows["root"]["error"]
    assert "symbolic link" in rows["clones/group_02"]["error"]  # a group folder that is a link: said
    assert run.code == 1 and run.seconds < 60


# ---------------------------------------------------------------------- 5. template markers in data


def test_template_markers_in_reports_and_folder_names_stay_data(tmp_path: Path) -> None:
    markers = "{{SCRIPT}} {{DATA}} {{CSS}} {{CSP}}"
    repo = new_repo(tmp_path / "clones" / "group_05" / "{{SCRIPT}}")
    write_report(repo, ReportBuilder(fill_words=120, answers={1: "5", 4: f"We wrote {markers} here."}).text())
    commit(repo, "markers", BEFORE)
    clean_repo(tmp_path / "clones" / "group_06" / "{{DATA}}", 6)
    run = batch(tmp_path, "clones")
    data, _, embedded = run.outputs()  # the embedded data parses and equals results.json
    assert [r["path"] for r in embedded["repos"]] == [
        "clones/group_05/{{SCRIPT}}",
        "clones/group_06/{{DATA}}",
    ]
    snippets = [d["snippet"] for d in embedded["repos"][0]["diagnostics"]]
    assert any(markers in s for s in snippets) or any(
        markers in line for line in (repo / "reports" / "README.md").read_text(encoding="utf-8").splitlines()
    )
    page = (run.out / "dashboard.html").read_text(encoding="utf-8")
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    from report_lint.batch.dashboard import _asset

    assert script == _asset("dashboard.js")  # the page's own script, once, untouched
    assert page.count("<script") == 2 and data["batch"]["totals"]["repositories"] == 2


# ---------------------------------------------------------------------- 6, 7, 8, 9: what rows say


def test_rows_tell_the_truth(tmp_path: Path) -> None:
    base = tmp_path / "clones"
    clean_repo(base / "group_01" / "fine", 1)
    broken = new_repo(base / "group_02" / "no-report")
    (broken / "README.md").write_text("# nothing handed in\n", encoding="utf-8")
    commit(broken, "init", BEFORE)
    (base / "group_07").mkdir()  # nothing at all
    (base / "group_08").mkdir()
    (base / "group_08" / "notes.txt").write_text("we forgot to push\n", encoding="utf-8")
    (base / "group_08" / "empty-clone").mkdir()
    zipped = base / "group_09" / "downloaded-zip"
    write_report(zipped, clean_text(9), FIGURES)  # no .git: lint the files, as `check` does
    clean_repo(base / "group_10" / "ours", 11)  # claims group 11 ...
    clean_repo(base / "group_11" / "theirs", 11)  # ... as does group 11
    run = batch(tmp_path, "clones")
    data, table, embedded = run.outputs()
    rows = {r["path"]: r for r in data["repositories"]}
    csv_rows = {r["path"]: r for r in table}
    assert run.code == 1
    assert run.stdout.startswith("linted 4/7 repositories (3 could not be linted)"), run.stdout
    # 6. unknown is not 0
    assert rows["clones/group_02/no-report"]["errors"] is None
    assert csv_rows["clones/group_02/no-report"]["errors"] == ""
    assert csv_rows["clones/group_02/no-report"]["rule:answer-length"] == ""
    assert csv_rows["clones/group_01/fine"]["errors"] == "0"
    shown = {r["path"]: r for r in embedded["repos"]}
    assert (
        shown["clones/group_02/no-report"]["errors"] is None and shown["clones/group_01/fine"]["errors"] == 0
    )
    # 7. a group folder with nothing lintable is a row saying what is missing
    for empty in ("clones/group_07", "clones/group_08"):
        assert (
            rows[empty]["error"]
            == "no repository: no .git and no reports/README.md in this folder or below it"
        )
        assert rows[empty]["folder_group"] == int(empty[-1])
    # 8. a folder without .git is linted like `check` lints it
    zip_row = rows["clones/group_09/downloaded-zip"]
    assert (zip_row["error"], zip_row["mode"], zip_row["errors"], zip_row["group"]) == ("", "folder", 0, 9)
    assert any("not a git repository" in n for n in zip_row["notes"])
    check = tmp_path / "check.json"
    subprocess.run(
        [*CHECK, "--repo", str(zipped), "--format", "json", "--output", str(check), str(zipped / REPORT)],
        env=env(),
        cwd=tmp_path,
        check=True,
        timeout=TIMEOUT,
    )
    assert zip_row["result"] == json.loads(check.read_text(encoding="utf-8"))
    # 9. two repositories claiming one group number: both rows and the summary say so
    for path, other in (
        ("clones/group_10/ours", "clones/group_11/theirs"),
        ("clones/group_11/theirs", "clones/group_10/ours"),
    ):
        assert rows[path]["notes"] == [f"group 11 is also claimed by {other}"]
        assert csv_rows[path]["notes"] == f"group 11 is also claimed by {other}"
    assert data["batch"]["duplicate_groups"] == {"11": ["clones/group_10/ours", "clones/group_11/theirs"]}
    assert data["batch"]["totals"]["duplicate_groups"] == 1
    assert "group number claimed twice or more: 11" in run.stdout


def test_at_on_a_folder_without_git_says_it_cannot_apply(tmp_path: Path) -> None:
    zipped = tmp_path / "clones" / "group_09" / "downloaded-zip"
    write_report(zipped, clean_text(9), FIGURES)
    clean_repo(tmp_path / "clones" / "group_01" / "fine", 1)
    run = batch(tmp_path, "clones", "--at", DEADLINE)
    row = run.rows()["clones/group_09/downloaded-zip"]
    assert "no history, so --at cannot apply" in row["error"] and row["errors"] is None
    assert run.code == 1


# ---------------------------------------------------------------------- 10, 11: errors


def test_errors_are_one_line_and_name_their_option(tmp_path: Path) -> None:
    clean_repo(tmp_path / "r", 1)
    (tmp_path / "a-file").write_text("x\n", encoding="utf-8")
    cases = [
        (["r", "--at", "2026-01-23T23:59\nrm -rf /"], "--at 2026-01-23T23:59\\nrm -rf /"),
        (["r", "--at", "2026-01-23\n"], "--at 2026-01-23:"),
        (["r", "--at", "\x1b[31mred"], "--at \\x1b[31mred"),
        (["no\nsuch"], "no\\nsuch: no such file"),
        (["r", "--select", "nope\nx"], "--select: unknown rule or code 'nope\\nx'"),
        (["r", "--ignore", "nope"], "--ignore: unknown rule or code 'nope'"),
        (["r", "--jobs", "two\n"], "--jobs"),
        (["r", "--timeout", "1\n2"], "--timeout"),
        (["r", "--report", "../x\ny"], "--report ../x\\ny:"),
        (["r", "--out", "a-file/sub"], "--out a-file/sub: cannot create it"),
        (["--repos-file", "missing\n.txt"], "--repos-file "),
        (["r", "--rules", "no-such-pack"], "--rules no-such-pack:"),
        (["r", "--no-such\noption"], "unrecognized arguments: --no-such\\noption"),
    ]
    for args, needle in cases:
        run = batch(tmp_path, *args)
        assert run.code == 2, (args, run.stderr)
        assert run.stderr.startswith("report-lint: error: ") and run.stderr.count("\n") == 1, run.stderr
        assert needle in run.stderr, (needle, run.stderr)
        assert "\x1b" not in run.stderr


def test_check_sarif_error_names_sarif(tmp_path: Path) -> None:
    repo = clean_repo(tmp_path / "r", 1)
    (tmp_path / "a-dir").mkdir()
    proc = subprocess.run(
        [*CHECK, "--repo", str(repo), "--sarif", str(tmp_path / "a-dir"), str(repo / REPORT)],
        capture_output=True,
        text=True,
        env=env(),
        cwd=tmp_path,
        timeout=TIMEOUT,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"report-lint: error: --sarif {tmp_path / 'a-dir'}: cannot write"), (
        proc.stderr
    )


# ---------------------------------------------------------------------- 12. --no-inline-config


def test_no_inline_config_lets_no_comment_hide_errors(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "clones" / "group_04" / "hiding")
    text = ReportBuilder(fill_words=120, answers={1: "4", 5: "far too short"}).text()
    write_report(repo, "<!-- report-lint: disable-file answer-length, missing-figure -->\n" + text)
    commit(repo, "hide it", BEFORE)

    def rules(result: dict[str, Any]) -> list[str]:
        return [d["rule"] for d in result["reports"][0]["diagnostics"]]

    hidden = batch(tmp_path, "clones", out="trusting").rows()["clones/group_04/hiding"]
    shown = batch(tmp_path, "clones", "--no-inline-config", out="staff").rows()["clones/group_04/hiding"]
    assert "answer-length" not in rules(hidden["result"]) and "missing-figure" not in rules(hidden["result"])
    assert "answer-length" in rules(shown["result"]) and "missing-figure" in rules(shown["result"])
    assert "suppression" not in rules(shown["result"])  # ignored, not reported
    assert shown["errors"] > hidden["errors"]
    # and `check` has the same option, with the same result
    out = tmp_path / "check.json"
    subprocess.run(
        [
            *CHECK,
            "--repo",
            str(repo),
            "--no-inline-config",
            "--format=json",
            f"--output={out}",
            str(repo / REPORT),
        ],
        env=env(),
        cwd=tmp_path,
        timeout=TIMEOUT,
        check=False,
    )
    assert json.loads(out.read_text(encoding="utf-8")) == shown["result"]
