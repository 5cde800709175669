"""The language server's parts without a client: positions, the evidence snapshot, which files are
reports, the CLI without the extra, the hover text."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from lsp_support import check_json, demo_repo
from tooling import PROJECT

import report_lint
from report_lint.evidence.filesource import FileSource
from report_lint.lsp.convert import default_rules_doc, hover_text, question_at, visible
from report_lint.lsp.positions import LineIndex, code_units
from report_lint.lsp.session import Session, buffer_lines
from report_lint.lsp.snapshot import SnapshotSource


@pytest.mark.parametrize(("encoding", "units"), [("utf-16", 3), ("utf-8", 5), ("utf-32", 2)])
def test_columns_after_a_non_bmp_character(encoding: str, units: int) -> None:
    index = LineIndex(("🙂 TODO here",))
    assert index.position(1, 3, encoding) == (0, units)  # type: ignore[arg-type]
    # end of line: the whole line's units
    assert index.position(1, None, encoding) == (0, code_units("🙂 TODO here", encoding))  # type: ignore[arg-type]


def test_a_bom_shifts_only_the_first_line_and_crlf_splits_like_lsp() -> None:
    lines, had_bom = buffer_lines("\ufeffab\r\ncd\rX\n")
    assert lines == ("ab", "cd", "X", "") and had_bom
    index = LineIndex(lines, had_bom)
    assert index.position(1, 2, "utf-16") == (0, 2)  # "\ufeff" + "a" before column 2
    assert index.position(2, 2, "utf-16") == (1, 1)


def test_positions_are_clamped_into_the_buffer() -> None:
    index = LineIndex(("abc", "de"))
    assert index.position(9, 9, "utf-16") == (1, 2)
    assert index.position(0, 0, "utf-16") == (0, 0)
    assert index.range(2, 5, 1, 1, "utf-16") == ((1, 2), (1, 2))  # end never before start
    assert LineIndex(()).position(3, 3, "utf-16") == (0, 0)


def test_messages_show_controls_and_bidi_overrides() -> None:
    assert visible("a\x1b[31mb\u202ec\td") == "a\\u001b[31mb\\u202ec\td"


class CountingSource(FileSource):
    def __init__(self, root: Path) -> None:
        self.root = root
        self.calls: list[str] = []

    def list(self) -> Sequence[str]:
        self.calls.append("list")
        return ["a.txt"]

    def read(self, path: str, limit: int) -> bytes | None:
        self.calls.append(f"read {path}")
        return b"x"

    def size(self, path: str) -> int | None:
        self.calls.append(f"size {path}")
        return 1


def test_the_snapshot_asks_its_source_once(tmp_path: Path) -> None:
    inner = CountingSource(tmp_path)
    snap = SnapshotSource(inner)
    for _ in range(3):
        assert snap.list() == ("a.txt",)
        assert snap.read("a.txt", 10) == b"x"
        assert snap.size("a.txt") == 1
        assert snap.table.is_file("a.txt")
    assert inner.calls == ["list", "read a.txt", "size a.txt"]


def test_which_files_are_reports(tmp_path: Path) -> None:
    repo = demo_repo(tmp_path)
    session = Session([repo])
    target = session.target(repo / "reports" / "README.md")
    assert target is not None and target.display == "reports/README.md" and target.root == repo.resolve()
    assert target.options.pack is not None and target.options.pack.endswith("demo-rules.yaml")
    assert session.target(repo / "README.md") is None
    assert session.target(tmp_path / "elsewhere.md") is None  # no git, no workspace folder
    # a configured report list replaces the default
    (repo / ".report-lint.yaml").write_text("reports: [docs/report.md]\n", encoding="utf-8")
    session.refresh(repo)
    assert session.target(repo / "reports" / "README.md") is None
    docs = session.target(repo / "docs" / "report.md")
    assert docs is not None and docs.display == "docs/report.md"


def test_the_buffer_is_linted_not_the_file(tmp_path: Path) -> None:
    repo = demo_repo(tmp_path)
    report = repo / "reports" / "README.md"
    session = Session([repo])
    target = session.target(report)
    assert target is not None
    text = report.read_text(encoding="utf-8")
    assert session.lint(target, text).to_json() == check_json(repo)
    crlf = session.lint(target, "\ufeff" + text.replace("\n", "\r\n"))
    assert crlf.diagnostics == session.lint(target, text).diagnostics
    fewer = session.lint(target, text.replace("[TO DO: add the profiling numbers]\n", ""))
    assert len(fewer.diagnostics) == len(crlf.diagnostics) - 1


def test_hover_text_uses_the_results_numbers(tmp_path: Path) -> None:
    repo = demo_repo(tmp_path)
    report = repo / "reports" / "README.md"
    session = Session([repo])
    target = session.target(report)
    assert target is not None
    result = session.lint(target, report.read_text(encoding="utf-8"))
    q10 = next(q for q in result.questions if q.number == 10)  # only the placeholder is left
    assert question_at(result, q10.line) == q10
    assert question_at(result, q10.line + 1) is None
    text = hover_text(q10, result)
    assert text.startswith(f"Q10: {q10.words} words, limit 100–200 ✗; images 0")
    # the course checker counts the placeholder's words; the prose count does not
    assert text.endswith(
        "\nfails: 2 errors (answer-length, unfilled-placeholder) · official count (prose count: 0)"
    )


def test_without_pygls_lsp_is_one_line_and_exit_2() -> None:
    code = (
        "import sys; sys.modules['pygls'] = None; from report_lint.cli import main; sys.exit(main(['lsp']))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == (
        "report-lint: error: the language server needs pygls: pip install 'report-lint[lsp]'\n"
    )


def test_codes_link_the_readme_rules_table_of_a_checkout() -> None:
    if Path(report_lint.__file__).resolve().parents[1] != PROJECT:
        assert default_rules_doc() is None  # a wheel install ships no README: no link
    else:
        assert default_rules_doc() == (PROJECT / "README.md").as_uri() + "#rules"
        assert "\n### Rules\n" in (PROJECT / "README.md").read_text(encoding="utf-8")
