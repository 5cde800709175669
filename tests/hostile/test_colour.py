"""Colour: ours only, added after neutralising, on a terminal or with FORCE_COLOR, never with NO_COLOR.

Every ESC byte in a coloured run must start one of our SGR sequences; the report's own ESC [31m shows
as the text ``\\x1b[31m``.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders import ReportBuilder

from .conftest import TIMEOUT, clean_env

pty = pytest.importorskip("pty")

OUR_SGR = re.compile(r"\x1b\[(?:0|1|1;3[136])m")
HOSTILE = "figures/x\x1b[31mred\x1b]8;;https://e.x/\x07link\u202e.png"


@pytest.fixture()
def hostile(repo: Path) -> Path:
    ReportBuilder(fill_words=60, answers={5: f"Some text.\n\n![fig]({HOSTILE})"}).write(repo)
    return repo


def _env(extra: dict[str, str]) -> dict[str, str]:
    """The suite's environment without the caller's own colour settings, plus ``extra``."""
    env = {k: v for k, v in clean_env().items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    return {**env, **extra}


def _run(args: list[str], cwd: Path, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = _env(extra)
    return subprocess.run(
        [sys.executable, "-m", "report_lint", *args],
        cwd=cwd,
        capture_output=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
        text=True,
    )


def _in_pty(args: list[str], cwd: Path, extra: dict[str, str]) -> tuple[int, str, str]:
    """The CLI with a pseudo-terminal as stdout (stderr a pipe): (exit code, stdout, stderr)."""
    env = _env({"TERM": "xterm-256color", **extra})
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "report_lint", *args],
        cwd=cwd,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    code = proc.wait(timeout=TIMEOUT)
    return code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"), err


def _only_our_escapes(out: str) -> str:
    """``out`` without our SGR codes; asserts no other ESC byte is left."""
    bare = OUR_SGR.sub("", out)
    assert "\x1b" not in bare and "\x9b" not in bare and "\u202e" not in bare, repr(bare[:500])
    return bare


def test_force_color_on_a_pipe(hostile: Path) -> None:
    proc = _run(["check"], hostile, {"FORCE_COLOR": "1"})
    assert proc.returncode == 1 and proc.stderr == ""
    assert "\x1b[1;31merror:\x1b[0m" in proc.stdout and "\x1b[1mreports/README.md:" in proc.stdout
    bare = _only_our_escapes(proc.stdout)
    assert "x\\x1b[31mred\\x1b]8;;https://e.x/\\x07link<U+202E>.png" in bare
    plain = _run(["check"], hostile, {}).stdout
    assert bare == plain  # colour adds codes, never changes the text


def test_no_color_wins_over_force_color_and_a_terminal(hostile: Path) -> None:
    proc = _run(["check"], hostile, {"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert proc.returncode == 1 and "\x1b" not in proc.stdout
    code, out, err = _in_pty(["check"], hostile, {"NO_COLOR": "1"})
    assert code == 1 and err == "" and "\x1b" not in out and "RL301" in out


def test_a_terminal_gets_colour(hostile: Path) -> None:
    code, out, err = _in_pty(["check"], hostile, {})
    assert code == 1 and err == ""
    assert "\x1b[1;31merror:\x1b[0m" in out
    assert "x\\x1b[31mred" in _only_our_escapes(out)


def test_no_colour_on_a_plain_pipe_nor_in_machine_formats_or_files(hostile: Path, tmp_path: Path) -> None:
    assert "\x1b" not in _run(["check"], hostile, {}).stdout
    for fmt in ("json", "github", "sarif", "summary"):
        proc = _run(["check", "--format", fmt], hostile, {"FORCE_COLOR": "1"})
        assert proc.returncode == 1 and "\x1b" not in proc.stdout, fmt
    target = tmp_path / "out.txt"
    proc = _run(["check", "--output", str(target)], hostile, {"FORCE_COLOR": "1"})
    assert proc.returncode == 1 and "\x1b" not in target.read_text(encoding="utf-8")


def test_error_line_coloured_only_when_wanted(repo: Path) -> None:
    ReportBuilder(fill_words=60).write(repo)
    (repo / ".report-lint.yaml").write_text('"k\\e[2J": 1\n', encoding="utf-8")
    coloured = _run(["check"], repo, {"FORCE_COLOR": "1"})
    assert coloured.returncode == 2
    assert coloured.stderr.startswith("\x1b[1;31mreport-lint: error:\x1b[0m .report-lint.yaml:")
    assert "k\\x1b[2J: unknown setting" in _only_our_escapes(coloured.stderr)
    plain = _run(["check"], repo, {})
    assert plain.stderr.startswith("report-lint: error: .report-lint.yaml:") and "\x1b" not in plain.stderr
