"""The plain pack classes (``packs/plain.py``) against the pydantic models that validate packs.

Rules and the evidence engine read the plain twins; each must hold exactly its model's fields, the
same defaults and the same methods, or a rule would read a pack differently warm and cold.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from pydantic import BaseModel

from report_lint.evidence import models as evidence_models
from report_lint.packs import loader, models, plain, structure
from report_lint.packs.base import StrictModel

# validation-only models: a pack file as written, never handed to a rule
NOT_READ_BY_RULES = {"PackFile", "RuleSettings", "SuppressionPolicy", "StrictModel", "_Kind"}


def _models() -> list[type[BaseModel]]:
    found = []
    for module in (models, structure, evidence_models):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, (StrictModel, evidence_models.StrictModel))
                and value.__module__ == module.__name__
                and value.__name__ not in NOT_READ_BY_RULES
            ):
                found.append(value)
    return sorted(found, key=lambda m: m.__name__)


@pytest.mark.parametrize("model", _models(), ids=lambda m: m.__name__)
def test_each_model_has_a_plain_twin_with_its_fields(model: type[BaseModel]) -> None:
    twin = getattr(plain, model.__name__)
    assert issubclass(twin, plain.Plain)
    assert sorted(twin.FIELDS) == sorted(model.model_fields)
    public = {n for n in vars(model) if not n.startswith("_") and n not in ("model_config", "model_fields")}
    public |= {"__str__"} if "__str__" in vars(model) else set()
    for name in public - {n for n in vars(model) if n.startswith(("v_", "model_"))}:
        assert hasattr(twin, name), f"{model.__name__}.{name} has no plain twin"


def _walk(value: Any) -> list[Any]:
    out = [value]
    if isinstance(value, plain.Plain):
        for name in value.FIELDS:
            out += _walk(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            out += _walk(item)
    elif isinstance(value, dict):
        for item in value.values():
            out += _walk(item)
    return out


def test_built_in_packs_are_plain_all_the_way_down() -> None:
    packs = [e for e in loader.builtin_packs().values() if isinstance(e, plain.Pack)]
    assert len(packs) >= 4
    for pack in packs:
        for part in _walk(pack):
            assert not isinstance(part, BaseModel), (pack.name, type(part).__name__)
        assert pack.checklist is not None and pack.checklist.rules


def test_defaults_are_the_models_defaults() -> None:
    assert plain.StructureSpec(course_checker=True) == models.to_plain(
        structure.StructureSpec(course_checker=True)
    )
    assert plain.StructureSpec() == models.to_plain(structure.StructureSpec())
    assert plain.HeadingSpec() == models.to_plain(structure.HeadingSpec())
    assert plain.AnswerSpec() == models.to_plain(structure.AnswerSpec())
    phrase = r"(?P<max>\d+) words"
    assert plain.LimitPhrase(pattern=phrase) == models.to_plain(structure.LimitPhrase(pattern=phrase))
    built = plain.StructureSpec()
    assert built.limits is not plain.StructureSpec().limits  # a list default is not shared


def test_methods_answer_as_the_models_do() -> None:
    yaml_pack = loader._load_pack("dtu-mlops-31q-2026")[0]
    checklist = evidence_models.ChecklistSpec.model_validate(
        {
            "rules": [
                {"id": "a", "title": "A", "phrases": ["docker"], "evidence": {"files": ["Dockerfile"]}},
                {"id": "b", "title": "B", "phrases": ["x"], "unverifiable": "why", "unclaimed": False},
            ]
        }
    )
    twin = models.to_plain(checklist)
    assert twin.rule("a") == models.to_plain(checklist.rule("a"))
    assert twin.rule("zz") is None
    assert twin.rules[0].unclaimed_evidence == models.to_plain(checklist.rules[0].unclaimed_evidence)
    assert twin.rules[1].unclaimed_evidence is None
    assert yaml_pack.label(4) == "4" and yaml_pack.question(4) is not None
    assert str(plain.Range(min=100, max=200)) == str(models.Range(min=100, max=200)) == "100–200"


def test_frozen_comparable_and_picklable() -> None:
    r = plain.Range(min=1, max=2)
    with pytest.raises(AttributeError):
        r.min = 3  # type: ignore[misc]
    assert r == plain.Range(min=1, max=2) and hash(r) == hash(plain.Range(min=1, max=2))
    assert r != plain.Range(min=1, max=3)
    assert r.replace(max=5) == plain.Range(min=1, max=5)
    pack = loader.load_pack("dtu-mlops-27q")
    assert pickle.loads(pickle.dumps(pack)) == pack
    with pytest.raises(TypeError, match="missing field"):
        plain.Range(min=1)
    with pytest.raises(TypeError, match="unknown fields"):
        plain.Range(min=1, max=2, step=1)
