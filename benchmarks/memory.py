"""Benchmark: peak RSS of linting a 10 MB report (a child process), against the import floor.

    python benchmarks/memory.py [--mb 10]

Grows the demo report to ``mb`` megabytes (its answers repeated: prose, lists, figures, code) in a
temporary git repository, lints it with ``python -m report_lint --format json`` in a child process
and reads the child's peak resident set size with ``resource.getrusage(RUSAGE_CHILDREN)``; the floor
``python -c "import mistune, yaml, pydantic"`` is measured the same way.  Target: under 200 MB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import REPORT, demo_repo, env, machine, verdict

TARGET_MB = 200.0
# run in a fresh interpreter so RUSAGE_CHILDREN sees only this one command
PROBE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode\n"
    "t = time.perf_counter() - t\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(code, rss, t)\n"
)


def peak(cmd: list[str], cwd: Path) -> tuple[int, float, float]:
    """(exit code, peak RSS in MB, seconds) of ``cmd`` run in a child."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *cmd], cwd=cwd, env=env(), capture_output=True, text=True, check=True
    )
    code, rss_kb, seconds = out.stdout.split()
    return int(code), int(rss_kb) / 1024, float(seconds)


def grow(text: str, size: int) -> str:
    """The report with its last question's answer followed by copies of the whole body up to ``size``."""
    body = text[text.index("## ") :] if "## " in text else text
    chunks = [text]
    total = len(text.encode())
    while total < size:
        chunks.append("\n" + body)
        total += len(body.encode()) + 1
    return "".join(chunks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="rl-mem-bench-") as tmp:
        root = demo_repo(Path(tmp))
        report = root / REPORT
        report.write_text(
            grow(report.read_text(encoding="utf-8"), int(args.mb * 1024 * 1024)), encoding="utf-8"
        )
        size_mb = report.stat().st_size / 1024 / 1024
        _, floor_mb, floor_s = peak([sys.executable, "-c", "import mistune, yaml, pydantic"], root)
        code, lint_mb, lint_s = peak([sys.executable, "-m", "report_lint", REPORT, "--format", "json"], root)
        print(f"floor  import mistune, yaml, pydantic      peak RSS {floor_mb:7.1f} MB   {floor_s:6.2f} s")
        print(
            f"lint   {size_mb:.1f} MB report (exit {code})          peak RSS {lint_mb:7.1f} MB   "
            f"{lint_s:6.2f} s   "
            f"ratio to floor {lint_mb / floor_mb:.2f}x, to target {lint_mb / TARGET_MB:.2f}x"
        )
        print(f"target: peak RSS < {TARGET_MB:.0f} MB: {verdict(lint_mb < TARGET_MB and code in (0, 1))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
