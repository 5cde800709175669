"""The committed pack JSON Schema is what `report-lint schema` prints, and every bundled pack obeys it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PACKS = sorted((ROOT / "rules").glob("*.yaml"))


def test_committed_schema_is_current() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "report_lint", "schema"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    committed = (ROOT / "rules" / "pack.schema.json").read_text(encoding="utf-8")
    assert json.loads(printed) == json.loads(committed), (
        "run: report-lint schema --output rules/pack.schema.json"
    )


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.stem)
def test_bundled_packs_validate_against_schema(pack: Path) -> None:
    schema = json.loads((ROOT / "rules" / "pack.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load(pack.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
