"""The three checklist checks and the shared per-report verdicts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from evidence_fixtures import union
from evidence_helpers import item, write
from tooling import SHARED, collect_shared

from report_lint.checks import checklist_unclaimed, checklist_unknown, checklist_unsupported, load_check
from report_lint.checks.base import CheckContext
from report_lint.evidence.builtin import load_checklist
from report_lint.evidence.checklist import checklist_json, checklist_verdicts, evaluate_checklist
from report_lint.evidence.repo import RepoIndex
from report_lint.model import ChecklistItem, Report
from report_lint.packs.models import Pack

SPEC = load_checklist()
SEEDS = SHARED / "seeds"


def make_report(root: Path, items: Sequence[ChecklistItem]) -> Report:
    return Report(
        path="reports/README.md",
        file=root / "reports" / "README.md",
        repo_root=root,
        text="",
        lines=(),
        front_matter=None,
        blocks=(),
        checklist=tuple(items),
        questions=(),
        images=(),
        links=(),
        html_comments=(),
        official_answers=(),
        official_error=None,
    )


def make_ctx(
    root: Path, rule: str = "checklist-unsupported", cache: dict[str, object] | None = None
) -> CheckContext:
    pack = Pack.model_construct(checklist=SPEC)
    return CheckContext(
        pack=pack,
        rule=rule,
        options={},
        count_mode="official",
        repo_root=root,
        cache=cache if cache is not None else {},
    )


def test_registry_loads_the_three_checks() -> None:
    for name in ("checklist-unsupported", "checklist-unclaimed", "checklist-unknown"):
        module = load_check(name)
        assert name == module.NAME and module.SUMMARY and module.HELP


def test_findings_and_shared_cache(repo: Callable[..., Path]) -> None:
    root = repo(
        {"README.md": "", ".pre-commit-config.yaml": "repos: []\n", "reports/README.md": "Dockerfile\n"}
    )
    items = [
        item("Construct one or multiple docker files for your code (M10)", line=20),
        item(
            "Add pre-commit hooks to your version control setup (M18)", state="unchecked", mark="[ ]", line=21
        ),
        item("Bake a cake for the group", line=22),
        item("Make sure that all team members have write access to the GitHub repository (M5)", line=23),
        item("Create a git repository (M5)", line=24),
    ]
    report = make_report(root, items)
    cache: dict[str, object] = {}
    unsupported = list(checklist_unsupported.check(make_ctx(root, cache=cache), report))
    assert [f.line for f in unsupported] == [20]
    assert "no Dockerfile or *.dockerfile among 2 tracked files" in unsupported[0].message
    assert unsupported[0].end_column == items[0].span.end_column
    verdicts = cache["checklist"]
    unclaimed = list(checklist_unclaimed.check(make_ctx(root, "checklist-unclaimed", cache), report))
    assert [(f.line, f.message) for f in unclaimed] == [
        (21, "not checked, but you may have done this: found .pre-commit-config.yaml")
    ]
    unknown = list(checklist_unknown.check(make_ctx(root, "checklist-unknown", cache), report))
    assert [f.line for f in unknown] == [22]
    assert cache["checklist"] is verdicts  # computed once, shared
    records = checklist_json(checklist_verdicts(make_ctx(root, cache=cache), report))
    json.dumps(records)
    assert [r["verdict"] for r in records] == [
        "unsupported", "unclaimed-evidence", "unknown", "unverifiable", "supported",
    ]  # fmt: skip
    assert records[0]["searched"] == "no Dockerfile or *.dockerfile among 2 tracked files"
    assert records[1]["evidence_found"] == [".pre-commit-config.yaml"]
    assert records[4]["rule"] == "git-repository" and records[4]["claimed"] is True


def test_the_report_itself_is_never_evidence(repo: Callable[..., Path]) -> None:
    root = repo({"reports/README.md": "import wandb\n", "reports/other.py": "import wandb\n"})
    it = item("Use Weights & Biases to log training progress (M14)")
    verdicts = checklist_verdicts(make_ctx(root), make_report(root, [it]))
    assert verdicts[0].verdict == "supported"  # reports/other.py
    (root / "reports" / "other.py").unlink()
    verdicts = checklist_verdicts(make_ctx(root), make_report(root, [it]))
    assert verdicts[0].verdict == "unsupported"


def test_no_checklist_section_means_no_findings(repo: Callable[..., Path]) -> None:
    root = repo({"README.md": ""})
    ctx = CheckContext(
        pack=Pack.model_construct(checklist=None),
        rule="checklist-unknown",
        options={},
        count_mode="official",
        repo_root=root,
    )  # fmt: skip
    assert list(checklist_unknown.check(ctx, make_report(root, [item("Bake a cake")]))) == []


def seed_items(path: Path) -> list[ChecklistItem]:
    lines = path.read_text(encoding="utf-8").split("\n")
    out = []
    for n, line in enumerate(lines, 1):
        m = re.match(r"^\* \[([ xX])\] (.*)$", line)
        if m:
            text = m.group(2).strip()
            j = n
            while j < len(lines) and lines[j].startswith("  ") and lines[j].strip():
                text += " " + lines[j].strip()
                j += 1
            checked = m.group(1) != " "
            out.append(
                item(text, state="checked" if checked else "unchecked", mark=f"[{m.group(1)}]", line=n)
            )
    return out


@pytest.mark.parametrize("seed", [p.name for p in collect_shared("seeds", "*.txt")])
def test_seed_claims_empty_scratch_repo_then_evidence_added(seed: str, tmp_path: Path) -> None:
    path = SEEDS / seed
    items = seed_items(path)
    assert items
    from evidence_helpers import make_repo

    root = make_repo(tmp_path / "scratch", {"reports/README.md": path.read_text(encoding="utf-8")})
    verdicts = evaluate_checklist(items, SPEC, RepoIndex.open(root, exclude=["reports/README.md"]))
    claimed_verifiable = [
        v for v in verdicts if v.item.checked and v.rule is not None and v.rule.evidence is not None
        and v.rule.id != "git-repository"
    ]  # fmt: skip
    assert claimed_verifiable
    assert all(v.verdict == "unsupported" for v in claimed_verifiable), [
        (v.item.text, v.verdict) for v in claimed_verifiable
    ]
    assert not any(v.verdict == "unknown" for v in verdicts)
    write(root, union())
    verdicts = evaluate_checklist(items, SPEC, RepoIndex.open(root, exclude=["reports/README.md"]))
    assert [v.item.text for v in verdicts if v.verdict == "unsupported"] == []
