"""check's output options through the real CLI: --color, --quiet, --statistics, --show-source,
the pack in the summary line, paths relative to the current directory, --config FILE."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from builders import ReportBuilder

from .conftest import one_line_error, run

OUR_SGR = re.compile(r"\x1b\[(?:0|1|1;3[136])m")
HOSTILE = "figures/x\x1b[31mred\u202e.png"
LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>\S+) \[(?P<rule>[^\]]+)\] (?P<sev>\w+):"
)


@pytest.fixture()
def mixed(repo: Path) -> Path:
    """Errors (a missing, hostile figure), a warning (a study number without its s) and more."""
    answers = {
        2: "s214578,\t223344, s230099",
        5: f"Some text.\n\n![fig]({HOSTILE})",
    }
    ReportBuilder(fill_words=60, answers=answers).write(repo)
    return repo


def _diagnostic_lines(out: str) -> list[re.Match[str]]:
    return [m for line in out.splitlines() if (m := LINE.match(line))]


# --color -----------------------------------------------------------------------------------------


def test_color_always_colours_a_pipe_even_with_no_color(mixed: Path) -> None:
    for env in ({}, {"NO_COLOR": "1"}):
        proc = run(["check", "--color", "always"], mixed, env)
        assert proc.returncode == 1 and proc.stderr == ""
        assert "\x1b[1;31merror:\x1b[0m" in proc.stdout and "\x1b[1;33mwarning:\x1b[0m" in proc.stdout
        bare = OUR_SGR.sub("", proc.stdout)
        # the report's own escape is still shown as text: the only escapes are ours
        assert "\x1b" not in bare and "\u202e" not in bare and "x\\x1b[31mred<U+202E>.png" in bare
        assert bare == run(["check"], mixed).stdout


def test_color_never_beats_force_color(mixed: Path) -> None:
    proc = run(["check", "--color", "never"], mixed, {"FORCE_COLOR": "1"})
    assert proc.returncode == 1 and "\x1b" not in proc.stdout
    assert "\x1b[1;31merror:" in run(["check", "--color", "auto"], mixed, {"FORCE_COLOR": "1"}).stdout


def test_color_choice_applies_to_the_error_line(repo: Path) -> None:
    proc = run(["check", "--color", "always", "--config", "missing.yaml"], repo)
    assert proc.stderr.startswith("\x1b[1;31mreport-lint: error:\x1b[0m --config missing.yaml: no such file")
    proc = run(["check", "--color", "never", "--config", "missing.yaml"], repo, {"FORCE_COLOR": "1"})
    assert one_line_error(proc) == "report-lint: error: --config missing.yaml: no such file"


def test_color_rejects_other_values(repo: Path) -> None:
    assert "--color" in one_line_error(run(["check", "--color", "sometimes"], repo))


# --quiet and --statistics ------------------------------------------------------------------------


def test_quiet_prints_only_errors_and_no_summary(mixed: Path) -> None:
    full = run(["check"], mixed)
    quiet = run(["check", "--quiet"], mixed)
    assert quiet.returncode == full.returncode == 1 and quiet.stderr == ""
    every = _diagnostic_lines(full.stdout)
    assert {m["sev"] for m in every} >= {"error", "warning"}
    expected = [m.group(0) for m in every if m["sev"] == "error"]
    assert [m.group(0) for m in _diagnostic_lines(quiet.stdout)] == expected
    assert len(quiet.stdout.splitlines()) == len(expected)  # no summary line
    assert "questions pass" in full.stdout.splitlines()[-1]


def test_quiet_with_only_warnings_prints_nothing_and_passes(repo: Path) -> None:
    ReportBuilder(fill_words=60, answers={2: "s214578, 223344"}).write(repo)
    full = run(["check", "--select", "group-info"], repo)
    assert full.returncode == 0 and "warning:" in full.stdout
    proc = run(["check", "--select", "group-info", "-q"], repo)
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == ""


def test_statistics_counts_each_rule_most_frequent_first(mixed: Path) -> None:
    data = json.loads(run(["check", "--format", "json"], mixed).stdout)
    counts = Counter((d["code"], d["rule"]) for r in data["reports"] for d in r["diagnostics"])
    proc = run(["check", "--statistics"], mixed)
    assert proc.returncode == 1 and proc.stderr == ""
    *rows, summary = proc.stdout.splitlines()
    parsed = [tuple(row.split()) for row in rows]
    assert {(code, rule): int(n) for n, code, rule in parsed} == counts
    assert [(-int(n), code) for n, code, _ in parsed] == sorted((-int(n), code) for n, code, _ in parsed)
    assert "questions pass" in summary and not _diagnostic_lines(proc.stdout)
    quiet = run(["check", "--statistics", "--quiet"], mixed).stdout.splitlines()
    errors = {
        c: n
        for (c, _), n in counts.items()
        if c in {d["code"] for r in data["reports"] for d in r["diagnostics"] if d["severity"] == "error"}
    }
    assert {row.split()[1]: int(row.split()[0]) for row in quiet} == errors


@pytest.mark.parametrize("option", ["--quiet", "--statistics", "--show-source"])
def test_text_options_with_a_machine_format_are_a_usage_error(mixed: Path, option: str) -> None:
    line = one_line_error(run(["check", option, "--format", "json"], mixed))
    assert f"{option} shapes the text format" in line


# --show-source -----------------------------------------------------------------------------------


def _caret_under(out: str, code: str) -> tuple[str, str, str]:
    """(diagnostic line, source line, caret line) of the first diagnostic with ``code``."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if f" {code} [" in line:
            return line, lines[i + 1], lines[i + 2]
    raise AssertionError(f"{code} not in {out}")


def test_show_source_puts_the_caret_under_the_column_after_a_tab(mixed: Path) -> None:
    proc = run(["check", "--show-source"], mixed)
    assert proc.returncode == 1 and proc.stderr == ""
    diag, source, caret = _caret_under(proc.stdout, "RL402")
    number = int(LINE.match(diag)["line"])  # type: ignore[index]
    assert source.split(" | ", 1)[0].strip() == str(number)
    assert "\t" not in source  # expanded, so the caret below lines up on any terminal
    bar = source.index(" | ") + 3
    start = caret.index("^")
    assert source[start:].startswith("223344") and caret[start:] == "^" * len("223344")
    assert caret[:bar] == " " * (bar - 3) + " | "


def test_show_source_neutralises_the_line_and_keeps_the_caret_aligned(repo: Path) -> None:
    # an ESC and a wide character before the problem: shown as \\x1b and two cells wide
    ReportBuilder(fill_words=60, answers={2: "s214578 \x1b[2J 漢字 \u202e 223344"}).write(repo)
    proc = run(["check", "--show-source"], repo)
    _, source, caret = _caret_under(proc.stdout, "RL402")
    assert "\x1b" not in proc.stdout and "\u202e" not in proc.stdout
    assert "\\x1b[2J 漢字 <U+202E> 223344" in source
    # the caret line counts terminal cells: each CJK character before the problem takes two
    prefix = source[: source.index("223344")]
    assert caret.index("^") == len(prefix) + prefix.count("漢") + prefix.count("字")
    assert caret.endswith("^" * len("223344"))


def test_show_source_under_color_always_paints_only_the_caret(mixed: Path) -> None:
    proc = run(["check", "--show-source", "--color", "always"], mixed)
    assert "\x1b[1;33m^^^^^^\x1b[0m" in proc.stdout
    assert OUR_SGR.sub("", proc.stdout) == run(["check", "--show-source"], mixed).stdout


# which pack --------------------------------------------------------------------------------------


def test_summary_names_the_detected_pack(repo: Path) -> None:
    ReportBuilder(generation="27q", fill_words=60).write(repo)
    proc = run(["check"], repo)
    assert proc.stdout.splitlines()[-1].endswith(" · pack dtu-mlops-27q (detected)")
    (report,) = json.loads(run(["check", "--format", "json"], repo).stdout)["reports"]
    assert report["pack"] == {"name": "dtu-mlops-27q", "chosen_by": "detected", "matched_well": True}
    assert report["rules"] == "dtu-mlops-27q"  # the old field is unchanged


def test_summary_names_a_pack_from_rules_and_from_config(repo: Path) -> None:
    ReportBuilder(generation="31q-2026", fill_words=60).write(repo)
    proc = run(["check", "--rules", "dtu-mlops-31q-2024"], repo)
    assert proc.stdout.splitlines()[-1].endswith(" · pack dtu-mlops-31q-2024 (--rules)")
    (repo / ".report-lint.yaml").write_text("rules: dtu-mlops-31q-2025\n", encoding="utf-8")
    proc = run(["check"], repo)
    assert proc.stdout.splitlines()[-1].endswith(" · pack dtu-mlops-31q-2025 (config)")
    (report,) = json.loads(run(["check", "--format", "json"], repo).stdout)["reports"]
    assert report["pack"] == {"name": "dtu-mlops-31q-2025", "chosen_by": "config", "matched_well": None}
    # the command line still wins over the configuration, and says so
    proc = run(["check", "--rules", "dtu-mlops-31q-2026"], repo)
    assert proc.stdout.splitlines()[-1].endswith(" · pack dtu-mlops-31q-2026 (--rules)")


def test_a_file_that_is_no_report_is_said_to_match_no_template(repo: Path) -> None:
    (repo / "reports" / "README.md").write_text(
        "# Our project\n\nSome notes, no questions.\n", encoding="utf-8"
    )
    proc = run(["check"], repo)
    assert proc.returncode in (0, 1) and proc.stderr == ""
    assert proc.stdout.splitlines()[-1].endswith(
        " · no template matched well; tried dtu-mlops-27q (detected)"
    )
    (report,) = json.loads(run(["check", "--format", "json"], repo).stdout)["reports"]
    assert report["pack"] == {"name": "dtu-mlops-27q", "chosen_by": "detected", "matched_well": False}


# paths relative to the current directory ---------------------------------------------------------


def test_paths_are_relative_to_the_current_directory_in_text_only(mixed: Path) -> None:
    sub = mixed / "src" / "pkg"
    sub.mkdir(parents=True)
    from_root = run(["check"], mixed).stdout
    from_sub = run(["check"], sub).stdout
    assert {m["path"] for m in _diagnostic_lines(from_root)} == {"reports/README.md"}
    assert {m["path"] for m in _diagnostic_lines(from_sub)} == {"../../reports/README.md"}
    assert from_sub.replace("../../reports/", "reports/") == from_root
    # machine formats keep repository-relative paths (GitHub resolves them against the repository)
    for fmt in ("json", "sarif", "github"):
        assert run(["check", "--format", fmt], sub).stdout == run(["check", "--format", fmt], mixed).stdout
    # a report given relative to the current directory prints the way it was typed
    assert _diagnostic_lines(run(["check", "../../reports/README.md"], sub).stdout)[0]["path"] == (
        "../../reports/README.md"
    )


# --config FILE -----------------------------------------------------------------------------------


def test_config_file_is_used_instead_of_discovery(mixed: Path, tmp_path: Path) -> None:
    (mixed / ".report-lint.yaml").write_text("ignore: [missing-figure]\n", encoding="utf-8")
    other = mixed / "ci" / "strict.yaml"
    other.parent.mkdir()
    other.write_text("ignore: [group-info]\nrules: dtu-mlops-31q-2025\n", encoding="utf-8")
    discovered = run(["check"], mixed).stdout
    assert "[missing-figure]" not in discovered and "[group-info]" in discovered
    chosen = run(["check", "--config", "ci/strict.yaml"], mixed)
    assert chosen.stderr == ""
    assert "[missing-figure]" in chosen.stdout and "[group-info]" not in chosen.stdout
    assert chosen.stdout.splitlines()[-1].endswith("pack dtu-mlops-31q-2025 (config)")
    # the same file from a subdirectory, given relative to it
    sub = mixed / "src"
    sub.mkdir()
    assert run(["check", "--config", "../ci/strict.yaml"], sub).stdout == chosen.stdout.replace(
        "reports/README.md", "../reports/README.md"
    )


def test_config_file_errors_are_one_line(mixed: Path) -> None:
    assert one_line_error(run(["check", "--config", "nope.yaml"], mixed)).endswith(
        "--config nope.yaml: no such file"
    )
    (mixed / "bad.yaml").write_text("colour: red\n", encoding="utf-8")
    assert "colour" in one_line_error(run(["check", "--config", "bad.yaml"], mixed))
    (mixed / "broken.yaml").write_text("rules: [unclosed\n", encoding="utf-8")
    assert "broken.yaml" in one_line_error(run(["check", "--config", "broken.yaml"], mixed))
    assert "exclude each other" in one_line_error(
        run(["check", "--config", "bad.yaml", "--no-config"], mixed)
    )


def test_color_never_in_a_terminal_and_auto_colours_it(mixed: Path) -> None:
    from hostile.test_colour import _in_pty

    code, out, err = _in_pty(["check", "--color", "never"], mixed, {})
    assert code == 1 and err == "" and "\x1b" not in out and "RL301" in out
    code, out, _ = _in_pty(["check", "--show-source"], mixed, {})
    assert code == 1 and "\x1b[1;31merror:\x1b[0m" in out and "\x1b[1;31m^" in out
