"""Benchmark: a repository with 100,000 ignored data files must scan as fast as one without.

    python benchmarks/evidence_ignored.py [--files 100000] [--repeat 5]

Builds two git repositories (a small project; the same project plus N files under an ignored
``data/`` directory), then times listing + evaluating every checklist rule, with the git backend and
with the non-git walk.  Prints the best-of-``repeat`` times and the ratio (target: at most 1.2x).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report_lint.evidence.builtin import load_checklist
from report_lint.evidence.evaluate import evaluate
from report_lint.evidence.repo import RepoIndex

PROJECT = {
    ".gitignore": "data/\n__pycache__/\n",
    "pyproject.toml": '[project]\nname = "p"\ndependencies = ["torch", "hydra-core"]\n',
    "dockerfiles/train.dockerfile": "FROM python:3.11\n",
    ".github/workflows/tests.yaml": "on: [push]\njobs:\n  t:\n    runs-on: x\n    steps:\n"
    "      - run: pytest\n",
    "README.md": "# p\n",
}


def build(root: Path, ignored: int) -> None:
    root.mkdir(parents=True)
    for rel, text in PROJECT.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for i in range(60):
        path = root / "src" / "p" / f"mod{i}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"def f{i}(x: int) -> int:\n    return x + {i}\n")
    for i in range(ignored):
        d = root / "data" / "raw" / f"shard{i // 1000:03d}"
        if i % 1000 == 0:
            d.mkdir(parents=True, exist_ok=True)
        (d / f"sample{i}.npy").write_bytes(b"\0")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)


def scan(root: Path, use_git: bool) -> float:
    spec = load_checklist()
    start = time.perf_counter()
    index = RepoIndex.open(root, use_git=use_git)
    for rule in spec.rules:
        if rule.evidence is not None:
            evaluate(rule.evidence, index)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small, big = Path(tmp) / "small", Path(tmp) / "big"
        t0 = time.perf_counter()
        build(small, 0)
        build(big, args.files)
        print(f"built repositories in {time.perf_counter() - t0:.1f}s ({args.files} ignored files)")
        worst = 0.0
        for use_git in (True, False):
            a = min(scan(small, use_git) for _ in range(args.repeat))
            b = min(scan(big, use_git) for _ in range(args.repeat))
            ratio = b / a
            worst = max(worst, ratio)
            name = "git ls-files" if use_git else "walk"
            print(
                f"{name:13} small {a * 1000:7.1f} ms   with {args.files} ignored "
                f"{b * 1000:7.1f} ms   ratio {ratio:.2f}x"
            )
    print("OK" if worst <= 1.2 else "SLOW")
    return 0 if worst <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
