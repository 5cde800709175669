"""Matching checklist items to rules: every template line of every generation, and students' deviations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from evidence_helpers import item
from tooling import SHARED, shared

from report_lint.evidence.builtin import load_checklist
from report_lint.evidence.match import item_modules, match_rule_id

SPEC = load_checklist()
TEMPLATES = SHARED / "templates"

WEEK1 = [
    "git-repository", "write-access", "environment", "cookiecutter", "data-code", "model-training",
    "requirements", "pep8", "typing-docs", "data-version-control",
]  # fmt: skip
TAGGED_WEEK1 = [
    *WEEK1, "cli", "docker-files", "docker-build", "config-files", "hydra", "profiling", "logging", "wandb",
    "sweep", "lightning",
]  # fmt: skip
TAGGED_WEEK2 = [
    "data-tests", "model-tests", "coverage", "ci", "ci-caching-matrix", "ci-lint", "pre-commit",
    "workflow-data-trigger", "workflow-registry-trigger", "gcs-bucket", "cloud-build-trigger", "gcp-training",
    "fastapi", "gcp-deploy", "api-tests", "load-test", "onnx-bentoml", "frontend",
]  # fmt: skip
EXTRA = [
    "documentation", "github-pages", "revisit-description", "architecture-diagram", "group-understanding",
    "uploaded-github",
]  # fmt: skip
WEEK3_2024 = [
    "drift-robustness", "drift-api", "system-metrics", "cloud-monitoring", "alerts", "distributed-data",
    "distributed-training", "quantization",
]  # fmt: skip
WEEK1_2023 = [
    *WEEK1,
    "docker-files",
    "docker-build",
    "config-files",
    "hydra",
    "profiling",
    "wandb",
    "lightning",
]
WEEK2_2023 = [
    "data-tests", "model-tests", "coverage", "ci", "gcs-bucket", "cloud-build-trigger", "gcp-training",
    "fastapi", "torchserve", "gcp-deploy",
]  # fmt: skip
WEEK3_2023 = [
    "drift-robustness", "system-metrics", "model-monitoring", "distributed-data", "distributed-training",
    "quantization",
]  # fmt: skip

EXPECTED = {
    "template-2023-27q.md": [
        *WEEK1_2023, *WEEK2_2023, *WEEK3_2023,
        "revisit-description", "group-understanding", "uploaded-github",
    ],
    "template-2024-31q.md": [*TAGGED_WEEK1, *TAGGED_WEEK2, *WEEK3_2024, *EXTRA],
    "template-2026-31q.md": [
        *TAGGED_WEEK1, *TAGGED_WEEK2, WEEK3_2024[0], "input-output-collection", *WEEK3_2024[1:], *EXTRA,
    ],
}  # fmt: skip


def template_items(path: Path) -> list[str]:
    """Checklist item texts as the parser gives them: wrapped lines joined with one space."""
    lines = path.read_text(encoding="utf-8").split("\n")
    items: list[str] = []
    for i, line in enumerate(lines):
        m = re.match(r"^\* \[ \] (.*)$", line)
        if not m:
            continue
        text = m.group(1).strip()
        j = i + 1
        while (
            j < len(lines)
            and lines[j].startswith("  ")
            and lines[j].strip()
            and not lines[j].lstrip().startswith("*")
        ):
            text += " " + lines[j].strip()
            j += 1
        items.append(text)
    return items


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_template_item_matches_its_rule(name: str) -> None:
    path = shared("templates", name)
    texts = template_items(path)
    got = [match_rule_id(item(t, state="unchecked", mark="[ ]"), SPEC) for t in texts]
    assert list(zip(texts, got, strict=True)) == list(zip(texts, EXPECTED[name], strict=True))


# items in our own words: how students' reports deviate from the template text
DEVIATIONS = [
    ("**Create a git repository** (M5)", "git-repository"),
    ("CREATE A GIT REPOSITORY (M5) - Anna, Bo", "git-repository"),
    ("Construct one or multiple `docker` files for your code (M10) [Johan]", "docker-files"),
    ("Build the docker files locally and make sure they work (M10) – done by s123456", "docker-build"),
    ("Add pre-commit hooks to your version control setup (M18) ✅", "pre-commit"),
    ("Add pre commit hooks (M18)", "pre-commit"),
    ("Add a continues workflow that triggers when data changes (M19)", "workflow-data-trigger"),
    ("Use Weights &amp; Biases to log training progress (M14)", "wandb"),
    ("Used wandb for experiment logging", "wandb"),
    ("Use PyTorch Lightning to reduce boilerplate (M15)", "lightning"),
    ("Remember to fill out the requirements.txt and requirements_dev.txt file with whatever dependencies "
     "that you are using (M2+M6)", "requirements"),
    ("Add a model to `train_module.py` and a training procedure to `train.py` and get that running (M6)",
     "model-training"),
    ("Create a data storage in GCP Bucket for your data and link this with your data version control setup",
     "gcs-bucket"),
    ("Setup version control for your data (M8)", "data-version-control"),
    ("Use Huggingface (if applicable) to reduce the amount of boilerplate in your code", "huggingface"),
    ("Setup collection of input-output data from your deployed application (M27)", "input-output-collection"),
    ("Check how robust your model is towards data drifting (M27)", "drift-robustness"),
    ("Deploy to the cloud a drift detection API (M27)", "drift-api"),
    ("Create an architecture diagram of the MLOps pipeline", "architecture-diagram"),
    ("Load test your application (M24)", "load-test"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "rule_id"), DEVIATIONS)
def test_deviations_match(text: str, rule_id: str) -> None:
    assert match_rule_id(item(text), SPEC) == rule_id


@pytest.mark.parametrize("mark", ["[x]", "[X]", "[✅]", "[~]"])
def test_mark_does_not_matter(mark: str) -> None:
    assert match_rule_id(item("Calculate the code coverage (M16)", mark=mark), SPEC) == "coverage"


@pytest.mark.parametrize(
    "text",
    [
        "Bake a cake for the exam",
        "Write a poem about MLOps",
        "Use hydra somewhere (M30)",  # a one-word phrase against a contradicting module tag
        "",
    ],
)
def test_unknown_items(text: str) -> None:
    assert match_rule_id(item(text), SPEC) is None


def test_modules_from_text_when_the_model_has_none() -> None:
    it = item("Create a git repository (M5) Anna")
    assert it.modules == ()
    assert item_modules(it) == ("M5",)
    assert match_rule_id(it, SPEC) == "git-repository"


def test_module_tag_decides_between_similar_items() -> None:
    # a wrong tag costs the match its bonus; the right one wins over the phrase alone
    assert match_rule_id(item("Create a git repository (M5)"), SPEC) == "git-repository"
    assert match_rule_id(item("Write some documentation (M32)"), SPEC) == "documentation"
