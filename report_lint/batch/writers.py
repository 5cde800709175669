"""results.csv and results.json, and the totals every output shows."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from report_lint.batch.rows import CSV_FIELDS, RepoRow

# a spreadsheet runs a cell that starts with one of these as a formula; repository names are students'
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def totals(rows: Sequence[RepoRow]) -> dict[str, int]:
    linted = [r for r in rows if not r.error]
    return {
        "repositories": len(rows),
        "linted": len(linted),
        "failed": len(rows) - len(linted),
        "questions_passed": sum(r.questions_passed for r in linted),
        "questions_total": sum(r.questions_total for r in linted),
        "errors": sum(r.errors for r in linted),
        "warnings": sum(r.warnings for r in linted),
        "infos": sum(r.infos for r in linted),
        "unsupported_claims": sum(r.unsupported_claims for r in linted),
        "unfilled_placeholders": sum(r.unfilled_placeholders for r in linted),
        "missing_figures": sum(r.missing_figures for r in linted),
    }


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: Sequence[RepoRow], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CSV_FIELDS))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.csv_row().items()})


def results_json(rows: Sequence[RepoRow], meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 1,
        "batch": {**meta, "totals": totals(rows)},
        "repositories": [r.to_json() for r in rows],
    }


def write_json(rows: Sequence[RepoRow], meta: dict[str, Any], path: Path) -> None:
    path.write_text(
        json.dumps(results_json(rows, meta), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
