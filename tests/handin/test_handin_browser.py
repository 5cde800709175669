"""The `preview --compare` page in headless Chromium from file://: it renders, and it sends no request,
not even for the web images, frames and scripts planted in the answers (Chromium's net log is checked,
and a control page proves that log does record a request)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import ReportBuilder
from tests.handin.test_handin_fixtures import CASES
from tests.tooling import run_chromium

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts"
# a closed port on loopback: a request there fails at once, and shows in the net log
PLANTED = (
    '<img src="http://127.0.0.1:9/beacon.png">\n\n<iframe src="http://127.0.0.1:9/frame"></iframe>\n\n'
    '<script src="http://127.0.0.1:9/evil.js"></script>\n\n'
    '<link rel="stylesheet" href="http://127.0.0.1:9/style.css">\n\n![web figure](http://127.0.0.1:9/fig.png)'
)


def chromium(*args: str) -> str:
    return run_chromium(*args)


def _requests(net_log: Path) -> str:
    data = json.loads(net_log.read_text(encoding="utf-8"))
    assert "events" in data
    return json.dumps(data["events"])


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("handin-browser")
    answers = {n: a for n, (a, _) in CASES.items()}
    answers[26] = PLANTED
    ReportBuilder(answers=answers, fill_words=120).write(repo)
    out = repo.parent / "compare.html"
    proc = subprocess.run(
        [sys.executable, "-m", "report_lint", "preview", "--compare", "--repo", str(repo), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def test_the_net_log_records_a_request(tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text('<!doctype html><img src="http://127.0.0.1:9/control.png">', encoding="utf-8")
    log = tmp_path / "control.json"
    chromium(f"--log-net-log={log}", "--dump-dom", control.as_uri())
    assert "127.0.0.1:9/control.png" in _requests(log)


def test_compare_page_renders_from_file_without_any_request(page: Path, tmp_path: Path) -> None:
    log = tmp_path / "net.json"
    dom = chromium(f"--log-net-log={log}", "--dump-dom", page.as_uri())
    assert "127.0.0.1:9" not in _requests(log)
    assert dom.count('<section id="q') == 31
    assert dom.count('class="differs"') >= 10  # the constructs of the fixtures, each in its question
    assert "staff see this fenced code block" in dom
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "handin-compare.png"
    chromium("--window-size=1400,1500", f"--screenshot={shot}", page.as_uri())
    assert shot.stat().st_size > 10_000
