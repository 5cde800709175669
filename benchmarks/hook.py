"""Benchmark: the pre-commit hook end to end (process start to exit) against the import floor.

    python benchmarks/hook.py [--runs 10] [--top 15]

Runs what ``.pre-commit-hooks.yaml`` runs, ``python -m report_lint check`` (the report and the
checklist's repository evidence), in a real-shaped hand-in (benchmarks/realshape.py: a 31-question
report of ~650 lines, 85 tracked files, committed), interleaved with the floor
``python -c "import mistune, yaml"`` (the two libraries the tool cannot do without), and prints
medians and ratios.  "warm" runs share one cache directory (the second commit onwards); "cold" runs
get an empty one each time (the first run after installing or editing a pack).  Targets (issue 11):
warm <= 2.0x the floor, cold <= 3.5x.  Then ``python -X importtime`` of one warm run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import env, machine, median, real_repo, target_line

FLOOR = [sys.executable, "-c", "import mistune, yaml"]
HOOK = [sys.executable, "-m", "report_lint", "check"]
WARM, COLD = 2.0, 3.5


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
    total = sum(s for s, _, _ in rows)
    by_self = sorted(rows, reverse=True)[:top]
    ours = sorted(((c, s, n) for s, c, n in rows if n.strip().startswith("report_lint")), reverse=True)[:top]
    out = [f"  imports: {len(rows)} modules, {total / 1000:.0f} ms in all (self times summed)"]
    out.append(f"  top {top} imports by self time (ms):")
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
        repo = real_repo(tmp)
        warm_cache = tmp / "cache-warm"
        run(HOOK, repo, warm_cache)  # fills the warm cache and the OS file cache
        run(FLOOR, repo, warm_cache)
        floor, warm, cold = [], [], []
        for i in range(args.runs):
            floor.append(run(FLOOR, repo, warm_cache))
            warm.append(run(HOOK, repo, warm_cache))
            cold.append(run(HOOK, repo, tmp / f"cache-cold-{i}"))
        # ratios pair by pair (each hook run with the floor run just before it), then the median
        warm_ratio = median([w / f for w, f in zip(warm, floor, strict=True)])
        cold_ratio = median([c / f for c, f in zip(cold, floor, strict=True)])
        print(f"floor  python -c 'import mistune, yaml'        {median(floor) * 1000:7.0f} ms")
        print(
            f"hook   report-lint check, warm cache          {median(warm) * 1000:7.0f} ms   "
            f"ratio {warm_ratio:.2f}x"
        )
        print(
            f"hook   report-lint check, cold cache          {median(cold) * 1000:7.0f} ms   "
            f"ratio {cold_ratio:.2f}x"
        )
        print(f"(medians of {args.runs} interleaved runs; ratios paired run by run)")
        print(target_line("hook warm / floor", f"{warm_ratio:.2f}x", f"<= {WARM}x", warm_ratio <= WARM))
        print(target_line("hook cold / floor", f"{cold_ratio:.2f}x", f"<= {COLD}x", cold_ratio <= COLD))
        print("\n".join(importtime(repo, warm_cache, args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
