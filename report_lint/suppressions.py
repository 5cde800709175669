"""Inline suppressions: HTML comments in the report (they do not render).

::

    <!-- report-lint: disable answer-length, image-count -->   …until enable (or the end of the file)
    <!-- report-lint: enable answer-length -->                 (or ``enable`` alone: every rule)
    <!-- report-lint: disable-next-line RL301 -->               the next non-blank line
    <!-- report-lint: disable-file broken-link -- links are checked by hand -->

Rules are named by rule name (``answer-length``) or by the pack's code (``RL201``), separated by
commas or spaces; text after `` -- `` is a free reason.  ``disable`` covers whole lines: from the
comment's line up to the line before the matching ``enable``.

Staff decide in the pack what may be suppressed (``suppressions: {allowed: false}`` or
``forbidden_rules: [...]``, or ``suppressible: false`` on a rule): a refused directive suppresses
nothing and is reported.  Unused directives, malformed ones and unknown rule names are reported too,
as rule ``suppression`` (RL901, a warning).  Diagnostics of rule ``suppression`` are never suppressed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from report_lint.build import html_comments
from report_lint.checks import CHECKS
from report_lint.diagnostic import Diagnostic, Severity
from report_lint.model import Report
from report_lint.packs.plain import Pack
from report_lint.parsing.nodes import Span

NAME = "suppression"
DEFAULT_CODE = "RL901"
SUMMARY = "An inline report-lint suppression comment is unused, malformed, unknown or not allowed."
HELP = (
    "Inline suppressions are HTML comments such as `<!-- report-lint: disable-next-line answer-length -->`. "
    "This diagnostic says that one of them suppresses nothing (delete it), cannot be read (check the "
    "spelling: disable, enable, disable-next-line, disable-file followed by rule names or codes), names "
    "a rule that does not exist, or names a rule that the course's rule pack does not allow to be "
    "suppressed (fix the problem instead)."
)
# for `report-lint explain` and docs/rules.md: report text that triggers the rule, and the fix
EXAMPLE = "<!-- report-lint: disable-next-line answer-lenght -->"
HOW_TO_FIX = "Spell the rule name or code correctly, or delete a suppression that suppresses nothing."

VERBS = ("disable-next-line", "disable-file", "disable", "enable")
_PREFIX = re.compile(r"^\s*report[-_]lint\b", re.IGNORECASE)
_DIRECTIVE = re.compile(
    r"^\s*report-lint:\s*(?P<verb>disable-next-line|disable-file|disable|enable)"
    r"(?=\s|$)(?P<rest>.*?)\s*$",
    re.DOTALL,
)
_RULE_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass
class Directive:
    verb: str
    rules: tuple[str, ...]  # canonical rule names
    span: Span
    text: str
    used: set[str] = field(default_factory=set)
    # for 'disable': the last line covered (set when closed by 'enable'; None: to the end)
    until: int | None = None


@dataclass
class _Outcome:
    kept: list[Diagnostic]
    problems: list[Diagnostic]


def _comments(report: Report) -> Iterable[tuple[Span, str]]:
    """Each comment's inner text; a node holding several comments yields each."""
    for span, raw in report.html_comments:
        inner = [body for _, _, body in html_comments(raw)]
        if inner:
            yield from ((span, body) for body in inner)
        else:
            yield span, raw


def _rule_names(pack: Pack) -> tuple[set[str], dict[str, str]]:
    names = set(CHECKS) | set(pack.rules)
    codes = {rule.code.upper(): name for name, rule in pack.rules.items()}
    return names, codes


def apply(
    report: Report,
    diagnostics: list[Diagnostic],
    pack: Pack,
    *,
    active_rules: Collection[str] | None = None,
) -> list[Diagnostic]:
    """The diagnostics left after the report's suppressions, plus the ``suppression`` diagnostics.

    ``active_rules`` are the rules that ran (after select/ignore); a suppression of a rule that did
    not run is not reported as unused.  By default: the pack's enabled rules.
    """
    rule_settings = pack.rules.get(NAME)
    code = rule_settings.code if rule_settings else DEFAULT_CODE
    severity = Severity.parse(rule_settings.severity) if rule_settings else Severity.WARNING
    report_own = rule_settings.enabled if rule_settings else True
    if active_rules is None:
        active = {name for name, rule in pack.rules.items() if rule.enabled}
    else:
        active = set(active_rules)

    problems: list[Diagnostic] = []

    def problem(span: Span, message: str) -> None:
        end_column = span.end_column if span.end_line == span.line else None
        problems.append(
            Diagnostic(
                path=report.path,
                line=span.line,
                column=span.column,
                end_line=span.end_line,
                code=code,
                rule=NAME,
                severity=severity,
                message=message,
                end_column=end_column,
            )
        )

    names, codes = _rule_names(pack)
    forbidden = {codes.get(r.upper(), r) for r in pack.forbidden_suppressions}
    forbidden |= {name for name, rule in pack.rules.items() if not rule.suppressible}
    forbidden.add(NAME)

    directives: list[Directive] = []
    open_disables: list[Directive] = []
    refused_all = not pack.suppressions_allowed
    for span, body in _comments(report):
        if not _PREFIX.match(body):
            continue
        match = _DIRECTIVE.match(body)
        shown = " ".join(body.split())
        if match is None:
            problem(
                span,
                f"malformed suppression `{shown}`: write `report-lint: disable|enable|"
                "disable-next-line|disable-file RULE[,RULE]`",
            )
            continue
        if refused_all:
            problem(span, "inline suppressions are not allowed by this rule pack; fix the problem instead")
            continue
        verb = match.group("verb")
        rest = match.group("rest")
        rest = re.split(r"\s--(?:\s|$)", " " + rest, maxsplit=1)[0]
        tokens = [t for t in re.split(r"[\s,]+", rest.strip()) if t]
        rules: list[str] = []
        bad = False
        for token in tokens:
            if not _RULE_TOKEN.match(token):
                problem(span, f"malformed suppression `{shown}`: `{token}` is not a rule name or code")
                bad = True
                continue
            name = codes.get(token.upper()) if token.upper() in codes else token.lower()
            if name is None or name not in names:
                problem(span, f"unknown rule `{token}` in suppression")
                continue
            if name == NAME:
                problem(span, f"`{NAME}` diagnostics cannot be suppressed")
                continue
            if name in forbidden:
                problem(
                    span,
                    f"`{name}` cannot be suppressed: the rule pack forbids it (fix the problem instead)",
                )
                continue
            if name not in rules:
                rules.append(name)
        if verb != "enable" and not tokens and not bad:
            problem(span, f"`{verb}` needs the rules to suppress, e.g. `report-lint: {verb} answer-length`")
            continue
        if verb == "enable":
            closed = False
            for d in list(open_disables):
                targets = set(d.rules) if not tokens else set(d.rules) & set(rules)
                if not targets:
                    continue
                closed = True
                if targets == set(d.rules):
                    d.until = max(d.span.line, span.line - 1)
                    open_disables.remove(d)
                else:
                    # close part of a multi-rule disable: split it in two
                    d.rules = tuple(r for r in d.rules if r not in targets)
                    part = Directive("disable", tuple(sorted(targets)), d.span, d.text)
                    part.until = max(d.span.line, span.line - 1)
                    directives.append(part)
            if not closed and (rules or not tokens):
                problem(span, "`enable` without a matching `disable` above it")
            continue
        if not rules:
            continue
        directive = Directive(verb, tuple(rules), span, shown)
        directives.append(directive)
        if verb == "disable":
            open_disables.append(directive)

    next_lines = {id(d): _next_line(report, d.span.end_line) for d in directives}
    kept: list[Diagnostic] = []
    for diag in diagnostics:
        if diag.rule == NAME:
            kept.append(diag)
            continue
        hit = None
        for d in directives:
            if diag.rule in d.rules and _covers(d, diag, next_lines[id(d)]):
                hit = d
                break
        if hit is None:
            kept.append(diag)
        else:
            hit.used.add(diag.rule)

    for d in directives:
        for rule in d.rules:
            if rule not in d.used and rule in active:
                where = {
                    "disable-next-line": "on the next line",
                    "disable-file": "in this file",
                    "disable": "in its range",
                }[d.verb]
                problem(d.span, f"unused suppression: `{rule}` reports nothing {where}; delete it")

    if not report_own:
        return kept
    # one problem per position and message
    seen: set[tuple[int, int, str]] = set()
    unique = []
    for p in problems:
        key = (p.line, p.column, p.message)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return kept + unique


def _next_line(report: Report, after: int) -> int:
    """The first non-blank line after ``after`` (or the line just after it)."""
    n = after + 1
    while n <= len(report.lines) and not report.lines[n - 1].strip():
        n += 1
    return n if n <= len(report.lines) else after + 1


def _covers(d: Directive, diag: Diagnostic, next_line: int) -> bool:
    if d.verb == "disable-file":
        return True
    if d.verb == "disable-next-line":
        return diag.line == next_line
    end = d.until if d.until is not None else float("inf")
    return d.span.line <= diag.line <= end
