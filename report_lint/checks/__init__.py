"""The registry of built-in checks: rule name -> module.

Modules are imported only when their rule runs, so start-up stays cheap.
"""

from __future__ import annotations

import importlib
from typing import cast

from report_lint.checks.base import CheckModule

CHECKS: dict[str, str] = {
    "unfilled-placeholder": "report_lint.checks.unfilled_placeholder",
    "answer-length": "report_lint.checks.answer_length",
    "image-count": "report_lint.checks.image_count",
    "missing-figure": "report_lint.checks.missing_figure",
    "figure-format": "report_lint.checks.figure_format",
    "template-figure": "report_lint.checks.template_figure",
    "template-structure": "report_lint.checks.template_structure",
    "heading-note": "report_lint.checks.heading_note",
    "group-info": "report_lint.checks.group_info",
    "broken-link": "report_lint.checks.broken_link",
    "checklist-unsupported": "report_lint.checks.checklist_unsupported",
    "checklist-unclaimed": "report_lint.checks.checklist_unclaimed",
    "checklist-unknown": "report_lint.checks.checklist_unknown",
    "handin-render": "report_lint.checks.handin_render",
    "handin-cut": "report_lint.checks.handin_cut",
}


def load_check(name: str) -> CheckModule:
    return cast(CheckModule, importlib.import_module(CHECKS[name]))
