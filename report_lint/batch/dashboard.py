"""dashboard.html: one self-contained page (inline CSS and JS, no network), safe with student text.

The data travels as JSON inside ``<script type="application/json">`` with ``<``, ``>``, ``&`` and
U+2028/U+2029 written as ``\\uXXXX`` escapes, so no report text can close the element.  The page's
script builds the DOM with ``textContent`` only, and a Content-Security-Policy allows exactly that
one script (by its SHA-256), no network and no other script source.  The template's markers
(``{{CSP}}``, ``{{CSS}}``, ``{{DATA}}``, ``{{SCRIPT}}``) are all replaced in one pass over the template,
so a marker written in a report or a folder name is data, never a place to substitute.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from report_lint.batch.rows import RepoRow
from report_lint.batch.writers import totals

_MARKER = re.compile(r"\{\{(CSP|CSS|DATA|SCRIPT)\}\}")
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def embed_json(data: object) -> str:
    """JSON that is safe between ``<script type="application/json">`` tags."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return "".join(_ESCAPES.get(ch, ch) for ch in text) if any(c in text for c in _ESCAPES) else text


def _asset(name: str) -> str:
    return (resources.files("report_lint.batch") / "assets" / name).read_text(encoding="utf-8")


def _repo(index: int, row: RepoRow) -> dict[str, Any]:
    report = (row.result or {}).get("reports", [{}])[0] if row.result else {}
    diagnostics = [
        {
            "line": d["line"],
            "column": d["column"],
            "severity": d["severity"],
            "code": d["code"],
            "rule": d["rule"],
            "message": d["message"],
            "question": d["question"],
            "snippet": row.snippets.get(str(d["line"]), ""),
        }
        for d in report.get("diagnostics", [])
    ]
    checklist = [
        {
            "key": c.get("rule") or c.get("text", ""),
            "text": c.get("text", ""),
            "line": c.get("line"),
            "claimed": bool(c.get("claimed")),
            "verdict": c.get("verdict", ""),
        }
        for c in report.get("checklist", [])
    ]
    return {
        "id": index,
        "path": row.path,
        "group": row.group,
        "folder_group": row.folder_group,
        "commit": row.commit[:12],
        "committed": row.committed,
        "mode": row.mode,
        "template": row.template,
        "passed": row.questions_passed,
        "total": row.questions_total,
        "errors": row.errors,
        "warnings": row.warnings,
        "infos": row.infos,
        "unsupported": row.unsupported_claims,
        "unfilled": row.unfilled_placeholders,
        "missing": row.missing_figures,
        "error": row.error,
        "notes": row.notes,
        "questions": [[q["number"], q["state"]] for q in row.questions],
        "handin_render": row.rules.get("handin-render", 0) if row.linted else None,
        "handin_preview": row.handin_preview,
        "handin_problem": row.handin_problem,
        "movement": row.movement,
        "diagnostics": diagnostics,
        "checklist": checklist,
    }


def dashboard_data(rows: Sequence[RepoRow], meta: dict[str, Any]) -> dict[str, Any]:
    return {"meta": meta, "totals": totals(rows), "repos": [_repo(i, r) for i, r in enumerate(rows)]}


def render(rows: Sequence[RepoRow], meta: dict[str, Any]) -> str:
    script = _asset("dashboard.js")
    if "</script" in script.lower():
        raise AssertionError("dashboard.js must not contain a closing script tag")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    values = {
        "CSP": csp,
        "CSS": _asset("dashboard.css"),
        "DATA": embed_json(dashboard_data(rows, meta)),
        "SCRIPT": script,
    }
    template = _asset("dashboard.html")
    if sorted(_MARKER.findall(template)) != sorted(values):
        raise AssertionError("dashboard.html must hold each marker exactly once")
    return _MARKER.sub(lambda m: values[m.group(1)], template)


def write(rows: Sequence[RepoRow], meta: dict[str, Any], path: Path) -> None:
    path.write_text(render(rows, meta), encoding="utf-8")
