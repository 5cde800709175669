"""Shared helpers: the demo repository in a temporary git repository, timing, machine description."""

from __future__ import annotations

import compileall
import functools
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
DEMO = PROJECT / "examples" / "demo"
REPORT = "reports/README.md"


@functools.cache
def byte_compile() -> None:
    """Write this checkout's ``.pyc`` files once, as any install does, before anything is timed.

    pip (and so pre-commit's hook environment) byte-compiles a package when it installs it, and a
    plain interpreter writes the cache on first import; a shell with ``PYTHONDONTWRITEBYTECODE=1``
    (this workplace has one) does neither, and every timed child then compiled our ~75 modules from
    source: ≈ 90 ms of a hook run that no installed hook pays, while the floor's mistune and PyYAML
    came byte-compiled from their wheels."""
    compileall.compile_dir(PROJECT / "report_lint", quiet=1)


def env(**extra: str) -> dict[str, str]:
    """The environment for child processes: this checkout first on the path, no inherited git state,
    its bytecode written (:func:`byte_compile`)."""
    byte_compile()
    out = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    out["PYTHONPATH"] = str(PROJECT) + (os.pathsep + out["PYTHONPATH"] if out.get("PYTHONPATH") else "")
    out.update(extra)
    return out


def demo_repo(tmp: Path) -> Path:
    """A copy of ``examples/demo`` (31-question report, figures, code, workflows) as its own git repo."""
    root = tmp / "demo"
    shutil.copytree(DEMO, root)
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "demo"],
    ):
        subprocess.run(["git", *args], cwd=root, env=env(), check=True)
    return root


def real_repo(tmp: Path, seed: int = 0, files: int = 85, ignored: int = 0) -> Path:
    """A real-shaped hand-in (benchmarks/realshape.py): 31-question report, ``files`` tracked files."""
    from benchmarks.realshape import make_repo

    return make_repo(tmp / f"handin-{seed}-{files}", seed, files=files, ignored=ignored)


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()} ({sys.platform})"


def verdict(ok: bool) -> str:
    return "met" if ok else "not met"


def target_line(name: str, measured: str, target: str, ok: bool) -> str:
    """The one line per target that ``python -m benchmarks`` collects into its closing table."""
    return f"target: {name}: {measured} (target {target}): {verdict(ok)}"
