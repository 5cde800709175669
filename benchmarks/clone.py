"""Benchmark ``report-lint batch --repos-file`` with URLs: N groups served over loopback, first run
(clone everything) and an incremental run after 10 groups pushed.

    python benchmarks/clone.py [-n 300] [--changed 10] [--jobs 4] [--keep DIR]

Generates N group repositories (tests/batch/repos.py, as benchmarks/batch.py), serves them with a real
``git http-backend`` on 127.0.0.1 (tests/batch/gitserver.py), and runs the real CLI in a subprocess
three times against one clone cache: the first run (every URL cloned), an unchanged run, and a run
after ``--changed`` groups pushed a commit.  It prints the fetch phase (what the CLI reports as
"fetched ... in Xs") and the whole command for each, the incremental/first ratios beside the target
(the incremental run must cost < 20 % of the first), how many repositories the server sent a pack to,
and the cache's size against full bare clones (what the blob filter saves).  Rows of unchanged
repositories are reused (report_lint/batch/clone_rows.py), so the whole command is compared too.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "tests"))

from batch.gitserver import GitServer, serve_dir  # noqa: E402
from batch.repos import AFTER, ReportBuilder, commit, git, make_many, write_report  # noqa: E402

from benchmarks._common import env, machine, verdict  # noqa: E402

TARGET = 0.20


@dataclass
class Run:
    seconds: float  # the whole command (fetch, then lint every repository), wall clock
    fetch_seconds: float  # the fetch phase, wall clock
    fetch_cpu: float  # the fetch phase, CPU of the batch process and its git children (not the server)
    cloned: int
    changed: int


def run(root: Path, listed: Path, jobs: int, out: str) -> Run:
    """One batch run in a subprocess; the fetch phase's numbers are the ones the CLI records in
    results.json (``batch.fetch``)."""
    args = [sys.executable, "-m", "report_lint", "batch", "--repos-file", str(listed), "--no-progress"]
    args += ["--clone-dir", str(root / "cache"), "--out", str(root / out), "--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(args, cwd=root, env=env(), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"batch failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    stats = json.loads((root / out / "results.json").read_text(encoding="utf-8"))["batch"]["fetch"]
    if stats["failed"]:
        raise SystemExit(f"not every repository was fetched:\n{done.stdout}")
    return Run(seconds, stats["seconds"], stats["cpu_seconds"], stats["cloned"], stats["changed"])


def size(folder: Path) -> int:
    """Bytes of git objects below ``folder`` (hooks samples, logs and our saved rows not counted)."""
    return sum(p.stat().st_size for p in folder.glob("**/objects/**/*") if p.is_file())


def show(name: str, r: Run) -> None:
    print(
        f"{name:<16} whole command {r.seconds:7.2f}s | fetch phase {r.fetch_seconds:6.2f}s wall, "
        f"{r.fetch_cpu:6.2f}s CPU | cloned {r.cloned}, changed {r.changed}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="groups to generate and serve (300)")
    parser.add_argument("--changed", type=int, default=10, help="groups that push before the last run (10)")
    parser.add_argument("--jobs", type=int, default=4, help="batch --jobs (4)")
    parser.add_argument("--keep", metavar="DIR", help="work here and keep it (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rl-clone-bench-") as tmp:
        root = Path(args.keep or tmp)
        started = time.perf_counter()
        work = make_many(root, args.n)
        served = root / "served"
        served.mkdir()
        for i, repo in enumerate(work):
            serve_dir(served, f"g{i:03d}.git", repo)
        print(f"{args.n} repositories generated and served in {time.perf_counter() - started:.1f}s")
        print(f"machine: {machine()}  jobs: {args.jobs}  load: {os.getloadavg()[0]:.1f}")
        with GitServer(served) as server:
            listed = root / "groups.csv"
            with open(listed, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["group", "url"])
                writer.writerows([str(i), server.url(f"g{i:03d}.git")] for i in range(args.n))
            first = run(root, listed, args.jobs, "first")
            show("first run", first)
            cache, full = size(root / "cache") / 1e6, size(served) / 1e6
            print(f"git objects: clone cache {cache:.2f} MB; the served (full) repositories {full:.2f} MB")
            show("unchanged run", run(root, listed, args.jobs, "same"))
            step = max(1, args.n // args.changed)
            for i in range(0, step * args.changed, step):
                write_report(work[i], ReportBuilder(fill_words=130, answers={1: str(i)}).text())
                commit(work[i], "pushed", AFTER)
                git(work[i], "push", "-q", str(served / f"g{i:03d}.git"), "HEAD:main")
            mark = server.mark()
            incremental = run(root, listed, args.jobs, "incremental")
            show("incremental run", incremental)
            packs = {r.repo for r in server.requests[mark:] if r.command == "fetch"}
            print(f"{args.changed} groups pushed; the server sent packs to {len(packs)} repositories")
        cpu = incremental.fetch_cpu / first.fetch_cpu
        wall = incremental.fetch_seconds / first.fetch_seconds
        whole = incremental.seconds / first.seconds
        print(
            f"incremental / first, fetch phase CPU (this machine's cost): {cpu:.1%}  "
            f"(target < {TARGET:.0%}: {verdict(cpu < TARGET)})"
        )
        print(
            f"incremental / first, fetch phase wall clock (loopback server on the same 2 cores): {wall:.1%}"
        )
        print(
            f"incremental / first, whole command (fetch, lint what changed, write the outputs): {whole:.1%}"
            f"  (target < {TARGET:.0%}: {verdict(whole < TARGET)})"
        )
    return 0 if cpu < TARGET and whole < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
