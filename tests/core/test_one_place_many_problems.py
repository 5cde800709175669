"""One rule's findings at one place with different messages are all reported; exact repeats once."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

from report_lint.diagnostic import Diagnostic, Severity
from report_lint.engine import LintOptions, _order, lint_file
from tests.builders import ReportBuilder

# one line the hand-in shows differently in four ways: a list right after the text, task boxes,
# strikethrough and a bare address
ANSWER = "We did:\n- [x] ~~tests~~ see https://example.org/x\n- [ ] docs"


def test_every_message_at_one_place_is_kept(tmp_path: Path) -> None:
    builder = ReportBuilder(answers={5: ANSWER}, fill_words=120)
    builder.write(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = lint_file(tmp_path / "reports" / "README.md", tmp_path, "reports/README.md", LintOptions())
    here = [d for d in result.diagnostics if d.rule == "handin-render" and d.question == 5]
    line = builder.text().split("\n").index("- [x] ~~tests~~ see https://example.org/x") + 1
    assert {d.line for d in here} == {line}
    messages = [d.message for d in here]
    assert len(messages) == len(set(messages)) == 4, messages
    assert any("one paragraph" in m for m in messages) and any("https://example.org/x" in m for m in messages)
    # the order is fixed: by place, then message
    assert here == sorted(here, key=lambda d: (d, d.message))
    again = lint_file(tmp_path / "reports" / "README.md", tmp_path, "reports/README.md", LintOptions())
    assert again.diagnostics == result.diagnostics


def test_the_sort_key_is_the_diagnostics_own_order_then_the_message() -> None:
    compared = [f.name for f in dataclasses.fields(Diagnostic) if f.compare]
    d = Diagnostic("reports/README.md", 3, 1, 4, "RL601", "handin-render", Severity.WARNING, "m", 5)
    assert _order(d) == (*(getattr(d, name) for name in compared), "m")
