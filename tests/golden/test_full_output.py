"""Full CLI output on the demo, generated repositories and the five seeds equals the recorded output.

Speed work (issue 11) and structure-in-the-pack work (issue 12) must not change a byte of it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import Case, cases, digest, expected_path

CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_output_unchanged(case: Case, tmp_path: Path) -> None:
    path = expected_path(case)
    assert path.is_file(), f"no recorded output {path}: run python tests/golden/cases.py --record"
    output = case.produce(tmp_path)
    if case.whole:
        assert output == path.read_text(encoding="utf-8")
    else:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        got = digest(output)
        assert got["diagnostics"] == recorded["diagnostics"]
        assert got["sha256"] == recorded["sha256"]


def test_every_recorded_output_has_a_case() -> None:
    names = {expected_path(c).name for c in CASES}
    recorded = {p.name for p in expected_path(CASES[0]).parent.iterdir()}
    seedless = {n for n in recorded if not n.startswith(("seed-", "batch-seeds"))}
    assert seedless <= names or not any(n.startswith("seed-") for n in names)
