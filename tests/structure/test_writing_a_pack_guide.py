"""docs/writing-a-pack.md, followed step by step: its files and commands are extracted and run in order.

A fence with ``file=NAME`` in its info string is written to NAME; each ``$ `` line of a ``console`` fence is
run (in a shell, in a scratch directory, with this interpreter's ``report-lint`` on PATH), and the lines
printed under it must appear in its output, in that order.  Only ``OWNER`` in the pre-commit snippet is
filled in (with a local clone of this project), as the README's snippet test does.  A guide that rots (a
command renamed, an output that changed, a pack that no longer loads) fails here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tooling import GIT_ENV, require_tool

# the scratch-repository helpers the README's snippet test uses (tests/integration has no package)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from e2e_support import PROJECT, project_copy

GUIDE = PROJECT / "docs" / "writing-a-pack.md"
FENCE = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
OWNER_URL = "https://github.com/OWNER/report-lint"


def steps() -> list[tuple[str, str, str]]:
    """(kind, file name or "", body) in document order: kind is "file" or "console"."""
    out = []
    for lang, info, body in FENCE.findall(GUIDE.read_text(encoding="utf-8")):
        named = re.search(r"\bfile=(\S+)", info)
        if named:
            out.append(("file", named.group(1), body))
        elif lang == "console":
            out.append(("console", "", body))
    return out


def commands(body: str) -> list[tuple[str, list[str]]]:
    """Each ``$ `` command of a console block and the output lines shown under it."""
    out: list[tuple[str, list[str]]] = []
    for line in body.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            out.append((line[2:], []))
        elif out and line.strip() and line.strip() != "...":
            out[-1][1].append(line)
    return out


def _in_order(shown: list[str], printed: str) -> bool:
    lines = iter(printed.split("\n"))
    return all(any(want.strip() in got for got in lines) for want in shown)


def test_guide_has_the_whole_walk() -> None:
    kinds = [(kind, name) for kind, name, _ in steps()]
    run = [c for kind, _, body in steps() if kind == "console" for c, _ in commands(body)]
    assert ("file", "report.md") in kinds and ("file", ".pre-commit-config.yaml") in kinds
    for start in ("report-lint init", "report-lint rules", "report-lint check", "pre-commit run"):
        assert any(c.startswith(start) for c in run), start


def test_guide_runs_as_written(tmp_path: Path) -> None:
    require_tool("git", "apt-get install git")
    pre_commit = require_tool("pre-commit")
    clone = project_copy(tmp_path / "report-lint")
    course = tmp_path / "course"
    course.mkdir()
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        **GIT_ENV,
        "PATH": bin_dir + os.pathsep + str(Path(pre_commit).parent) + os.pathsep + os.environ.get("PATH", ""),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
    }
    env.pop("GITHUB_ACTIONS", None)
    ran = 0
    for kind, name, body in steps():
        if kind == "file":
            target = course / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body.replace(OWNER_URL, str(clone)), encoding="utf-8")
            continue
        for command, shown in commands(body):
            done = subprocess.run(
                ["bash", "-c", command],
                cwd=course,
                capture_output=True,
                text=True,
                env=env,
                check=False,
                timeout=900,
            )
            printed = done.stdout + done.stderr
            expected_rc = (0, 1) if command.startswith(("report-lint check", "pre-commit run")) else (0,)
            assert done.returncode in expected_rc, (command, printed)
            assert _in_order(shown, printed), (command, shown, printed)
            ran += 1
    assert ran >= 7
    # the packs the guide wrote and generated load
    assert (course / "course-pack.yaml").read_text(encoding="utf-8").startswith("# Rule pack for report.md")
