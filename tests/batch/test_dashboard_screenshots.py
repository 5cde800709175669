"""docs/screenshots.py makes the dashboard pictures the docs show: run it, into a scratch folder."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tooling import missing

from .browser import require_chromium

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "screenshots.py"
PNG = b"\x89PNG\r\n\x1a\n"


def test_the_screenshot_script_makes_both_pictures(tmp_path: Path) -> None:
    require_chromium()
    if not SCRIPT.is_file():  # an sdist ships tests/ without docs/
        missing(f"{SCRIPT} is not there")
    spec = importlib.util.spec_from_file_location("docs_screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shots = module.take(tmp_path / "images", tmp_path / "work")
    assert [s.name for s in shots] == ["dashboard-overview.png", "dashboard-group.png"]
    for shot in shots:
        data = shot.read_bytes()
        assert data.startswith(PNG) and len(data) > 20_000
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (1400, 1000)
    assert shots[0].read_bytes() != shots[1].read_bytes()
    for name in ("dashboard-overview.png", "dashboard-group.png"):  # the docs show what the script makes
        assert (SCRIPT.parent / "images" / name).is_file()
