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


def timed(fn: object, runs: int) -> float:
    assert callable(fn)
    fn()  # warm-up: packs loaded, modules imported, regexes compiled
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return median(times) * 1000


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

        full = timed(lambda: lint_file(file, root, REPORT, options), args.runs)
        shared = timed(
            lambda: analyse_text(
                text, file=file, repo_root=root, display=REPORT, options=options, source=source
            ),
            args.runs,
        )
        built = timed(lambda: build_report(text, path=REPORT, file=file, repo_root=root), args.runs)
        lines = len(text.splitlines())
        print(f"report: {REPORT} of a real-shaped hand-in, {lines} lines, {len(text)} characters")
        print(f"lint_file (hook: fresh git listing)  {full:7.1f} ms")
        print(f"analyse_text (listing shared)       {shared:7.1f} ms")
        print(f"build_report (parse + model only)   {built:7.1f} ms   {built / full:.0%} of the full lint")
        print(
            target_line(
                "in-process lint median", f"{full:.1f} ms", f"<= {TARGET_MS:.0f} ms", full <= TARGET_MS
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
