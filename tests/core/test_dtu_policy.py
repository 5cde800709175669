"""Graded-run policy of the DTU packs: students cannot silence checklist-unsupported in the report."""

from __future__ import annotations

import subprocess
from pathlib import Path

from report_lint.engine import LintOptions, lint_file

REPORT = """\
## Overall project checklist

<!-- report-lint: disable-file checklist-unsupported -->
* [x] Add pre-commit hooks to your version control setup (M18)
<!-- report-lint: disable-next-line checklist-unclaimed -->
* [ ] Construct one or multiple docker files for your code (M10)

## Group information

### Question 1
> **Enter the group number you signed up on**
>
> Answer:

12
"""


def test_checklist_unsupported_cannot_be_suppressed(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "README.md").write_text(REPORT, encoding="utf-8")
    (tmp_path / "Dockerfile").write_text("FROM python:3.11-slim\nCOPY . /app\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    result = lint_file(
        tmp_path / "reports" / "README.md",
        tmp_path,
        "reports/README.md",
        LintOptions(pack="dtu-mlops-31q-2026"),
    )
    by_rule = {(d.rule, d.line) for d in result.diagnostics}
    assert ("checklist-unsupported", 4) in by_rule  # still reported
    assert ("checklist-unclaimed", 6) not in by_rule  # an ordinary rule can be suppressed
    refused = [d for d in result.diagnostics if d.rule == "suppression" and d.line == 3]
    assert refused and "checklist-unsupported" in refused[0].message
