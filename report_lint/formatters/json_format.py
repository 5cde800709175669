"""The stable machine interface: ``{"version": 1, "reports": [...]}``.

Always valid UTF-8 JSON that is safe to print: C1 controls, bidi controls and the line separators
are ``\\uXXXX``-escaped (json.dumps already escapes C0), lone surrogates from non-UTF-8 file names
become their visible ``\\xff`` form (see :func:`report_lint.safe_text.json_text`).  With
``ensure_ascii`` (a stream that is not UTF-8) every non-ASCII character is escaped: still lossless.
"""

from __future__ import annotations

import json
from typing import Any

from report_lint.result import LintResult
from report_lint.safe_text import json_text


def dumps(data: object, *, ensure_ascii: bool = False) -> str:
    """``data`` as indented JSON text, safe to print and to encode (shared with SARIF)."""
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
    return json_text(text, ensure_ascii=ensure_ascii) + "\n"


def render(result: LintResult, *, ensure_ascii: bool = False, **_: Any) -> str:
    return dumps(result.to_json(), ensure_ascii=ensure_ascii)
