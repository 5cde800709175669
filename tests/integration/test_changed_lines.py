"""``changed_since``: the lines of the work tree that are new since a base commit, computed from git's
listings and objects (no ``git diff``), checked against ``git diff --unified=0`` itself as the oracle."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from report_lint import gitcmd
from report_lint.annotate import parse_unified_diff
from report_lint.changes import changed_since, new_lines


def git(cwd: Path, *args: str) -> str:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def lines(*items: str) -> str:
    return "".join(f"{item}\n" for item in items)


BASE = {
    "reports/README.md": lines(*(f"line {n}" for n in range(1, 41))),
    "src/train.py": lines("import torch", "", "def main():", "    pass"),
    "gone.txt": lines("bye"),
    "sub/inner.md": lines("a", "b", "c"),
}


def edit(root: Path) -> None:
    report = [f"line {n}" for n in range(1, 41)]
    report[2] = "line 3, rewritten"
    report.insert(5, "inserted after line 5")
    del report[10]
    report.append("appended at the end")
    (root / "reports/README.md").write_text(lines(*report), encoding="utf-8")
    (root / "src/train.py").write_text(
        lines("import torch", "", "def main():", "    train()"), encoding="utf-8"
    )
    (root / "gone.txt").unlink()
    (root / "sub/inner.md").write_text(lines("a", "B", "c", "d"), encoding="utf-8")
    (root / "src/new.py").write_text(lines("x = 1", "y = 2"), encoding="utf-8")


@pytest.fixture()
def checkout(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "checkout"
    for name, text in BASE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    edit(root)
    git(root, "add", "-A")  # tracked, as in a pull request's checkout (git diff skips untracked files)
    git(root, "commit", "-q", "-m", "head")
    return root, base


def oracle(root: Path, base: str) -> dict[str, set[int]]:
    return parse_unified_diff(git(root, "diff", "--no-ext-diff", "--relative", "--unified=0", base, "--"))


def test_equals_git_diff(checkout: tuple[Path, str]) -> None:
    root, base = checkout
    got = changed_since(root, base)
    assert got == oracle(root, base)
    assert got is not None and got["reports/README.md"] == {3, 6, 41}
    assert got["src/new.py"] == {1, 2} and got["sub/inner.md"] == {2, 4}


def test_uncommitted_edits_count(checkout: tuple[Path, str]) -> None:
    root, base = checkout
    (root / "src/train.py").write_text(
        lines("import jax", "", "def main():", "    train()"), encoding="utf-8"
    )
    got = changed_since(root, base)
    assert got == oracle(root, base) and got is not None and got["src/train.py"] == {1, 4}


def test_subdirectory_root(checkout: tuple[Path, str]) -> None:
    root, base = checkout
    assert changed_since(root / "sub", base) == {"inner.md": {2, 4}} == oracle(root / "sub", base)


def test_line_endings_do_not_count(checkout: tuple[Path, str]) -> None:
    root, base = checkout
    (root / "sub/inner.md").write_bytes(b"a\r\nb\r\nc\r\n")  # back to the base's lines, with CRLF
    got = changed_since(root, base)
    assert got is not None and "sub/inner.md" not in got


def test_unknown_base_without_origin(checkout: tuple[Path, str]) -> None:
    root, _ = checkout
    assert changed_since(root, "0123456789abcdef0123456789abcdef01234567") is None


def test_not_a_work_tree(tmp_path: Path) -> None:
    assert changed_since(tmp_path, "0123456789abcdef0123456789abcdef01234567") is None


def test_missing_base_is_fetched_from_origin(
    checkout: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shallow checkout (as actions/checkout makes) lacks the base: it is fetched, by sha, from origin.

    Only https is allowed in real runs; the test allows the local file protocol in its place."""
    upstream, base = checkout
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{upstream}", str(clone))
    assert subprocess.run(["git", "cat-file", "-e", f"{base}^{{commit}}"], cwd=clone).returncode != 0
    assert changed_since(clone, base) is None  # file:// is not allowed
    monkeypatch.setattr(gitcmd, "NETWORK_PROTOCOLS", "file")
    assert changed_since(clone, base) == oracle(upstream, base)


def test_new_lines_basics() -> None:
    assert new_lines(b"", b"a\nb\n") == {1, 2}
    assert new_lines(b"a\nb\n", b"a\nb\n") == set()
    assert new_lines(b"a\nb\nc\n", b"a\nc\n") == set()  # a deletion adds nothing
    assert new_lines(b"a\nb\nc\n", b"a\nx\nb\nc\n") == {2}
    assert new_lines(b"a\nb", b"a\nb\nc") == {3}


@pytest.mark.parametrize(
    "texts",
    [
        lambda n: (b"old\n" * n, b"new\n" * n),  # everything differs
        lambda n: (b"a\nb\n" * (n // 2), b"b\na\n" * (n // 2)),  # one shift, many equal lines
        lambda n: (b"x\n" * n, b"x\ny\n" * (n // 2)),  # every other line inserted
        lambda n: (
            b"".join(b"%d\n" % (i % 7) for i in range(n)),
            b"".join(b"%d\n" % (i % 5) for i in range(n)),
        ),
    ],
    ids=["all-differ", "shifted", "interleaved", "periodic"],
)
def test_new_lines_work_is_bounded(texts: Callable[[int], tuple[bytes, bytes]]) -> None:
    """The quadratic cases of a line diff: the step budget keeps them linear in the input size."""

    def seconds(n: int) -> float:
        old, new = texts(n)
        start = time.perf_counter()
        got = new_lines(old, new)
        assert got <= set(range(1, new.count(b"\n") + 1))
        return time.perf_counter() - start

    small = min(seconds(20_000) for _ in range(2))
    large = min(seconds(200_000) for _ in range(2))
    assert large < max(small, 0.05) * 40, (small, large)  # linear: about 10x; quadratic would be 100x


def test_new_lines_matches_git_on_small_edits(tmp_path: Path) -> None:
    """Myers' shortest edit script, like git: the same new-side lines for a repetitive file."""
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q")
    old = b"".join(b"%d\n" % (i % 4) for i in range(60))
    new = old.replace(b"2\n3\n", b"2\nX\n3\n", 3).replace(b"1\n", b"", 2) + b"tail\n"
    (root / "f").write_bytes(old)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    (root / "f").write_bytes(new)
    assert new_lines(old, new) == oracle(root, base)["f"]
