"""Benchmark ``report-lint batch`` over real-shaped hand-ins: throughput, --jobs scaling, repository size.

    python benchmarks/batch.py [-n 300] [--size-n 30] [--keep DIR]

Generates ``n`` real-shaped hand-ins (benchmarks/realshape.py: 31-question reports, sizes drawn like a
class: median ≈ 85 files, p90 ≈ 230, a few over 1,000; one in 150 with 100,000 git-ignored files),
committed, and times ``python -m report_lint batch cloned_repos --jobs J`` in a child process, from
process start to its exit (after the last byte of the dashboard), in the work tree and with ``--at``
(git objects), wall clock and CPU time (the batch, its workers and their git processes).  Then
``size-n`` hand-ins of exactly 50, 200 and 1,000 files each.  Target (issue 11):
at least 100 repositories/s with ``--jobs 2`` on 2 cores over the 300.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import env, machine, target_line
from benchmarks.realshape import make_class

TARGET = 100.0
DEADLINE = "2026-01-23T23:59:00+01:00"  # after the hand-ins' commit date (realshape.DATE)


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children: the batch, its workers and
    their git processes (each waited for by its parent, so counted when the batch exits)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


CPU: dict[str, float] = {}  # out folder -> CPU seconds of that run (wall clock is noise on a shared machine)


def timed(root: Path, jobs: int, at: bool, out: str) -> float:
    cmd = [
        sys.executable,
        "-m",
        "report_lint",
        "batch",
        "cloned_repos",
        "--out",
        out,
        "--jobs",
        str(jobs),
        "--no-progress",
    ]
    if at:
        cmd += ["--at", DEADLINE]
    started, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.run(cmd, cwd=root, env=env(), capture_output=True, check=False)
    seconds = time.perf_counter() - started
    CPU[out] = _children_cpu() - cpu
    if proc.returncode not in (0, 1) or not (root / out / "dashboard.html").is_file():
        raise SystemExit(f"batch failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="hand-ins of class-like sizes (300)")
    parser.add_argument("--size-n", type=int, default=30, help="hand-ins per fixed size (30)")
    parser.add_argument("--no-ignored", action="store_true", help="no hand-in with 100,000 ignored files")
    parser.add_argument("--keep", metavar="DIR", help="generate here and keep it (default: a temp dir)")
    args = parser.parse_args()
    print(f"machine: {machine()}  cpus: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="rl-batch-bench-") as tmp:
        base = Path(args.keep or tmp)
        root = base / "class"
        started = time.perf_counter()
        if not (root / "cloned_repos").is_dir():
            make_class(root, args.n, ignored_every=0 if args.no_ignored else 150)
        print(f"{args.n} real-shaped hand-ins ready in {time.perf_counter() - started:.1f}s under {root}")
        timed(root, 2, False, "out-warm")  # the file cache and .pyc files, untimed
        rates: dict[tuple[int, bool], float] = {}
        for at in (False, True):
            for jobs in (1, 2):
                out = f"out-j{jobs}-{'at' if at else 'wt'}"
                seconds = timed(root, jobs, at, out)
                rates[(jobs, at)] = args.n / seconds
                mode = "--at (git objects)" if at else "work tree"
                print(
                    f"--jobs {jobs} {mode:19} {seconds:6.2f}s  {rates[(jobs, at)]:6.1f} repositories/s  "
                    f"CPU {CPU[out]:6.2f}s ({CPU[out] / args.n * 1000:5.1f} ms per repository)"
                )
        for at in (False, True):
            print(
                f"speed-up --jobs 2 / --jobs 1 ({'--at' if at else 'work tree'}): "
                f"{rates[(2, at)] / rates[(1, at)]:.2f}x"
            )
        for files in (50, 200, 1000):
            sized = base / f"size-{files}"
            if not (sized / "cloned_repos").is_dir():
                make_class(sized, args.size_n, files=files)
            seconds = timed(sized, 2, False, "out")
            print(
                f"{args.size_n} hand-ins of {files:5} files, --jobs 2: "
                f"{args.size_n / seconds:6.1f} repositories/s"
            )
        rate = rates[(2, False)]
        print(
            target_line(
                "batch --jobs 2, work tree",
                f"{rate:.1f} repositories/s",
                f">= {TARGET:.0f}/s",
                rate >= TARGET,
            )
        )
        rate = rates[(2, True)]
        print(
            target_line(
                "batch --jobs 2, --at", f"{rate:.1f} repositories/s", f">= {TARGET:.0f}/s", rate >= TARGET
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
