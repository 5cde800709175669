"""Report text is untrusted: it must not drive the CI runner (workflow commands) nor a browser (HTML)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from builders import ReportBuilder

from .conftest import run_cli

COMMAND_PAYLOADS = [
    "::error::pwned",
    "::set-env%20name=NODE_OPTIONS::--require=/tmp/x",
    "::add-mask::secret",
    "::stop-commands::tok",
    "%0A::warning::injected",
    "%0D%0A::error::crlf",
    "##[error]legacy",
    "##[set-output%20name=x;]y",
]
XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
OUR_COMMANDS = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")
PROPERTY = re.compile(r"^(file|line|endLine|col|endColumn|title)=[^:,]*$")


def _hostile_report(payloads: list[str]) -> ReportBuilder:
    answers = {}
    for i, payload in enumerate(payloads * 2):  # twice: more than GitHub's 10 annotations per severity
        number = 5 + i
        answers[number] = (
            f"Text {payload}\n\n![fig]({payload}.png)\n\n<img src='{payload}'>\n\n--- question {number} fill here ---"
        )
    return ReportBuilder(
        fill_words=60,
        answers=answers,
        heading_override={
            3: "### Question 3 &#10;::error::from-a-heading",
            4: "### Question 4 &#13;&#10;::warning::cr-heading %0A::notice::x ##[error]h",
        },
    )


def _assert_no_injected_command(output: str) -> None:
    assert "##[" not in output
    for line in output.split("\n"):
        assert "\r" not in line
        stripped = re.sub(r"^[\s\u200b-\u200f\u2060\ufeff]*", "", line)
        if not stripped.startswith("::"):
            continue
        if stripped in ("::endgroup::",) or stripped.startswith("::group::report-lint: "):
            assert stripped == line
            continue
        match = OUR_COMMANDS.match(line)
        assert match, f"a line starts a workflow command we did not emit: {line!r}"
        for prop in match.group(2).split(","):
            assert PROPERTY.match(prop), f"unescaped property {prop!r} in {line!r}"
        # the message: every % is one of our escapes
        assert not re.search(r"%(?!25|0D|0A)", match.group(3)), line


def test_github_format_cannot_start_workflow_commands(repo: Path) -> None:
    (repo / "reports" / "README.md").write_text(_hostile_report(COMMAND_PAYLOADS).text())
    out = run_cli(["--format", "github"], repo).diagnostics()
    assert out.count("::error ") >= 10 and "::group::" in out  # overflow lines are exercised too
    assert "::error::pwned" in out  # the hostile text reached the output, defused
    _assert_no_injected_command(out)


def test_auto_format_under_github_actions(repo: Path, tmp_path: Path) -> None:
    (repo / "reports" / "README.md").write_text(_hostile_report(COMMAND_PAYLOADS).text())
    summary = tmp_path / "summary.md"
    run = run_cli(
        ["--summary", str(summary)],
        repo,
        env={
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(repo),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "o/r",
            "GITHUB_SHA": "0" * 40,
        },
    )
    _assert_no_injected_command(run.diagnostics())
    text = summary.read_text()
    assert "##[" not in text
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "summary"])
def test_html_in_answers_through_every_format(repo: Path, fmt: str) -> None:
    (repo / "reports" / "README.md").write_text(_hostile_report(XSS).text())
    out = run_cli(["--format", fmt], repo).diagnostics()
    if fmt == "text":
        body = out.splitlines()[:-1]
        assert all(re.match(r"^reports/README\.md:\d+:\d+: RL\d{3} \[", line) for line in body), body
        assert "<script>alert(1)</script>" in out  # plain text for a terminal, one diagnostic per line
    elif fmt in ("json", "sarif"):
        data = json.loads(out)
        assert "<script>alert(1)</script>" in json.dumps(data, ensure_ascii=False)  # round-trips exactly
    elif fmt == "github":
        _assert_no_injected_command(out)
    else:  # markdown rendered by GitHub: no live HTML
        # every `<` is backslash-escaped (GitHub renders `\<` as a literal `<`) or inside a code span
        outside_code = re.sub(r"(`+)(?:(?!\1).)+?\1", "", out)
        assert not re.search(r"(?<!\\)<", outside_code), outside_code
        assert "\\<script\\>alert" in out  # the text is there, escaped


def test_html_in_answers_through_the_dashboard(repo: Path, tmp_path: Path) -> None:
    (repo / "reports" / "README.md").write_text(_hostile_report(XSS).text())
    out_dir = tmp_path / "out"
    run = run_cli(["batch", str(repo), "--out", str(out_dir)], tmp_path)
    assert run.returncode in (0, 1), run.stderr
    assert "Traceback" not in run.stderr
    html = (out_dir / "dashboard.html").read_text()
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "<img" not in html.split("<script", 1)[0].lower().replace(
        '<img src="data:', ""
    )
    assert html.lower().count("</script") == html.lower().count("<script")  # no early close of our script
    assert "Content-Security-Policy" in html
    data = json.loads(html.split('type="application/json"', 1)[1].split(">", 1)[1].split("</script>", 1)[0])
    assert "<script>alert(1)</script>" in json.dumps(data, ensure_ascii=False)  # data intact, only encoded


# terminal control sequences: SGR colour, an OSC 8 hyperlink, BEL, the one-character CSI, bidi
TERMINAL_PAYLOADS = [
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https://e.x/\x07click\x1b]8;;\x07",
    "bell\x07",
    "\x9b2J",
    "\u202eevil",
    "\u2066iso\u2069",
]
RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "summary"])
def test_terminal_controls_never_reach_the_terminal(repo: Path, fmt: str) -> None:
    (repo / "reports" / "README.md").write_text(_hostile_report(TERMINAL_PAYLOADS).text())
    out = run_cli(["--format", fmt], repo).diagnostics()
    assert not RAW_CONTROL.search(out), sorted({m.group(0) for m in RAW_CONTROL.finditer(out)})
    if fmt in ("json", "sarif"):
        messages = json.dumps(json.loads(out), ensure_ascii=False)
        if fmt == "json":  # the machine interface keeps the text exactly (as JSON escapes)
            assert "\\u001b]8;;https://e.x/\\u0007click" in messages and "\u202eevil" in messages
        else:  # code scanning shows messages to people: visible escapes
            assert "\\\\x1b]8;;https://e.x/\\\\x07click" in messages and "<U+202E>evil" in messages
    else:
        shown = out.replace("\\", "")  # the summary escapes markdown punctuation with backslashes
        assert "x1b[31mred" in shown and "x1b]8;;https://e.x/x07click" in shown
        assert "<U+202E>evil" in shown and "<U+2066>iso<U+2069>" in shown and "x9b2J" in shown
