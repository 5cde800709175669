"""Benchmark: peak RSS of linting a 10 MB report, and RSS per report byte on pathological input.

    python benchmarks/memory.py [--mb 10]

Grows a real-shaped report (benchmarks/realshape.py) to ``mb`` megabytes (its questions repeated:
prose, lists, code, figures) in a real-shaped hand-in, lints it with ``python -m report_lint check
--format json`` in a child process and reads the child's peak resident set size with
``resource.getrusage(RUSAGE_CHILDREN)``.  Then a report whose answers are thousands of ``TODO`` lines,
at ``mb / 10`` and ``mb`` megabytes: the RSS above the import floor per report byte must not grow with
the size (the larger's at most 1.25x the smaller's).  Target (issue 11): 10 MB in at most 150 MB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import REPORT, env, machine, real_repo, target_line

TARGET_MB = 150.0
PER_BYTE_GROWTH = 1.25
# run in a fresh interpreter so RUSAGE_CHILDREN sees only this one command
PROBE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode\n"
    "t = time.perf_counter() - t\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(code, rss, t)\n"
)
LINT = [sys.executable, "-m", "report_lint", "check", REPORT, "--format", "json"]


def peak(cmd: list[str], cwd: Path) -> tuple[int, float, float]:
    """(exit code, peak RSS in MB, seconds) of ``cmd`` run in a child."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *cmd], cwd=cwd, env=env(), capture_output=True, text=True, check=True
    )
    code, rss_kb, seconds = out.stdout.split()
    return int(code), int(rss_kb) / 1024, float(seconds)


def grow(text: str, size: int) -> str:
    """The report followed by copies of its questions up to ``size`` bytes."""
    body = text[text.index("### Question 1\n") :]
    chunks = [text]
    total = len(text.encode())
    while total < size:
        chunks.append("\n" + body)
        total += len(body.encode()) + 1
    return "".join(chunks)


def todo_report(text: str, size: int) -> str:
    """The report with its last answer followed by ``TODO`` lines (a list item each) up to ``size``."""
    lines = []
    total = len(text.encode())
    i = 0
    while total < size:
        line = f"- TODO write part {i} of this answer\n"
        lines.append(line)
        total += len(line)
        i += 1
    return text + "\n" + "".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="rl-mem-bench-") as tmp:
        root = real_repo(Path(tmp))
        report = root / REPORT
        original = report.read_text(encoding="utf-8")
        _, floor_mb, floor_s = peak([sys.executable, "-c", "import mistune, yaml"], root)
        print(f"floor  import mistune, yaml               peak RSS {floor_mb:7.1f} MB   {floor_s:6.2f} s")
        report.write_text(grow(original, int(args.mb * 1024 * 1024)), encoding="utf-8")
        size_mb = report.stat().st_size / 1024 / 1024
        code, lint_mb, lint_s = peak(LINT, root)
        print(
            f"lint   {size_mb:5.1f} MB report (exit {code})        peak RSS {lint_mb:7.1f} MB   "
            f"{lint_s:6.2f} s"
        )
        per_byte = []
        for mb in (args.mb / 10, args.mb):
            report.write_text(todo_report(original, int(mb * 1024 * 1024)), encoding="utf-8")
            size = report.stat().st_size
            _, todo_mb, todo_s = peak(LINT, root)
            per_byte.append((todo_mb - floor_mb) * 1024 * 1024 / size)
            print(
                f"lint   {size / 1024 / 1024:5.1f} MB of TODO lines        peak RSS {todo_mb:7.1f} MB   "
                f"{todo_s:6.2f} s   {per_byte[-1]:.1f} bytes of RSS over the floor per report byte"
            )
        growth = per_byte[1] / per_byte[0]
        ok = lint_mb <= TARGET_MB and code in (0, 1)
        print(
            target_line(
                f"peak RSS, {size_mb:.0f} MB report", f"{lint_mb:.1f} MB", f"<= {TARGET_MB:.0f} MB", ok
            )
        )
        print(
            target_line(
                "RSS per byte, TODO lines, 10x size",
                f"{growth:.2f}x",
                f"<= {PER_BYTE_GROWTH}x",
                growth <= PER_BYTE_GROWTH,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
