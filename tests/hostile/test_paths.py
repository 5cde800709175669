"""Figure and link paths that try to leave the repository, links and loops, huge files in the repository.

"Never opened" is proved, not assumed: the escaping cases run the CLI under ``strace -f`` (git
included) and assert that no file-name syscall of any process touched the canary directory outside
the repository, nor ``/etc/passwd``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from builders import ReportBuilder

from .conftest import STRACE, TIMEOUT, clean_env, git, run_cli

needs_strace = pytest.mark.skipif(STRACE is None, reason="strace is not installed (apt-get install strace)")

ESCAPES = [
    "../../canary/secret.png",
    "/etc/passwd",
    "figures/../../x.png",
    "figures/../../../canary/secret.png",
    "C:\\x.png",
    "C:\\Users\\me\\secret.png",
    "file:///x",
    "file:///etc/passwd",
    "..%2f..%2fcanary%2fsecret.png",
    "%2e%2e/%2e%2e/canary/secret.png",
    "/../canary/secret.png",
]


@pytest.fixture()
def canary(tmp_path: Path) -> Path:
    """A directory next to the repository (outside it) holding a file every hostile path aims at."""
    directory = tmp_path / "canary"
    directory.mkdir()
    (directory / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\nsecret")
    return directory


def _touched(trace: str, needle: str) -> list[str]:
    return [line for line in trace.splitlines() if needle in line]


def _opened(trace: str, needle: str) -> list[str]:
    return [line for line in _touched(trace, needle) if re.search(r"\bopen(at|at2)?\(", line)]


@needs_strace
def test_escaping_figure_paths_are_reported_and_never_touched(
    repo: Path, canary: Path, tmp_path: Path
) -> None:
    answer = "\n\n".join(f"![fig {i}]({path})" for i, path in enumerate(ESCAPES))
    answer += "\n\n" + "\n\n".join(f"[link {i}]({path})" for i, path in enumerate(ESCAPES[:2]))
    builder = ReportBuilder(fill_words=60, answers={5: answer})
    (repo / "reports" / "README.md").write_text(builder.text())
    run = run_cli([], repo, strace=tmp_path / "strace.log")
    out = run.diagnostics()
    first = builder.line_of("![fig 0]")
    for i, path in enumerate(ESCAPES):
        line = first + 2 * i
        found = [row for row in out.splitlines() if row.startswith(f"reports/README.md:{line}:1: RL301")]
        assert found, f"{path!r} not reported on line {line}:\n{out}"
        message = found[0]
        if path == "/etc/passwd":
            # a leading / is the repository root on GitHub: confined to the repository, and said so
            assert "looked for etc/passwd" in message and "repository root" in message
        elif path == "figures/../../x.png":
            # from reports/, this normalises to x.png at the repository root: still inside it
            assert "looked for x.png" in message
        else:
            assert "points outside the repository" in message, message
    assert run.trace.count("\n") > 100, "strace recorded nothing"
    assert not _touched(run.trace, str(canary)), _touched(run.trace, str(canary))
    assert not _touched(run.trace, "/etc/passwd"), _touched(run.trace, "/etc/passwd")
    assert not _touched(run.trace, str(tmp_path / "x.png"))


@needs_strace
def test_symlinked_figure_pointing_outside_is_never_opened(repo: Path, canary: Path, tmp_path: Path) -> None:
    figures = repo / "reports" / "figures"
    (figures / "plot.png").symlink_to(canary / "secret.png")
    (figures / "passwd.png").symlink_to("/etc/passwd")
    (repo / "reports" / "outdir").symlink_to(canary, target_is_directory=True)
    answer = "![plot](figures/plot.png)\n\n![pw](figures/passwd.png)\n\n![via dir](outdir/secret.png)"
    builder = ReportBuilder(fill_words=60, answers={5: answer})
    (repo / "reports" / "README.md").write_text(builder.text())
    git(repo, "add", "-A")
    run = run_cli([], repo, strace=tmp_path / "strace.log")
    out = run.diagnostics()
    first = builder.line_of("![plot]")
    for offset, shown in ((0, "figures/plot.png"), (2, "figures/passwd.png"), (4, "outdir/secret.png")):
        assert (
            f"reports/README.md:{first + offset}:1: RL301 [missing-figure] error: image `{shown}` resolves "
            "outside the repository through a symbolic link" in out
        ), out
    # resolving a link may stat its target; reading it may not
    assert not _opened(run.trace, str(canary)), _opened(run.trace, str(canary))
    assert not _opened(run.trace, "/etc/passwd"), _opened(run.trace, "/etc/passwd")


def test_symlink_loops_in_the_repository(repo: Path) -> None:
    figures = repo / "reports" / "figures"
    (figures / "loop.png").symlink_to("loop.png")
    (figures / "a.png").symlink_to("b.png")
    (figures / "b.png").symlink_to("a.png")
    (repo / "cycle").symlink_to(".", target_is_directory=True)
    (repo / "up").symlink_to("..", target_is_directory=True)
    answer = (
        "![l](figures/loop.png)\n\n![a](figures/a.png)\n\n![c](../cycle/cycle/cycle/reports/figures/a.png)"
    )
    builder = ReportBuilder(fill_words=60, answers={5: answer})
    (repo / "reports" / "README.md").write_text(builder.text())
    git(repo, "add", "-A")
    run = run_cli([], repo, timeout=30)
    out = run.diagnostics()
    line = builder.line_of("![l]")
    assert f"reports/README.md:{line}:1: RL301" in out
    assert f"reports/README.md:{line + 2}:1: RL301" in out
    # outside git the repository is walked: the walk must not loop either
    shutil.rmtree(repo / ".git")
    out = run_cli(["--repo", "."], repo, timeout=30).diagnostics()
    assert f"reports/README.md:{line}:1: RL301" in out


def _max_rss_kib(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run the CLI in a child and report the largest resident set of any process in the run."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[2:], capture_output=True, text=True)\n"
        "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr)\n"
        "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
        "sys.exit(p.returncode)\n"
    )
    rss_file = cwd.parent / "rss.txt"
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, str(rss_file), sys.executable, "-m", "report_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=TIMEOUT,
        check=False,
    )
    return proc, int(rss_file.read_text())


def test_sparse_2gb_files_in_the_repository_are_not_read_whole(repo: Path) -> None:
    figures = repo / "reports" / "figures"
    big = 2 * 1024**3
    for rel in (
        "reports/figures/huge.png",
        "requirements.txt",
        "Dockerfile",
        ".github/workflows/ci.yaml",
        "data/train.csv",
        "pyproject.toml.bak",
    ):
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"\x89PNG\r\n\x1a\n" if rel.endswith(".png") else b"torch\n")
        os.truncate(path, big)
    assert (figures / "huge.png").stat().st_size == big
    builder = ReportBuilder(fill_words=60, answers={5: "![huge](figures/huge.png)"})
    (repo / "reports" / "README.md").write_text(builder.text())  # untracked files count too
    proc, rss = _max_rss_kib([], repo)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr == ""
    assert f"reports/README.md:{builder.line_of('![huge]')}:1: RL301" not in proc.stdout  # it exists
    assert rss < 300 * 1024, f"peak RSS {rss} KiB: a 2 GB file was read whole?"
