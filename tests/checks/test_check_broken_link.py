from __future__ import annotations

from pathlib import Path

from report_lint.checks import broken_link as rule

from .factory import ReportFactory, context, run


def test_links(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "dockerfiles").mkdir()
    (tmp_path / "dockerfiles" / "train.dockerfile").write_text("FROM python\n")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "tests.yaml").write_text("on: push\n")
    f = ReportFactory(root=tmp_path)
    f.question(
        15,
        "\n".join(
            [
                "[ok](../dockerfiles/train.dockerfile) [dir](../dockerfiles/)",
                "[root](/dockerfiles/train.dockerfile) [frag](#question-3) [web](https://github.com/x/y)",
                "[mail](mailto:a@b.dk) [ci](../.github/workflows/tests.yaml)",
                "[bad](../dockerfile/train.dockerfile)",
                "[out](../../elsewhere.txt)",
                "[site](www.example.com/page)",
                "[case](../Dockerfiles/train.dockerfile)",
                "[fig](figures/none.png)",
            ]
        ),
    )
    got = run(rule, context(repo_root=tmp_path), f.build())
    messages = [x.message for x in got]
    assert len(got) == 4, messages
    assert "did you mean ../dockerfiles/train.dockerfile?" in messages[0]
    assert "outside the repository" in messages[1]
    assert "https://www.example.com/page" in messages[2]
    assert "in case" in messages[3]


def test_prompt_links_never_reported(tmp_path: Path) -> None:
    f = ReportFactory(root=tmp_path)
    f.question(14, "fine", prompt_image="figures/wandb.md")
    assert run(rule, context(repo_root=tmp_path), f.build()) == []
