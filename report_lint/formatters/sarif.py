"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

What code scanning reads: rule ids with short and full descriptions, help text (plain and markdown,
from :mod:`report_lint.rule_docs`) and a ``helpUri`` to the rule's anchor in ``docs/rules.md``
(``tool.driver.rules``), results with a level, a message and one physical location whose artifact
URI is relative to the repository root (``%SRCROOT%``), and a region with start/end line and column.
Columns count Unicode code points (``columnKind: unicodeCodePoints``) as report-lint's do; SARIF's
``endColumn`` is exclusive, as ours is.

Messages are shown to people by the code scanning UI: report text in them is neutralised as for a
terminal (:func:`report_lint.safe_text.visible`).  Artifact URIs are percent-encoded from the file
name's own bytes, so a name that is not UTF-8 (``\xff``) still points at its file (``%FF``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import report_lint
from report_lint.diagnostic import Diagnostic, Severity
from report_lint.formatters.github import workspace_path
from report_lint.formatters.json_format import dumps
from report_lint.result import LintResult
from report_lint.rule_docs import DOCS_URL, rule_doc, rule_names
from report_lint.safe_text import visible

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def rule_docs(rule: str) -> tuple[str, str]:
    """(one-line summary, help paragraph) of a rule, from its check module; the name if absent."""
    try:
        doc = rule_doc(rule)
    except (ImportError, KeyError):
        return rule, rule
    return doc.summary, doc.help


def rule_help(rule: str) -> dict[str, str]:
    """SARIF ``help``: the paragraph as text; as markdown with the example, the fix and a docs link."""
    try:
        doc = rule_doc(rule)
    except (ImportError, KeyError):
        return {"text": rule, "markdown": rule}
    text = doc.help + (f"\n\nFix: {doc.how_to_fix}" if doc.how_to_fix else "")
    parts = [doc.help]
    if doc.example:
        parts.append("Example:\n\n```markdown\n" + doc.example + "\n```")
    if doc.how_to_fix:
        parts.append(f"**Fix:** {doc.how_to_fix}")
    parts.append(f"[{doc.name} in the rules documentation]({doc.url})")
    return {"text": text, "markdown": "\n\n".join(parts)}


def _uri(path: str) -> str:
    # surrogateescape: the bytes of a non-UTF-8 file name, as the file system holds them
    return quote(path, safe="/-._~", errors="surrogateescape")


def _region(d: Diagnostic) -> dict[str, int]:
    region = {"startLine": d.line, "startColumn": max(1, d.column), "endLine": max(d.end_line, d.line)}
    if d.end_column is not None and (d.end_line > d.line or d.end_column > d.column):
        region["endColumn"] = d.end_column
    elif d.end_line == d.line:
        region["endColumn"] = max(1, d.column) + 1
    return region


def build(result: LintResult, *, workspace: str = ".") -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict (one run)."""
    diagnostics = sorted(result.diagnostics)
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for d in diagnostics:
        if d.code in index:
            continue
        summary, _ = rule_docs(d.rule)
        index[d.code] = len(rules)
        rules.append(
            {
                "id": d.code,
                "name": d.rule,
                "shortDescription": {"text": summary},
                "fullDescription": {"text": f"{d.rule}: {summary}"},
                "help": rule_help(d.rule),
                "defaultConfiguration": {"level": LEVELS[d.severity]},
                "properties": {"tags": ["report-lint", d.rule]},
            }
        )
        if d.rule in rule_names():  # only rules docs/rules.md has an anchor for
            rules[-1]["helpUri"] = f"{DOCS_URL}#{d.rule}"
    results: list[dict[str, Any]] = []
    for d in diagnostics:
        path = workspace_path(result, d.path, workspace)
        entry: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": LEVELS[d.severity],
            "message": {"text": visible(d.message or d.rule, newlines=True)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"},
                        "region": _region(d),
                    }
                }
            ],
            "properties": {"rule": d.rule},
        }
        if d.question is not None:
            entry["properties"]["question"] = d.question
        results.append(entry)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "report-lint",
                        "version": report_lint.__version__,
                        "semanticVersion": report_lint.__version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render(result: LintResult, *, workspace: str = ".", ensure_ascii: bool = False) -> str:
    return dumps(build(result, workspace=workspace), ensure_ascii=ensure_ascii)
