"""Every evidence rule of the DTU checklist pack, in a repository that has it and in ones that lack it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from evidence_fixtures import NEAR_MISS, PRESENT, union
from evidence_helpers import git

from report_lint.evidence.builtin import builtin_pack_path, load_checklist
from report_lint.evidence.evaluate import evaluate
from report_lint.evidence.models import ChecklistRule
from report_lint.evidence.repo import RepoIndex

SPEC = load_checklist()
VERIFIABLE = [r for r in SPEC.rules if r.evidence is not None]
IDS = [r.id for r in VERIFIABLE]


def _evidence(rule: ChecklistRule) -> object:
    assert rule.evidence is not None
    return rule.evidence


def test_every_verifiable_rule_has_fixtures() -> None:
    assert set(PRESENT) == set(IDS)
    assert set(NEAR_MISS) <= set(IDS)


def test_unverifiable_rules_give_reasons() -> None:
    unverifiable = {r.id: r.unverifiable for r in SPEC.rules if r.evidence is None}
    assert set(unverifiable) == {
        "write-access",
        "cloud-monitoring",
        "revisit-description",
        "group-understanding",
    }
    assert all(reason and len(reason) > 20 for reason in unverifiable.values())


@pytest.mark.parametrize("rule", VERIFIABLE, ids=IDS)
def test_evidence_found(rule: ChecklistRule, repo: Callable[..., Path]) -> None:
    index = RepoIndex.open(repo(PRESENT[rule.id]))
    assert rule.evidence is not None
    result = evaluate(rule.evidence, index)
    assert result.found, result.missing
    assert result.found_text.startswith("found ")
    strong = rule.unclaimed_evidence
    if strong is not None:
        assert evaluate(strong, index).found


@pytest.mark.parametrize("rule", VERIFIABLE, ids=IDS)
def test_evidence_absent_in_a_bare_repository(rule: ChecklistRule, repo: Callable[..., Path]) -> None:
    root = repo({"README.md": "# project\n", "src/proj/__init__.py": ""}, use_git=rule.id != "git-repository")
    assert rule.evidence is not None
    result = evaluate(rule.evidence, RepoIndex.open(root))
    assert not result.found
    assert result.missing.startswith(("no ", "only ", "not "))


@pytest.mark.parametrize("rule_id", sorted(NEAR_MISS))
def test_near_miss_is_not_evidence(rule_id: str, repo: Callable[..., Path]) -> None:
    rule = SPEC.rule(rule_id)
    assert rule is not None and rule.evidence is not None
    result = evaluate(rule.evidence, RepoIndex.open(repo(NEAR_MISS[rule_id])))
    assert not result.found, result.found_text


@pytest.mark.parametrize("use_git", [True, False], ids=["git", "walk"])
@pytest.mark.parametrize("rule", [r for r in VERIFIABLE if PRESENT[r.id]], ids=[i for i in IDS if PRESENT[i]])
def test_ignored_evidence_does_not_count(
    rule: ChecklistRule, use_git: bool, repo: Callable[..., Path]
) -> None:
    files = PRESENT[rule.id]
    gitignore = "".join(f"/{path}\n" for path in files)
    root = repo({".gitignore": gitignore}, use_git=use_git, untracked=files)
    assert rule.evidence is not None
    assert not evaluate(rule.evidence, RepoIndex.open(root)).found


def test_untracked_not_ignored_evidence_counts(repo: Callable[..., Path]) -> None:
    rule = SPEC.rule("pre-commit")
    assert rule is not None and rule.evidence is not None
    root = repo({"README.md": ""}, untracked={".pre-commit-config.yaml": "repos: []\n"})
    result = evaluate(rule.evidence, RepoIndex.open(root))
    assert result.found_text == "found .pre-commit-config.yaml"


def test_all_evidence_together(repo: Callable[..., Path]) -> None:
    index = RepoIndex.open(repo(union()))
    missing = [r.id for r in VERIFIABLE if r.evidence is not None and not evaluate(r.evidence, index).found]
    assert missing == []


def test_github_remote_counts_as_uploaded(repo: Callable[..., Path]) -> None:
    rule = SPEC.rule("uploaded-github")
    assert rule is not None and rule.evidence is not None
    root = repo({"README.md": ""})
    assert not evaluate(rule.evidence, RepoIndex.open(root)).found
    git(root, "remote", "add", "origin", "git@github.com:group/proj.git")
    result = evaluate(rule.evidence, RepoIndex.open(root))
    assert result.found_text == "found remote git@github.com:group/proj.git"


def test_messages_say_what_was_searched(repo: Callable[..., Path]) -> None:
    root = repo({f"src/m{i}.py": "" for i in range(5)} | {"README.md": ""})
    index = RepoIndex.open(root)
    docker = SPEC.rule("docker-files")
    assert docker is not None and docker.evidence is not None
    assert evaluate(docker.evidence, index).missing == "no Dockerfile or *.dockerfile among 6 tracked files"
    lint = SPEC.rule("ci-lint")
    assert lint is not None and lint.evidence is not None
    assert "workflow" in evaluate(lint.evidence, index).missing


def test_workflow_with_yaml_on_quirk_and_broken_file(repo: Callable[..., Path]) -> None:
    rule = SPEC.rule("workflow-registry-trigger")
    assert rule is not None and rule.evidence is not None
    root = repo(
        {
            ".github/workflows/broken.yml": "on: [push\n",
            ".github/workflows/ok.yml": "on: repository_dispatch\njobs: {}\n",
        }
    )
    result = evaluate(rule.evidence, RepoIndex.open(root))
    assert result.found_text == "found `on: repository_dispatch` in .github/workflows/ok.yml"


PATTERN_KEYS = ("code", "text", "also", "uses", "run", "remote", "paths")


def _patterns(node: object, where: str = "") -> list[tuple[str, str]]:
    """Every RE2 pattern of the pack file, with the rule it belongs to."""
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        where = str(node.get("id", where))
        for key, value in node.items():
            if key in PATTERN_KEYS and isinstance(value, str):
                out.append((where, value))
            else:
                out += _patterns(value, where)
    elif isinstance(node, list):
        for value in node:
            out += _patterns(value, where)
    return out


def _alternatives(pattern: str) -> list[str]:
    """The top-level ``|`` alternatives of an RE2 pattern (escapes, groups and classes respected)."""
    out, cur, depth, in_class, escaped = [], "", 0, False, False
    for ch in pattern:
        if escaped:
            cur, escaped = cur + ch, False
            continue
        if ch == "\\":
            cur, escaped = cur + ch, True
            continue
        if in_class:
            cur, in_class = cur + ch, ch != "]"
            continue
        if ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
            continue
        cur += ch
    return [*out, cur]


def _unbounded_starts(pattern: str) -> list[str]:
    """Alternatives that begin with a name character without a ``\\b``/``^``/``\\w*`` before it: they would
    match inside a longer name (``torch\\.profiler`` in ``lightning.pytorch.profilers``)."""
    bad = []
    for alt in _alternatives(re.sub(r"^\(\?[a-z]+\)", "", pattern)):
        if alt.startswith("("):
            inner, depth = "", 0
            for i, ch in enumerate(alt):
                depth += {"(": 1, ")": -1}.get(ch, 0)
                if depth == 0:
                    inner = alt[1:i]
                    break
            bad += _unbounded_starts(inner.removeprefix("?:"))
        elif re.match(r"[A-Za-z0-9_]", alt):
            bad.append(alt)
    return bad


def test_every_pattern_starts_at_a_word_boundary() -> None:
    data = yaml.safe_load(builtin_pack_path().read_text(encoding="utf-8"))
    bad = [(rule, alt) for rule, pattern in _patterns(data) for alt in _unbounded_starts(pattern)]
    assert bad == []


def test_the_boundary_audit_catches_a_bare_name() -> None:
    assert _unbounded_starts(r"\bcProfile\b|torch\.profiler") == [r"torch\.profiler"]
    assert _unbounded_starts(r"(?i)(ruff|\bblack)") == ["ruff"]
    assert _unbounded_starts(r"^\s*(import|from)\s+x|\w*optimizer\.step\(|[''\"]run|(^|/)data") == []


@pytest.mark.parametrize(
    ("rule_id", "files"),
    [
        ("distributed-data", {"train.py": "args = TrainingArguments(dataloader_num_workers=4)\n"}),
        ("alerts", {"ops/alerts.py": "client.create_alert_policy(name=project, alert_policy=policy)\n"}),
        ("alerts", {"infra/main.tf": 'resource "google_monitoring_notification_channel" "mail" {\n}\n'}),
        (
            "ci-lint",
            {
                ".github/workflows/l.yml": "on: push\njobs:\n  l:\n    steps:\n      - uses: org/python-pylint-action@v1\n"
            },
        ),
        (
            "model-training",
            {"model.py": "class M(pl.LightningModule):\n    pass\n", "train.py": "my_optimizer.step()\n"},
        ),
        ("profiling", {"train.py": "import torch.profiler\n"}),
    ],
)
def test_word_boundaries_keep_what_counted_before(
    rule_id: str, files: dict[str, str], repo: Callable[..., Path]
) -> None:
    rule = SPEC.rule(rule_id)
    assert rule is not None and rule.evidence is not None
    result = evaluate(rule.evidence, RepoIndex.open(repo(files)))
    assert result.found, result.missing
