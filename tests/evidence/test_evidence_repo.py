"""The repository index: what counts, what never counts, and how it reads."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from evidence_helpers import git, make_repo

from report_lint.evidence.gitlisting import GitWorkTreeSource
from report_lint.evidence.repo import RepoIndex, open_source
from report_lint.evidence.walk import WalkSource


def test_git_listing_tracked_and_untracked_not_ignored(repo: Callable[..., Path]) -> None:
    root = repo(
        {".gitignore": "data/\n*.ckpt\n", "src/a.py": "x = 1\n", "README.md": "hi\n"},
        untracked={
            "new.py": "y = 2\n",
            "data/raw/big.csv": "1,2\n",
            "model.ckpt": "bin",
            "sub/Dockerfile": "FROM x\n",
        },
    )
    index = RepoIndex.open(root)
    assert index.source.is_git
    assert index.files == (".gitignore", "README.md", "new.py", "src/a.py", "sub/Dockerfile")
    assert index.noun == "tracked files"


def test_ignored_tracked_elsewhere_file_counts_but_ignored_untracked_does_not(
    repo: Callable[..., Path],
) -> None:
    root = repo({"keep/.pre-commit-config.yaml": "repos: []\n"})
    (root / ".gitignore").write_text("*.yaml\n")
    (root / ".pre-commit-config.yaml").write_text("repos: []\n")  # untracked and ignored
    index = RepoIndex.open(root)
    # tracked files count even when a later .gitignore matches them; ignored untracked ones never
    assert "keep/.pre-commit-config.yaml" in index.files
    assert ".pre-commit-config.yaml" not in index.files


def test_deleted_tracked_file_does_not_count(repo: Callable[..., Path]) -> None:
    root = repo({"Dockerfile": "FROM x\n", "a.py": ""})
    (root / "Dockerfile").unlink()
    assert RepoIndex.open(root).files == ("a.py",)


def test_root_is_a_subdirectory_of_the_work_tree(repo: Callable[..., Path]) -> None:
    root = repo({"project/src/a.py": "", "other/b.py": ""})
    index = RepoIndex.open(root / "project")
    assert index.files == ("src/a.py",)


@pytest.mark.parametrize("use_git", [True, False])
def test_symlink_out_of_root_not_followed(tmp_path: Path, use_git: bool) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("import wandb\n")
    (outside / "Dockerfile").write_text("FROM x\n")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.py").write_text("x = 1\n")
    os.symlink(outside / "secret.py", root / "link.py")
    os.symlink(outside, root / "linkdir")
    os.symlink(root / "a.py", root / "inside_link.py")
    make_repo(root, {}, use_git=use_git)
    index = RepoIndex.open(root, use_git=use_git)
    assert "link.py" not in index.files
    assert not any(f.startswith("linkdir") for f in index.files)
    assert "inside_link.py" in index.files
    assert index.read("link.py") is None
    assert index.source.read("link.py", 100) is None
    assert index.source.read("linkdir/Dockerfile", 100) is None


def test_walk_honours_gitignore_including_nested_and_negation(tmp_path: Path) -> None:
    root = make_repo(
        tmp_path / "r",
        {
            ".gitignore": "data/\n*.log\n!keep.log\n",
            "a.py": "",
            "x.log": "",
            "keep.log": "",
            "data/raw.csv": "",
            "src/.gitignore": "generated.py\n/local_only/\n",
            "src/generated.py": "",
            "src/pkg/generated.py": "",
            "src/local_only/a.py": "",
            "src/ok.py": "",
            "node_modules/x/index.js": "",
            ".venv/lib/site.py": "",
            "myenv/pyvenv.cfg": "",
            "myenv/lib/x.py": "",
            "__pycache__/a.pyc": "",
        },
        use_git=False,
    )
    index = RepoIndex.open(root)
    assert isinstance(index.source, WalkSource)
    assert index.noun == "files"
    assert index.files == (".gitignore", "a.py", "keep.log", "src/.gitignore", "src/ok.py")


def test_walk_prunes_ignored_directories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path / "r", {".gitignore": "big/\n", "big/a/1.csv": "", "a.py": ""}, use_git=False)
    seen: list[str] = []
    real_scandir = os.scandir

    def spy(path: str | os.PathLike[str]) -> object:
        seen.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", spy)
    assert WalkSource(root).list() == (".gitignore", "a.py")
    assert not any("big" in p for p in seen)


def test_git_missing_falls_back_to_walk(repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = repo({".gitignore": "secret/\n", "a.py": ""}, untracked={"secret/x.py": ""})
    monkeypatch.setattr(shutil, "which", lambda name: None)
    source = open_source(root)
    assert isinstance(source, WalkSource)
    assert source.list() == (".gitignore", "a.py")


def test_not_a_git_repository(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "plain", {"a.py": ""}, use_git=False)
    assert GitWorkTreeSource.open(root) is None


def test_git_env_does_not_redirect(repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    other = repo({"elsewhere.py": ""})
    root = repo({"here.py": ""})
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    assert RepoIndex.open(root).files == ("here.py",)


def test_reads_are_capped_lazy_and_budgeted(repo: Callable[..., Path]) -> None:
    root = repo({"big.py": "x" * 5000, "a.py": "a", "b.py": "b" * 10})
    index = RepoIndex(open_source(root), max_file_bytes=100, max_total_bytes=110)
    assert index._reads == {}
    data = index.read("big.py")
    assert data is not None and len(data) == 100
    assert index.read("b.py") == b"b" * 10
    assert index.read("a.py") is None  # over the total budget
    assert index.budget_exhausted
    assert index.read("not-listed.py") is None


def test_fifo_is_not_read(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"a.py": ""}, use_git=False)
    os.mkfifo(root / "pipe.py")
    index = RepoIndex.open(root)
    assert "pipe.py" not in index.files
    assert index.source.read("pipe.py", 10) is None


def test_exclude_and_glob(repo: Callable[..., Path]) -> None:
    root = repo({"reports/README.md": "", "docs/index.md": "", "Dockerfile": "", "api/x.dockerfile": ""})
    index = RepoIndex.open(root, exclude=["reports/README.md"])
    assert "reports/README.md" not in index.files
    assert index.glob(["*.md"]) == ["docs/index.md"]
    assert index.glob(["Dockerfile", "*.dockerfile"]) == ["Dockerfile", "api/x.dockerfile"]
    assert index.glob(["*.md", "Dockerfile"], exclude=["docs/"]) == ["Dockerfile"]


def test_remotes(repo: Callable[..., Path]) -> None:
    root = repo({"a.py": ""})
    git(root, "remote", "add", "origin", "https://github.com/group/project.git")
    source = open_source(root)
    assert source.remotes() == ["https://github.com/group/project.git"]
