"""The four file checks read the repository only through ``ctx.files()``: a commit's tree in batch
``--at`` mode (the work tree is never consulted), the work tree's tracked plus untracked-not-ignored
files otherwise."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from report_lint.batch.gitsource import GitCommitSource
from report_lint.checks import broken_link, figure_format, missing_figure, template_figure
from report_lint.checks.base import CheckContext
from report_lint.evidence.checklist import SOURCE_CACHE_KEY
from report_lint.evidence.gitlisting import GitWorkTreeSource
from report_lint.packs.plain import TemplateFigure

from .factory import ReportFactory, context, load_pack, run
from .images import jpeg, png

SAMPLE = png(2, 2, (1, 2, 3))
ANSWER = "\n".join(
    [
        "![a](figures/ok.png) ![b](figures/gone.png) ![c](figures/new.png)",
        "![d](figures/fake.png) ![e](figures/OK.png) ![f](figures/out.png)",
        "![g](figures/bucket.png) ![h](figures/shared/x.png)",
        "[i](../dockerfiles/train.dockerfile) [j](../dockerfiles/) [k](../notes.txt) [l](../secret/)",
    ]
)


def _git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "S",
        "GIT_AUTHOR_EMAIL": "s@x",
        "GIT_COMMITTER_NAME": "S",
        "GIT_COMMITTER_EMAIL": "s@x",
    }
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    figures = root / "reports" / "figures"
    figures.mkdir(parents=True)
    (figures / "ok.png").write_bytes(png())
    (figures / "gone.png").write_bytes(png())
    (figures / "fake.png").write_bytes(jpeg())
    (figures / "bucket.png").write_bytes(SAMPLE)
    (figures / "out.png").symlink_to("/etc/passwd")
    (figures / "shared").symlink_to("../../..")  # a directory link leaving the repository
    (root / "dockerfiles").mkdir()
    (root / "dockerfiles" / "train.dockerfile").write_text("FROM python\n")
    (root / ".gitignore").write_text("secret/\nnotes.txt\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "deadline")
    # after the deadline, in the work tree only
    (figures / "gone.png").unlink()
    (figures / "new.png").write_bytes(png())
    (figures / "ok.png").write_bytes(jpeg())
    (root / "notes.txt").write_text("ignored\n")
    (root / "secret").mkdir()
    (root / "secret" / "key.txt").write_text("ignored\n")
    return root


@pytest.fixture
def commit_source(repo: Path) -> Iterator[GitCommitSource]:
    with GitCommitSource(repo, repo / ".git", _git(repo, "rev-parse", "HEAD")) as source:
        yield source


def _findings(repo: Path, source: GitCommitSource | GitWorkTreeSource | None) -> dict[str, list[str]]:
    pack = load_pack("dtu-mlops-31q-2026")
    figure = TemplateFigure(name="figures/bucket.png", sha256=hashlib.sha256(SAMPLE).hexdigest())
    pack = pack.replace(template_figures=[*pack.template_figures, figure])
    f = ReportFactory(root=repo)
    f.question(14, ANSWER)
    report = f.build()
    cache = {} if source is None else {SOURCE_CACHE_KEY: source}
    out = {}
    for module in (missing_figure, figure_format, template_figure, broken_link):
        ctx = context(pack, module.NAME, repo_root=repo)
        ctx = CheckContext(ctx.pack, ctx.rule, ctx.options, ctx.count_mode, ctx.repo_root, cache)
        out[module.NAME] = [x.message for x in run(module, ctx, report)]
    return out


def test_checks_read_the_commit_not_the_work_tree(repo: Path, commit_source: GitCommitSource) -> None:
    got = _findings(repo, commit_source)
    missing = got["missing-figure"]
    assert len(missing) == 4, missing
    assert "`figures/new.png` does not exist" in missing[0]  # untracked in the work tree: not in the commit
    assert "in case" in missing[1] and "figures/ok.png" in missing[1]
    assert "`figures/out.png` resolves outside the repository through a symbolic link" in missing[2]
    assert "`figures/shared/x.png` resolves outside the repository through a symbolic link" in missing[3]
    formats = got["figure-format"]
    assert len(formats) == 1 and "`figures/fake.png` is really a JPEG file" in formats[0]  # ok.png: the PNG
    assert len(got["template-figure"]) == 1 and "figures/bucket.png" in got["template-figure"][0]
    links = got["broken-link"]
    assert len(links) == 2 and "../notes.txt" in links[0] and "../secret/" in links[1]
    assert all("not in the repository" in m and "on your computer" not in m for m in links)


def test_checks_read_the_work_tree_files_that_git_would_commit(repo: Path) -> None:
    for source in (None, GitWorkTreeSource.open(repo)):
        got = _findings(repo, source)
        missing = got["missing-figure"]
        assert len(missing) == 4, missing
        assert "`figures/gone.png` does not exist" in missing[0]
        assert "in case" in missing[1]
        assert all("symbolic link" in m for m in missing[2:])
        formats = got["figure-format"]
        assert len(formats) == 2 and "`figures/ok.png` is really a JPEG" in formats[0]
        assert len(got["template-figure"]) == 1
        links = got["broken-link"]
        assert len(links) == 2, links
        assert "git ignores it (`notes.txt` in .gitignore line 2)" in links[0]
        assert "git ignores it (`secret/` in .gitignore line 1)" in links[1]


def test_commit_source_lookups(commit_source: GitCommitSource) -> None:
    table = commit_source.table
    assert table.is_file("reports/figures/gone.png") and not table.is_file("reports/figures/new.png")
    assert table.is_dir("reports") and table.is_dir("reports/figures") and table.is_dir("")
    assert table.case_variant("REPORTS/Figures/OK.PNG") == "reports/figures/ok.png"
    assert commit_source.escapes("reports/figures/out.png") and commit_source.escapes(
        "reports/figures/shared/a"
    )
    assert not commit_source.escapes("reports/figures/ok.png")
    assert commit_source.excluded("notes.txt") is None  # the work tree is never consulted
    assert commit_source.size("reports/figures/bucket.png") == len(SAMPLE)
