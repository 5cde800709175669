"""``batch --at`` picks the right commit for any date git can hold: 1970 itself, 1971/1972 (before
1973-03-03 git's ``@<seconds>`` needed nine digits, and the branch tip was silently linted), and the
far future.  A real repository whose commits carry ``GIT_COMMITTER_DATE``; the author dates are
deliberately different, so a pick by author date would be caught too."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from report_lint.batch.gitsource import snapshot

from .conftest import run_batch
from .repos import clean_text, git, new_repo, write_report

# (name, committer date, author date): first-parent history of main, oldest first
HISTORY = (
    ("epoch", "@0 +0000", "@200000000 +0000"),
    ("1971", "@44064000 +0000", "@1 +0000"),  # 1971-05-26T00:00:00Z
    ("1972", "1972-12-31T23:00:00+01:00", "@2 +0000"),  # 22:00Z: 94 687 200, eight digits
    ("2026", "2026-01-20T10:00:00+00:00", "@3 +0000"),
    ("2200", "@7258118400 +0000", "@4 +0000"),  # 2200-01-01T00:00:00Z
)


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("dates")
    repo = new_repo(root / "group_1" / "dated")
    shas: dict[str, str] = {}
    for n, (name, date, author) in enumerate(HISTORY):
        write_report(repo, clean_text(group=n + 1))
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", name, date=date, author_date=author)
        shas[name] = git(repo, "rev-parse", "HEAD")
    return repo, shas


@pytest.mark.parametrize(
    ("at", "expected", "committed"),
    [
        ("1971-06-01T00:00:00+00:00", "1971", "1971-05-26T00:00:00+00:00"),
        ("1972-12-31T21:59:59+00:00", "1971", "1971-05-26T00:00:00+00:00"),
        ("1973-01-01T00:00:00+01:00", "1972", "1972-12-31T23:00:00+01:00"),
        ("2199-12-31T23:59:59+00:00", "2026", "2026-01-20T10:00:00+00:00"),
        ("2200-01-01T00:00:00+00:00", "2200", "2200-01-01T00:00:00+00:00"),
    ],
)
def test_at_picks_by_committer_date_through_the_cli(
    dated: tuple[Path, dict[str, str]], tmp_path: Path, at: str, expected: str, committed: str
) -> None:
    repo, shas = dated
    run = run_batch(repo.parent.parent, str(tmp_path / "out"), "--jobs", "1", "--at", at, str(repo))
    (row,) = run.json["repositories"]
    assert row["error"] == "", row["error"]
    assert (row["commit"], row["committed"]) == (shas[expected], committed)
    assert row["group"] == HISTORY.index(next(h for h in HISTORY if h[0] == expected)) + 1


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (datetime(1970, 1, 1, tzinfo=timezone.utc), "epoch"),  # exactly the commit's time: "at or before"
        (datetime(1970, 1, 1, 0, 0, 0, 500000, tzinfo=timezone.utc), "epoch"),
        (datetime(1971, 5, 25, 23, 59, 59, tzinfo=timezone.utc), "epoch"),
        (datetime(1971, 5, 26, tzinfo=timezone.utc), "1971"),
        (datetime(1999, 1, 1, tzinfo=timezone.utc), "1972"),
        (datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc), "2200"),
    ],
)
def test_snapshot_edges(dated: tuple[Path, dict[str, str]], at: datetime, expected: str) -> None:
    repo, shas = dated
    assert snapshot(repo / ".git", at).commit == shas[expected]


def test_before_the_first_commit(dated: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    repo, _ = dated
    run = run_batch(
        repo.parent.parent, str(tmp_path / "out"), "--jobs", "1", "--at", "1969-12-31T23:59:59Z", str(repo)
    )
    (row,) = run.json["repositories"]
    assert "no commit on main at or before 1969-12-31T23:59:59+00:00" in row["error"]
