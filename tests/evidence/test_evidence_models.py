"""Pack validation of the checklist section."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from report_lint.evidence.models import ChecklistRule, ChecklistSpec, Evidence
from report_lint.packs.models import PackFile

EVIDENCE: TypeAdapter[Any] = TypeAdapter(Evidence)


def rule(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "x",
        "title": "X",
        "phrases": ["docker"],
        "evidence": {"files": ["Dockerfile"]},
    }
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    "bad",
    [
        {"code": "(?=lookahead)"},
        {"text": "(a", "globs": ["*"]},
        {"workflow": {"paths": "x(?!y)"}},
        {"workflow": {"step": {"run": "\\1"}}},
        {"files": ["a"], "code": "x"},
        {"nothing": 1},
        {"files": []},
        {"any": [{"files": ["a"]}], "at_least": 2},
        {"workflow": {}},
        {"workflow": {"step": {}}},
        {"dependency": ["not a name"]},
        {"files": ["a"], "unexpected": 1},
    ],
)
def test_invalid_evidence(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        EVIDENCE.validate_python(bad)


def test_pattern_error_names_re2() -> None:
    with pytest.raises(ValidationError, match="not a valid RE2 pattern"):
        EVIDENCE.validate_python({"code": "(?<=x)y"})


def test_nested_evidence_and_normalised_dependencies() -> None:
    ev = EVIDENCE.validate_python(
        {"all": [{"any": [{"dependency": ["Hydra_Core"]}, {"code": "x"}]}, {"git": {}}]}
    )
    assert ev.all[0].any[0].dependency == ["hydra-core"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"evidence": None},
        {"unverifiable": "console only"},  # both
        {"modules": ["10"]},
        {"phrases": []},
        {"phrases": ["!!"]},
        {"id": "Bad Id"},
        {"evidence": None, "unverifiable": "x", "strong": {"files": ["a"]}},
    ],
)
def test_invalid_rule(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ChecklistRule.model_validate(rule(**overrides))


def test_duplicate_rule_ids() -> None:
    with pytest.raises(ValidationError, match="listed twice"):
        ChecklistSpec.model_validate({"rules": [rule(), rule()]})


def test_unclaimed_evidence_defaults_to_evidence() -> None:
    r = ChecklistRule.model_validate(rule())
    assert r.unclaimed_evidence is r.evidence
    assert ChecklistRule.model_validate(rule(unclaimed=False)).unclaimed_evidence is None
    strong = ChecklistRule.model_validate(rule(strong={"files": ["x"]}))
    assert strong.unclaimed_evidence is strong.strong


def test_pack_file_embeds_checklist() -> None:
    pack = PackFile.model_validate({"name": "p", "abstract": True, "checklist": {"rules": [rule()]}})
    assert pack.checklist is not None and pack.checklist.rules[0].id == "x"
    with pytest.raises(ValidationError):
        PackFile.model_validate({"name": "p", "checklist": {"rules": [rule(evidence={"code": "(?=x)"})]}})
