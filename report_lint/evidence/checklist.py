"""Checklist verdicts: each item matched to its rule and judged against the repository, once per report.

Verdicts:

- ``supported``: claimed (checked, or partially) and the evidence is there
- ``unsupported``: claimed, no evidence
- ``unverifiable``: the pack says a repository cannot show this item
- ``unknown``: no rule matches the item
- ``unclaimed-evidence``: not claimed, but strong evidence says it was done
- ``unclaimed``: not claimed, no strong evidence (or the rule asks for none)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from report_lint.evidence.describe import describe
from report_lint.evidence.evaluate import EvidenceResult, evaluate
from report_lint.evidence.filesource import FileSource
from report_lint.evidence.match import match_item
from report_lint.evidence.repo import RepoIndex, open_source
from report_lint.model import ChecklistItem, Report
from report_lint.packs.plain import ChecklistRule, ChecklistSpec

Verdict = Literal["supported", "unsupported", "unverifiable", "unknown", "unclaimed-evidence", "unclaimed"]

CACHE_KEY = "checklist"
SOURCE_CACHE_KEY = "evidence_source"  # a FileSource the caller may share between reports


@dataclass(frozen=True)
class ItemVerdict:
    item: ChecklistItem
    rule: ChecklistRule | None
    verdict: Verdict
    result: EvidenceResult | None  # the evidence (or strong evidence) evaluation, if one ran
    looked_for: str  # what counts as evidence, in words ("" if nothing was evaluated)

    @property
    def claimed(self) -> bool:
        return self.item.state in ("checked", "partial")

    @property
    def rule_id(self) -> str | None:
        return None if self.rule is None else self.rule.id

    def to_json(self) -> dict[str, Any]:
        result = self.result
        return {
            "text": self.item.text,
            "line": self.item.span.line,
            "state": self.item.state,
            "modules": list(self.item.modules),
            "claimed": self.claimed,
            "rule": self.rule_id,
            "verdict": self.verdict,
            "unverifiable": None if self.rule is None else self.rule.unverifiable,
            "looked_for": self.looked_for or None,
            "evidence_found": list(result.found_items) if result is not None and result.found else [],
            "searched": result.missing if result is not None and not result.found else None,
        }


def evaluate_item(item: ChecklistItem, spec: ChecklistSpec, index: RepoIndex) -> ItemVerdict:
    m = match_item(item, spec)
    if m is None:
        return ItemVerdict(item, None, "unknown", None, "")
    rule = m.rule
    if rule.unverifiable is not None or rule.evidence is None:
        return ItemVerdict(item, rule, "unverifiable", None, "")
    if item.state in ("checked", "partial"):
        result = evaluate(rule.evidence, index)
        return ItemVerdict(
            item, rule, "supported" if result.found else "unsupported", result, describe(rule.evidence)
        )
    strong = rule.unclaimed_evidence
    if strong is None:
        return ItemVerdict(item, rule, "unclaimed", None, "")
    result = evaluate(strong, index)
    return ItemVerdict(
        item, rule, "unclaimed-evidence" if result.found else "unclaimed", result, describe(strong)
    )


def evaluate_checklist(
    items: Sequence[ChecklistItem],
    spec: ChecklistSpec,
    source: FileSource | RepoIndex,
    *,
    exclude: Sequence[str] = (),
) -> list[ItemVerdict]:
    """Verdicts for ``items``; ``exclude`` lists root-relative paths that never count (the report)."""
    index = source if isinstance(source, RepoIndex) else RepoIndex(source, exclude=exclude)
    return [evaluate_item(item, spec, index) for item in items]


def checklist_json(verdicts: Sequence[ItemVerdict]) -> tuple[dict[str, Any], ...]:
    """The JSON-ready per-item records for ``ReportResult.checklist``."""
    return tuple(v.to_json() for v in verdicts)


def _report_relpath(report: Report, root: Path) -> str | None:
    try:
        rel = os.path.relpath(os.path.realpath(report.file), os.path.realpath(root))
    except ValueError:
        return None
    return None if rel.startswith("..") else rel.replace(os.sep, "/")


def checklist_verdicts(ctx: Any, report: Report) -> list[ItemVerdict]:
    """The report's verdicts, computed once and shared through ``ctx.cache["checklist"]``.

    ``ctx`` is a :class:`~report_lint.checks.base.CheckContext` (typed loosely to keep this package
    free of an import cycle with the pack models).  A caller linting several reports of one
    repository may put a :class:`FileSource` in ``ctx.cache["evidence_source"]`` to list it once.
    """
    cached = ctx.cache.get(CACHE_KEY)
    if cached is not None:
        verdicts: list[ItemVerdict] = cached
        return verdicts
    spec: ChecklistSpec | None = ctx.pack.checklist
    if spec is None or not spec.rules or not report.checklist:
        verdicts = []
    else:
        root = Path(ctx.repo_root)
        source = ctx.cache.get(SOURCE_CACHE_KEY)
        if not isinstance(source, FileSource):
            source = open_source(root)
            ctx.cache[SOURCE_CACHE_KEY] = source
        rel = _report_relpath(report, source.root)
        verdicts = evaluate_checklist(report.checklist, spec, source, exclude=[rel] if rel else [])
    ctx.cache[CACHE_KEY] = verdicts
    return verdicts
