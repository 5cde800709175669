"""``report-lint rules [PACK]`` and ``report-lint explain RULE``: what the rules are, for people.

The text comes from :mod:`report_lint.rule_docs` (the check modules' own SUMMARY/HELP/EXAMPLE/
HOW_TO_FIX) and from the packs; a custom pack file's descriptions, titles and codes are untrusted
and neutralised (:func:`report_lint.safe_text.one_line`) before they are printed.
"""

from __future__ import annotations

from pathlib import Path

from report_lint.errors import ReportLintError, UsageError
from report_lint.packs.plain import Pack, Range
from report_lint.safe_text import one_line, visible


def _range(limit: Range | None) -> str:
    return "–" if limit is None else f"{limit.min}–{limit.max}"


def list_packs() -> str:
    from report_lint.packs.loader import load_pack
    from report_lint.packs.locate import builtin_names
    from report_lint.rule_docs import rule_doc, rule_names

    lines = ["built-in rule packs (report-lint rules PACK lists one's rules and limits):"]
    for name in builtin_names():
        try:
            pack = load_pack(name)
        except ReportLintError:  # abstract packs and fragments are not usable alone
            continue
        lines.append(f"  {name}: {one_line(pack.description)}")
    lines.append("rules (report-lint explain RULE for help, an example and the fix):")
    for rule in rule_names():
        doc = rule_doc(rule)
        lines.append(f"  {doc.code or '-':<6} {rule}: {doc.summary}")
    return "\n".join(lines) + "\n"


def describe_pack(spec: str, base: Path) -> str:
    """A pack's rules (code, severity, enabled) and its limits per question (words, images)."""
    from report_lint.packs.loader import load_pack
    from report_lint.rule_docs import rule_doc, rule_names

    pack: Pack = load_pack(spec, base=base)
    lines = [f"{one_line(pack.name)}: {one_line(pack.description)}"]
    lines.append(f"count mode: {pack.count_mode}")
    lines.append("rules:")
    known = set(rule_names())
    rows = sorted(pack.rules.values(), key=lambda r: (r.code, r.name))
    name_width = max((len(one_line(r.name)) for r in rows), default=0)
    for rule in rows:
        summary = rule_doc(rule.name).summary if rule.name in known else ""
        state = rule.severity if rule.enabled else "off"
        lines.append(f"  {one_line(rule.code):<6} {state:<7} {one_line(rule.name):<{name_width}}  {summary}")
    allowed = "the course checker allows" if pack.structure.course_checker else "allowed"
    lines.append(f"questions (words and images {allowed}; – no limit):")
    lines.append(f"  {'Q':>3}  {'words':<9}  {'images':<7}  title")
    for number in sorted(pack.questions):
        q = pack.questions[number]
        title = one_line(q.title or "")
        shown = pack.label(number)  # the number as the template writes it: "2.1"
        lines.append(f"  {shown:>3}  {_range(q.words):<9}  {_range(q.images):<7}  {title}".rstrip())
    return "\n".join(lines) + "\n"


def explain(name_or_code: str) -> str:
    from report_lint.rule_docs import find_rule, rule_names

    doc = find_rule(name_or_code)
    if doc is None:
        raise UsageError(
            f"explain {name_or_code}: no such rule or code (rules: {', '.join(rule_names())}; "
            "report-lint rules lists them with their codes)"
        )
    head = " ".join(part for part in (doc.code, doc.name) if part)
    lines = [f"{head} ({doc.severity or 'no default'} in the built-in packs)", "", doc.summary, "", doc.help]
    if doc.example:
        lines += ["", "Example:", ""] + [f"    {line}" for line in doc.example.split("\n")]
    if doc.how_to_fix:
        lines += ["", f"Fix: {doc.how_to_fix}"]
    if doc.autofix:
        lines += ["", f"Automatic fix: {doc.autofix}"]
    lines += ["", f"Docs: {doc.url}"]
    # our own text, but kept to the same rule as every output: nothing raw reaches the terminal
    return visible("\n".join(lines), newlines=True) + "\n"
