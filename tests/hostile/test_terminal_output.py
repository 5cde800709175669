"""Every output survives every terminal: the real CLI, a pipe as stdout, four stream encodings.

A hostile hand-in puts terminal control sequences (ESC [31m, an OSC 8 hyperlink, BEL, the one-byte
CSI U+009B, the bidi override U+202E) into report text that a message quotes, into figure file names
that "did you mean" surfaces, a figure name that is not UTF-8 at all (b'\\xff'), and a configuration
key echoed on stderr.  Under utf-8 (strict), cp1252, ascii and latin-1, every format must exit as it
does under UTF-8, print no traceback, and write nothing raw that a terminal would act on.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from builders import ReportBuilder

from .conftest import TIMEOUT, clean_env

ENCODINGS = ["utf-8", "cp1252", "ascii", "latin-1"]
FORMATS = ["text", "json", "github", "sarif", "summary"]
# what a terminal acts on or reorders by: C0 but TAB and LF, DEL, C1, bidi controls, separators
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
HOSTILE_SRC = (
    "figures/a\x1b[31mRED\x1b]8;;http://e.x/\x07link\x1b]8;;\x07 bel\x07 csi\x9b2J rlo\u202eZ 🙂.png"
)
ESC_FIGURE = "accuracy\x1b[2J\u202e.png"
BYTES_FIGURE = b"loss\xff.png"


def run(
    args: list[str], cwd: Path, encoding: str | None, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The CLI with stdout and stderr as pipes; ``encoding`` None: the locale decides (no override)."""
    env = clean_env(extra)
    if encoding is None:
        env.pop("PYTHONIOENCODING", None)
    else:
        env["PYTHONIOENCODING"] = encoding
    return subprocess.run(
        [sys.executable, "-m", "report_lint", *args],
        cwd=cwd,
        capture_output=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )


@pytest.fixture()
def hostile(repo: Path) -> Path:
    answers = {
        5: f"Text quoted.\n\n![fig]({HOSTILE_SRC})\n\n![acc](figures/accuracy.png)\n\n![loss](figures/loss.png)",
    }
    ReportBuilder(fill_words=60, answers=answers).write(repo)
    figures = repo / "reports" / "figures"
    (figures / ESC_FIGURE).write_bytes(b"x")
    try:
        with open(os.path.join(os.fsencode(figures), BYTES_FIGURE), "wb") as handle:
            handle.write(b"x")
    except OSError:  # a file system that only takes UTF-8 names
        pytest.skip("the file system refuses a non-UTF-8 file name")
    return repo


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def _decoded(data: bytes, encoding: str) -> str:
    """The bytes as the terminal reads them: they must be valid in the stream's own encoding."""
    text = data.decode(encoding)  # strict: anything else would be mojibake on that terminal
    assert not RAW.search(text), [m.group(0) for m in RAW.finditer(text)][:5]
    return text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_format_on_every_stream_encoding(hostile: Path, encoding: str, fmt: str) -> None:
    proc = run(["check", "--format", fmt], hostile, encoding)
    assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")
    assert proc.stderr == b""
    out = _decoded(proc.stdout, encoding)
    if fmt in ("json", "sarif"):
        data = json.loads(out)
        if encoding != "utf-8":
            assert out.isascii()  # the rest is JSON \u escapes: lossless
        text = "\n".join(_strings(data))
        if fmt == "json":
            assert HOSTILE_SRC in text  # the machine format keeps the report's text exactly
        else:
            assert "\\x1b[31mRED" in text and "<U+202E>Z" in text  # shown to people: visible
        assert "figures/loss\\xff.png" in text  # the non-UTF-8 byte, visibly, in valid UTF-8 JSON
        assert "figures/accuracy\\x1b[2J<U+202E>.png" in text or "accuracy\x1b[2J\u202e.png" in text
        return
    plain = out.replace("\\[", "[").replace("\\]", "]").replace("\\<", "<").replace("\\>", ">")
    plain = plain.replace("\\+", "+").replace("\\.", ".").replace("\\\\", "\\")  # summary: markdown
    assert "a\\x1b[31mRED\\x1b]8;;" in plain and "\\x07link" in plain and "\\x9b2J" in plain
    assert "rlo<U+202E>Z" in plain
    assert "did you mean figures/accuracy\\x1b[2J<U+202E>.png" in plain
    assert "did you mean figures/loss\\xff.png" in plain
    if encoding == "utf-8":
        assert "🙂" in out
    else:
        assert "<U+1F642>" in out  # shown, not dropped and not a crash
    if fmt == "summary":
        assert ("❌" in out) == (encoding == "utf-8")
        assert ("FAIL" in out) == (encoding != "utf-8")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_text_lines_are_the_same_diagnostics_on_every_encoding(hostile: Path, encoding: str) -> None:
    reference_run, narrow_run = run(["check"], hostile, "utf-8"), run(["check"], hostile, encoding)
    assert reference_run.returncode == narrow_run.returncode == 1, narrow_run.stderr
    reference = reference_run.stdout.decode("utf-8").splitlines()
    lines = _decoded(narrow_run.stdout, encoding).splitlines()
    assert len(lines) == len(reference) > 5
    for ours, ref in zip(lines[:-1], reference[:-1], strict=True):
        assert ours.split(": ", 2)[:2] == ref.split(": ", 2)[:2]  # same location, code and rule
    if encoding == "ascii":  # the summary line: the same counts
        assert lines[-1] == reference[-1].replace("·", "-")
        assert any("limit 100-200" in line for line in lines)  # the en dash, readable


def test_a_pipe_under_a_c_locale_without_any_override(hostile: Path) -> None:
    """No PYTHONIOENCODING, C locale, no coercion: Python's stdout is plain ASCII (surrogateescape).

    The file system encoding is ASCII too, so the figure whose name holds U+202E is left out here:
    this case is about the stream, and the report text still carries ESC, BEL, U+009B, U+202E, 🙂.
    """
    (hostile / "reports" / "figures" / ESC_FIGURE).unlink()
    extra = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    for fmt in FORMATS:
        proc = run(["check", "--format", fmt], hostile, None, extra)
        assert proc.returncode == 1 and proc.stderr == b"", (fmt, proc.stderr)
        out = _decoded(proc.stdout, "ascii")
        if fmt in ("text", "github"):
            assert "rlo<U+202E>Z <U+1F642>" in out and "figures/loss\\xff.png" in out


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(
    ("name", "content"),
    [
        (".report-lint.yaml", 'fail-on: error\n"x\\e[31my\\u202e\\x9b\\a": 1\n'),
        ("pyproject.toml", '[tool.report-lint]\n"k\\u001b]8;;http://e.x/\\u0007\\u202e" = 1\n'),
    ],
)
def test_config_key_echoed_on_stderr(repo: Path, encoding: str, name: str, content: str) -> None:
    ReportBuilder(fill_words=60).write(repo)
    (repo / name).write_text(content, encoding="utf-8")
    for fmt in FORMATS:
        proc = run(["check", "--format", fmt], repo, encoding)
        assert proc.returncode == 2 and proc.stdout == b""
        err = _decoded(proc.stderr, encoding)
        assert "Traceback" not in err
        lines = err.splitlines()
        assert len(lines) == 1 and re.match(rf"report-lint: error: {re.escape(name)}:\d+:\d+: ", lines[0]), (
            err
        )
        assert "unknown setting" in lines[0]
        if name.endswith("yaml"):
            assert "x\\x1b[31my<U+202E>\\x9b\\x07: unknown setting" in lines[0]
        else:
            assert "k\\x1b]8;;http://e.x/\\x07<U+202E>: unknown setting" in lines[0]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_config_command_shows_untrusted_values_visibly(repo: Path, encoding: str) -> None:
    ReportBuilder(fill_words=60).write(repo)
    (repo / ".report-lint.yaml").write_text('reports: ["reports/R\\e[31mE\\u202e.md"]\n', encoding="utf-8")
    proc = run(["config"], repo, encoding)
    assert proc.returncode == 0, proc.stderr
    out = _decoded(proc.stdout, encoding)
    assert re.search(r"^reports += reports/R\\x1b\[31mE<U\+202E>\.md +# \.report-lint\.yaml:1$", out, re.M), (
        out
    )


def test_multi_line_error_message_stays_one_line(repo: Path) -> None:
    """PyYAML's problem text spans lines; stderr gets one, with the raw ESC it names shown."""
    ReportBuilder(fill_words=60).write(repo)
    (repo / ".report-lint.yaml").write_bytes(b'fail-on: error\n"x\x1by": 1\n')
    proc = run(["check"], repo, "utf-8")
    err = _decoded(proc.stderr, "utf-8")
    assert proc.returncode == 2 and len(err.splitlines()) == 1, err
    assert err.startswith("report-lint: error: .report-lint.yaml:")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_help_and_other_commands_on_narrow_streams(repo: Path, encoding: str) -> None:
    for args in (["--help"], ["check", "--help"], ["rules"], ["--version"]):
        proc = run(args, repo, encoding)
        assert proc.returncode == 0, (args, proc.stderr)
        _decoded(proc.stdout, encoding)


def test_non_utf8_figure_name_in_files_written_as_utf8(hostile: Path, tmp_path: Path) -> None:
    """--output, --sarif and --summary files are UTF-8: the bytes that are not show as \\xff."""
    out, sarif, summary = tmp_path / "out.txt", tmp_path / "out.sarif", tmp_path / "summary.md"
    proc = run(
        ["check", "--output", str(out), "--sarif", str(sarif), "--summary", str(summary)],
        hostile,
        "utf-8",
        {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "0" * 40},
    )
    assert proc.returncode == 1 and proc.stderr == b"", proc.stderr
    for path in (out, sarif, summary):
        text = _decoded(path.read_bytes(), "utf-8")
        assert "\\xff" in text
    json.loads(sarif.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_reader_gone_before_the_output(hostile: Path, fmt: str) -> None:
    """``report-lint check | head -1`` with the reader gone: exit 2, no internal error, no traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "report_lint", "check", "--format", fmt],
        cwd=hostile,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the write end's reader is gone: the first write fails with EPIPE
    err = proc.stderr.read()
    assert proc.wait(timeout=TIMEOUT) == 2
    assert err == b""
