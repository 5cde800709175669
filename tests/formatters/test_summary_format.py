"""Job summary: question table, every diagnostic with a link, escaping and the 1 MiB cap."""

from __future__ import annotations

import re

from formatter_factory import diag, question, result

from report_lint.diagnostic import Severity
from report_lint.formatters import summary

ENV = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "org/repo", "GITHUB_SHA": "abc123"}


def test_table_and_links() -> None:
    r = result(
        diag(12, "too long", question=1),
        diag(30, "broken", rule="broken-link", severity=Severity.WARNING, end_line=31),
        questions=(question(1, words=250, passed=False, line=10), question(2, line=20)),
    )
    md = summary.render(r, env=ENV)
    assert md.startswith("## report-lint\n")
    assert "| Question | Words | Word limit | Images | Image limit | Status |" in md
    assert (
        "| [1](https://github.com/org/repo/blob/abc123/reports/README.md?plain=1#L10) "
        "| 250 | 100–200 | 1 | 1–2 | ❌ fail |" in md
    )
    assert "| ✅ pass |" in md
    assert "1/2 questions pass" in md
    assert "https://github.com/org/repo/blob/abc123/reports/README.md?plain=1#L30-L31" in md
    assert "#### Diagnostics (2)" in md
    # errors first
    assert md.index("too long") < md.index("broken")


def test_no_links_without_github_env() -> None:
    md = summary.render(result(diag(1, "x")), env={})
    assert "](" not in md
    assert "`reports/README.md:1:1`" in md


def test_no_problems() -> None:
    assert "No problems found." in summary.render(result(), env={})


def test_untrusted_text_renders_as_text() -> None:
    evil = "![x](https://evil.example/pixel.png) <img src=x> | col | [click](javascript:alert(1))\n# Heading"
    md = summary.render(result(diag(1, evil), path="reports/README.md"), env=ENV)
    body = md.split("#### Diagnostics", 1)[1].split("`answer-length`: ", 1)[1]
    for active in (r"(?<!\\)!(?<!\\)\[", r"(?<!\\)<img", r"(?<!\\)\]\(", r"(?<!\\)\|"):
        assert not re.search(active, body), active
    assert "\\!\\[x\\]\\(https\\:" in body
    assert "\n# Heading" not in md


def test_code_span_with_backticks() -> None:
    assert summary.code_span("a`b") == "``a`b``"
    assert summary.code_span("`x") == "`` `x ``"


def test_truncated_at_the_cap() -> None:
    ds = [diag(n, "m" * 200) for n in range(1, 500)] + [
        diag(1000 + n, "info", severity=Severity.INFO, rule="checklist-unclaimed") for n in range(50)
    ]
    md = summary.render(result(*ds), env=ENV, max_bytes=20_000)
    assert len(md.encode()) <= 20_000
    assert "more diagnostics are not listed" in md
    assert "`reports/README.md:1000:1`" not in md  # infos go first when cut


def test_default_cap_is_one_mib() -> None:
    ds = [diag(n, "m" * 3000) for n in range(1, 600)]
    md = summary.render(result(*ds), env=ENV)
    assert len(md.encode()) <= 1024 * 1024
    assert "more diagnostics are not listed" in md


def test_one_not_listed_is_singular() -> None:
    ds = [diag(n) for n in range(1, 6)] + [
        diag(900, "m" * 30_000, severity=Severity.INFO, rule="checklist-unclaimed")
    ]
    md = summary.render(result(*ds), env=ENV, max_bytes=20_000)
    assert "**1 more diagnostic is not listed** (" in md, md[-600:]
    # was "**1 more diagnostics are not listed**"
