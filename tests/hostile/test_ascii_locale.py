"""Non-ASCII file names under an ASCII file system encoding (``LC_ALL=C`` with UTF-8 mode off).

Python then cannot encode a str path holding ``è``; the names on disk are UTF-8 bytes all the same.
Before, the first such tracked name stopped the run with an internal error.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from builders import ReportBuilder, words
from checks.images import png

from .conftest import clean_env, git, run_cli

ASCII = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


def _fs_encoding(env: dict[str, str]) -> str:
    return subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.getfilesystemencoding())"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.parametrize("tracked", [True, False], ids=["git", "walk"])
def test_non_ascii_names_under_an_ascii_locale(tmp_path, tracked: bool) -> None:  # type: ignore[no-untyped-def]
    env = clean_env(ASCII)
    env.pop("PYTHONIOENCODING", None)
    if _fs_encoding(env) != "ascii":
        pytest.skip("this Python does not fall back to an ASCII file system encoding under LC_ALL=C")
    repo = tmp_path / "repo"
    (repo / "reports" / "figures").mkdir(parents=True)
    (repo / "src").mkdir()
    (repo / "src" / "modèle.py").write_text("import torch\n", encoding="utf-8")
    (repo / "reports" / "figures" / "modèle.png").write_bytes(png())
    answer = words(220, 14) + "\n\n![our model](figures/modèle.png)"
    builder = ReportBuilder(fill_words=120, answers={1: "7", 14: answer})
    (repo / "reports" / "README.md").write_text(builder.text(), encoding="utf-8")
    if tracked:
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "hand-in")
    args = ["--format", "json", "--no-config", "reports/README.md"]
    if not tracked:
        args = ["--repo", str(repo), *args]
    run = run_cli(args, repo, env=env)
    assert run.returncode in (0, 1), run.stderr
    assert "internal error" not in run.stderr
    (report,) = json.loads(run.stdout)["reports"]
    q14 = [d for d in report["diagnostics"] if d["question"] == 14]
    assert q14 == [], q14  # the figure is found under its non-ASCII name


@pytest.mark.parametrize("tracked", [True, False], ids=["git", "walk"])
def test_a_name_that_is_not_utf8(tmp_path, tracked: bool) -> None:  # type: ignore[no-untyped-def]
    """``bad\\xff.py`` on disk: before, a folder without git stopped with an internal error (the
    gitignore matcher cannot take the name's lone surrogate)."""
    repo = tmp_path / "repo"
    (repo / "reports" / "figures").mkdir(parents=True)
    (repo / "src").mkdir()
    with open(bytes(repo / "src") + b"/bad\xff.py", "w", encoding="utf-8") as fh:
        fh.write("import torch\n")
    (repo / ".gitignore").write_text("*.log\n", encoding="utf-8")
    text = ReportBuilder(fill_words=120, answers={1: "7"}).text()
    (repo / "reports" / "README.md").write_text(text, encoding="utf-8")
    if tracked:
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "hand-in")
    run = run_cli(["--repo", str(repo), "--format", "json", "--no-config", "reports/README.md"], repo)
    assert run.returncode in (0, 1), run.stderr
    assert json.loads(run.stdout)["reports"][0]["questions"]
