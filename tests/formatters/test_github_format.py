"""--format github: annotation lines, escaping, injection neutralisation, budget and PR ordering."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import ReportBuilder, words
from formatter_factory import diag, result

from report_lint.diagnostic import Severity
from report_lint.formatters import github


@dataclass
class Command:
    name: str
    props: dict[str, str]
    data: str


def _unescape_data(s: str) -> str:
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_prop(s: str) -> str:
    return (
        s.replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
    )


def runner_view(output: str) -> tuple[list[Command], list[str]]:
    """Read the output as the Actions runner does: every physical line (CR, LF or CRLF ends one);
    a line that starts with ``::`` after whitespace is a command; ``##[`` anywhere is a legacy one."""
    commands: list[Command] = []
    legacy: list[str] = []
    for line in re.split(r"\r\n|\r|\n", output):
        if "##[" in line:
            legacy.append(line)
        stripped = line.lstrip()
        if not stripped.startswith("::"):
            continue
        end = stripped.find("::", 2)
        assert end != -1, f"half a command: {line!r}"
        info, data = stripped[2:end], stripped[end + 2 :]
        name, _, raw_props = info.partition(" ")
        props = {}
        for pair in filter(None, raw_props.split(",")):
            key, _, value = pair.partition("=")
            props[key] = _unescape_prop(value)
        commands.append(Command(name, props, _unescape_data(data)))
    return commands, legacy


OURS = {"error", "warning", "notice", "group", "endgroup"}


def test_annotation_line_fields() -> None:
    out = github.render(result(diag(12, "too long", column=5, end_column=9, question=4)))
    assert out == (
        "::error file=reports/README.md,line=12,endLine=12,col=5,endColumn=8,"
        "title=RL201 answer-length::reports/README.md:12:5: RL201 [answer-length] too long\n"
    )


def test_columns_only_on_single_line_ranges() -> None:
    out = github.render(result(diag(3, "x", column=4, end_line=6, end_column=2)))
    assert "col=" not in out and "endColumn=" not in out
    assert "line=3,endLine=6," in out


def test_severity_commands() -> None:
    out = github.render(
        result(
            diag(1, severity=Severity.INFO, rule="checklist-unclaimed"),
            diag(2, severity=Severity.WARNING, rule="broken-link"),
            diag(3),
        )
    )
    assert [line.split(" ", 1)[0] for line in out.splitlines()] == ["::error", "::warning", "::notice"]


def test_message_and_property_escaping() -> None:
    d = diag(1, "100% sure\r\nnext line", path="reports/a:b,c.md")
    out = github.render(result(d))
    assert out.count("\n") == 1 and "\r" not in out
    assert "file=reports/a%3Ab%2Cc.md," in out
    assert "100%25 sure%0D%0Anext line" in out
    (command,), _ = runner_view(out)
    assert command.props["file"] == "reports/a:b,c.md"
    assert command.data.endswith("100% sure\r\nnext line")


INJECTIONS = [
    "::error::pwned",
    "::set-env name=NODE_OPTIONS::--require /tmp/x.js",
    "::add-mask::secret",
    "::stop-commands::tok3n",
    "::add-matcher::/tmp/m.json",
    "%0A::warning::fake",
    "%0D%0A::add-path::/tmp",
    "##[error]legacy",
    "text ##[set-output name=x;]y",
    "line\n::add-mask::after-newline",
    "line\r::stop-commands::after-cr",
    "line\r\n   ::warning file=x::indented",
    "\u2028::notice::line-separator",
    "\x1b[31mred\x1b[0m",
]


@pytest.mark.parametrize("payload", INJECTIONS)
@pytest.mark.parametrize("where", ["message", "path"])
def test_injection_is_neutralised(payload: str, where: str) -> None:
    d = diag(7, payload) if where == "message" else diag(7, "msg", path=f"reports/{payload}/README.md")
    # twelve errors: the last two go to the plain-log overflow group, where neutralisation matters too
    ds = [diag(n, "filler") for n in range(1, 11)] + [d, diag(99, payload, path=d.path)]
    out = github.render(result(*ds))
    assert "\x1b" not in out
    commands, legacy = runner_view(out)
    assert not legacy
    assert {c.name for c in commands} <= OURS
    annotations = [c for c in commands if c.name in ("error", "warning", "notice")]
    assert len(annotations) == 11  # ten errors and the "more" notice
    for c in annotations[:10]:
        assert re.match(r"^reports/.*:\d+:\d+: ", c.data)
    assert sum(c.name == "group" for c in commands) == 1
    assert sum(c.name == "endgroup" for c in commands) == 1


def test_neutralise_line_breaks_leading_double_colon() -> None:
    for text in ("::add-mask::x", "   ::stop-commands::t", "\u200b::x::y", "\ufeff ::x::y"):
        line = github.neutralise_line(text)
        assert not line.lstrip().lstrip("\u200b\ufeff").startswith("::")
    assert github.neutralise_line("a\nb") == "a\\nb"


def test_paths_relative_to_workspace(tmp_path: pytest.TempPathFactory) -> None:
    root = tmp_path / "examples" / "demo"  # type: ignore[operator]
    root.mkdir(parents=True)
    out = github.render(result(diag(1), repo_root=str(root)), workspace=str(tmp_path))
    assert "file=examples/demo/reports/README.md," in out
    assert "::examples/demo/reports/README.md:1:1:" in out
    out = github.render(result(diag(1), repo_root="."), workspace=".")
    assert "file=reports/README.md," in out and "./" not in out


def test_budget_and_trailing_notice() -> None:
    ds = (
        [diag(n) for n in range(1, 26)]
        + [diag(100 + n, severity=Severity.WARNING, rule="broken-link") for n in range(3)]
        + [diag(200 + n, severity=Severity.INFO, rule="checklist-unclaimed") for n in range(12)]
    )
    out = github.render(result(*ds))
    commands, _ = runner_view(out)
    by_name = {n: [c for c in commands if c.name == n] for n in OURS}
    assert len(by_name["error"]) == 10
    assert len(by_name["warning"]) == 3
    assert len(by_name["notice"]) == 10  # nine infos and the closing notice
    # errors first, in position order
    assert [int(c.props["line"]) for c in by_name["error"]] == list(range(1, 11))
    closing = by_name["notice"][-1]
    assert "18 more diagnostics were not annotated (15 errors, 3 infos)" in closing.data
    plain = [line for line in out.splitlines() if line.startswith(("error:", "warning:", "info:"))]
    assert len(plain) == 18
    assert plain[0].startswith("error: reports/README.md:11:1: RL201 [answer-length]")


def test_no_notice_slot_taken_without_overflow() -> None:
    ds = [diag(n, severity=Severity.INFO, rule="checklist-unclaimed") for n in range(10)]
    commands, _ = runner_view(github.render(result(*ds)))
    assert len(commands) == 10 and all(c.name == "notice" for c in commands)


def test_changed_lines_first() -> None:
    ds = [diag(n) for n in range(1, 16)] + [diag(40, "touched"), diag(41, "touched too", end_line=43)]
    changed = {"reports/README.md": {40, 42}}
    commands, _ = runner_view(github.render(result(*ds), changed_lines=changed))
    errors = [c for c in commands if c.name == "error"]
    assert [c.props["line"] for c in errors[:2]] == ["40", "41"]
    assert [c.props["line"] for c in errors[2:]] == [str(n) for n in range(1, 9)]


def test_only_changed_lines() -> None:
    ds = [diag(1), diag(5, "touched"), diag(9)]
    out = github.render(result(*ds), changed_lines={"reports/README.md": {5}}, only_changed=True)
    commands, _ = runner_view(out)
    assert [c.props["line"] for c in commands] == ["5"]
    assert "2 diagnostics on lines this change did not touch not shown" in out
    # not a pull request: nothing is filtered
    assert len(runner_view(github.render(result(*ds), only_changed=True))[0]) == 3


def test_empty_result_prints_nothing() -> None:
    assert github.render(result()) == ""


def test_outputs() -> None:
    from formatter_factory import question

    r = result(
        diag(1),
        diag(2, severity=Severity.WARNING, rule="broken-link"),
        questions=(question(1), question(2, passed=False), question(3)),
    )
    assert github.render_outputs(r) == (
        "errors=1\nwarnings=1\ninfos=0\nquestions-passed=2\nquestions-total=3\n"
    )


def test_bidi_c1_and_non_utf8_bytes_are_visible_in_commands_and_log_lines() -> None:
    payload = "a\u202eb\u2066c\u2069 \x9b2J \x1b]8;;x\x07 fig\udcff.png"
    ds = [diag(n, "filler") for n in range(1, 11)] + [
        diag(7, payload),
        diag(99, payload, path="reports/R\udcff.md"),
    ]
    out = github.render(result(*ds))
    out.encode("utf-8")  # strict: no lone surrogate reaches the runner's log
    for raw in ("\u202e", "\u2066", "\u2069", "\x9b", "\x1b", "\x07"):
        assert raw not in out
    shown = "a<U+202E>b<U+2066>c<U+2069> \\x9b2J \\x1b]8;;x\\x07 fig\\xff.png"
    annotated, overflow = out.split("::group::", 1)
    assert shown in annotated and shown in overflow  # both the annotation and the plain log line
    assert "reports/R\\xff.md:99:1: RL201" in overflow  # the non-UTF-8 report name, in the log line


def test_one_left_over_is_singular() -> None:
    ds = [diag(n) for n in range(1, 12)]
    closing = [c for c in runner_view(github.render(result(*ds)))[0] if c.name == "notice"][-1]
    assert closing.data.startswith("1 more diagnostic was not annotated (1 error): GitHub keeps")
    # was "1 more diagnostics were not annotated (1 error)"


def test_a_multi_line_answer_is_annotated_without_columns(tmp_path: Path) -> None:
    # GitHub's workflow commands take col/endColumn only on a one-line annotation: @actions/core's
    # AnnotationProperties say of both "Cannot be sent when `startLine` and `endLine` are different
    # values" (the check-runs API likewise: omit start_column/end_column when start_line != end_line).
    # So an answer-length diagnostic over an answer's lines carries line and endLine and nothing else.
    repo = tmp_path / "repo"
    report = ReportBuilder("31q-2025", answers={10: words(20) + "\n\n" + words(20, 5)}).write(repo)
    assert report.is_file()
    proc = subprocess.run(
        [sys.executable, "-m", "report_lint", "check", "--repo", str(repo), "--format", "github",
         "--select", "answer-length", "--no-config", "--rules", "dtu-mlops-31q-2025"],
        capture_output=True, text=True, check=False, cwd=repo,
        env={k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    commands, _ = runner_view(proc.stdout)
    spans = [c.props for c in commands if c.name == "error"]
    multi = [p for p in spans if p["line"] != p["endLine"]]
    assert multi, spans
    for props in multi:
        assert "col" not in props and "endColumn" not in props, props
