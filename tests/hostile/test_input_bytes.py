"""Hostile bytes in the report file: encodings, line endings, NULs, binaries, non-files, bad paths."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import ReportBuilder

from .conftest import run_cli, without_dac_override

WriteReport = Callable[[str | bytes], Path]
PLACEHOLDER_Q5 = "--- question 5 fill here ---"


def _placeholder_position(text: str, needle: str) -> tuple[int, int]:
    """(line, column) of ``needle`` counting CRLF, lone CR and LF each as one line break."""
    lines = re.split(r"\r\n|\r|\n", text)
    for number, line in enumerate(lines, start=1):
        col = line.find(needle)
        if col >= 0:
            return number, col + 1
    raise AssertionError(needle)


def _rl101_at(stdout: str, line: int, column: int) -> None:
    assert f"reports/README.md:{line}:{column}: RL101 [unfilled-placeholder]" in stdout, stdout[:3000]


def test_empty_file(repo: Path, write_report: WriteReport) -> None:
    write_report(b"")
    out = run_cli([], repo).diagnostics()
    assert "reports/README.md:1:1: RL401 [template-structure]" in out
    assert "no question headings were found" in out


def test_binary_file_named_readme(repo: Path, write_report: WriteReport) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64
    write_report(png)
    line = run_cli([], repo).error_line()
    assert "reports/README.md" in line
    assert "binary" in line or "UTF-8" in line


def test_invalid_utf8_names_the_line(repo: Path, write_report: WriteReport) -> None:
    write_report(b"# Report\n\nfine\n\nbroken \xc3\x28 here\n")
    line = run_cli([], repo).error_line()
    assert "reports/README.md:5: not valid UTF-8 (byte 0xc3)" in line


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_bom(repo: Path, write_report: WriteReport, codec: str) -> None:
    data = ReportBuilder().text().encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    write_report(data)
    line = run_cli([], repo).error_line()
    assert "UTF-16" in line and "save it as UTF-8" in line


def test_utf8_bom_keeps_positions(repo: Path, write_report: WriteReport) -> None:
    text = ReportBuilder().text()
    write_report(b"\xef\xbb\xbf" + text.encode("utf-8"))
    out = run_cli([], repo).diagnostics()
    _rl101_at(out, *_placeholder_position(text, PLACEHOLDER_Q5))
    assert "\ufeff" not in out


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_line_endings_keep_positions(repo: Path, write_report: WriteReport, newline: str) -> None:
    builder = ReportBuilder(answers={7: "We used " + PLACEHOLDER_Q5.replace("5", "7") + " in a sentence."})
    text = newline.join(builder.lines()) + newline
    write_report(text)
    out = run_cli([], repo).diagnostics()
    line, column = _placeholder_position(text, PLACEHOLDER_Q5)
    _rl101_at(out, line, column)
    # the mid-line placeholder: its column counts characters of that line only, not the CRs before it
    line7, column7 = _placeholder_position(text, "--- question 7 fill here ---")
    assert column7 == len("We used ") + 1
    _rl101_at(out, line7, column7)
    assert "\r" not in out


def test_nul_bytes_in_text(repo: Path, write_report: WriteReport) -> None:
    text = ReportBuilder().text().replace("Exam report", "Exam\x00report", 1)
    text = text.replace("### Question 3", "### Question 3\x00", 1)
    write_report(text)
    out = run_cli([], repo).diagnostics()
    assert "\x00" not in out
    _rl101_at(out, *_placeholder_position(text, PLACEHOLDER_Q5))


def test_mostly_nul_bytes(repo: Path, write_report: WriteReport) -> None:
    write_report(b"# Report\n" + b"\x00" * 4096)
    assert "binary" in run_cli([], repo).error_line()


def test_report_is_a_directory(repo: Path) -> None:
    (repo / "reports" / "README.md").mkdir()
    assert "reports/README.md: is a directory" in run_cli([], repo).error_line()


def test_report_is_a_fifo(repo: Path) -> None:
    os.mkfifo(repo / "reports" / "README.md")  # opening it for reading would block forever
    assert "is not a regular file" in run_cli([], repo, timeout=20).error_line()


def test_report_symlink_loop(repo: Path) -> None:
    (repo / "reports" / "README.md").symlink_to("README.md")
    line = run_cli([], repo, timeout=20).error_line()
    assert "reports/README.md" in line


def test_unreadable_report(repo: Path, write_report: WriteReport) -> None:
    """EACCES on the report (as root: run without CAP_DAC_OVERRIDE, so chmod 0 really blocks reads)."""
    prefix = without_dac_override()
    if prefix is None:
        pytest.skip("running as root without setpriv: permission bits do not block root's reads")
    path = write_report(ReportBuilder().text())
    path.chmod(0)
    try:
        assert (
            "reports/README.md: cannot read: Permission denied"
            in run_cli([], repo, prefix=prefix).error_line()
        )
    finally:
        path.chmod(0o644)


def test_unreadable_figure_and_evidence(repo: Path, write_report: WriteReport) -> None:
    """Unreadable files inside the repository are skipped, never a crash."""
    prefix = without_dac_override()
    if prefix is None:
        pytest.skip("running as root without setpriv: permission bits do not block root's reads")
    write_report(ReportBuilder(answers={5: "![plot](figures/plot.png)"}).text())
    figure = repo / "reports" / "figures" / "plot.png"
    figure.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    secret = repo / "requirements.txt"
    secret.write_text("torch\n")
    locked = repo / "locked"
    locked.mkdir()
    (locked / "Dockerfile").write_text("FROM python\n")
    for path in (figure, secret, locked):
        path.chmod(0)
    try:
        out = run_cli([], repo, prefix=prefix).diagnostics()
    finally:
        for path in (figure, secret, locked):
            path.chmod(0o755)
    assert "RL101" in out
    # an unreadable configuration file, by contrast, is an input error: one line, exit 2
    config = repo / "pyproject.toml"
    config.write_text("[tool.report-lint]\nfail-on = 'warning'\n")
    config.chmod(0)
    try:
        line = run_cli([], repo, prefix=prefix).error_line()
    finally:
        config.chmod(0o644)
    assert "pyproject.toml: cannot read configuration" in line and "Permission denied" in line


def test_unreadable_report_eacces_through_a_directory(repo: Path, tmp_path: Path) -> None:
    """EACCES raised another way, which also bites root: a report path that runs through a file."""
    (repo / "reports" / "notes").write_text("a file, not a directory\n")
    line = run_cli(["reports/notes/README.md"], repo).error_line()
    assert "reports/notes/README.md" in line


def test_sparse_2gb_report_is_refused_unread(repo: Path, write_report: WriteReport) -> None:
    path = write_report(b"")
    os.truncate(path, 2 * 1024**3)
    run = run_cli([], repo, timeout=30)
    assert "larger than the" in run.error_line()
    assert run.seconds < 10


def test_missing_repo(repo: Path) -> None:
    assert "--repo nowhere: no such directory" in run_cli(["--repo", "nowhere"], repo).error_line()


def test_repo_is_a_file(repo: Path) -> None:
    (repo / "afile").write_text("x")
    assert "--repo afile: not a directory" in run_cli(["--repo", "afile"], repo).error_line()


def test_report_outside_the_root(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text(ReportBuilder().text())
    line = run_cli([str(outside)], repo).error_line()
    assert "the report is outside the repository root" in line
    line = run_cli(["../elsewhere.md"], repo).error_line()
    assert "outside the repository root" in line


def test_report_symlink_pointing_outside_the_root(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text(ReportBuilder().text())
    (repo / "reports" / "README.md").symlink_to(outside)
    assert "outside the repository root" in run_cli([], repo).error_line()
