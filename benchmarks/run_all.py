"""Run every benchmark, one after the other, in its own interpreter: ``python -m benchmarks``.

    python benchmarks/run_all.py [--quick] [--only hook,inprocess,...]

``--quick`` shrinks the workloads (fewer runs, 10,000 ignored files, 60 batch repositories, a 2 MB
report) for a smoke run; the numbers in README.md come from the full run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks._common import env, machine  # noqa: E402

BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    # name: (full arguments, --quick arguments)
    "hook": (["--runs", "10"], ["--runs", "3"]),
    "inprocess": (["--runs", "30"], ["--runs", "5"]),
    "evidence_ignored": (["--files", "100000", "--repeat", "5"], ["--files", "10000", "--repeat", "2"]),
    "memory": (["--mb", "10"], ["--mb", "2"]),
    "batch": (["-n", "300"], ["-n", "60", "--size-n", "10", "--no-ignored"]),
    "handin": (["--runs", "30"], ["--runs", "5"]),
    "clone": (["-n", "300", "--changed", "10"], ["-n", "40", "--changed", "4"]),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small workloads, for a smoke run")
    parser.add_argument(
        "--only", default="", help="comma-separated benchmark names: " + ", ".join(BENCHMARKS)
    )
    args = parser.parse_args(argv)
    chosen = [n.strip() for n in args.only.split(",") if n.strip()] or list(BENCHMARKS)
    unknown = [n for n in chosen if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    print(f"machine: {machine()}  date: {time.strftime('%Y-%m-%d %H:%M %Z')}")
    failed = []
    targets: list[str] = []
    for name in chosen:
        full, quick = BENCHMARKS[name]
        print(f"\n=== {name} ({'quick' if args.quick else 'full'}) ===", flush=True)
        started = time.perf_counter()
        with subprocess.Popen(
            [sys.executable, str(HERE / f"{name}.py"), *(quick if args.quick else full)],
            env=env(),
            stdout=subprocess.PIPE,
            text=True,
        ) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:  # shown as it comes; the target lines kept for the table below
                print(line, end="", flush=True)
                if line.startswith("target:"):
                    targets.append(f"{name:17} {line[len('target:') :].strip()}")
        code = proc.returncode
        print(f"--- {name}: exit {code}, {time.perf_counter() - started:.1f}s", flush=True)
        if code not in (0, 1):  # 1 = ran, target missed (evidence_ignored); anything else is a crash
            failed.append(name)
    print("\n=== every target, measured in this run ===")
    print("\n".join(targets) or "(none)")
    if failed:
        print(f"\nbenchmarks that crashed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
