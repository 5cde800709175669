"""Benchmark ``report-lint batch``: N generated repositories, --jobs 1 and --jobs 2 side by side.

    python benchmarks/batch.py [-n 300] [--at] [--keep DIR]

Generates ``cloned_repos/group_<i>/repo`` git repositories holding template-shaped 31-question reports
(tests/batch/repos.py; most filled in, every seventh left as the template, some figures missing), then
times the whole command (discovery, linting, writing the three files) once per job count and prints
reports per second and the speed-up.  The issue's target: at least 100 reports/second on 2 cores.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from report_lint.batch.cli import main  # noqa: E402


def _repos_module() -> Any:
    """tests/batch/repos.py, the generator the tests use (loaded by path: ``batch`` is this file's name)."""
    spec = importlib.util.spec_from_file_location("rl_batch_repos", PROJECT / "tests" / "batch" / "repos.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


REPOS = _repos_module()
DEADLINE: str = REPOS.DEADLINE
make_many = REPOS.make_many


def timed(root: Path, jobs: int, at: bool) -> tuple[float, int]:
    args = ["cloned_repos", "--out", f"out-j{jobs}", "--jobs", str(jobs), "--no-progress"]
    if at:
        args += ["--at", DEADLINE]
    cwd = os.getcwd()
    os.chdir(root)
    try:
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(args)
        return time.perf_counter() - started, code
    finally:
        os.chdir(cwd)


def main_() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="repositories to generate (300)")
    parser.add_argument("--at", action="store_true", help="lint the deadline commit from git objects")
    parser.add_argument("--keep", metavar="DIR", help="generate here and keep it (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rl-batch-bench-") as tmp:
        root = Path(args.keep or tmp)
        started = time.perf_counter()
        if not (root / "cloned_repos").is_dir():
            make_many(root, args.n)
        print(f"{args.n} repositories ready in {time.perf_counter() - started:.1f}s under {root}")
        print(f"cpus: {os.cpu_count()}  mode: {'--at (git objects)' if args.at else 'work tree'}")
        timed(root, 1, args.at)  # warm the file cache and imports once, untimed
        results = {}
        for jobs in (1, 2):
            seconds, code = timed(root, jobs, args.at)
            results[jobs] = args.n / seconds
            print(f"--jobs {jobs}: {seconds:6.2f}s  {results[jobs]:6.1f} reports/s  (exit {code})")
        print(
            f"speed-up --jobs 2 / --jobs 1: {results[2] / results[1]:.2f}x"
            "  (target: >= 100 reports/s on 2 cores)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main_())
