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


# questions.csv: one row per group and question (docs/batch-outputs.md); new columns only at the end
QUESTION_FIELDS = (
    "group",
    "folder_group",
    "path",
    "question",
    "verdict",
    "words",
    "word_min",
    "word_max",
    "images",
    "image_min",
    "image_max",
    "line",
)


def question_rows(row: RepoRow) -> list[dict[str, object]]:
    """A linted row: one line per question of its report.  One that could not be linted: one line,
    verdict ``not linted``, so that the sheet still lists every group."""

    def known(value: object) -> object:
        return "" if value is None else value

    who = {"group": known(row.group), "folder_group": known(row.folder_group), "path": row.path}
    if not row.linted:
        return [{**who, "verdict": "not linted"}]
    out = []
    for q in row.questions:
        words, images = q.get("word_limit") or ("", ""), q.get("image_limit") or ("", "")
        out.append(
            {
                **who,
                "question": q["number"],
                "verdict": q["state"],
                "words": q["words"],
                "word_min": words[0],
                "word_max": words[1],
                "images": q["images"],
                "image_min": images[0],
                "image_max": images[1],
                "line": q["line"],
            }
        )
    return out


def write_questions_csv(rows: Sequence[RepoRow], path: Path) -> None:
    with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(QUESTION_FIELDS), restval="")
        writer.writeheader()
        for row in rows:
            for line in question_rows(row):
                writer.writerow({k: _cell(v) for k, v in line.items()})
