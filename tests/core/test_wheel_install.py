"""A plain, non-editable wheel install finds the bundled rule packs from any directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    # build from a copy so the build never writes into the checkout
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".git", "*.egg-info", "__pycache__", "dist", "build", ".venv", "test-artifacts", ".pytest_cache"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(work / "dist"),
            str(src),
        ],
        check=True,
        timeout=300,
    )
    wheel = next((work / "dist").glob("report_lint-*.whl"))
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    # dependencies come from this interpreter's site-packages as a plain path (its .pth files, such as an
    # editable install of report-lint itself, are not processed there)
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True,
        timeout=300,
    )
    return env_dir


def test_wheel_contains_packs_and_runs_from_elsewhere(installed: Path, tmp_path: Path) -> None:
    py = installed / "bin" / "python"
    where = subprocess.check_output(
        [str(py), "-c", "import report_lint, os; print(os.path.dirname(report_lint.__file__))"],
        text=True,
        cwd=tmp_path,
    ).strip()
    assert Path(where).is_relative_to(installed), where
    packs = list((Path(where) / "packs_data").glob("dtu-*.yaml"))
    assert {p.stem for p in packs} >= {"dtu-mlops-27q", "dtu-mlops-31q-2024", "dtu-common"}

    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "README.md").write_text(
        "## Group information\n\n### Question 1\n> **Group number?**\n>\n> Answer:\n\n"
        "--- question 1 fill here ---\n",
        encoding="utf-8",
    )
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    proc = subprocess.run(
        [str(py), "-m", "report_lint", "--rules", "dtu-mlops-31q-2024", "--format", "text"],
        cwd=tmp_path / "reports",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    # run from reports/: the path is relative to the current directory, as ruff prints it
    assert "\nREADME.md:8:1: RL101 [unfilled-placeholder]" in "\n" + proc.stdout
    listing = subprocess.run(
        [str(py), "-m", "report_lint", "rules"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "dtu-mlops-27q" in listing.stdout
