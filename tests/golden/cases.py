"""The full outputs the speed and structure work must keep byte for byte.

Each case runs the real CLI in a subprocess on scratch git repositories built the same way every
time, and returns its stdout (and, for batch, its output files minus the run's clock). Outputs of the
demo and of our generated repositories are recorded whole in ``expected/``; for the five real seed
reports (``../shared/seeds``, never copied into the project) only a SHA-256 of the output and the
diagnostics' ``line:column code`` list are recorded.

Record anew after an intended output change with ``python tests/golden/cases.py --record`` and say
in the commit why the output changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS / "batch"))

from tooling import GIT_ENV, PROJECT, SHARED  # noqa: E402

EXPECTED = Path(__file__).resolve().parent / "expected"
SEEDS = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
DATE = "2026-01-20T12:00:00+01:00"


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": DATE, "GIT_COMMITTER_DATE": DATE}
    subprocess.run(
        ["git", "-C", str(repo), "-c", "commit.gpgsign=false", *args],
        check=True,
        capture_output=True,
        env=env,
    )


def commit_all(repo: Path) -> Path:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", "hand-in")
    return repo


def run(cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "GITHUB_ACTIONS")}
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "100"
    proc = subprocess.run(
        [sys.executable, "-m", "report_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode in (0, 1), f"exit {proc.returncode}: {proc.stderr}"
    return proc.stdout


def demo_repo(tmp: Path) -> Path:
    repo = tmp / "demo"
    shutil.copytree(PROJECT / "examples" / "demo", repo)
    return commit_all(repo)


def seed_repo(tmp: Path, seed: Path) -> Path:
    repo = tmp / seed.name[:3]
    (repo / "reports" / "figures").mkdir(parents=True)
    shutil.copyfile(seed, repo / "reports" / "README.md")
    (repo / "README.md").write_text("# project\n", encoding="utf-8")
    return commit_all(repo)


def batch_outputs(out: Path) -> str:
    """results.json without the run's clock and results.csv, as one text."""
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    for volatile in ("generated", "seconds"):
        data["batch"].pop(volatile)
    csv = (out / "results.csv").read_text(encoding="utf-8")
    return json.dumps(data, indent=1, sort_keys=True) + "\n--- results.csv ---\n" + csv


@dataclass(frozen=True)
class Case:
    name: str
    produce: Callable[[Path], str]
    whole: bool  # record the whole output (our own content) or only its digest (a real seed)


def _demo(*args: str) -> Callable[[Path], str]:
    def produce(tmp: Path) -> str:
        repo = demo_repo(tmp)
        return run(repo, "check", "--rules", "demo-rules.yaml", *args)

    return produce


def _seed(seed: Path, *args: str) -> Callable[[Path], str]:
    def produce(tmp: Path) -> str:
        repo = seed_repo(tmp, seed)
        return run(repo, "check", *args)

    return produce


def _batch_generated(tmp: Path) -> str:
    from repos import make_fixture

    make_fixture(tmp)
    run(tmp, "batch", "cloned_repos", "--out", str(tmp / "out"), "--no-progress", "--jobs", "2")
    return batch_outputs(tmp / "out")


def _batch_seeds(tmp: Path) -> str:
    for seed in SEEDS:
        seed_repo(tmp / "groups", seed)
    demo_repo(tmp / "groups")
    run(tmp, "batch", "groups", "--out", str(tmp / "out"), "--no-progress", "--jobs", "2")
    return batch_outputs(tmp / "out")


def _realshape() -> object:
    sys.path.insert(0, str(PROJECT))
    from benchmarks import realshape

    return realshape


def _real(seed: int, files: int | None, *args: str) -> Callable[[Path], str]:
    """A real-shaped hand-in (benchmarks/realshape.py), ``report-lint check`` as the hook runs it."""

    def produce(tmp: Path) -> str:
        repo = _realshape().make_repo(tmp / "handin", seed, files=files)  # type: ignore[attr-defined]
        return run(repo, "check", *args)

    return produce


def _batch_real(*args: str) -> Callable[[Path], str]:
    def produce(tmp: Path) -> str:
        _realshape().make_class(tmp, 6)  # type: ignore[attr-defined]
        run(tmp, "batch", "cloned_repos", "--out", str(tmp / "out"), "--no-progress", "--jobs", "2", *args)
        return batch_outputs(tmp / "out")

    return produce


def cases() -> list[Case]:
    found = [
        Case("demo-text", _demo("--format", "text"), True),
        Case("demo-json", _demo("--format", "json"), True),
        Case("demo-json-official", _demo("--format", "json", "--count-mode", "official"), True),
        Case("demo-sarif", _demo("--format", "sarif"), True),
        Case("demo-github", _demo("--format", "github"), True),
        Case("demo-statistics", _demo("--statistics"), True),
        Case("batch-generated", _batch_generated, True),
        Case("realshape-85-json", _real(0, 85, "--format", "json"), True),
        Case("realshape-249-text", _real(4, None, "--format", "text"), True),
        Case("batch-realshape", _batch_real(), True),
        Case("batch-realshape-at", _batch_real("--at", "2026-01-23T23:59:00+01:00"), True),
    ]
    for seed in SEEDS:
        stem = seed.name[:3]
        found.append(Case(f"seed-{stem}-json", _seed(seed, "--format", "json"), False))
        found.append(
            Case(
                f"seed-{stem}-json-official",
                _seed(seed, "--format", "json", "--count-mode", "official"),
                False,
            )
        )
        found.append(Case(f"seed-{stem}-text", _seed(seed, "--format", "text"), False))
    if SEEDS:
        found.append(Case("batch-seeds", _batch_seeds, False))
    return found


def digest(output: str) -> dict[str, object]:
    """What is recorded of a seed's output: its hash, and where its diagnostics are (for a readable diff)."""
    where: list[str] = []
    try:
        for report in json.loads(output).get("reports", []):
            where += [f"{d['line']}:{d['column']} {d['code']}" for d in report.get("diagnostics", [])]
    except (ValueError, AttributeError):
        pass
    return {"sha256": hashlib.sha256(output.encode("utf-8")).hexdigest(), "diagnostics": where}


def expected_path(case: Case) -> Path:
    return EXPECTED / (f"{case.name}.out" if case.whole else f"{case.name}.json")


def record(case: Case, output: str) -> None:
    path = expected_path(case)
    if case.whole:
        path.write_bytes(output.encode("utf-8"))
    else:
        path.write_text(json.dumps(digest(output), indent=1) + "\n", encoding="utf-8")


def main() -> None:
    import tempfile

    if "--record" not in sys.argv:
        raise SystemExit("usage: python tests/golden/cases.py --record")
    if not SEEDS:
        raise SystemExit(f"no seeds in {SHARED / 'seeds'}: record with ../shared beside the project")
    EXPECTED.mkdir(exist_ok=True)
    for case in cases():
        with tempfile.TemporaryDirectory() as tmp:
            record(case, case.produce(Path(tmp)))
            print("recorded", expected_path(case).name)


if __name__ == "__main__":
    main()
