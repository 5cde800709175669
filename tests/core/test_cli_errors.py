"""Bad input: one clear line on stderr, exit 2, never a traceback; the tool runs as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, "-m", "report_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], needle: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("report-lint: error: ")
    assert needle in lines[0]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / "reports").mkdir()
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def test_missing_report(repo: Path) -> None:
    assert_one_line_error(run([], repo), "reports/README.md: no such file")


def test_missing_repo(repo: Path) -> None:
    assert_one_line_error(run(["--repo", "nowhere"], repo), "--repo nowhere: no such directory")


def test_report_is_a_directory(repo: Path) -> None:
    (repo / "reports" / "README.md").mkdir()
    assert_one_line_error(run([], repo), "is a directory")


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"# Report\n\nok\n\xff\xfe broken\n", ":4: not valid UTF-8"),
        ("# Report\n".encode("utf-16"), "UTF-16"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
    ],
)
def test_undecodable_reports(repo: Path, data: bytes, needle: str) -> None:
    (repo / "reports" / "README.md").write_bytes(data)
    assert_one_line_error(run([], repo), needle)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of permissions")
def test_unreadable_report(repo: Path) -> None:
    report = repo / "reports" / "README.md"
    report.write_text("# x\n")
    report.chmod(0)
    assert_one_line_error(run([], repo), "cannot read")


def test_unknown_option_is_usage_error(repo: Path) -> None:
    assert_one_line_error(run(["--bogus"], repo), "unrecognized arguments")


def test_malformed_pack_points_at_file_line(repo: Path) -> None:
    (repo / "reports" / "README.md").write_text("# Report\n")
    (repo / "pack.yaml").write_text("name: mine\nquestions:\n  - {number: one}\n")
    proc = run(["--rules", "pack.yaml"], repo)
    assert_one_line_error(proc, "pack.yaml:3:")
    assert "questions.0.number" in proc.stderr


def test_report_outside_root(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "README.md"
    outside.write_text("# x\n")
    assert_one_line_error(run([str(outside)], repo), "outside the repository root")


@pytest.mark.parametrize(
    ("name", "text", "needle"),
    [
        (
            ".report-lint.yaml",
            "select: [RL101, RL999]\n",
            ".report-lint.yaml:1:17: select.1: unknown rule or code 'RL999'",
        ),
        (
            ".report-lint.yaml",
            "ignore:\n  - RL101\n  - nonsense\n",
            ".report-lint.yaml:3:5: ignore.1: unknown rule",
        ),
        (
            ".report-lint.yaml",
            "severity: {RL998: error}\n",
            ".report-lint.yaml:1:12: severity.RL998: unknown rule",
        ),
        (
            "pyproject.toml",
            '[tool.report-lint]\nseverity = {RL998 = "error"}\n',
            "pyproject.toml:2:1: severity.RL998",
        ),
        (
            "pyproject.toml",
            '[tool.report-lint]\n[tool.report-lint.severity]\nRL101 = "error"\nRL998 = "error"\n',
            "pyproject.toml:4:1: severity.RL998: unknown rule or code 'RL998'",
        ),
    ],
)
def test_unknown_rule_in_config_points_at_its_entry(repo: Path, name: str, text: str, needle: str) -> None:
    """Known only once the pack is chosen, an unknown code is still this file's error at its line."""
    (repo / "reports" / "README.md").write_text("# Report\n\n### Question 1\n\n> Answer:\n\n12\n")
    (repo / name).write_text(text)
    assert_one_line_error(run([], repo), needle)


def test_unknown_rule_on_the_command_line_names_the_option(repo: Path) -> None:
    (repo / "reports" / "README.md").write_text("# Report\n")
    (repo / ".report-lint.yaml").write_text("select: [RL101]\n")
    proc = run(["--ignore", "RL999"], repo)
    assert_one_line_error(proc, "unknown rule or code 'RL999'")
    assert ".report-lint.yaml" not in proc.stderr
