"""--format sarif: valid SARIF 2.1.0 with what GitHub code scanning reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from formatter_factory import diag, result

from report_lint.diagnostic import Severity
from report_lint.formatters import sarif


def _schema() -> dict[str, Any]:
    # The OASIS SARIF 2.1.0 (errata01) schema, vendored so the test needs no network: see fixtures/README.md.
    text = (Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _validate(log: dict[str, Any]) -> None:
    import jsonschema  # type: ignore[import-untyped]

    schema = _schema()
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    errors = sorted(validator_cls(schema).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def _sample() -> Any:
    return result(
        diag(12, "question 4 has 312 words", column=5, end_column=9, question=4),
        diag(3, "link is broken", rule="broken-link", severity=Severity.WARNING, end_line=5, end_column=2),
        diag(40, "not claimed", rule="checklist-unclaimed", severity=Severity.INFO),
        diag(41, "from a rule without a module", rule="unknown-rule-x", path="reports/my report.md"),
    )


def test_valid_against_the_sarif_schema() -> None:
    _validate(json.loads(sarif.render(_sample())))


def test_empty_run_is_valid() -> None:
    log = json.loads(sarif.render(result()))
    _validate(log)
    assert log["runs"][0]["results"] == []


def test_fields_code_scanning_needs() -> None:
    log = json.loads(sarif.render(_sample()))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"RL201", "RL403", "RL502", "RL999"}
    for r in rules.values():
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
    assert rules["RL999"]["shortDescription"]["text"] == "unknown-rule-x"  # no module: the name
    by_line = {res["locations"][0]["physicalLocation"]["region"]["startLine"]: res for res in run["results"]}
    first = by_line[12]
    assert first["ruleId"] == "RL201" and first["level"] == "error"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "RL201"
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "reports/README.md"
    assert loc["region"] == {"startLine": 12, "startColumn": 5, "endLine": 12, "endColumn": 9}
    assert by_line[3]["level"] == "warning"
    assert by_line[3]["locations"][0]["physicalLocation"]["region"]["endLine"] == 5
    assert by_line[40]["level"] == "note"
    assert (
        by_line[41]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "reports/my%20report.md"
    )


def test_rule_docs_from_check_module() -> None:
    summary, help_text = sarif.rule_docs("answer-length")
    try:
        from report_lint.checks import load_check

        module = load_check("answer-length")
    except ImportError:
        assert summary == "answer-length"
        return
    assert summary == module.SUMMARY.strip()
    assert help_text == module.HELP.strip()


def test_suppression_rule_docs() -> None:
    summary, _ = sarif.rule_docs("suppression")
    assert "suppression" in summary


def test_hostile_names_and_messages_stay_valid_sarif() -> None:
    """A non-UTF-8 report name links by its bytes; messages show controls and bidi visibly."""
    hostile = result(
        diag(7, "did you mean figures/a\x1b[31m\u202e\udcfe.png?", path="reports/R\udcff.md"),
        path="reports/R\udcff.md",
    )
    for ensure_ascii in (False, True):
        text = sarif.render(hostile, ensure_ascii=ensure_ascii)
        text.encode("utf-8")  # strict: no surrogate left
        assert text.isascii() or not ensure_ascii
        log = json.loads(text)
        _validate(log)
        found = log["runs"][0]["results"][0]
        assert found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "reports/R%FF.md"
        assert found["message"]["text"] == "did you mean figures/a\\x1b[31m<U+202E>\\xfe.png?"
