"""`report-lint init` on the three DTU templates in ../shared/templates: the pack it writes extends the
built-in pack of that generation, so its question limits are the built-in's; and the limits it reads from
the template's own text (``--standalone``) are the ones the built-in pack says the template states."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tooling import shared_files

from report_lint.packs.loader import load_pack
from report_lint.packs.models import Pack, Range

GENERATIONS = {
    "template-2023-27q.md": "dtu-mlops-27q",
    "template-2024-31q.md": "dtu-mlops-31q-2024",
    "template-2026-31q.md": "dtu-mlops-31q-2026",
}


def _template(name: str) -> Path:
    (path,) = [p for p in shared_files("templates", "template-*.md") if p.name == name]
    return path


def _init(template: Path, out: Path, *args: str) -> Pack:
    proc = subprocess.run(
        [sys.executable, "-m", "report_lint", "init", str(template), "-o", str(out), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return load_pack(str(out))


def _limits(pack: Pack, *, stated: bool) -> dict[int, tuple[Range | None, Range | None]]:
    out = {}
    for number, q in pack.questions.items():
        words = (q.stated_words or q.words) if stated else q.words
        images = (q.stated_images or q.images) if stated else q.images
        out[number] = (words, images)
    return out


@pytest.mark.parametrize("name", sorted(GENERATIONS))
def test_init_extends_the_generations_pack(tmp_path: Path, name: str) -> None:
    builtin = load_pack(GENERATIONS[name])
    pack = _init(_template(name), tmp_path / "pack.yaml")
    assert (tmp_path / "pack.yaml").read_text(encoding="utf-8").count(f"\nextends: {builtin.name}\n") == 1
    assert pack.question_count == builtin.question_count
    assert _limits(pack, stated=False) == _limits(builtin, stated=False)


@pytest.mark.parametrize("name", sorted(GENERATIONS))
def test_limits_read_from_the_template_are_the_stated_ones(tmp_path: Path, name: str) -> None:
    builtin = load_pack(GENERATIONS[name])
    pack = _init(_template(name), tmp_path / "pack.yaml", "--standalone")
    assert "extends" not in (tmp_path / "pack.yaml").read_text(encoding="utf-8")
    assert pack.question_count == builtin.question_count
    want = _limits(builtin, stated=True)
    got = {n: (pack.question(n).words, pack.question(n).images) for n in want}  # type: ignore[union-attr]
    assert got == want
