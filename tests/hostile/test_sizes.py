"""Huge and deep reports: each must finish (a clear diagnostic, never a hang or a traceback).

The runs are slow one by one, so the module starts them all at once (one process each) and every
test collects its own; a run still going at the shared deadline is killed and its test fails.
Times are printed (``pytest -s``) and attached to the test report.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import ReportBuilder, words

from .conftest import clean_env, git

DEADLINE = 50.0  # seconds for all runs together; on 2 cores they take about 25 s (one by one: 45 s)


def _ten_mb() -> str:
    paragraph = words(100) + "\n\n"
    return ReportBuilder(fill_words=60, answers={5: paragraph * (10_000_000 // len(paragraph))}).text()


def _line(unit: str) -> str:
    return ReportBuilder(fill_words=60, answers={5: unit * (1_000_000 // len(unit))}).text()


CASES: dict[str, Callable[[], str]] = {
    "10mb-report": _ten_mb,
    "10k-headings": lambda: ReportBuilder(
        fill_words=60, tail="\n".join(f"## Heading {i}\n\ntext {i}\n" for i in range(10_000))
    ).text(),
    "10k-question-headings": lambda: ReportBuilder(
        fill_words=60,
        tail="\n".join(f"### Question {i}\n\n> Answer:\n\ntext {i}\n" for i in range(32, 10_032)),
    ).text(),
    "500-deep-block-quotes": lambda: ReportBuilder(fill_words=60, answers={5: "> " * 500 + "deep"}).text(),
    "500-deep-lists": lambda: ReportBuilder(
        fill_words=60, answers={5: "\n".join("  " * i + "- item" for i in range(500))}
    ).text(),
    "500-deep-ordered-lists": lambda: ReportBuilder(
        fill_words=60, answers={5: "\n".join("   " * i + "1. item" for i in range(500))}
    ).text(),
    "500-deep-quotes-and-lists": lambda: ReportBuilder(
        fill_words=60, answers={5: "\n".join("> " * i + "- item" for i in range(500))}
    ).text(),
    "1mb-line-words": lambda: _line("word "),
    "1mb-line-one-word": lambda: _line("a"),
    "1mb-line-unclosed-comments": lambda: _line("<!--"),
    "1mb-line-unclosed-tags": lambda: _line("<a "),
    "1mb-line-unclosed-autolinks": lambda: _line("<http://a"),
    "1mb-line-dashes": lambda: _line("---a "),
    "1mb-line-brackets": lambda: _line("["),
    "1mb-line-image-openers": lambda: _line("!["),
    "1mb-line-unclosed-links": lambda: _line("[a]("),
}


@dataclass
class Outcome:
    returncode: int | None  # None: killed at the deadline
    stdout: str
    stderr: str
    seconds: float


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    # output goes to files: a full pipe would block a child that the poll loop is not reading
    procs: dict[str, tuple[subprocess.Popen[bytes], float]] = {}
    logs: dict[str, Path] = {}
    for name, make in CASES.items():
        repo = tmp_path_factory.mktemp(name) / "repo"
        (repo / "reports").mkdir(parents=True)
        git(repo, "init", "-q")
        (repo / "reports" / "README.md").write_text(make(), encoding="utf-8")
        with (repo.parent / "stdout").open("wb") as out, (repo.parent / "stderr").open("wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "report_lint"], cwd=repo, env=clean_env(), stdout=out, stderr=err
            )
        logs[name] = repo.parent
        procs[name] = (proc, time.perf_counter())
    deadline = time.perf_counter() + DEADLINE
    results: dict[str, Outcome] = {}
    while procs and time.perf_counter() < deadline:  # poll, so each time is the run's own end
        for name, (proc, started) in list(procs.items()):
            if proc.poll() is not None:
                out, err = (logs[name] / "stdout").read_text(), (logs[name] / "stderr").read_text()
                results[name] = Outcome(proc.returncode, out, err, time.perf_counter() - started)
                del procs[name]
        time.sleep(0.05)
    for name, (proc, started) in procs.items():
        proc.kill()
        proc.wait()
        results[name] = Outcome(None, "", "", time.perf_counter() - started)
    yield results


@pytest.mark.parametrize("name", list(CASES))
def test_finishes_with_diagnostics(
    name: str, outcomes: dict[str, Outcome], record_property: Callable[[str, object], None]
) -> None:
    result = outcomes[name]
    record_property("seconds", round(result.seconds, 2))
    print(f"{name}: {result.seconds:.1f}s (all runs concurrent)")
    assert result.returncode is not None, f"{name} still running after {DEADLINE}s: a hang"
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr  # every case leaves errors to report
    assert result.stderr == ""
    assert "questions pass" in result.stdout.splitlines()[-1]
