from __future__ import annotations

import hashlib
from pathlib import Path

from report_lint.checks import template_figure as rule
from report_lint.packs.plain import TemplateFigure

from .factory import ReportFactory, context, load_pack, run
from .images import png


def test_byte_identical_template_figure(tmp_path: Path) -> None:
    figures = tmp_path / "reports" / "figures"
    figures.mkdir(parents=True)
    sample = png(2, 2, (1, 2, 3))
    (figures / "bucket.png").write_bytes(sample)
    (figures / "ours.png").write_bytes(png(2, 2, (9, 9, 9)))
    pack = load_pack("dtu-mlops-31q-2026")
    pack = pack.replace(
        template_figures=[
            *pack.template_figures,
            TemplateFigure(name="figures/bucket.png", sha256=hashlib.sha256(sample).hexdigest()),
        ]
    )
    f = ReportFactory(root=tmp_path)
    f.question(19, "![b](figures/bucket.png)\n![o](figures/ours.png)")
    (only,) = run(rule, context(pack, repo_root=tmp_path), f.build())
    assert "template's example figure figures/bucket.png" in only.message


def test_dtu_pack_holds_the_five_hashes() -> None:
    names = {f.name for f in load_pack("dtu-mlops-27q").template_figures}
    assert names == {f"figures/{n}.png" for n in ("wandb", "bucket", "build", "registry", "overview")}
