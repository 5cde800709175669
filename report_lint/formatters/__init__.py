"""Formatters turn a finished LintResult into text; they never decide severity."""

from __future__ import annotations

import importlib
from typing import Any, Protocol, cast

from report_lint.result import LintResult

FORMATTERS: dict[str, str] = {
    "text": "report_lint.formatters.text",
    "json": "report_lint.formatters.json_format",
    "github": "report_lint.formatters.github",
    "sarif": "report_lint.formatters.sarif",
    "summary": "report_lint.formatters.summary",
}


class Formatter(Protocol):
    def render(self, result: LintResult, **kwargs: Any) -> str: ...


def load_formatter(name: str) -> Formatter:
    return cast(Formatter, importlib.import_module(FORMATTERS[name]))
