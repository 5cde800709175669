"""The stable machine interface: ``{"version": 1, "reports": [...]}``."""

from __future__ import annotations

import json
from typing import Any

from report_lint.result import LintResult


def render(result: LintResult, **_: Any) -> str:
    return json.dumps(result.to_json(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
