from __future__ import annotations

import os
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
