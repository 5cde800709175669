"""The cut (handin-cut), `handin: null`, and `report-lint preview` through the real CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from tests.builders import ReportBuilder
from tests.handin.oracle import export_page, export_text
from tests.handin.test_handin_fixtures import CASES


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "report_lint", *args], capture_output=True, text=True, check=False, cwd=cwd
    )


def diagnostics(repo: Path, *extra: str) -> list[dict[str, object]]:
    proc = cli(
        "check", "--repo", str(repo), "--select", "handin-render,handin-cut", "--format", "json", *extra
    )
    assert proc.returncode in (0, 1), proc.stderr
    (report,) = json.loads(proc.stdout)["reports"]
    return list(report["diagnostics"])


def _cuts(repo: Path) -> list[dict[str, object]]:
    return [d for d in diagnostics(repo) if d["rule"] == "handin-cut"]


# ------------------------------------------------------------------------------------------ the cut


def test_the_templates_own_heads_are_never_reported(tmp_path: Path) -> None:
    ReportBuilder(generation="31q-2026", fill_words=120).write(tmp_path / "a")  # starts with the title line
    ReportBuilder(generation="27q", fill_words=120).write(tmp_path / "b")  # front matter, then the title
    assert _cuts(tmp_path / "a") == []
    assert _cuts(tmp_path / "b") == []


def test_a_report_starting_at_group_information_loses_its_headings(tmp_path: Path) -> None:
    ReportBuilder(intro=False, checklist=False, fill_words=120).write(tmp_path)
    (cut,) = _cuts(tmp_path)
    assert (cut["line"], cut["column"], cut["code"], cut["severity"]) == (1, 1, "RL602", "error")
    message = str(cut["message"])
    assert "`## Group information` and `### Question 1` headings are cut" in message
    assert "starts mid-word" in message
    assert "first 43 characters" in message


def test_a_report_starting_with_its_own_title_loses_it_mid_word(tmp_path: Path) -> None:
    builder = ReportBuilder(fill_words=120)
    text = builder.text().replace(
        "# Exam template for 02476 Machine Learning Operations",
        "# Final report of group 7 on our MLOps project",
    )
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "README.md").write_text(text, encoding="utf-8")
    (cut,) = _cuts(tmp_path)
    assert "the hand-in starts mid-word at `ect`" in str(cut["message"])
    assert "`# Final report of group 7 on our MLOps project` heading is cut" in str(cut["message"])


def test_handin_null_turns_both_rules_off(tmp_path: Path) -> None:
    ReportBuilder(intro=False, checklist=False, answers={3: CASES[3][0]}, fill_words=120).write(tmp_path)
    assert {d["rule"] for d in diagnostics(tmp_path)} == {"handin-render", "handin-cut"}
    pack = tmp_path / "no-handin.yaml"
    pack.write_text("name: no-handin\nextends: dtu-mlops-31q-2026\nhandin: null\n", encoding="utf-8")
    assert diagnostics(tmp_path, "--rules", str(pack)) == []
    proc = cli("preview", "--repo", str(tmp_path), "--rules", str(pack))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "describes no hand-in export" in proc.stderr


# How a file can start: each is read by the export as Python's text mode reads it (a BOM kept as one
# character, every newline made "\n"), then cut at 43 characters.
_OWN_START = ReportBuilder(intro=False, checklist=False, fill_words=120)  # starts at `## Group information`
_TITLE = "# Rapport för grupp 7 — Ølkompagniet 🚀 MLOps på DTU\n\n"  # non-ASCII inside the first 43
STARTS: dict[str, bytes] = {
    "bom": b"\xef\xbb\xbf" + _OWN_START.text().encode("utf-8"),
    "crlf": _OWN_START.text().replace("\n", "\r\n").encode("utf-8"),
    "bom-crlf": b"\xef\xbb\xbf" + _OWN_START.text().replace("\n", "\r\n").encode("utf-8"),
    "lone-cr": _OWN_START.text().replace("\n", "\r").encode("utf-8"),
    "non-ascii": (_TITLE + _OWN_START.text()).encode("utf-8"),
    "bom-non-ascii": b"\xef\xbb\xbf" + (_TITLE + _OWN_START.text()).encode("utf-8"),
    # a NUL in the group's text: the export keeps it (the lint reads it as U+FFFD)
    "nul": (_OWN_START.text() + "\nWritten by group 7\x00.\n").encode("utf-8"),
}


def _write(repo: Path, data: bytes) -> Path:
    (repo / "reports").mkdir(parents=True)
    (repo / "reports" / "README.md").write_bytes(data)
    return repo / "reports"


@pytest.mark.parametrize("start", sorted(STARTS))
def test_the_cut_message_names_where_the_exported_page_starts(start: str, tmp_path: Path) -> None:
    folder = _write(tmp_path, STARTS[start])
    (cut,) = _cuts(tmp_path)
    assert (cut["line"], cut["column"], cut["severity"]) == (1, 1, "error")
    page_text = export_text(folder)[43:]
    first_word = page_text.split()[0]
    message = str(cut["message"])
    assert f"at `{first_word}`" in message, (first_word, message)
    assert ("byte-order mark" in message) == start.startswith("bom")
    if start in ("non-ascii", "bom-non-ascii"):  # the title is cut mid-line: it is the group's own text
        assert "`# Rapport för grupp 7 — Ølkompagniet 🚀 MLOps på DTU` heading is cut" in message
    else:
        assert "`## Group information` and `### Question 1` headings are cut" in message


def test_the_byte_order_mark_is_one_of_the_cut_characters(tmp_path: Path) -> None:
    # 42 characters of the template's own title line, then the group's text: without a BOM the 43rd
    # character cut is the group's (`O` of `Our`), with one the cut ends inside the template's title
    head = "# Exam template for 02476 Machine Learnin\n"
    assert len(head) == 42
    text = head + _OWN_START.text().replace("## Group information", "Our group information")
    _write(tmp_path / "plain", text.encode("utf-8"))
    _write(tmp_path / "bom", b"\xef\xbb\xbf" + text.encode("utf-8"))
    (cut,) = _cuts(tmp_path / "plain")
    assert "mid-word at `ur`" in str(cut["message"])
    assert _cuts(tmp_path / "bom") == []


def test_a_byte_order_mark_before_the_templates_title_is_not_reported(tmp_path: Path) -> None:
    for generation in ("31q-2026", "27q"):
        text = ReportBuilder(generation=generation, fill_words=120).text()
        _write(tmp_path / generation, b"\xef\xbb\xbf" + text.encode("utf-8"))
        assert _cuts(tmp_path / generation) == []


@pytest.mark.parametrize("start", sorted(STARTS))
def test_preview_is_the_export_byte_for_byte_however_the_file_starts(start: str, tmp_path: Path) -> None:
    folder = _write(tmp_path, STARTS[start])
    out = tmp_path / "out.html"
    proc = cli("preview", "--repo", str(tmp_path), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == export_page(folder)


# ------------------------------------------------------------------------------------------ preview


def test_preview_is_the_export_with_bom_and_crlf(tmp_path: Path) -> None:
    text = ReportBuilder(answers={n: a for n, (a, _) in CASES.items()}, fill_words=120, crlf=True).text()
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "README.md").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    out = tmp_path / "out.html"
    assert cli("preview", "--repo", str(tmp_path), "-o", str(out)).returncode == 0
    with open(tmp_path / "reports" / "README.md", encoding="utf-8") as handle:  # as `report.py html` reads
        expected = markdown.markdown(handle.read()[43:])
    assert out.read_bytes() == expected.encode("utf-8")
    stdout = subprocess.run(
        [sys.executable, "-m", "report_lint", "preview", "--repo", str(tmp_path)],
        capture_output=True,
        check=True,
    ).stdout
    assert stdout == out.read_bytes()


def test_preview_never_writes_into_the_repository(tmp_path: Path) -> None:
    ReportBuilder(fill_words=120).write(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert cli("preview", "--repo", str(tmp_path)).returncode == 0
    assert cli("preview", "--compare", "--repo", str(tmp_path)).returncode == 0
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_compare_page_is_self_contained_and_inert(tmp_path: Path) -> None:
    answers = {n: a for n, (a, _) in CASES.items()}
    answers[26] = '<script>document.title="ran"</script>\n\n<img src="https://example.org/beacon.png">'
    ReportBuilder(answers=answers, fill_words=120).write(tmp_path)
    out = tmp_path / "compare.html"
    assert cli("preview", "--compare", "--repo", str(tmp_path), "-o", str(out)).returncode == 0
    page = out.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<script" not in page.lower()  # the planted script exists only escaped inside a srcdoc
    frames = re.findall(r"<iframe[^>]*>", page)
    assert frames and all('sandbox=""' in f for f in frames)
    assert not re.search(r"<(?:img|link|iframe)[^>]*\ssrc=\"https?:", page)
    # every finding is listed and linked to a numbered source line that exists on the page
    found = [d for d in diagnostics(tmp_path) if d["rule"] == "handin-render"]
    links = re.findall(r'<a href="#L(\d+)">line \1</a>', page)
    assert sorted(int(n) for n in links) == sorted(int(str(d["line"])) for d in found)
    for number in links:
        assert f'id="L{number}"' in page


def test_an_answer_past_the_work_bounds_is_named_not_rendered(tmp_path: Path) -> None:
    ReportBuilder(answers={5: "[" * 30_000}, fill_words=120).write(tmp_path)
    found = [d for d in diagnostics(tmp_path) if d["rule"] == "handin-render"]
    assert [(d["severity"], d["question"]) for d in found] == [("info", 5)]
    assert "not compared with the hand-in page" in str(found[0]["message"])
    proc = cli("preview", "--repo", str(tmp_path))
    assert proc.returncode == 2 and "not rendered" in proc.stderr and "Traceback" not in proc.stderr
