"""Make the dashboard screenshots in docs/images/ from a generated class (our own text): two hand-ins,
``report-lint batch`` on each (the second with ``--compare``), headless Chromium.

    python docs/screenshots.py [OUT_DIR]      # default: docs/images

``tests/batch/test_dashboard_screenshots.py`` runs :func:`take` into a scratch folder, so this script
cannot silently rot.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "tests"))

from batch.browser import Browser  # noqa: E402
from batch.classroom import improve, make_class  # noqa: E402

OVERVIEW = "dashboard-overview.png"
GROUP = "dashboard-group.png"
OLD_DATE = "2026-01-20T10:00:00+01:00"  # the first run's date, fixed so the pictures do not change with it


def _batch(work: Path, out: str, *args: str) -> Path:
    subprocess.run(
        [sys.executable, "-m", "report_lint", "batch", "class", "--out", out, "--no-progress", *args],
        cwd=work,
        check=False,  # 1: some repositories could not be linted (the class has one on purpose)
        capture_output=True,
    )
    return work / out


def take(out_dir: Path, work: Path) -> list[Path]:
    """Build the class in ``work``, run batch twice, write the two screenshots to ``out_dir``."""
    paths = make_class(work)
    first = _batch(work, "first")
    data = json.loads((first / "results.json").read_text(encoding="utf-8"))
    data["batch"]["generated"] = OLD_DATE
    (first / "results.json").write_text(json.dumps(data), encoding="utf-8")
    improve(work, paths)
    second = _batch(work, "second", "--compare", "first/results.json")
    repos = json.loads((second / "results.json").read_text(encoding="utf-8"))["repositories"]
    group = [r["path"] for r in repos].index(paths["render"])
    out_dir.mkdir(parents=True, exist_ok=True)
    shots = [out_dir / OVERVIEW, out_dir / GROUP]
    with Browser(width=1400, height=1000) as page:
        page.open((second / "dashboard.html").as_uri())
        page.screenshot(shots[0])
        page.open("about:blank")
        page.open((second / "dashboard.html").as_uri() + f"#repo={group}")
        page.screenshot(shots[1])
    return shots


def main() -> None:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT / "docs" / "images"
    with tempfile.TemporaryDirectory() as work:
        for shot in take(out_dir.resolve(), Path(work)):
            print("wrote", shot)


if __name__ == "__main__":
    main()
