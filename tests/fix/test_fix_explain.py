"""``report-lint explain RULE`` says what ``--fix`` does for the rules that offer fixes, and only them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from report_lint.rule_docs import rule_names

FIXING = {"unfilled-placeholder", "image-count", "missing-figure"}


def _explain(rule: str, cwd: Path) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "report_lint", "explain", rule],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_explain_shows_the_automatic_fix_of_fixing_rules_only(tmp_path: Path) -> None:
    said = {rule for rule in rule_names() if "\nAutomatic fix: " in _explain(rule, tmp_path)}
    assert said == FIXING
    assert "`--unsafe-fixes` also replaces a misspelt name" in _explain("RL301", tmp_path)
    assert "an answer holding nothing but the placeholder is left" in _explain("RL101", tmp_path)
    assert "adds the missing `!`" in _explain("image-count", tmp_path)
