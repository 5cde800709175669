"""``--format text``: one line per diagnostic, report text neutralised, colour only around our parts."""

from __future__ import annotations

import re

from formatter_factory import diag, result

from report_lint.formatters import text
from report_lint.terminal import Style


def test_untrusted_text_is_neutralised_and_kept_on_one_line() -> None:
    d = diag(
        3, "see `a\x1b[31mb`\nfake.md:1:1: RL000 [x] error: forged\r\u202eok", path="reports/\x9bR\udcff.md"
    )
    lines = text.render(result(d)).splitlines()
    assert len(lines) == 2  # the diagnostic and the summary: no forged second diagnostic line
    assert lines[0] == (
        "reports/\\x9bR\\xff.md:3:1: RL201 [answer-length] error: see `a\\x1b[31mb` "
        "fake.md:1:1: RL000 [x] error: forged <U+202E>ok"
    )


def test_colour_wraps_only_our_parts() -> None:
    d = diag(3, "text with \x1b[0m in it")
    out = text.render(result(d), style=Style(True))
    first = out.splitlines()[0]
    assert first.startswith(
        "\x1b[1mreports/README.md:3:1:\x1b[0m RL201 [answer-length] \x1b[1;31merror:\x1b[0m "
    )
    assert first.endswith("text with \\x1b[0m in it")  # the report's own ESC, visible
    assert re.sub(r"\x1b\[[0-9;]*m", "", out) == text.render(result(d))
    assert "\x1b" not in text.render(result(d), style=Style(False))
