from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from report_lint.checks import missing_figure as rule
from report_lint.diagnostic import Severity

from .factory import ReportFactory, context, run
from .images import png


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    figures = tmp_path / "reports" / "figures"
    figures.mkdir(parents=True)
    for name in ("artifact-registry.png", "my plot.png", "Loss.png", "bucket.png"):
        (figures / name).write_bytes(png())
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "overview.png").write_bytes(png())
    return tmp_path


def check(repo: Path, answer: str, question: int = 14):  # type: ignore[no-untyped-def]
    f = ReportFactory(root=repo)
    f.question(question, answer)
    return run(rule, context(repo_root=repo), f.build())


def test_existing_figures_pass(repo: Path) -> None:
    assert (
        check(
            repo,
            "![a](figures/artifact-registry.png)\n![b](<figures/my plot.png>)\n"
            "![c](figures/my%20plot.png)\n![d](./figures/bucket.png)\n"
            "![e](/reports/figures/bucket.png)\n![f](../docs/overview.png)",
        )
        == []
    )


def test_missing_with_suggestion_at_the_image(repo: Path) -> None:
    (only,) = check(repo, "Text ![reg](figures/artifact_registry.png)")
    assert only.column == len("Text ") + 1
    assert "does not exist" in only.message
    assert "did you mean figures/artifact-registry.png?" in only.message


def test_case_mismatch_is_reported_even_if_the_fs_ignores_case(repo: Path) -> None:
    (only,) = check(repo, "![l](figures/loss.png)")
    assert "case" in only.message and "figures/Loss.png" in only.message


def test_path_written_from_repo_root(repo: Path) -> None:
    (only,) = check(repo, "![b](reports/figures/bucket.png)")
    assert "relative to the repository root" in only.message and "`figures/bucket.png`" in only.message


@pytest.mark.parametrize(
    "src",
    [
        "../../etc/passwd.png",
        "/../secret.png",
        "C:\\Users\\me\\plot.png",
        "file:///home/me/plot.png",
        "..%2F..%2Fx.png",
    ],
)
def test_paths_leaving_the_repository_are_errors(repo: Path, src: str) -> None:
    (only,) = check(repo, f"![x]({src})")
    assert "outside the repository" in only.message and only.severity is None


def test_symlink_escaping_the_repository(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.png").write_bytes(png())
    os.symlink(outside / "secret.png", repo / "reports" / "figures" / "link.png")
    (only,) = check(repo, "![x](figures/link.png)")
    assert "symbolic link" in only.message


def test_remote_image_is_info(repo: Path) -> None:
    (only,) = check(repo, "![x](https://example.org/plot.png)")
    assert only.severity == Severity.INFO and "HTML export" in only.message


def test_template_placeholder_path(repo: Path) -> None:
    (only,) = check(repo, "![my_image](figures/<image>.<extension>)")
    assert "template's placeholder" in only.message


def test_figure_link_missing_and_prompt_links_ignored(repo: Path) -> None:
    f = ReportFactory(root=repo)
    f.question(14, "[see](figures/nothere.png)", prompt_image="figures/wandb.png")
    (only,) = run(rule, context(repo_root=repo), f.build())
    assert "figure link" in only.message and only.line == len(f.lines) - 1


# --------------------------------------------------------------------------- the file set is the repository's


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "S",
        "GIT_AUTHOR_EMAIL": "s@x",
        "GIT_COMMITTER_NAME": "S",
        "GIT_COMMITTER_EMAIL": "s@x",
    }
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def git_repo(repo: Path) -> Path:
    (repo / ".gitignore").write_text("*.tmp.png\nreports/figures/private/\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "figures")
    return repo


def test_gitignored_untracked_figure_on_disk_is_missing_and_says_why(git_repo: Path) -> None:
    figures = git_repo / "reports" / "figures"
    (figures / "loss.tmp.png").write_bytes(png())
    (figures / "private").mkdir()
    (figures / "private" / "plot.png").write_bytes(png())
    first, second = check(git_repo, "![a](figures/loss.tmp.png)\n![b](figures/private/plot.png)")
    assert "is not in the repository" in first.message and first.severity is None
    assert "reports/figures/loss.tmp.png is on your computer" in first.message
    assert "git ignores it (`*.tmp.png` in .gitignore line 1) and it is not committed" in first.message
    assert "git add -f reports/figures/loss.tmp.png" in first.message
    assert "`reports/figures/private/` in .gitignore line 2" in second.message


def test_untracked_not_ignored_figure_counts_and_force_added_ignored_figure_counts(git_repo: Path) -> None:
    figures = git_repo / "reports" / "figures"
    (figures / "new.png").write_bytes(png())  # not committed yet, but `git add -A` would take it
    (figures / "kept.tmp.png").write_bytes(png())
    _git(git_repo, "add", "-f", "reports/figures/kept.tmp.png")
    assert check(git_repo, "![a](figures/new.png)\n![b](figures/kept.tmp.png)") == []


def test_gitignored_figure_outside_git_is_missing(repo: Path) -> None:
    (repo / ".gitignore").write_text("*.tmp.png\n")
    (repo / "reports" / "figures" / "loss.tmp.png").write_bytes(png())
    (only,) = check(repo, "![a](figures/loss.tmp.png)")
    assert "is not in the repository" in only.message and "`.gitignore` file ignores it" in only.message


@pytest.mark.parametrize("use_git", [True, False])
def test_symlinked_directory_leaving_the_repository(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, use_git: bool
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.png").write_bytes(png())
    os.symlink(outside, repo / "reports" / "figures" / "shared")
    os.symlink(outside / "secret.png", repo / "reports" / "figures" / "link.png")
    if use_git:
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
    first, second = check(repo, "![x](figures/shared/secret.png)\n![y](figures/link.png)")
    for finding in (first, second):
        assert "resolves outside the repository through a symbolic link" in finding.message


def test_suggestions_come_from_the_listing_only(git_repo: Path) -> None:
    (git_repo / "reports" / "figures" / "artifact_registry.tmp.png").write_bytes(png())  # ignored
    (only,) = check(git_repo, "![a](figures/artifact_registry.png)")
    assert "did you mean figures/artifact-registry.png?" in only.message
