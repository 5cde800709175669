"""Help on every option, ``rules [PACK]``, ``explain RULE``, docs/rules.md and SARIF's rule help."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from builders import ReportBuilder

from report_lint.cli import build_parser
from report_lint.packs.loader import load_pack
from report_lint.rule_docs import DOCS_URL, default_output, render_markdown, rule_doc, rule_names

from .conftest import one_line_error, run


def _parsers(
    parser: argparse.ArgumentParser, name: str = "report-lint"
) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(name, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                found += _parsers(sub, f"{name} {sub_name}")
    return found


def test_every_option_of_every_subcommand_has_help() -> None:
    parsers = dict(_parsers(build_parser()))
    assert {
        "report-lint check",
        "report-lint config",
        "report-lint schema",
        "report-lint rules",
        "report-lint explain",
        "report-lint batch",
    } <= set(parsers)
    missing = [
        f"{name}: {action.option_strings or action.dest}"
        for name, parser in parsers.items()
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction)
        and (not action.help or action.help == argparse.SUPPRESS or not action.help.strip())
    ]
    assert missing == []


@pytest.mark.parametrize("command", ["check", "config", "schema", "rules", "explain", "batch"])
def test_help_prints_through_the_cli(tmp_path: Path, command: str) -> None:
    proc = run([command, "--help"], tmp_path)
    assert proc.returncode == 0 and proc.stderr == "" and proc.stdout.startswith("usage: report-lint")


def test_check_help_lists_the_new_options(tmp_path: Path) -> None:
    out = run(["check", "--help"], tmp_path).stdout
    for option in ("--color", "--quiet", "--statistics", "--show-source", "--config"):
        assert option in out


def test_rules_without_a_pack_lists_packs_and_rules_with_codes(tmp_path: Path) -> None:
    proc = run(["rules"], tmp_path)
    assert proc.returncode == 0 and proc.stderr == ""
    assert "  dtu-mlops-31q-2026: " in proc.stdout and "dtu-common" not in proc.stdout
    for name in rule_names():
        doc = rule_doc(name)
        assert f"  {doc.code:<6} {name}: {doc.summary}" in proc.stdout


def test_rules_pack_lists_codes_severities_and_limits_per_question(tmp_path: Path) -> None:
    proc = run(["rules", "dtu-mlops-31q-2025"], tmp_path)
    assert proc.returncode == 0 and proc.stderr == ""
    pack = load_pack("dtu-mlops-31q-2025")
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("dtu-mlops-31q-2025: ")
    for rule in pack.rules.values():
        assert any(line.split()[:3] == [rule.code, rule.severity, rule.name] for line in lines), rule.name
    rows = {
        int(line.split()[0]): line.split() for line in lines if line.strip()[:1].isdigit() and "–" in line
    }
    assert set(rows) == set(pack.questions)
    q31 = pack.questions[31]
    assert q31.words is not None and rows[31][1] == f"{q31.words.min}–{q31.words.max}"
    with_images = [n for n, q in pack.questions.items() if q.images is not None]
    assert with_images
    for n in with_images:
        images = pack.questions[n].images
        assert images is not None and rows[n][2] == f"{images.min}–{images.max}"


def test_rules_pack_from_a_file_and_neutralised(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        'name: mine\ndescription: "ours \\e[31mred"\nextends: dtu-mlops-31q-2026\n'
        "rules:\n  answer-length: {enabled: false}\n",
        encoding="utf-8",
    )
    proc = run(["rules", "mine.yaml"], tmp_path)
    assert proc.returncode == 0 and "\x1b" not in proc.stdout and "ours \\x1b[31mred" in proc.stdout
    assert any(line.split()[:3] == ["RL201", "off", "answer-length"] for line in proc.stdout.splitlines())


def test_rules_unknown_pack_is_one_line(tmp_path: Path) -> None:
    assert "no-such-pack" in one_line_error(run(["rules", "no-such-pack"], tmp_path))


def test_explain_by_name_or_code_prints_help_example_and_fix(tmp_path: Path) -> None:
    by_code = run(["explain", "RL202"], tmp_path)
    by_name = run(["explain", "image-count"], tmp_path)
    assert by_code.returncode == 0 and by_code.stdout == by_name.stdout
    assert run(["explain", "rl202"], tmp_path).stdout == by_code.stdout
    doc = rule_doc("image-count")
    out = by_code.stdout
    assert out.startswith("RL202 image-count (error in the built-in packs)")
    assert doc.help in out and f"Fix: {doc.how_to_fix}" in out
    assert "Example:" in out and "    [our bucket](figures/bucket_ours.png)" in out
    assert f"Docs: {DOCS_URL}#image-count" in out


def test_every_rule_explains_with_an_example_and_a_fix(tmp_path: Path) -> None:
    for name in rule_names():
        doc = rule_doc(name)
        assert doc.code and doc.example and doc.how_to_fix and doc.help != doc.summary, name


def test_explain_unknown_rule_is_one_line(tmp_path: Path) -> None:
    assert "no such rule or code" in one_line_error(run(["explain", "RL999"], tmp_path))


def test_docs_rules_md_is_current() -> None:
    assert default_output().read_text(encoding="utf-8") == render_markdown(), (
        "docs/rules.md is stale: run python -m report_lint.rule_docs"
    )
    text = render_markdown()
    for name in rule_names():
        assert f'<a id="{name}"></a>' in text


def test_sarif_rules_carry_help_and_a_help_uri_to_their_anchor(repo: Path) -> None:
    ReportBuilder(fill_words=60, answers={2: "s214578, 223344", 5: "![x](figures/none.png)"}).write(repo)
    log = json.loads(run(["check", "--format", "sarif"], repo).stdout)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert {r["name"] for r in rules} >= {"group-info", "missing-figure"}
    docs = default_output().read_text(encoding="utf-8")
    for rule in rules:
        doc = rule_doc(rule["name"])
        assert rule["helpUri"] == f"{DOCS_URL}#{rule['name']}"
        assert f'<a id="{rule["name"]}"></a>' in docs
        assert rule["help"]["text"].startswith(doc.help) and doc.how_to_fix in rule["help"]["text"]
        assert doc.example in rule["help"]["markdown"] and rule["helpUri"] in rule["help"]["markdown"]
