"""Generated student repositories for the batch tests and the benchmark (our own text, no real reports).

``make_fixture(root)`` builds ``root/cloned_repos/group_<N>/<repo>/`` with one repository per outcome
and returns what each should produce; ``make_many(root, n)`` builds ``n`` ordinary repositories fast.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from builders import ReportBuilder  # noqa: E402

DEADLINE = "2026-01-23T23:59:00+01:00"
BEFORE = "2026-01-22T12:00:00+01:00"
AFTER = "2026-01-25T12:00:00+01:00"
LONG_BEFORE = "2026-01-10T12:00:00+01:00"

# planted in a report: neither may ever run in the dashboard
XSS_SCRIPT = '</script><script>document.title="pwned"</script>'
XSS_IMG = "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"


def png(seed: int = 0) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixel = zlib.compress(bytes([0, seed % 256, 0, 0]))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")


FIGURES = {f"figures/q{n}_{i}.png": png(n * 10 + i) for n in range(1, 32) for i in range(1, 4)}


def git(repo: Path, *args: str, date: str | None = None, author_date: str | None = None) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Student",
        "GIT_AUTHOR_EMAIL": "s@example.com",
        "GIT_COMMITTER_NAME": "Student",
        "GIT_COMMITTER_EMAIL": "s@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date:
        env["GIT_COMMITTER_DATE"] = date
        env["GIT_AUTHOR_DATE"] = author_date or date
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout.strip()


def commit(repo: Path, message: str, date: str, author_date: str | None = None) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message, date=date, author_date=author_date)
    return git(repo, "rev-parse", "HEAD")


def write_report(repo: Path, text: str | bytes, figures: dict[str, bytes] | None = None) -> None:
    reports = repo / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    (reports / "README.md").write_bytes(data)
    for name, blob in (figures or {}).items():
        (reports / name).parent.mkdir(parents=True, exist_ok=True)
        (reports / name).write_bytes(blob)


def clean_text(group: int = 17) -> str:
    return ReportBuilder(fill_words=120, answers={1: str(group)}).text()


def new_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q")
    return path


@dataclass
class Expect:
    path: str  # display path relative to the fixture root
    error: str | None = None  # a substring of the row's error
    errors: int | None = None  # exact error count (None: do not check)
    group: int | None = None
    commit_at: str | None = None  # the commit --at must pick
    at_error: str | None = None  # a substring of the row's error under --at
    extra: dict[str, object] = field(default_factory=dict)


def make_fixture(root: Path) -> dict[str, Expect]:
    base = root / "cloned_repos"
    out: dict[str, Expect] = {}

    def add(key: str, repo: Path, **kw: object) -> None:
        out[key] = Expect(repo.relative_to(root).as_posix(), **kw)  # type: ignore[arg-type]

    clean = new_repo(base / "group_01" / "clean-repo")
    write_report(clean, clean_text(1), FIGURES)
    c = commit(clean, "report", BEFORE)
    add("clean", clean, errors=0, group=1, commit_at=c)

    failing = new_repo(base / "group_02" / "failing")
    figs = {k: v for k, v in FIGURES.items() if k != "figures/q14_1.png"}
    write_report(failing, ReportBuilder(fill_words=120, answers={1: "2", 5: "far too short"}).text(), figs)
    c = commit(failing, "report", BEFORE)
    add("failing", failing, group=2, commit_at=c)

    unfilled = new_repo(base / "group_03" / "unfilled")
    write_report(unfilled, ReportBuilder(answers={1: "3"}).text())
    c = commit(unfilled, "template", BEFORE)
    add("unfilled", unfilled, group=3, commit_at=c)

    missing = new_repo(base / "group_04" / "no-report")
    (missing / "README.md").write_text("# project\n", encoding="utf-8")
    commit(missing, "init", BEFORE)
    add("missing", missing, error="no such file", at_error="not in commit")

    bad = new_repo(base / "group_05" / "bad-utf8")
    write_report(bad, clean_text(5).encode("utf-8").replace(b"answer", b"answ\xe9r", 1))
    commit(bad, "latin-1", BEFORE)
    add("bad_utf8", bad, error="not valid UTF-8", at_error="not valid UTF-8")

    unreadable = new_repo(base / "group_06" / "unreadable")
    (unreadable / "reports" / "README.md").mkdir(parents=True)
    (unreadable / "reports" / "README.md" / "x.md").write_text("x\n", encoding="utf-8")
    commit(unreadable, "oops", BEFORE)
    add("unreadable", unreadable, error="is a directory", at_error="not in commit")

    notgit = base / "group_07" / "not-git"
    write_report(notgit, clean_text(7), FIGURES)
    # a downloaded ZIP: linted from the files on disk, as `check` does; --at cannot apply (no history)
    add("not_git", notgit, errors=0, group=7, at_error="not a git repository")

    bare = base / "group_08" / "bare.git"
    git(root, "clone", "-q", "--bare", str(clean), str(bare))
    add("bare", bare, errors=0, group=1, commit_at=out["clean"].commit_at)

    # the deadline commit differs from HEAD: filled in time, then broken and a Dockerfile added late
    late = new_repo(base / "group_09" / "late-fix")
    write_report(late, clean_text(9), FIGURES)
    on_time = commit(late, "final report", BEFORE)
    (late / "reports" / "figures" / "q3_1.png").unlink()
    (late / "Dockerfile").write_text("FROM python:3.11-slim\n", encoding="utf-8")
    write_report(late, ReportBuilder(answers={1: "9"}).text())
    commit(late, "after the deadline", AFTER, author_date=LONG_BEFORE)  # author date lies before
    add("late", late, group=9, commit_at=on_time)

    # a feature branch committed before the deadline but merged after it is not the deadline state
    merged = new_repo(base / "group_10" / "merged")
    write_report(merged, ReportBuilder(answers={1: "10"}).text())
    main_commit = commit(merged, "template", LONG_BEFORE)
    git(merged, "checkout", "-q", "-b", "feature")
    write_report(merged, clean_text(10), FIGURES)
    commit(merged, "fill in", BEFORE)
    git(merged, "checkout", "-q", "main")
    git(merged, "merge", "-q", "--no-ff", "-m", "merge", "feature", date=AFTER)
    git(merged, "checkout", "-q", "-b", "wip")  # a checked-out non-default branch
    write_report(merged, ReportBuilder(answers={1: "10", 4: "wip"}).text())
    commit(merged, "wip", BEFORE)
    add("merged", merged, group=10, commit_at=main_commit)

    exact = new_repo(base / "group_11" / "on-the-dot")
    write_report(exact, clean_text(11), FIGURES)
    c = commit(exact, "exactly at the deadline", DEADLINE)
    add("exact", exact, group=11, commit_at=c)

    too_late = new_repo(base / "group_12" / "too-late")
    write_report(too_late, clean_text(12), FIGURES)
    commit(too_late, "late", AFTER)
    add("too_late", too_late, group=12, at_error="no commit on main at or before")

    xss = new_repo(base / "group_13" / "planted")
    text = ReportBuilder(fill_words=120, answers={1: "13", 4: f"We used {XSS_SCRIPT} and {XSS_IMG} daily."})
    write_report(xss, text.text(), FIGURES)
    c = commit(xss, "report", BEFORE)
    add("xss", xss, group=13, commit_at=c)

    # a clone: origin/HEAD names the default branch (trunk), not the local branch checked out
    upstream = new_repo(root / "upstream" / "g14")
    git(upstream, "symbolic-ref", "HEAD", "refs/heads/trunk")
    write_report(upstream, clean_text(14), FIGURES)
    trunk = commit(upstream, "trunk", BEFORE)
    clone = base / "group_14" / "cloned"
    git(root, "clone", "-q", str(upstream), str(clone))
    git(clone, "checkout", "-q", "-b", "main")
    write_report(clone, ReportBuilder(answers={1: "14"}).text())
    commit(clone, "local main", BEFORE)
    add("cloned", clone, group=14, commit_at=trunk)
    return out


def make_many(root: Path, n: int) -> list[Path]:
    """``n`` committed repositories under ``root/cloned_repos/group_<i>/repo``, mostly filled in."""
    paths = []
    for i in range(n):
        repo = new_repo(root / "cloned_repos" / f"group_{i:03d}" / "repo")
        builder = ReportBuilder(fill_words=100 + i % 60, answers={1: str(i)})
        if i % 7 == 3:
            builder = ReportBuilder(answers={1: str(i)})
        figures = {k: v for j, (k, v) in enumerate(FIGURES.items()) if (j + i) % 11}
        write_report(repo, builder.text(), figures)
        commit(repo, "report", BEFORE)
        paths.append(repo)
    return paths
