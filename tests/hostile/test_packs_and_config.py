"""Hostile rule packs (``--rules``) and configuration files: a pointed one-line error, never run, never hang."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from builders import ReportBuilder

from .conftest import run_cli

LOCATED = re.compile(r"^report-lint: error: (?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): ")


def _located(line: str, file: str) -> tuple[int, int]:
    match = LOCATED.match(line)
    assert match and match.group("file").endswith(file), line
    return int(match.group("line")), int(match.group("col"))


@pytest.fixture()
def linted(repo: Path) -> Path:
    (repo / "reports" / "README.md").write_text(ReportBuilder(fill_words=60).text())
    return repo


def test_catastrophic_backtracking_pattern_runs_in_linear_time(linted: Path) -> None:
    (linted / "pack.yaml").write_text(
        "name: evil\nextends: dtu-mlops-31q-2026\nplaceholders:\n"
        "  - id: evil\n    pattern: '(a+)+$'\n    message: backtracking\n"
        "  - id: evil2\n    pattern: '(x+x+)+y'\n    message: backtracking\n"
    )
    answer = "a" * 50_000 + "!" + "\n\n" + "x" * 50_000
    (linted / "reports" / "README.md").write_text(ReportBuilder(fill_words=60, answers={5: answer}).text())
    run = run_cli(["--rules", "pack.yaml"], linted, timeout=30)
    run.diagnostics()
    assert run.seconds < 15, f"{run.seconds:.1f}s"


def test_pattern_re2_rejects_is_a_located_error(linted: Path) -> None:
    (linted / "pack.yaml").write_text(
        "name: evil\nextends: dtu-mlops-31q-2026\nplaceholders:\n"
        "  - id: backref\n    pattern: '(a)\\1'\n    message: RE2 has no backreferences\n"
    )
    line = run_cli(["--rules", "pack.yaml"], linted).error_line()
    assert _located(line, "pack.yaml") == (5, 14), line
    assert "placeholders.0.pattern" in line


def test_billion_laughs(linted: Path) -> None:
    lines = ["name: bomb", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    (linted / "pack.yaml").write_text("\n".join(lines) + "\n")
    run = run_cli(["--rules", "pack.yaml"], linted, timeout=30)
    line = run.error_line()
    _located(line, "pack.yaml")
    assert "alias bomb" in line
    assert run.seconds < 10


def test_hundred_thousand_keys(linted: Path) -> None:
    body = "".join(f"  k{i}: {i}\n" for i in range(100_000))
    (linted / "pack.yaml").write_text(
        "name: wide\nrules:\n  answer-length:\n    options:\n" + body.replace("  k", "      k")
    )
    run = run_cli(["--rules", "pack.yaml"], linted, timeout=30)
    line = run.error_line()
    _located(line, "pack.yaml")
    assert "larger than" in line or "more than" in line
    assert run.seconds < 10


def test_python_object_tag_is_not_executed(linted: Path, tmp_path: Path) -> None:
    canary = tmp_path / "executed"
    (linted / "pack.yaml").write_text(
        f"name: rce\ndescription: !!python/object/apply:os.system ['touch {canary}']\n"
    )
    line = run_cli(["--rules", "pack.yaml"], linted).error_line()
    assert _located(line, "pack.yaml") == (2, 14)
    assert "unsupported YAML tag" in line and "python/object/apply" in line
    assert not canary.exists()


@pytest.mark.parametrize(
    ("body", "where", "needle"),
    [
        ("name: t\nquestion_count: many\n", (2, 17), "question_count"),
        ("name: t\nquestions:\n  - number: 3\n    words: [200, 100]\n", (4, 12), "min 200 is above max 100"),
        ("name: t\ncolour: red\n", (2, 1), "colour: unknown key"),
        ("name: t\nrules:\n  answer-length:\n    sevrity: error\n", (4, 5), "unknown key"),
        (
            "name: t\nquestions:\n  - number: 3\n  - number: 4\n  - number: 3\n",
            (3, 3),
            "question 3 is listed twice",
        ),
        ("name: t\nname: u\n", (2, 1), "duplicate key"),
        ("name: t\nrules: [\n", (3, 1), "invalid YAML"),
        ("name: t\nq: <<: *x\n", None, "pack.yaml"),
    ],
    ids=[
        "wrong-type",
        "bad-range",
        "unknown-key",
        "unknown-nested-key",
        "duplicate-question",
        "duplicate-key",
        "syntax",
        "undefined-alias",
    ],
)
def test_malformed_packs_are_located(
    linted: Path, body: str, where: tuple[int, int] | None, needle: str
) -> None:
    (linted / "pack.yaml").write_text(body)
    line = run_cli(["--rules", "pack.yaml"], linted).error_line()
    position = _located(line, "pack.yaml")
    if where is not None:
        assert position == where, line
    assert needle in line


def test_pack_file_that_is_binary_or_huge(linted: Path) -> None:
    (linted / "pack.yaml").write_bytes(b"\xff\xfe\x00garbage")
    assert "not valid UTF-8" in run_cli(["--rules", "pack.yaml"], linted).error_line()
    (linted / "pack.yaml").write_bytes(b"name: x\n" + b"#" * (2 * 1024 * 1024))
    assert "larger than" in run_cli(["--rules", "pack.yaml"], linted).error_line()
    (linted / "pack.yaml").unlink()
    (linted / "pack.yaml").mkdir()
    assert "pack.yaml" in run_cli(["--rules", "pack.yaml"], linted).error_line()


@pytest.mark.parametrize(
    ("body", "where", "needle"),
    [
        ("fail-on: [\n", (2, 1), "(yaml)"),
        ("fail-on: sometimes\n", (1, 10), "fail-on"),
        ("colour: red\n", (1, 1), "unknown setting"),
        ("select: 42\n", (1, 9), "select"),
        ("fail-on: error\nfail_on: error\n", (2, 1), "set twice"),
        ("rules: ../../outside.yaml\n", (1, 8), "outside the repository root"),
        ("rules: !!python/object/apply:os.system ['touch {canary}']\n", (1, 8), "python/object/apply"),
    ],
    ids=["syntax", "bad-value", "unknown-key", "wrong-type", "duplicate", "pack-outside", "python-tag"],
)
def test_malformed_config(
    linted: Path, tmp_path: Path, body: str, where: tuple[int, int], needle: str
) -> None:
    canary = tmp_path / "executed"
    (linted / ".report-lint.yaml").write_text(body.replace("{canary}", str(canary)))
    line = run_cli([], linted).error_line()
    assert _located(line, ".report-lint.yaml") == where, line
    assert needle in line
    assert not canary.exists()


def test_config_alias_bomb(linted: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    (linted / ".report-lint.yaml").write_text("\n".join(lines) + "\nselect: *a9\n")
    run = run_cli([], linted, timeout=30)
    _located(run.error_line(), ".report-lint.yaml")
    assert run.seconds < 10


def test_malformed_pyproject(linted: Path) -> None:
    (linted / "pyproject.toml").write_text("[tool.report-lint]\nfail-on = \n")
    line = run_cli([], linted).error_line()
    assert _located(line, "pyproject.toml")[0] == 2
