"""results.csv and results.json, and the totals every output shows.

Rows arrive cleaned (:func:`report_lint.batch.text.clean_data`); the files are still opened with
``errors="backslashreplace"`` so that no string can stop an output from being written whole.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from report_lint.batch.rows import COUNT_FIELDS, CSV_FIELDS, RepoRow, duplicate_groups

# a spreadsheet runs a cell that starts with one of these as a formula; repository names are students'
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def totals(rows: Sequence[RepoRow]) -> dict[str, int]:
    linted = [r for r in rows if r.linted]
    out = {"repositories": len(rows), "linted": len(linted), "failed": len(rows) - len(linted)}
    for name in COUNT_FIELDS:
        out[name] = sum(getattr(r, name) or 0 for r in linted)
    out["duplicate_groups"] = len(duplicate_groups(rows))
    return out


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: Sequence[RepoRow], path: Path) -> None:
    with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
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
    text = json.dumps(results_json(rows, meta), indent=1, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8", errors="backslashreplace")
