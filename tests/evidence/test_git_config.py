"""Remote URLs read from ``.git/config`` in place (``evidence/gitconfig.py``) are git's answer.

Every case is a real repository whose config we write; git itself (``git config --local --no-includes
--get-regexp '^remote\\..*\\.url$'``, as the source used to ask) is the reference.  Configs outside the
plain subset (quoting, escapes, old headers, CRLF, extensions, a bad ``core.bare``...) must be left to
git; plain ones must be answered without it.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from report_lint import gitcmd
from report_lint.evidence import gitlisting
from report_lint.evidence.gitconfig import local_remote_urls
from report_lint.evidence.repo import open_source

BASE = "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n"
PLAIN = [
    '[remote "origin"]\n\turl = https://github.com/group/project.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*',
    '[Remote "Up"]\n\tURL = git@github.com:a/b.git\n\tpushurl = https://push.example/x',
    '[remote "two"]\n\turl = https://a.example/1\n\turl = https://a.example/2',
    '[remote "bare"]\n\turl',
    '[remote "empty"]\n\turl =',
    '[remote ""]\n\turl = https://empty-name.example',
    '[remote "a.b c"]\n\turl=https://dotted.example',
    "[remote]\n\turl = https://no-subsection.example",
    "# a comment\n; another\n\t\n",
    '[include]\n\tpath = other.config\n[includeIf "gitdir:/nowhere/"]\n\tpath = other.config',
    '[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/main',
    "[core]\n\tbare = FALSE",
]
LEFT_TO_GIT = [
    "[remote.origin]\n\turl = https://old-style.example",
    '[remote "q"]\n\turl = "https://quoted.example"',
    '[remote "e"]\n\turl = https://esc.example/\\t',
    '[remote "c"]\n\turl = https://comment.example # trailing',
    '[remote "s"]\n\turl = https://a.example/with space',
    '[remote "crlf"]\r\n\turl = https://crlf.example\r',
    "[extensions]\n\tobjectformat = sha1",
    "[core]\n\trepositoryformatversion = 7",
    "[core]\n\tbare = maybe",
    '[remote "u"]\n\turl = https://ünïcode.example',
    '[remote "k"] url = https://same-line.example',
    '  [remote "i"]\n\turl = https://indented-header.example',
    '[remote "cont"]\n\turl = https://a.example/\\\n\tmore',
    '[remote "bad\n\turl = https://broken.example',
    "[1]\n\t1bad = x",
    '[remote "t"]\n\turl = https://tab.example\tx',
]


def _git_answer(root: Path) -> list[str]:
    done = gitcmd.run(["config", "--local", "--no-includes", "--get-regexp", r"^remote\..*\.url$"], cwd=root)
    return _urls(done.stdout.decode("utf-8", "replace") if done.ok else "")


def _urls(text: str) -> list[str]:
    return [url.strip() for line in text.splitlines() for _, _, url in [line.partition(" ")] if url]


def _repo_with(tmp_path: Path, name: str, config: str) -> Path:
    root = tmp_path / name
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "other.config").write_text('[remote "included"]\n\turl = https://included.example\n')
    (root / ".git" / "config").write_bytes(config.encode("utf-8"))
    return root


@pytest.mark.parametrize("part", PLAIN)
def test_plain_configs_are_read_in_place_as_git_reads_them(tmp_path: Path, part: str) -> None:
    root = _repo_with(tmp_path, "r", BASE + part + "\n")
    text = local_remote_urls(root)
    assert text is not None, part
    assert _urls(text) == _git_answer(root)


@pytest.mark.parametrize("part", LEFT_TO_GIT)
def test_other_configs_are_left_to_git(tmp_path: Path, part: str) -> None:
    root = _repo_with(tmp_path, "r", BASE + part + "\n")
    assert local_remote_urls(root) is None, part
    assert open_source(root).remotes() == _git_answer(root)


def test_random_configs_agree_with_git(tmp_path: Path) -> None:
    """Random mixtures of the cases above (and a key before any section): an answer is git's."""
    rng = random.Random(7)
    answered = 0
    for n in range(120):
        parts = rng.sample(PLAIN + LEFT_TO_GIT, rng.randrange(1, 5))
        head = rng.choice(["", "", "orphan = 1\n"])
        root = _repo_with(tmp_path, f"r{n}", head + BASE + "\n".join(parts) + "\n")
        text = local_remote_urls(root)
        if text is not None:
            answered += 1
            assert _urls(text) == _git_answer(root), parts
    assert answered >= 10


def test_a_worktree_link_or_a_linked_config_is_left_to_git(tmp_path: Path) -> None:
    """``.git`` as a file (a linked worktree, a submodule) or ``.git/config`` as a link: git decides."""
    main = _repo_with(tmp_path, "main", BASE + '[remote "origin"]\n\turl = https://main.example\n')
    (main / "f").write_text("x")
    subprocess.run(["git", "-C", str(main), "add", "f"], check=True)
    subprocess.run(
        ["git", "-C", str(main), "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "x"],
        check=True,
    )
    linked = tmp_path / "linked"
    subprocess.run(["git", "-C", str(main), "worktree", "add", "-q", str(linked)], check=True)
    assert local_remote_urls(linked) is None
    assert open_source(linked).remotes() == ["https://main.example"]
    outside = tmp_path / "outside.config"
    outside.write_text('[remote "x"]\n\turl = https://outside.example\n')
    other = _repo_with(tmp_path, "other", BASE)
    (other / ".git" / "config").unlink()
    (other / ".git" / "config").symlink_to(outside)
    assert local_remote_urls(other) is None


def test_a_plain_config_costs_no_git_process(
    repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo({"a.py": ""})
    subprocess.run(
        ["git", "-C", str(root), "remote", "add", "origin", "https://github.com/g/p.git"], check=True
    )
    source = open_source(root)
    calls: list[tuple[str, ...]] = []
    real = gitlisting.run_git

    def counting(where: Path, *args: str, timeout: float = 30.0) -> bytes | None:
        calls.append(args)
        return real(where, *args, timeout=timeout)

    monkeypatch.setattr(gitlisting, "run_git", counting)
    assert source.remotes() == ["https://github.com/g/p.git"]
    assert calls == []


def test_the_github_item_through_the_cli(repo: Callable[..., Path]) -> None:
    """``report-lint check``: the "code on GitHub" item is supported by the remote read in place, and
    by git's answer when the config is outside the subset (a quoted URL), with the same words."""
    from builders import ReportBuilder

    item = "* [x] Remember to upload your code to a GitHub repository (M5)"
    report = ReportBuilder(fill_words=120).text().replace("* [x] Create a git repository (M5)", item)
    found = []
    for url in ("https://github.com/g/p.git", '"https://github.com/g/p.git"'):
        root = repo({"reports/README.md": report, "reports/figures/.keep": ""})
        config = root / ".git" / "config"
        config.write_text(config.read_text() + f'[remote "origin"]\n\turl = {url}\n')
        assert (local_remote_urls(root) is None) == url.startswith('"')
        done = subprocess.run(
            [sys.executable, "-m", "report_lint", "check", "--format", "json", "reports/README.md"],
            cwd=root,
            capture_output=True,
            check=False,
        )
        assert done.returncode in (0, 1), done.stderr
        items = json.loads(done.stdout)["reports"][0]["checklist"]
        found.append([c.get("evidence_found") for c in items if c.get("rule") == "uploaded-github"])
    assert found[0] == found[1] == [["remote https://github.com/g/p.git"]]


def test_links_inside_git_are_never_followed(tmp_path: Path) -> None:
    """``HEAD`` or ``objects`` as a link (it could lead out of the root, or to a FIFO): nothing is
    opened through it, git decides, and the answer is still git's."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "HEAD").write_text("ref: refs/heads/main\n")
    for name in ("HEAD", "objects"):
        root = _repo_with(tmp_path, f"r-{name}", BASE + '[remote "o"]\n\turl = https://o.example\n')
        target = root / ".git" / name
        moved = outside / f"{name}-moved"
        target.rename(moved)
        target.symlink_to(moved)
        assert local_remote_urls(root) is None
        assert open_source(root).remotes() == _git_answer(root)
