from __future__ import annotations

from pathlib import Path

from report_lint.checks import figure_format as rule

from .factory import ReportFactory, context, run
from .images import jpeg, png


def test_formats(tmp_path: Path) -> None:
    figures = tmp_path / "reports" / "figures"
    figures.mkdir(parents=True)
    (figures / "ok.png").write_bytes(png())
    (figures / "ok.jpg").write_bytes(jpeg())
    (figures / "fake.png").write_bytes(jpeg())
    (figures / "lfs.png").write_bytes(b"version https://git-lfs.github.com/spec/v1\noid sha256:00\n")
    (figures / "diagram.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (figures / "empty.jpeg").write_bytes(b"")
    f = ReportFactory(root=tmp_path)
    f.question(
        14,
        "![a](figures/ok.png)\n![b](figures/ok.jpg)\n![c](figures/fake.png)\n![d](figures/lfs.png)\n"
        "![e](figures/diagram.svg)\n![f](figures/empty.jpeg)\n![g](figures/missing.png)",
    )
    got = run(rule, context(repo_root=tmp_path), f.build())
    messages = [x.message for x in got]
    assert len(got) == 4, messages
    assert "really a JPEG file" in messages[0] and "rename it to .jpg" in messages[0]
    assert "Git LFS pointer" in messages[1]
    assert "`.svg` format" in messages[2]
    assert "empty file" in messages[3]
