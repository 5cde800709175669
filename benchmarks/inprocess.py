"""Benchmark: one lint of a real-shaped hand-in inside a running process (imports excluded).

    python benchmarks/inprocess.py [--runs 30]

Times, as the median of ``runs`` after one warm-up, in a real-shaped hand-in (benchmarks/realshape.py:
31-question report, 85 tracked files): ``lint_file`` as the hook calls it (read, detect the pack,
parse, every check, repository evidence with a fresh git listing); ``analyse_text`` with the
repository listing shared (as batch does); ``build_report`` alone (parse + model).  Target (issue 11):
the full lint in at most 20 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import REPORT, machine, median, real_repo, target_line
from report_lint.build import build_report
from report_lint.engine import LintOptions, analyse_text, lint_file
from report_lint.evidence.repo import open_source
from report_lint.source import read_report

TARGET_MS = 20.0


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the git processes a lint starts)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: object, runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU milliseconds of ``fn()`` (CPU: what the lint costs whatever
    else the machine runs; wall-clock grows with the load of a shared machine)."""
    assert callable(fn)
    fn()  # warm-up: packs loaded, modules imported, regexes compiled
    times, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), _cpu()
        fn()
        times.append(time.perf_counter() - started)
        cpu.append(_cpu() - cpu_started)
    return median(times) * 1000, median(cpu) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="rl-inproc-bench-") as tmp:
        root = real_repo(Path(tmp))
        file = root / REPORT
        options = LintOptions()
        text = read_report(file, REPORT).text
        source = open_source(root)
        source.list()

        full, full_cpu = timed(lambda: lint_file(file, root, REPORT, options), args.runs)
        shared, shared_cpu = timed(
            lambda: analyse_text(
                text, file=file, repo_root=root, display=REPORT, options=options, source=source
            ),
            args.runs,
        )
        built, built_cpu = timed(
            lambda: build_report(text, path=REPORT, file=file, repo_root=root), args.runs
        )
        lines = len(text.splitlines())
        print(f"report: {REPORT} of a real-shaped hand-in, {lines} lines, {len(text)} characters")
        print(f"(medians of {args.runs}; CPU includes the git processes; load {os.getloadavg()[0]:.1f})")
        print(f"lint_file (hook: fresh git listing)  {full:7.1f} ms wall  {full_cpu:7.1f} ms CPU")
        print(f"analyse_text (listing shared)       {shared:7.1f} ms wall  {shared_cpu:7.1f} ms CPU")
        print(f"build_report (parse + model only)   {built:7.1f} ms wall  {built_cpu:7.1f} ms CPU")
        print(
            target_line(
                "in-process lint median, wall", f"{full:.1f} ms", f"<= {TARGET_MS:.0f} ms", full <= TARGET_MS
            )
        )
        print(
            target_line(
                "in-process lint median, CPU",
                f"{full_cpu:.1f} ms",
                f"<= {TARGET_MS:.0f} ms",
                full_cpu <= TARGET_MS,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
