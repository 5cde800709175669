"""Inline suppressions, on hand-built reports and packs (no parser)."""

from __future__ import annotations

import re
from pathlib import Path

from report_lint.diagnostic import Diagnostic, Severity
from report_lint.model import Report
from report_lint.packs.plain import Pack, ResolvedRule
from report_lint.parsing.nodes import Span
from report_lint.suppressions import apply

RULES = {
    "answer-length": ("RL201", "error"),
    "image-count": ("RL202", "error"),
    "broken-link": ("RL403", "warning"),
    "checklist-unsupported": ("RL501", "warning"),
    "suppression": ("RL901", "warning"),
}


def make_pack(
    *, allowed: bool = True, forbidden: tuple[str, ...] = ("checklist-unsupported",), unsuppressible: str = ""
) -> Pack:
    rules = {
        name: ResolvedRule(
            name=name,
            code=code,
            severity=sev,  # type: ignore[arg-type]
            enabled=True,
            suppressible=name != unsuppressible,
            options={},
        )
        for name, (code, sev) in RULES.items()
    }
    return Pack(
        name="test-pack",
        description="test",
        files=["test.yaml"],
        detect=None,
        question_count=None,
        count_mode="official",
        official_skip_chars=0,
        rules=rules,
        questions={},
        placeholders=[],
        template_figures=[],
        suppressions_allowed=allowed,
        forbidden_suppressions=list(forbidden),
        checklist=None,
    )


def make_report(text: str) -> Report:
    lines = tuple(text.split("\n"))
    comments = []
    for n, line in enumerate(lines, start=1):
        for m in re.finditer(r"<!--.*?-->", line):
            comments.append((Span(n, m.start() + 1, n, m.end() + 1), m.group(0)))
    return Report(
        path="reports/README.md",
        file=Path("/repo/reports/README.md"),
        repo_root=Path("/repo"),
        text=text,
        lines=lines,
        front_matter=None,
        blocks=(),
        checklist=(),
        questions=(),
        images=(),
        links=(),
        html_comments=tuple(comments),
        official_answers=(),
        official_error=None,
    )


def d(line: int, rule: str = "answer-length") -> Diagnostic:
    code, sev = RULES[rule]
    return Diagnostic(
        "reports/README.md", line, 1, line, code, rule, Severity.parse(sev), f"{rule} at {line}"
    )


def kept_lines(out: list[Diagnostic], rule: str | None = None) -> list[int]:
    return [x.line for x in out if x.rule != "suppression" and (rule is None or x.rule == rule)]


def problems(out: list[Diagnostic]) -> list[tuple[int, str]]:
    return [(x.line, x.message) for x in out if x.rule == "suppression"]


TEXT = """\
line 1
<!-- report-lint: disable answer-length, RL202 -- long on purpose -->
line 3
line 4
<!-- report-lint: enable -->
line 6
<!-- report-lint: disable-next-line broken-link -->

line 9
line 10
"""


def test_disable_enable_and_next_line() -> None:
    diags = [d(1), d(3), d(4, "image-count"), d(6), d(9, "broken-link"), d(10, "broken-link")]
    out = apply(make_report(TEXT), diags, make_pack())
    assert kept_lines(out) == [1, 6, 10]
    assert problems(out) == []


def test_suppression_diagnostics_are_rl901_warnings() -> None:
    out = apply(make_report("<!-- report-lint: disable-file broken-link -->\nx"), [d(2)], make_pack())
    (p,) = [x for x in out if x.rule == "suppression"]
    assert p.code == "RL901" and p.severity == Severity.WARNING
    assert (p.line, p.column) == (1, 1)
    assert "unused suppression: `broken-link`" in p.message


def test_disable_file() -> None:
    text = "a\nb\n<!-- report-lint: disable-file broken-link -->\n"
    out = apply(make_report(text), [d(1, "broken-link"), d(2, "answer-length")], make_pack())
    assert kept_lines(out) == [2]
    assert problems(out) == []


def test_unclosed_disable_runs_to_the_end() -> None:
    text = "a\n<!-- report-lint: disable image-count -->\nb\nc\n"
    out = apply(make_report(text), [d(1, "image-count"), d(4, "image-count")], make_pack())
    assert kept_lines(out) == [1]


def test_enable_one_rule_of_several() -> None:
    text = (
        "<!-- report-lint: disable answer-length image-count -->\nb\n"
        "<!-- report-lint: enable image-count -->\nd\n"
    )
    diags = [d(2), d(2, "image-count"), d(4), d(4, "image-count")]
    out = apply(make_report(text), diags, make_pack())
    assert [(x.line, x.rule) for x in out if x.rule != "suppression"] == [(4, "image-count")]
    assert problems(out) == []


def test_forbidden_rule_is_refused() -> None:
    text = "<!-- report-lint: disable-file checklist-unsupported -->\nx\n"
    out = apply(make_report(text), [d(2, "checklist-unsupported")], make_pack())
    assert kept_lines(out) == [2]
    refused = (
        "`checklist-unsupported` cannot be suppressed: the rule pack forbids it (fix the problem instead)"
    )
    assert problems(out) == [(1, refused)]


def test_forbidden_by_code_and_by_rule_setting() -> None:
    pack = make_pack(forbidden=("RL201",), unsuppressible="image-count")
    text = "<!-- report-lint: disable-file answer-length, image-count -->\nx\n"
    out = apply(make_report(text), [d(2), d(2, "image-count")], pack)
    assert kept_lines(out) == [2, 2]
    assert len(problems(out)) == 2


def test_suppressions_not_allowed() -> None:
    text = "<!-- report-lint: disable-file answer-length -->\nx\n"
    out = apply(make_report(text), [d(2)], make_pack(allowed=False))
    assert kept_lines(out) == [2]
    assert problems(out) == [
        (1, "inline suppressions are not allowed by this rule pack; fix the problem instead")
    ]


def test_unknown_and_malformed() -> None:
    text = (
        "<!-- report-lint: disable-file answer-lenght -->\n"
        "<!-- report-lint: disabel answer-length -->\n"
        "<!-- report-lint disable answer-length -->\n"
        "<!-- report-lint: disable -->\n"
        "<!-- report-lint: disable-file answer-length! -->\n"
        "<!-- an ordinary comment about report writing -->\n"
    )
    out = apply(make_report(text), [], make_pack())
    msgs = problems(out)
    assert [line for line, _ in msgs] == [1, 2, 3, 4, 5]
    assert "unknown rule `answer-lenght`" in msgs[0][1]
    assert msgs[1][1].startswith("malformed suppression")
    assert msgs[2][1].startswith("malformed suppression")
    assert "needs the rules to suppress" in msgs[3][1]
    assert "is not a rule name or code" in msgs[4][1]


def test_enable_without_disable() -> None:
    out = apply(make_report("<!-- report-lint: enable answer-length -->\n"), [], make_pack())
    assert problems(out) == [(1, "`enable` without a matching `disable` above it")]


def test_unused_only_for_rules_that_ran() -> None:
    text = "<!-- report-lint: disable-file answer-length -->\n"
    assert problems(apply(make_report(text), [], make_pack(), active_rules={"broken-link"})) == []
    assert len(problems(apply(make_report(text), [], make_pack()))) == 1


def test_suppression_rule_itself_cannot_be_suppressed() -> None:
    text = "<!-- report-lint: disable-file suppression -->\n<!-- report-lint: disable-file nope -->\n"
    msgs = problems(apply(make_report(text), [], make_pack()))
    assert msgs[0] == (1, "`suppression` diagnostics cannot be suppressed")
    assert "unknown rule `nope`" in msgs[1][1]


def test_comment_node_with_multiple_comments() -> None:
    report = make_report("x\ny\n")
    raw = "<!-- report-lint: disable-file answer-length --><!-- report-lint: disable-file broken-link -->"
    report = Report(**{**report.__dict__, "html_comments": ((Span(1, 1, 1, len(raw) + 1), raw),)})
    out = apply(report, [d(2), d(2, "broken-link")], make_pack())
    assert kept_lines(out) == []
