"""Benchmark: the pre-commit hook end to end (process start to exit) against the import floor.

    python benchmarks/hook.py [--runs 10] [--top 15]

Runs ``python -m report_lint reports/README.md`` in a temporary git repository holding a copy of
``examples/demo`` (a full 31-question report, figures, code, CI workflows: the repository evidence of
the checklist is evaluated), and ``python -c "import mistune, yaml, pydantic"`` (the floor: the
libraries the tool cannot do without), interleaved, and prints medians and the ratio (target: at most
1.3x).  "warm" runs share one cache directory (the second commit onwards); "cold" runs get an empty
one each time (the first run after installing or editing a pack).  Then ``python -X importtime`` of
one warm run, the largest imports first.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import REPORT, demo_repo, env, machine, median, verdict

FLOOR = [sys.executable, "-c", "import mistune, yaml, pydantic"]
HOOK = [sys.executable, "-m", "report_lint", REPORT]
HOOK_DETECT = [*HOOK, "--no-config"]
TARGET = 1.3


def run(cmd: list[str], cwd: Path, cache: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env(XDG_CACHE_HOME=str(cache)), capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return elapsed


def importtime(cwd: Path, cache: Path, top: int) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *HOOK[1:]],
        cwd=cwd,
        env=env(XDG_CACHE_HOME=str(cache)),
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = line[len("import time:") :].split("|")
        rows.append((int(self_us), int(cumulative), name.rstrip()))
    by_self = sorted(rows, reverse=True)[:top]
    ours = sorted(((c, s, n) for s, c, n in rows if n.strip().startswith("report_lint")), reverse=True)[:top]
    out = [f"  top {top} imports by self time (ms):"]
    out += [f"    {s / 1000:7.1f} self {c / 1000:7.1f} cumulative  {n.strip()}" for s, c, n in by_self]
    out.append(f"  top {top} report_lint modules by cumulative time (ms):")
    out += [f"    {c / 1000:7.1f} cumulative {s / 1000:7.1f} self  {n.strip()}" for c, s, n in ours]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="rl-hook-bench-") as tmp_:
        tmp = Path(tmp_)
        repo = demo_repo(tmp)
        warm_cache = tmp / "cache-warm"
        run(HOOK, repo, warm_cache)  # fills the warm cache and the OS file cache
        run(FLOOR, repo, warm_cache)
        run(HOOK_DETECT, repo, warm_cache)
        floor, warm, cold, detect = [], [], [], []
        for i in range(args.runs):
            floor.append(run(FLOOR, repo, warm_cache))
            warm.append(run(HOOK, repo, warm_cache))
            cold.append(run(HOOK, repo, tmp / f"cache-cold-{i}"))
            detect.append(run(HOOK_DETECT, repo, warm_cache))
        f = median(floor)
        print(f"floor  python -c 'import mistune, yaml, pydantic'       {f * 1000:7.0f} ms")
        rows = (
            ("hook   warm cache, demo pack file (.report-lint.yaml)", median(warm)),
            ("hook   cold cache, demo pack file                    ", median(cold)),
            ("hook   warm cache, --no-config (pack detected)       ", median(detect)),
        )
        for label, value in rows:
            print(f"{label} {value * 1000:7.0f} ms   ratio {value / f:.2f}x")
        print(f"(medians of {args.runs} interleaved runs)")
        print(f"target: warm <= {TARGET}x the floor: {verdict(median(warm) / f <= TARGET)}")
        print("\n".join(importtime(repo, warm_cache, args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
