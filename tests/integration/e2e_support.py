"""Shared pieces of the end-to-end tests (pre-commit try-repo, the action harness)."""

from __future__ import annotations

import functools
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
TESTS = PROJECT / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))  # for builders.py, the template-shaped report builder

from builders import ReportBuilder  # type: ignore[import-not-found]  # noqa: E402
from tooling import GIT_ENV  # noqa: E402

__all__ = ["ReportBuilder"]


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full = {**os.environ, **GIT_ENV, **(env or {})}
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        capture_output=True,
        text=True,
        env=full,
        check=True,
    )
    return done.stdout


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def project_copy(dest: Path) -> Path:
    """This project's files as a fresh one-commit git repository (tracked and new files, not ignored
    ones), so ``try-repo`` and the action see the working tree even before the lead commits."""
    files = (
        subprocess.run(
            ["git", "-C", str(PROJECT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        src = PROJECT / name
        if not src.is_file():
            continue  # deleted in the working tree
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    git(dest, "init", "-q")
    commit_all(dest, "snapshot")
    return dest


def png(width: int = 800, height: int = 600) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([40, 120, 200]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def write_report(repo: Path, builder: ReportBuilder) -> Path:
    figures = {m: png() for m in re.findall(r"\((figures/[^)\s]+\.png)\)", builder.text())}
    path: Path = builder.write(repo, figures)
    return path


def failing_builder() -> ReportBuilder:
    """Every answer still holds the template's placeholder: dozens of errors."""
    return ReportBuilder()


def passing_builder() -> ReportBuilder:
    return ReportBuilder(fill_words=120)


@functools.cache
def cli_help() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "report_lint", "check", "--help"], capture_output=True, text=True, check=False
    )
    return done.stdout + done.stderr


def cli_lacks(*flags: str) -> list[str]:
    text = cli_help()
    return [f for f in flags if f not in text]


@dataclass
class Command:
    name: str
    props: dict[str, str]
    data: str


def runner_commands(output: str) -> list[Command]:
    """Workflow commands as the runner reads them from a step's output."""
    commands = []
    for line in re.split(r"\r\n|\r|\n", output):
        stripped = line.lstrip()
        if not stripped.startswith("::"):
            continue
        end = stripped.find("::", 2)
        if end == -1:
            continue
        name, _, raw = stripped[2:end].partition(" ")
        props = {}
        for pair in filter(None, raw.split(",")):
            key, _, value = pair.partition("=")
            props[key] = value.replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
        data = stripped[end + 2 :].replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
        commands.append(Command(name, props, data))
    return commands


def pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Real ``pre-commit ARGS`` in ``repo`` with its environments cached under ``home``; no colour, and
    not as inside GitHub Actions (``--format auto`` must pick text)."""
    from tooling import require_tool

    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [require_tool("pre-commit"), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )
