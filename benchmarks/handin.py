"""Benchmark: what handin-render (and handin-cut) add to one lint of a 31-question report.

    python benchmarks/handin.py [--runs 30] [--seeds DIR]

Two reports, both 31 questions: the demo (examples/demo, in a temporary git copy) and a generated one
whose every answer holds the constructs the rule reports (lists after a paragraph, nested lists, fenced
and indented code, a table, task boxes, strikethrough, a bare URL, images); two real-shaped hand-ins
(``realshape.py``, seeds 1 and 2: the rule's share of a lint as the hook and the batch meet it); then the
real seed reports (``../shared/seeds`` beside the project, or ``--seeds DIR``; each copied into a temporary
git repository, never into this one; skipped when the folder is absent).  Each is linted in-process
(``lint_file`` as the hook calls it) with every rule and with the two hand-in rules ignored, interleaved,
``runs`` times after a warm-up; the ratio of the medians is the rule's cost.  Times are CPU time of the
process and its git children (``getrusage``): the machine is shared, and wall time moves with other
people's load.  Beside each ratio: the median CPU time of the rule's analysis inside the lints (a
steadier figure for before/after comparisons than the ratio, whose spread here is about +-0.03).  Target:
at most 1.20x.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import PROJECT, REPORT, demo_repo, env, machine, median, real_repo, verdict
from report_lint.checks import handin_render
from report_lint.engine import LintOptions, Selection, lint_file
from tests.builders import ReportBuilder

TARGET = 1.20
RICH = (
    "We set it up in steps:\n- first the data\n- then the model\n  - a small CNN\n  - trained on CPU\n"
    "- then the API\n\n```bash\npip install -e .\n\n# train\npython train.py\n```\n\n    make test\n\n"
    "| tool | use |\n|---|---|\n| dvc | data |\n\n- [x] tests\n- [ ] docs\n\n"
    "We dropped ~~pandas~~ for polars, see https://example.org/notes and ![plot](figures/q.png)."
)


def _rich_repo(tmp: Path) -> Path:
    root = tmp / "rich"
    root.mkdir()
    builder = ReportBuilder(answers={n: RICH for n in range(3, 32)}, fill_words=120)
    builder.write(root)
    return root


def _seed_repos(tmp: Path, folder: Path) -> list[tuple[str, Path]]:
    out = []
    for seed in sorted(folder.glob("*.txt")):
        root = tmp / f"seed-{seed.stem}"
        (root / "reports").mkdir(parents=True)
        shutil.copyfile(seed, root / REPORT)
        subprocess.run(["git", "init", "-q"], cwd=root, env=env(), check=True)
        out.append((f"seed {seed.name[:3]}", root))
    return out


def _cpu() -> float:
    """CPU seconds of this process and the children it waited for (the lint runs git)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class _AnalysisTimer:
    """CPU time of the rule's analysis inside each lint: ``handin_render.analysis`` wrapped while timing
    Steadier than the difference of two lints' medians, which carries both lints' spread."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def __enter__(self) -> _AnalysisTimer:
        self.original = handin_render.analysis

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = _cpu()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.times.append(_cpu() - started)

        handin_render.analysis = timed
        return self

    def __exit__(self, *exc: object) -> None:
        handin_render.analysis = self.original


def _pair(file: Path, root: Path, runs: int) -> tuple[float, float, float]:
    """Medians (ms) of the lint with every rule, without the hand-in rules, and of the analysis in it."""
    full = LintOptions()
    without = LintOptions(selection=Selection(ignore=("handin-render", "handin-cut")))
    for options in (full, without):  # warm-up: packs, imports, the Markdown instance
        lint_file(file, root, REPORT, options)
    with_rule: list[float] = []
    without_rule: list[float] = []
    with _AnalysisTimer() as timer:
        for _ in range(runs):
            for options, bucket in ((full, with_rule), (without, without_rule)):
                started = _cpu()
                lint_file(file, root, REPORT, options)
                bucket.append(_cpu() - started)
    analysis = median(timer.times) if timer.times else 0.0
    return median(with_rule) * 1000, median(without_rule) * 1000, analysis * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seeds", type=Path, default=PROJECT.parent / "shared" / "seeds")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    ok = True
    with tempfile.TemporaryDirectory(prefix="rl-handin-bench-") as tmp:
        repos = [("demo", demo_repo(Path(tmp))), ("rich", _rich_repo(Path(tmp)))]
        repos += [(f"real {seed}", real_repo(Path(tmp), seed)) for seed in (1, 2)]
        if args.seeds.is_dir():
            repos += _seed_repos(Path(tmp), args.seeds)
        for name, root in repos:
            file = root / REPORT
            lines = len(file.read_text(encoding="utf-8").splitlines())
            with_ms, without_ms, analysis_ms = _pair(file, root, args.runs)
            ratio = with_ms / without_ms
            ok = ok and ratio <= TARGET
            print(
                f"{name:8} ({lines:4} lines): with the hand-in rules {with_ms:7.1f} ms, "
                f"without {without_ms:7.1f} ms   ratio {ratio:.2f}x "
                f"(target <= {TARGET:.2f}x: {verdict(ratio <= TARGET)}); "
                f"the analysis alone {analysis_ms:5.1f} ms"
            )
    print(f"target: the hand-in rules add at most {TARGET - 1:.0%}: {verdict(ok)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
